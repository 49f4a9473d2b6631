"""The demo has entities: its case subjects, the company register around their addresses,
and a network (one person directing three companies at one address; a company that moved;
a company that lived briefly), so the hub's wijk shows every area pattern. Starts from the
session's Twente demo (tests/shared_demo.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from knooppunt.analytics.areas import resolve
from knooppunt.cases.models import CaseSubject
from knooppunt.entities import area_networks
from knooppunt.entities.area_networks import area_network, area_patterns
from knooppunt.entities.demo import HUB_OFFICER, pattern
from knooppunt.entities.models import Statement
from knooppunt.entities.network import neighbourhood
from knooppunt.entities.registers import person_entity_id
from knooppunt.entities.subjects_bridge import subject_entity_id
from knooppunt.organisations import scope
from knooppunt.registers.models import Address

pytestmark = pytest.mark.django_db


def test_the_demo_network(twente_demo):
    links = CaseSubject.objects.select_related("subject")
    assert links.exists()
    stated = set(Statement.objects.filter(origin_kind="case").values_list("entity_id",
                                                                          flat=True))
    assert {subject_entity_id(link.subject) for link in links} <= stated
    found = pattern()
    assert found is not None
    analyst = get_user_model().objects.get(username="analist.riec")
    boss = person_entity_id(HUB_OFFICER.name, HUB_OFFICER.birth_date)
    network = neighbourhood(analyst, boss, depth=2)
    companies = {n.id for n in network.nodes if n.schema == "Company"}
    assert companies == {f"nl-kvk-{k}" for k in found.hub_companies}
    assert f"nl-bag-{found.hub_address}" in {n.id for n in network.nodes}
    moves = Statement.objects.filter(entity_id=f"nl-kvk-{found.mover}", prop="addressEntity")
    assert moves.values("value").distinct().count() == 4
    # The hub address is a case's address: the case reaches the companies.
    hub_cases = Statement.objects.filter(entity_id=f"nl-bag-{found.hub_address}",
                                         origin_kind="case")
    assert hub_cases.exists()
    # The hub's wijk shows every area pattern (decision 0055).
    hub = Address.objects.select_related("district").get(nummeraanduiding_id=found.hub_address)
    assert hub.district is not None
    # As the analyst sees it outside a case (decision 0054): pseudonyms, dates to the
    # month; the short-lived company (200 days) is still short-lived at month precision.
    area = resolve(analyst, area=hub.district.code)
    shown_area, real_of = area_networks.shown(analyst, area_network(analyst, area))
    assert all(n.attributes.get("pseudonymised") for n in shown_area.network.nodes)
    assert HUB_OFFICER.name not in {n.label for n in shown_area.network.nodes}
    patterns = area_patterns(shown_area)
    assert [real_of[p.address] for p in patterns.crowded] == [f"nl-bag-{found.hub_address}"]
    assert f"nl-kvk-{found.mover}" in [real_of[p.company] for p in patterns.movers]
    assert [real_of[p.company] for p in patterns.short_lived] == [
        f"nl-kvk-{found.short_lived}"]
    assert all(p.incorporated.day == p.dissolved.day == 1 for p in patterns.short_lived)
    assert (boss, 3) in [(real_of[p.officer], len(p.companies)) for p in patterns.officers]
    partner = get_user_model().objects.filter(
        memberships__organisation__kind="woningcorporatie").first()
    assert partner is not None and not scope.entities_for(partner).exists()
    before = Statement.objects.count()
    twente_demo.rebuild()
    assert Statement.objects.count() == before  # rebuilt, not piled up
