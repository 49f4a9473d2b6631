"""Bestuurlijke rapportage light as a report: made from the signal's page or the API by a
coordinator or case worker of the municipality only, confidential on every page, listed
and opened only for its maker, every make, view and download logged."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.reports import services
from knooppunt.reports.access import NoAccess, UnknownSubject
from knooppunt.reports.models import GeneratedReport
from tests.cases.conftest import chain  # noqa: F401 - fixture
from tests.reports.gather.test_gather_brl import notice  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
KIND = "bestuurlijke-rapportage-light"


def _pdf_pages(report) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(bytes(report.pdf))).pages]


def _make(user, signal):
    from django.utils import timezone

    return services.generate(user, KIND, str(signal.pk), str(timezone.localdate().year))


def test_report_holds_the_notice_and_is_confidential_on_every_page(chain, notice):  # noqa: F811
    signal, case, earlier, near = notice
    report = _make(chain.coordinator, signal)
    assert report.audience == "confidential" and report.subject_kind == "signaal"
    pages = _pdf_pages(report)
    assert report.page_count == len(pages) >= 2
    assert all("VERTROUWELIJK" in page for page in pages)
    text = " ".join(pages)
    for expected in (signal.reference, "Hennepkwekerij 300 planten", "Kweek BV (test)",
                     earlier.reference, near.reference, case.reference, "13b voorbereiden",
                     "art. 13b Opiumwet", "Wet Bibob", "Integrale aanpak"):
        assert expected in text, expected
    assert "Vertrouwelijk" in report.html and "report--confidential" in report.html
    assert "Hennepkwekerij 300 planten" in report.html and case.reference in report.html


def test_english_report(chain, notice):  # noqa: F811
    from django.utils import timezone

    report = services.generate(chain.medewerker, KIND, str(notice[0].pk),
                               str(timezone.localdate().year), language="en")
    pages = _pdf_pages(report)
    assert all("CONFIDENTIAL" in page for page in pages)
    assert "What has been done" in " ".join(pages) and "Confidential" in report.html


def test_only_coordinators_and_case_workers_of_the_municipality(chain, notice):  # noqa: F811
    signal = notice[0]
    with pytest.raises(NoAccess):  # a bestuurder sees no personal data: the kind is refused
        _make(chain.mayor, signal)
    for user in (chain.analist, chain.partner):  # they see the signal, not this report
        with pytest.raises((UnknownSubject, NoAccess)):
            _make(user, signal)
    assert not GeneratedReport.objects.exists()


def test_signal_page_offers_it_and_makes_it(client, chain, notice):  # noqa: F811
    signal = notice[0]
    page_url = reverse("signals:detail", args=[signal.reference])
    client.force_login(chain.coordinator)
    page = client.get(page_url)
    assert "Bestuurlijke rapportage maken" in page.content.decode()
    made = client.post(reverse("reports:signal", args=[signal.pk]))
    report = GeneratedReport.objects.get()
    assert made.status_code == 302 and made.url == reverse("reports:detail", args=[report.pk])
    shown = client.get(made.url).content.decode()
    assert "Vertrouwelijk" in shown and signal.reference in shown
    assert client.get(reverse("reports:pdf", args=[report.pk]))["Content-Type"] == \
        "application/pdf"
    actions = list(ProcessingLogEntry.objects.filter(
        object_type="reports.generatedreport").order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "view", "export"]


@pytest.mark.parametrize("who, status", [("mayor", 403), ("analist", 404), ("partner", 404)])
def test_others_get_no_button_and_are_refused(client, chain, notice, who, status):  # noqa: F811
    signal = notice[0]
    client.force_login(getattr(chain, who))
    page = client.get(reverse("signals:detail", args=[signal.reference]))
    if page.status_code == 200:
        assert "Bestuurlijke rapportage maken" not in page.content.decode()
    assert client.post(reverse("reports:signal", args=[signal.pk])).status_code == status
    api = APIClient()
    api.force_authenticate(getattr(chain, who))
    answer = api.post("/api/v1/reports", {"kind": KIND, "area": str(signal.pk),
                                          "period": "2025"}, format="json")
    assert answer.status_code == status
    assert not GeneratedReport.objects.exists()


def test_the_button_is_a_post_with_csrf(chain, notice):  # noqa: F811
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(chain.coordinator)
    assert client.get(reverse("reports:signal", args=[notice[0].pk])).status_code == 405
    assert client.post(reverse("reports:signal", args=[notice[0].pk])).status_code == 403
    assert not GeneratedReport.objects.exists()


def test_never_in_another_users_list_nor_readable_by_them(client, chain, notice):  # noqa: F811
    report = _make(chain.coordinator, notice[0])
    assert [r.pk for r in services.readable(chain.coordinator)] == [report.pk]
    colleague = chain.medewerker  # may make one too, but not read this one
    assert services.readable(colleague) == []
    client.force_login(colleague)
    for name in ("reports:detail", "reports:pdf", "reports:print"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(colleague)
    assert api.get("/api/v1/reports").json()["results"] == []
    assert api.get(f"/api/v1/reports/{report.pk}").status_code == 404
    assert api.get(f"/api/v1/reports/{report.pk}/pdf").status_code == 404


def test_made_through_the_api_by_a_case_worker(chain, notice):  # noqa: F811
    api = APIClient()
    api.force_authenticate(chain.medewerker)
    answer = api.post("/api/v1/reports", {"kind": KIND, "area": str(notice[0].pk),
                                          "period": "2025"}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["audience"] == "confidential"
    pdf = api.get(answer.json()["pdfUrl"])
    assert pdf.status_code == 200 and bytes(pdf.content).startswith(b"%PDF")
