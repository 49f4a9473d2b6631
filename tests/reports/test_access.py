"""Who may make and read reports: an access matrix over roles, served municipalities and
subjects (hypothesis), and the pages and API as users meet them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.geo.models import Municipality
from knooppunt.organisations.models import Role
from knooppunt.reports import access, services
from knooppunt.reports.builders import get
from knooppunt.reports.models import GeneratedReport
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    issue_key,
    member,
    system_like,
)

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ["GM0153", "GM0164", "GM0363", "GM0344"]  # Enschede, Hengelo, A'dam, Utrecht
SUBJECTS = [*MUNICIPALITIES, "VR05", "VR13", "VR09", "PV21", "GM9999", "VR99", "WK015300",
            "", "1", "gm0153 ", "<script>"]
ROLES = list(Role.values)


@given(memberships=st.lists(st.tuples(st.sampled_from(ROLES),
                                      st.frozensets(st.sampled_from(MUNICIPALITIES),
                                                    max_size=2)),
                            min_size=1, max_size=2),
       code=st.sampled_from(SUBJECTS))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
def test_access_matrix_for_the_factsheet(memberships, code):
    """A factsheet is allowed exactly when one of the user's roles is coordinator,
    bestuurder or analist and the area is a served municipality or a safety region
    holding one; otherwise NoAccess (role) or UnknownSubject (area)."""
    user = UserFactory()
    served: set[str] = set()
    for role, codes in memberships:
        organisation = OrganisationFactory(
            municipalities=list(Municipality.objects.filter(code__in=codes)))
        MembershipFactory(user=user, organisation=organisation, role=role)
        served |= codes
    regions = set(Municipality.objects.filter(code__in=served)
                  .values_list("safety_region__code", flat=True))
    board_role = any(role in (Role.COORDINATOR, Role.BESTUURDER, Role.ANALIST)
                     for role, _codes in memberships)
    wanted = code.strip().upper()
    builder = get("factsheet")
    if not board_role:
        with pytest.raises(access.NoAccess):
            access.resolve(user, builder, code)
        return
    if wanted in served or wanted in regions:
        subject = access.resolve(user, builder, code)
        assert subject.code == wanted
        choices = {s.code for s in access.subject_choices(user, builder)}
        assert wanted in choices
    else:
        with pytest.raises(access.UnknownSubject):
            access.resolve(user, builder, code)


def test_mayor_makes_a_factsheet_on_the_page_and_downloads_it(client, world):
    client.force_login(world.mayor)
    page = client.get(reverse("reports:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html and "GM0153" in html and "VR05" in html
    assert "GM0363" not in html  # Amsterdam is not the mayor's
    assert reverse("reports:index") in client.get(reverse("dashboards:index"),
                                                  follow=True).content.decode()

    made = client.post(reverse("reports:index"), {
        "soort": "factsheet", "gebied": "GM0153", "periode": str(world.year)})
    assert made.status_code == 302
    report = GeneratedReport.objects.get()
    assert made["Location"] == reverse("reports:detail", args=[report.pk])
    detail = client.get(made["Location"])
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Factsheet Enschede" in text and 'class="choropleth"' in text
    assert reverse("reports:pdf", args=[report.pk]) in text
    pdf = client.get(reverse("reports:pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    assert client.get(reverse("reports:print", args=[report.pk])).status_code == 200
    listed = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in listed
    actions = list(ProcessingLogEntry.objects.filter(object_type="reports.generatedreport",
                                                     object_id=str(report.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "view", "export", "view"]

    # Others: an outsider gets 404 for the report, a case worker has no report page.
    client.force_login(world.outsider)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:pdf", args=[report.pk])).status_code == 404
    assert reverse("reports:detail", args=[report.pk]) not in client.get(
        reverse("reports:index")).content.decode()
    assert ProcessingLogEntry.objects.filter(object_id=str(report.pk)).count() == 4
    worker = member(Role.MEDEWERKER, OrganisationFactory(
        municipalities=[Municipality.objects.get(code="GM0153")]))
    client.force_login(worker)
    assert reverse("reports:index") not in client.get(reverse("web:home")).content.decode()
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404


@pytest.mark.parametrize("post, field", [
    ({"soort": "factsheet", "gebied": "GM0363", "periode": "2025"}, "gebied"),
    ({"soort": "factsheet", "gebied": "GM0153", "periode": "2025-K1"}, "periode"),
    ({"soort": "factsheet", "gebied": "GM0153", "periode": "3025"}, "periode"),
    ({"soort": "jaarverslag", "gebied": "GM0153", "periode": "2025"}, "soort"),
    ({}, "soort"),
])
def test_bad_choices_give_dutch_errors_and_make_nothing(client, world, post, field):
    client.force_login(world.mayor)
    response = client.post(reverse("reports:index"), post)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "error-summary" in response.content.decode() or "fout" in \
        response.content.decode().lower()
    assert not GeneratedReport.objects.exists()


def _api(user) -> APIClient:
    _, key = issue_key(system_like(user), name="rapportages")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_api_makes_lists_reads_and_downloads_reports(world):
    api = _api(world.regional)
    made = api.post("/api/v1/reports", {"kind": "factsheet", "area": "vr05",
                                        "period": str(world.year)}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["subjectCode"] == "VR05" and body["pageCount"] in (1, 2)
    assert body["pdfUrl"].endswith(f"/api/v1/reports/{body['id']}/pdf")
    listed = api.get("/api/v1/reports").json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    assert api.get(f"/api/v1/reports/{body['id']}").json()["dataChecksum"] == \
        body["dataChecksum"]
    pdf = api.get(f"/api/v1/reports/{body['id']}/pdf", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    outsider = _api(world.outsider)
    assert outsider.get(f"/api/v1/reports/{body['id']}").status_code == 404
    assert outsider.get(f"/api/v1/reports/{body['id']}/pdf").status_code == 404
    assert outsider.get("/api/v1/reports").json()["results"] == []
    refused = outsider.post("/api/v1/reports", {"kind": "factsheet", "area": "VR05",
                                                "period": str(world.year)}, format="json")
    assert refused.status_code == 404 and refused["Content-Type"] == PROBLEM_CONTENT_TYPE


@pytest.mark.parametrize("payload, status, param", [
    ({"kind": "factsheet", "area": "GM0153", "period": "2025-K2"}, 400, "period"),
    ({"kind": "factsheet", "area": "GM0153", "period": "morgen"}, 400, "period"),
    ({"kind": "onbekend", "area": "GM0153", "period": "2025"}, 400, "kind"),
    ({"kind": "factsheet", "area": "GM0153", "period": "2025", "extra": 1}, 400, "extra"),
    ({"kind": "factsheet", "area": "BU01530000", "period": "2025"}, 404, None),
])
def test_api_errors_are_problem_json(world, payload, status, param):
    response = _api(world.mayor).post("/api/v1/reports", payload, format="json")
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    if param:
        assert param in {p["name"] for p in response.json()["invalidParams"]}
    assert not GeneratedReport.objects.exists()


def test_api_refuses_roles_without_reports_and_is_in_the_openapi_document(world):
    worker = member(Role.MEDEWERKER, OrganisationFactory(
        municipalities=[Municipality.objects.get(code="GM0153")]))
    response = _api(worker).post("/api/v1/reports", {"kind": "factsheet", "area": "GM0153",
                                                     "period": "2025"}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    schema = _api(worker).get("/api/v1/openapi.json").json()
    assert {"/reports", "/reports/{id}", "/reports/{id}/pdf"} <= set(schema["paths"])
    assert "application/pdf" in schema["paths"]["/reports/{id}/pdf"]["get"][
        "responses"]["200"]["content"]
    assert {"403", "404"} <= set(schema["paths"]["/reports"]["post"]["responses"])
    assert not services.readable(worker)
