"""The demo's rural municipality: five years of findings, its coordinator gets the list
with reasons and a validation, records a visit; the mayor gets counts only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from knooppunt.analytics import vulnerability_service as service
from knooppunt.demo.builder import build_demo
from knooppunt.signals.models import Signal
from knooppunt.visits.models import PlaceVisit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


def test_the_rural_coordinator_works_the_list_and_the_mayor_sees_counts():
    service._CACHE.clear()
    result = build_demo("VR05", scale=0.05, years=1.0, today=TODAY)
    assert result.signals.rural["buildings"] >= 60 and result.signals.rural["cores"] > 1000
    users = get_user_model().objects
    coordinator = users.get(username="coordinator.hof-van-twente")
    membership = coordinator.memberships.get()
    assert (membership.role, membership.organisation.name) == (
        "coordinator", "Gemeente Hof van Twente")
    municipality = membership.organisation.municipalities.get()
    findings = Signal.objects.filter(municipality=municipality, is_synthetic=True,
                                     theme__code__in=service.TARGET_THEMES)
    first = findings.order_by("received_on").first().received_on
    assert first < TODAY - dt.timedelta(days=4 * 365)  # five years, not one
    analysis = service.analyse(coordinator, municipality, TODAY)
    # The density rule keeps the village cores out of the buitengebied.
    assert 0 < len(analysis.places) < analysis.addresses_in_municipality
    assert analysis.validation is not None and analysis.validation.events > 0

    client = Client()
    client.force_login(coordinator)
    body = client.get("/api/v1/vulnerable-places",
                      {"municipality": municipality.code, "limit": 3}).json()
    place = body["results"][0]
    assert place["contributions"] and body["validation"]["scores"]
    response = client.post("/api/v1/vulnerable-places/visits", {
        "place": place["place"], "step": "doorverwezen", "outcome": "coaching",
        "on": dt.date.today().isoformat()}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert PlaceVisit.objects.filter(municipality=municipality).count() == 1

    mayor = users.get(username="burgemeester.enschede")
    client.force_login(mayor)
    assert client.get("/api/v1/vulnerable-places",
                      {"municipality": municipality.code}).status_code == 403
    page = client.get("/kwetsbare-plekken/").content.decode()
    assert place["address"].split(",")[0] not in page
    # Rebuilding the demo replaces the synthetic register, visits at it included.
    build_demo("VR05", scale=0.05, years=1.0, today=TODAY)
    assert not PlaceVisit.objects.exists()
