"""Who reads police incidents (decision 0037): a matrix over roles, kinds and covenants,
the same answer from the list API and from `event_points`, aggregates for bestuurders."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.events.points import event_points
from knooppunt.intake.submit import submit
from knooppunt.organisations import scope
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from knooppunt.taxonomy.models import SourceType
from tests.factories import CovenantFactory, OrganisationFactory, member, municipality

from .conftest import csv_file

pytestmark = pytest.mark.django_db

ENSCHEDE = "2025-03-01;;1.1.1;;52.2215;6.8937"
HENGELO = "2025-03-02;;3.1.1;;52.2659;6.7931"
TORONTO = "2016-05-01;3;Assault;Outside;Alderwood;43.6099;-79.5521"


@pytest.fixture
def world(police, officer, twente, toronto):
    for dataset, data in ((twente, csv_file(ENSCHEDE, HENGELO)), (toronto, csv_file(
            TORONTO, header="occurred_on,hour,offence,premises_type,neighbourhood,lat,lon\n"
            .replace(",", ";")))):
        delivery = submit(profile=dataset.profile, organisation=police, user=officer,
                          data=data, filename="x.csv", inline=True)
        assert delivery.accepted, list(delivery.errors.all())
    enschede = OrganisationFactory(name="Gemeente Enschede", kind=OrganisationKind.GEMEENTE,
                                   municipalities=[municipality("GM0153")])
    other_city = OrganisationFactory(name="Gemeente Almelo", kind=OrganisationKind.GEMEENTE,
                                     municipalities=[municipality("GM0141")])
    grid = OrganisationFactory(name="Netbeheerder", kind=OrganisationKind.NETBEHEERDER,
                               municipalities=[municipality("GM0153")])
    riec = OrganisationFactory(name="RIEC", kind=OrganisationKind.RIEC,
                               municipalities=[municipality("GM0153"), municipality("GM0164")])
    # The RIEC covenant shares every source, the police's included; the grid operator is a
    # party to a covenant naming the police source too, and still reads no incidents.
    CovenantFactory(parties=[police, enschede, riec], max_confidentiality=Confidentiality.RIEC)
    CovenantFactory(parties=[police, grid], max_confidentiality=Confidentiality.RIEC,
                    source_types=SourceType.objects.filter(code="politie"))
    CovenantFactory(parties=[police, other_city], max_confidentiality=Confidentiality.RIEC,
                    valid_until=dt.date(2023, 12, 31))  # expired
    return {
        "politie analist": officer,
        "politie medewerker": member(Role.MEDEWERKER, organisation=police),
        "enschede analist": member(Role.ANALIST, organisation=enschede),
        "enschede medewerker": member(Role.MEDEWERKER, organisation=enschede),
        "enschede bestuurder": member(Role.BESTUURDER, organisation=enschede),
        "almelo analist": member(Role.ANALIST, organisation=other_city),
        "netbeheerder": member(Role.ANALIST, organisation=grid),
        "riec analist": member(Role.ANALIST, organisation=riec),
        "beheerder": member(Role.BEHEERDER, organisation=riec),
    }


# user -> (codes of the Twente events read, Toronto events read)
EXPECTED = {
    "politie analist": ({"1.1.1", "3.1.1"}, 1),
    "politie medewerker": ({"1.1.1", "3.1.1"}, 1),
    "enschede analist": ({"1.1.1"}, 0),       # only its own municipality
    "enschede medewerker": ({"1.1.1"}, 0),    # vertrouwelijk is within a medewerker's reach
    "enschede bestuurder": (set(), 0),        # aggregates only
    "almelo analist": (set(), 0),             # covenant expired
    "netbeheerder": (set(), 0),               # a partner never reads police incidents
    "riec analist": ({"1.1.1", "3.1.1"}, 0),  # both municipalities it serves
    "beheerder": (set(), 0),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_scope_matrix(world, twente, toronto, who):
    user = world[who]
    codes, toronto_count = EXPECTED[who]
    assert set(scope.events_for(user).filter(dataset=twente)
               .values_list("offence__code", flat=True)) == codes
    assert scope.events_for(user).filter(dataset=toronto).count() == toronto_count
    # The function the hotspot analysis calls gives the same rows.
    table = event_points(user, twente)
    assert set(table["code"].to_pylist()) == codes


def test_riec_level_dataset_is_hidden_from_medewerkers(world, twente):
    twente.confidentiality = Confidentiality.RIEC
    twente.save()
    for who in ("enschede medewerker", "politie medewerker"):
        assert not scope.events_for(world[who]).filter(dataset=twente).exists()
    assert scope.events_for(world["enschede analist"]).filter(dataset=twente).count() == 1


def test_bestuurder_gets_aggregates_of_own_municipalities(world, twente):
    table = event_points(world["enschede bestuurder"], twente, aggregate=True)
    assert table["code"].to_pylist() == ["1.1.1"]
    assert scope.suppress_small(world["enschede bestuurder"], table.num_rows) is None


def test_event_points_filters_and_states_the_crs(world, twente, toronto):
    user = world["politie analist"]
    table = event_points(user, "toronto-mci")
    assert table.schema.metadata[b"crs"] == b"EPSG:2952" and table.num_rows == 1
    # MTM zone 10: false easting 304,800 m at 79.5° W; Alderwood lies ~4 km west of it.
    assert 295_000 < table["x"][0].as_py() < 302_000
    assert 4_825_000 < table["y"][0].as_py() < 4_835_000
    assert event_points(user, twente, codes=["3.1.1"])["code"].to_pylist() == ["3.1.1"]
    assert event_points(user, twente, start=dt.date(2025, 3, 2)).num_rows == 1
    assert event_points(user, twente, end=dt.date(2025, 2, 28)).num_rows == 0
    assert event_points(user, "bestaat-niet").num_rows == 0
    x = event_points(user, twente)["x"].to_numpy()
    assert x.dtype.kind == "f" and len(x) == 2
