"""The area scan through the API, the page and the report: same numbers, scoped, logged."""

from __future__ import annotations

import pytest
from django.utils import timezone

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.geo.models import District
from knooppunt.organisations.models import ApiScope, Role
from knooppunt.reports import services as reports
from tests.api.helpers import assert_problem, invalid_names
from tests.factories import OrganisationFactory, issue_key, member, municipality, system_account
from tests.registers.factories import AddressFactory, CompanyFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/area-scans"


@pytest.fixture
def place():
    enschede = municipality("GM0153")
    wijk = District.objects.filter(municipality=enschede).order_by("code").first()
    gemeente = OrganisationFactory(municipalities=[enschede])
    crowded = AddressFactory(district=wijk, usage="kantoorfunctie")
    for _ in range(6):
        CompanyFactory(address=crowded, name=f"Brievenbus {_} BV")
    for _ in range(4):
        AddressFactory(district=wijk)
    return {"wijk": wijk, "gemeente": gemeente, "crowded": crowded}


def test_api_scan_of_a_wijk_for_an_analyst(client, place):
    analist = member(Role.ANALIST, place["gemeente"])
    client.force_login(analist)
    response = client.get(API, {"area": place["wijk"].code})
    assert response.status_code == 200
    body = response.json()
    assert body["addresses"] == 5 and body["personal"]
    assert body["crowdedAddresses"][0]["companies"] == 6
    assert "Brievenbus 0 BV" in body["crowdedAddresses"][0]["names"]
    usage = next(s for s in body["sections"] if s["key"] == "gebruiksdoel")
    assert {r["label"]: r["value"] for r in usage["rows"]} == {
        "woonfunctie": 4, "kantoorfunctie": 1}
    assert usage["source"] and usage["sourceDate"]
    logged = ProcessingLogEntry.objects.filter(user_id=analist.pk,
                                               object_type="registers.address")
    assert list(logged.values_list("object_ids", flat=True)) == [[str(place["crowded"].pk)]]


def test_api_buffer_around_an_address(client, place):
    client.force_login(member(Role.ANALIST, place["gemeente"]))
    crowded = place["crowded"]
    response = client.get(API + "/buffer", {"address": crowded.nummeraanduiding_id,
                                            "radius": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "buffer" and body["addresses"] == 5  # all on the same point


def test_api_gives_a_mayor_aggregates_only(client, place):
    client.force_login(member(Role.BESTUURDER, place["gemeente"]))
    body = client.get(API, {"area": place["wijk"].code}).json()
    assert not body["personal"] and body["crowdedAddresses"] == []
    assert "Brievenbus" not in str(body)
    companies = next(s for s in body["sections"] if s["key"] == "bedrijven")
    assert companies["rows"][2]["value"] == 1  # one address with many companies: a count


def test_api_key_without_a_personal_data_scope_gets_no_lists(client, place):
    system = system_account(place["gemeente"], role=Role.ANALIST)
    _token, raw = issue_key(system, scopes=[ApiScope.FIGURES_READ])
    response = client.get(API, {"area": place["wijk"].code},
                          HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 200
    assert response.json()["crowdedAddresses"] == []


@pytest.mark.parametrize(("path", "query", "status"), [
    ("", {}, 400), ("", {"area": "WK99"}, 400), ("", {"area": "GM9999"}, 404),
    ("", {"area": "GM0164"}, 403), ("/buffer", {"address": "7511GA 1", "radius": "100000"}, 400),
    ("/buffer", {"address": "1234", "radius": "100"}, 400), ("/buffer", {}, 400),
    ("/buffer", {"address": "9999ZZ 1", "radius": "100"}, 404),
])
def test_api_refusals_are_problems(client, place, path, query, status):
    client.force_login(member(Role.ANALIST, place["gemeente"]))
    response = client.get(API + path, query)
    body = assert_problem(response, status)
    assert body["detail"]
    if status == 400:
        assert invalid_names(response)


def test_page_shows_the_scan_and_refuses_with_a_reason(client, place):
    client.force_login(member(Role.COORDINATOR, place["gemeente"]))
    page = client.get("/gebiedsscan/", {"gebied": place["wijk"].code})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gebouwen naar gebruiksdoel" in text and "<svg" in text
    assert "Brievenbus 0 BV" in text
    refused = client.get("/gebiedsscan/", {"adres": "7511GA 1", "straal": "0"})
    assert refused.status_code == 400
    assert "Geef een straal in hele meters" in refused.content.decode()
    outside = client.get("/gebiedsscan/", {"gebied": "GM0164"})
    assert outside.status_code == 403


def test_page_for_a_mayor_names_no_company(client, place):
    client.force_login(member(Role.BESTUURDER, place["gemeente"]))
    text = client.get("/gebiedsscan/", {"gebied": place["wijk"].code}).content.decode()
    assert "Gebouwen naar gebruiksdoel" in text and "Brievenbus" not in text


def test_report_prints_the_numbers_of_the_api(client, place):
    coordinator = member(Role.COORDINATOR, place["gemeente"])
    client.force_login(coordinator)
    body = client.get(API, {"area": place["wijk"].code}).json()
    year = str(timezone.localdate().year)
    report = reports.generate(coordinator, "gebiedsscan", place["wijk"].code, year, "nl")
    assert report.page_count >= 1 and bytes(report.pdf).startswith(b"%PDF")
    assert "Brievenbus" not in report.html  # a board report: no names
    usage = next(s for s in body["sections"] if s["key"] == "gebruiksdoel")
    for row in usage["rows"]:
        assert f"<th scope=\"row\">{row['label']}</th><td class=\"num\">{row['value']}" \
            in report.html.replace("\n", "")
    assert "ondermijningsbeeld" in report.html


def test_report_refuses_an_area_outside_the_users_municipalities(place):
    from knooppunt.reports.access import UnknownSubject

    coordinator = member(Role.COORDINATOR, place["gemeente"])
    with pytest.raises(UnknownSubject):
        reports.generate(coordinator, "gebiedsscan", "GM0164",
                         str(timezone.localdate().year), "nl")
