"""Register adapters add companies, officers and addresses; the network and the linkage
records read them back, scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.entities.models import Statement
from knooppunt.entities.network import neighbourhood, person_records
from knooppunt.entities.registers import (
    CompanyExtract,
    Officer,
    Registration,
    add_company,
    person_entity_id,
)
from knooppunt.registers.models import Address

from .factories import case_origin, entity

pytestmark = pytest.mark.django_db

BOSS = Officer("Ruud Hendriks", dt.date(1971, 4, 2), "bestuurder", dt.date(2021, 2, 1))


def _address(number: int) -> str:
    bag = f"01532000000{number:05d}"
    Address.objects.create(
        nummeraanduiding_id=bag, street="Markt", house_number=number, postcode="7511GA",
        city="Enschede", x_rd=0, y_rd=0, latitude=52.2, longitude=6.9,
        source="test", source_date=dt.date(2024, 1, 1))
    return bag


class FakeExtracts:
    def __init__(self, extracts):
        self.extracts = {e.kvk_number: e for e in extracts}

    def extract(self, kvk_number):
        return self.extracts.get(kvk_number)


@pytest.fixture
def hub():
    """One person directing three companies at one address; one company that moved."""
    shared = _address(1)
    moves = [_address(n) for n in (2, 3, 4, 5)]
    extracts = [CompanyExtract(f"1000000{i}", f"Bedrijf {i}", dt.date(2021, 1, 1), "B.V.",
                               (Registration(shared, dt.date(2021, 2, 1)),), (BOSS,))
                for i in range(3)]
    extracts.append(CompanyExtract("20000000", "Verhuizer BV", dt.date(2020, 1, 1), "B.V.", tuple(
        Registration(bag, dt.date(2020 + i, 1, 1), dt.date(2020 + i, 12, 31))
        for i, bag in enumerate(moves))))
    fake = FakeExtracts(extracts)
    for extract in extracts:
        add_company(extract.kvk_number, extracts=fake)
    return shared, moves


def test_a_company_that_moved_has_four_dated_addresses(hub):
    _shared, moves = hub
    found = Statement.objects.filter(entity_id="nl-kvk-20000000", prop="addressEntity")
    assert {(s.value, s.first_seen.year) for s in found} == {
        (f"nl-bag-{bag}", 2020 + i) for i, bag in enumerate(moves)}
    assert {s.origin_id for s in found} == {"kvk"}


def test_the_network_around_the_director(chain, hub):
    boss = person_entity_id(BOSS.name, BOSS.birth_date)
    network = neighbourhood(chain.analist, boss, depth=2)
    companies = {n.id for n in network.nodes if n.schema == "Company"}
    assert companies == {"nl-kvk-10000000", "nl-kvk-10000001", "nl-kvk-10000002"}
    directorships = [e for e in network.edges if e.type == "Directorship"]
    assert {e.target for e in directorships} == companies and len(directorships) == 3
    assert all(e.source == boss and e.provenance[0].supplier == "kvk" for e in directorships)
    registered = {e.source for e in network.edges if e.type == "addressEntity"}
    assert registered == companies  # depth 2: the shared address
    # A medewerker may not read the company register's officers: nothing around.
    assert neighbourhood(chain.medewerker, boss).nodes == ()
    assert neighbourhood(chain.partner, boss).nodes == ()


def test_person_records_for_linkage(chain, case, hub):
    entity("p1", "Person", case_origin(case, chain.gemeente), name="Jan de Vries",
           birthDate="1978-03-12", socialSecurityNumber="111222333")
    records = {r.record_id: r for r in person_records(chain.analist)}
    assert set(records) == {"p1", person_entity_id(BOSS.name, BOSS.birth_date)}
    jan = records["p1"]
    assert (jan.given_names, jan.surname, jan.date_of_birth, jan.bsn, jan.source) == (
        "Jan", "de Vries", "1978-03-12", "111222333", f"org-{chain.gemeente.pk}")
    assert person_records(chain.partner) == []
