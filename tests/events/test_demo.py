"""The demo's police incidents: delivered through the profile, near register addresses,
re-running replaces them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from knooppunt.events.demo import build_demo_events
from knooppunt.events.models import Event
from knooppunt.geo.models import SafetyRegion
from tests.factories import municipality
from tests.registers.factories import ENSCHEDE_X, ENSCHEDE_Y, AddressFactory

pytestmark = pytest.mark.django_db


def test_demo_incidents(police, officer):
    AddressFactory.create_batch(5)
    enschede = municipality("GM0153")
    orgs = SimpleNamespace(politie=police, region=SafetyRegion.objects.get(code="VR05"),
                           municipalities=[enschede])
    stored = build_demo_events(orgs, years=1, scale=0.2)
    # ~9 per 1,000 inhabitants a year, a fifth: a few hundred for Enschede.
    assert 200 < stored == Event.objects.count() < 600
    assert set(Event.objects.values_list("municipality__code", flat=True)) == {"GM0153"}
    assert {"3.1.1", "2.1.1"} & set(Event.objects.values_list("offence__code", flat=True))
    # Within ~200 m of the register's addresses (the clusters reach 150 m).
    for x, y in Event.objects.values_list("x", "y"):
        assert abs(x - ENSCHEDE_X) < 250 and abs(y - ENSCHEDE_Y) < 250
    assert build_demo_events(orgs, years=1, scale=0.2) == stored  # replaced, not added
    assert Event.objects.count() == stored
