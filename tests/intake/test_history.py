"""Decision 0007: a delivered signal's registration is shown, not stored per signal.

The signal page and the API must show the same facts as before (from '' to ontvangen, when,
by whom, note), and later status changes after it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from knooppunt.intake.examples import example_file, example_rows
from knooppunt.intake.models import DeliveryProfile
from knooppunt.intake.submit import submit
from knooppunt.signals import services
from knooppunt.signals.models import Signal, StatusChange
from tests.factories import issue_key, system_like

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(deliverer, partner):
    data, name = example_file("politie-hennep", example_rows("politie-hennep", 3))
    submit(profile=DeliveryProfile.objects.get(code="politie-hennep"), organisation=partner,
           user=deliverer, data=data, filename=name)
    return Signal.objects.filter(reporting_organisation=partner).order_by("pk").first()


def test_page_shows_registration_then_stored_changes(client, deliverer, delivered):
    services.change_status(user=deliverer, signal=delivered, to_status="in_behandeling",
                           note="Opgepakt door het team")
    delivered.refresh_from_db()
    entries = delivered.status_history
    assert [(e.from_status, e.to_status) for e in entries] == [
        ("", "ontvangen"), ("ontvangen", "in_behandeling")]
    assert entries[0].changed_at <= entries[1].changed_at
    client.force_login(deliverer)
    html = client.get(reverse("signals:detail", args=[delivered.reference])).content.decode()
    table = html[html.index("history-caption"):]
    assert table.index("Geregistreerd via aanlevering") < table.index("Opgepakt door het team")
    # Who registered it, as a stored row would show (escaped: names like 's Gravensande).
    assert escape(deliverer.get_full_name() or deliverer.username) in table


def test_api_history_has_the_registration(deliverer, delivered):
    _, key = issue_key(system_like(deliverer), name="partnersysteem")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = api.get(f"/api/v1/signals/{delivered.reference}").json()
    assert [(h["fromStatus"], h["toStatus"], h["note"]) for h in body["history"]] == [
        ("", "ontvangen", "Geregistreerd via aanlevering")]
    listed = api.get("/api/v1/signals").json()
    assert all(item["history"][0]["toStatus"] == "ontvangen" for item in listed["results"])


def test_a_stored_registration_is_not_shown_twice(deliverer, partner):
    from django.utils import timezone

    from tests.factories import SignalFactory

    signal = SignalFactory(reporting_organisation=partner)
    StatusChange.objects.create(
        signal=signal, from_status="", to_status="ontvangen", changed_at=timezone.now(),
        changed_by=deliverer, note="Via formulier")
    assert [e.note for e in Signal.objects.get(pk=signal.pk).status_history] == ["Via formulier"]
