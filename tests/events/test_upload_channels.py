"""An events file through the existing delivery page and the deliveries API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from knooppunt.events.models import Event
from knooppunt.intake.models import Delivery
from tests.factories import issue_key, system_like

from .conftest import csv_file

pytestmark = pytest.mark.django_db
GOOD = "2025-03-01;14:30;1.1.1;woning;52.2215;6.8937"
SWAPPED = "2025-03-01;14:30;1.1.1;woning;6.8937;52.2215"


def test_upload_page_offers_and_processes_the_events_profile(client, officer, twente):
    client.force_login(officer)
    page = client.get(reverse("intake:list")).content.decode()
    assert twente.profile.name in page
    response = client.post(reverse("intake:list"), {
        "profile": twente.profile.pk, "organisation": twente.organisation.pk,
        "file": SimpleUploadedFile("incidenten.csv", csv_file(GOOD, SWAPPED))})
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    detail = client.get(reverse("intake:detail", args=[delivery.pk])).content.decode()
    assert "lijken verwisseld" in detail and not Event.objects.exists()
    client.post(reverse("intake:list"), {
        "profile": twente.profile.pk, "organisation": twente.organisation.pk,
        "file": SimpleUploadedFile("incidenten.csv", csv_file(GOOD))})
    assert Event.objects.count() == 1


def test_deliveries_api_takes_an_events_file(officer, twente):
    _, key = issue_key(system_like(officer), name="politiesysteem")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post("/api/v1/deliveries", {
        "profile": twente.profile.code,
        "file": SimpleUploadedFile("incidenten.csv", csv_file(GOOD, SWAPPED)),
    }, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "geweigerd"
    assert body["errors"][0]["line"] == 3 and "verwisseld" in body["errors"][0]["reason"]
    # The same key reads the stored events once a good file is in (scope signals:read).
    api.post("/api/v1/deliveries", {"profile": twente.profile.code, "file":
                                    SimpleUploadedFile("i.csv", csv_file(GOOD))},
             format="multipart")
    assert api.get("/api/v1/events").json()["count"] == 1


def test_other_police_unit_is_not_offered_the_profile(client, twente, db):
    from knooppunt.organisations.models import OrganisationKind, Role
    from tests.factories import OrganisationFactory, member

    other = member(Role.ANALIST, organisation=OrganisationFactory(
        kind=OrganisationKind.POLITIE))
    client.force_login(other)
    assert twente.profile.name not in client.get(reverse("intake:list")).content.decode()
