"""Permits and zoning in the area scan where a register adapter provides them: the demo
adapter (offline, synthetic) counted in the area, the municipality and the region, with
source and date; without an adapter the scan says it has none."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.analytics import areas, areascan
from knooppunt.geo.models import District
from knooppunt.organisations.models import Role
from knooppunt.registers.planning import PERMIT_KINDS, DemoPlanningRegister
from tests.factories import OrganisationFactory, member, municipality
from tests.registers.factories import AddressFactory

pytestmark = pytest.mark.django_db
DEMO = "knooppunt.registers.planning.DemoPlanningRegister"
TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def place():
    enschede, hengelo = municipality("GM0153"), municipality("GM0164")
    wijk = District.objects.filter(municipality=enschede).order_by("code").first()
    in_wijk = [AddressFactory(district=wijk, usage="bijeenkomstfunctie" if i % 7 == 0
                              else "woonfunctie") for i in range(300)]
    elsewhere = [AddressFactory(municipality=hengelo, city="Hengelo") for _ in range(200)]
    user = member(Role.ANALIST, OrganisationFactory(municipalities=[enschede]))
    return {"wijk": wijk, "in_wijk": in_wijk, "elsewhere": elsewhere, "user": user}


def _pairs(addresses):
    return [(a.nummeraanduiding_id, a.usage) for a in addresses]


def test_the_demo_adapter_is_the_same_every_time_and_within_the_period():
    adapter = DemoPlanningRegister()
    pairs = [(f"0153200000{n:06d}", "woonfunctie") for n in range(2000)]
    since, until = dt.date(2024, 7, 1), TODAY
    first = adapter.permits_at(pairs, since, until)
    assert first == adapter.permits_at(pairs, since, until)
    assert 20 < len(first) < 400  # a few percent of the addresses
    assert all(since <= p.decided_on <= until and p.kind in PERMIT_KINDS for p in first)
    assert all(p.kind != "exploitatie" for p in first)  # homes are not exploited
    assert "synthetische" in first[0].source


def test_scan_counts_permits_and_zoning_in_area_municipality_and_region(place, settings):
    settings.KNOOPPUNT_PLANNING_REGISTER = DEMO
    area = areas.resolve(place["user"], area=place["wijk"].code)
    scan = areascan.scan(place["user"], area, today=TODAY, log=False)
    assert not any("geen registeradapter" in n for n in scan.notes)
    permits = scan.section("vergunningen")
    adapter = DemoPlanningRegister()
    expected = adapter.permits_at(_pairs(place["in_wijk"]), scan.since, TODAY)
    printed = {r.label: r.value for r in permits.rows}
    for key, label in PERMIT_KINDS.items():
        assert printed[str(label)] == sum(1 for p in expected if p.kind == key)
    assert "synthetische" in permits.source and permits.source_date == dt.date(2025, 1, 1)
    zoning = {r.label: r for r in scan.section("bestemming").rows}
    assert zoning["horeca"].value == sum(1 for i in range(300) if i % 7 == 0)
    # The region holds Hengelo's 200 homes too: its rate differs from the wijk's.
    region_total = sum(r.region_rate or 0 for r in zoning.values())
    assert round(region_total) == 1000  # every address has one function: 1,000 per 1,000


def test_without_an_adapter_the_scan_says_so(place, settings):
    settings.KNOOPPUNT_PLANNING_REGISTER = ""
    area = areas.resolve(place["user"], area=place["wijk"].code)
    scan = areascan.scan(place["user"], area, today=TODAY, log=False)
    assert not any(s.key in ("vergunningen", "bestemming") for s in scan.sections)
    assert any("geen registeradapter" in n for n in scan.notes)


def test_api_and_page_show_the_sections_with_source(client, place, settings):
    settings.KNOOPPUNT_PLANNING_REGISTER = DEMO
    client.force_login(place["user"])
    body = client.get("/api/v1/area-scans", {"area": place["wijk"].code}).json()
    keys = {s["key"]: s for s in body["sections"]}
    assert keys["bestemming"]["source"].startswith("Omgevingsplan")
    assert keys["vergunningen"]["sourceDate"] == "2025-01-01"
    page = client.get("/gebiedsscan/", {"gebied": place["wijk"].code}).content.decode()
    assert "Functie volgens het omgevingsplan" in page and "Omgevingsvergunningen" in page
