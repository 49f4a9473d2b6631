"""Need-to-know: who sees which statements and entities (rules in entities.querysets)."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.entities.models import Statement
from knooppunt.entities.services import Provenance, retract
from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role

from ..factories import OrganisationFactory, member, municipality
from .factories import case_origin, entity, register_origin

pytestmark = pytest.mark.django_db


def _ids(user) -> set[str]:
    return set(scope.entities_for(user).values_list("pk", flat=True))


@pytest.fixture
def world(chain, case):
    entity("p1", "Person", case_origin(case, chain.gemeente), name="Jan de Vries")
    entity("nl-kvk-12345678", "Company", register_origin("kvk"), name="Hennep BV")
    entity("nl-bag-1", "Address", register_origin("bag"), full="Markt 1, Enschede")
    return chain


def test_a_seat_at_the_table_sees_the_case_facts(world):
    assert _ids(world.coordinator) == {"p1", "nl-kvk-12345678", "nl-bag-1"}
    assert {"p1", "nl-bag-1"} <= _ids(world.medewerker)


def test_partners_bestuurders_and_other_municipalities_see_nothing(world):
    hengelo = OrganisationFactory(name="Gemeente Hengelo (test)",
                                  municipalities=[municipality("GM0164")])
    elsewhere = member(Role.ANALIST, hengelo)
    partner_analyst = member(Role.ANALIST, world.corporatie)
    for user in (world.partner, partner_analyst, world.mayor):
        assert _ids(user) == set()
        assert not scope.statements_for(user).exists()
    # Another municipality's analyst reads the public registers, never the case's person.
    assert "p1" not in _ids(elsewhere)


def test_a_partner_does_not_see_even_what_it_supplied(chain, case):
    entity("p2", "Person", case_origin(case, chain.corporatie), name="Huurder")
    assert _ids(member(Role.COORDINATOR, chain.corporatie)) == set()
    assert "p2" in _ids(chain.coordinator)


def test_registers_by_role(world):
    # A medewerker reads addresses; company officers are for analysts and coordinators.
    assert "nl-kvk-12345678" not in _ids(world.medewerker)
    assert "nl-kvk-12345678" in _ids(world.analist)


def test_clearance_caps_every_statement(chain, case):
    secret = Provenance(origin_kind="case", origin_id=str(case.pk), legal_basis="t",
                        organisation_id=chain.gemeente.pk, first_seen=dt.date(2025, 3, 5),
                        last_seen=dt.date(2025, 3, 5), confidentiality=Confidentiality.RIEC)
    entity("p3", "Person", secret, name="Geheim")
    assert "p3" in _ids(chain.analist)
    assert "p3" not in _ids(chain.medewerker)


def test_a_signal_origin_follows_the_signal(chain):
    signal = chain.signals[0]
    origin = Provenance(origin_kind="signal", origin_id=str(signal.pk), legal_basis="t",
                        organisation_id=chain.politie.pk)
    entity("p4", "Person", origin, name="Melder ziet")
    assert "p4" in _ids(chain.medewerker)  # the gemeente reported the signal
    assert "p4" not in _ids(member(Role.MEDEWERKER, OrganisationFactory(
        kind=OrganisationKind.POLITIE, name="Andere politie")))


def test_a_retracted_value_is_not_a_current_fact(world):
    wrong = Statement.objects.get(entity_id="p1")
    retract(wrong, user=world.coordinator, reason="andere persoon")
    assert not scope.current_statements_for(world.coordinator).filter(entity_id="p1").exists()
    assert "p1" not in _ids(world.coordinator)
    assert scope.statements_for(world.coordinator).filter(entity_id="p1").count() == 2


def test_hidden_counts_only_where_the_user_may_know(chain, case):
    from knooppunt.entities.network import neighbourhood

    from ..cases.factories import CaseFactory

    hidden_case = CaseFactory()  # not at the gemeente's table
    entity("secret", "Company", case_origin(hidden_case, hidden_case.owner), name="Geheim")
    entity("p1", "Person", case_origin(case, chain.gemeente), name="Jan")
    # The gemeente's own case says Jan directs "secret": the link is theirs to know.
    entity("d1", "Directorship", case_origin(case, chain.gemeente), director="p1",
           organization="secret")
    # Another case, hidden from the gemeente, says Jan owns "secret" too: not counted.
    entity("o1", "Ownership", case_origin(hidden_case, hidden_case.owner), owner="p1",
           asset="secret")
    seen = neighbourhood(chain.coordinator, "p1")
    assert [n.id for n in seen.nodes] == ["p1"] and seen.edges == ()
    assert seen.hidden_ends == 1
    owner = member(Role.COORDINATOR, hidden_case.owner)
    hidden_case.owner.kind = OrganisationKind.GEMEENTE
    hidden_case.owner.save()
    theirs = neighbourhood(owner, "p1")
    assert theirs.nodes == () and theirs.hidden_ends == 0  # p1 is not theirs to see
