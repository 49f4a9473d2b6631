"""The delivery page (upload, history, report, progress) and the delivery API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.intake.examples import example_rows, to_csv
from knooppunt.intake.models import Delivery
from knooppunt.organisations.models import Role
from knooppunt.signals.models import Signal
from tests.factories import OrganisationFactory, issue_key, member, system_like

pytestmark = pytest.mark.django_db


def upload(client, partner, rows, name="lijst.csv"):
    return client.post(reverse("intake:list"), {
        "profile": _profile_pk("politie-hennep"), "organisation": partner.pk,
        "file": SimpleUploadedFile(name, to_csv(rows)),
    })


def _profile_pk(code):
    from knooppunt.intake.models import DeliveryProfile

    return DeliveryProfile.objects.get(code=code).pk


def test_upload_page_report_and_history(client, deliverer, partner):
    client.force_login(deliverer)
    assert client.get(reverse("intake:list")).status_code == 200
    rows = example_rows("politie-hennep", 6, bad_rows=2)
    rows[3][8] = "<script>alert(1)</script>"
    response = upload(client, partner, rows)
    delivery = Delivery.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("intake:detail", args=[delivery.pk])).content.decode()
    assert "geweigerd" in page.lower() or "Geweigerd" in page
    assert "<script>alert(1)" not in page
    assert Signal.objects.count() == 0
    progress = client.get(reverse("intake:progress", args=[delivery.pk]), HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    listing = client.get(reverse("intake:list")).content.decode()
    assert "lijst.csv" in listing


def test_other_organisations_deliveries_are_hidden(client, deliverer, partner):
    client.force_login(deliverer)
    upload(client, partner, example_rows("politie-hennep", 3))
    delivery = Delivery.objects.get()
    outsider = member(Role.ANALIST, organisation=OrganisationFactory())
    client.force_login(outsider)
    assert client.get(reverse("intake:detail", args=[delivery.pk])).status_code == 404
    assert "lijst.csv" not in client.get(reverse("intake:list")).content.decode()
    chief = member(Role.BESTUURDER, organisation=partner)
    client.force_login(chief)
    assert client.get(reverse("intake:list")).status_code == 403


def test_api_delivery_create_and_read(deliverer, partner):
    _, key = issue_key(system_like(deliverer), name="partnersysteem")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = to_csv(example_rows("politie-hennep", 4))
    response = api.post("/api/v1/deliveries", {
        "profile": "politie-hennep", "file": SimpleUploadedFile("lijst.csv", data),
    }, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["accepted"], body["errors"]) == ("verwerkt", 4, [])
    read = api.get(f"/api/v1/deliveries/{body['id']}")
    assert read.status_code == 200 and read.json()["checksum"] == body["checksum"]
    assert ProcessingLogEntry.objects.filter(channel="api", action="view").exists()
    other = OrganisationFactory()
    refused = api.post("/api/v1/deliveries", {
        "profile": "politie-hennep", "organisation": other.pk,
        "file": SimpleUploadedFile("lijst.csv", data),
    }, format="multipart")
    assert refused.status_code == 403
    outsider = member(Role.ANALIST, organisation=other)
    _, other_key = issue_key(system_like(outsider), name="ander systeem")
    api.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
    assert api.get(f"/api/v1/deliveries/{body['id']}").status_code == 404


def test_api_reports_bad_lines(deliverer, partner):
    _, key = issue_key(system_like(deliverer), name="partnersysteem")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = to_csv(example_rows("politie-hennep", 6, bad_rows=2))
    body = api.post("/api/v1/deliveries", {
        "profile": "politie-hennep", "file": SimpleUploadedFile("x.csv", data),
    }, format="multipart").json()
    assert body["status"] == "geweigerd" and body["rejected"] == 2
    assert {e["line"] for e in body["errors"]} and all(e["reason"] for e in body["errors"])
    assert api.post("/api/v1/deliveries", {"profile": "onbekend"},
                    format="multipart").status_code == 400


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=1500), profile=st.sampled_from(["politie-hennep", "mma", "x"]),
       name=st.sampled_from(["a.csv", "a.xlsx", "<b>.csv", ""]))
def test_api_never_crashes_on_any_file(deliverer, partner, data, profile, name):
    _, key = issue_key(system_like(deliverer), name="fuzz")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    before = Signal.objects.count()
    response = api.post("/api/v1/deliveries", {
        "profile": profile, "file": SimpleUploadedFile(name or "x", data),
    }, format="multipart")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 201 and response.json()["status"] != "verwerkt":
        assert Signal.objects.count() == before


def test_queued_delivery_page_polls_for_progress(client, deliverer, partner, settings):
    settings.KNOOPPUNT_INLINE_IMPORT_BYTES = 10
    client.force_login(deliverer)
    upload(client, partner, example_rows("politie-hennep", 3))
    delivery = Delivery.objects.get()
    assert delivery.status == "wachtend"
    page = client.get(reverse("intake:detail", args=[delivery.pk])).content.decode()
    assert f'hx-get="{reverse("intake:progress", args=[delivery.pk])}"' in page
    partial = client.get(reverse("intake:progress", args=[delivery.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in partial
