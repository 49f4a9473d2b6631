"""The area scan: its numbers against counts made here, its scope, its refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from knooppunt.analytics import areas, areascan
from knooppunt.analytics.areas import AreaError
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.geo.models import District
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.taxonomy.models import SourceType, Theme
from tests.factories import OrganisationFactory, SignalFactory, member, municipality
from tests.registers.factories import (
    ENSCHEDE_X,
    ENSCHEDE_Y,
    AddressFactory,
    CompanyFactory,
    EnergyAnomalyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Enschede with two wijken: buildings, companies, signals in one of them."""
    enschede = municipality("GM0153")
    wijk, other = District.objects.filter(municipality=enschede).order_by("code")[:2]
    today = timezone.localdate()
    gemeente = OrganisationFactory(name="Gemeente Enschede (scan)", municipalities=[enschede])
    # In the wijk: 6 homes (3 old), 2 shops, one crowded address with 5 companies.
    homes = [AddressFactory(district=wijk, usage="woonfunctie",
                            construction_year=1930 if i < 3 else 1990, floor_area=80)
             for i in range(6)]
    shops = [AddressFactory(district=wijk, usage="winkelfunctie", construction_year=2020,
                            floor_area=400) for _ in range(2)]
    for i in range(5):
        CompanyFactory(address=shops[0], sbi_code="4711",
                       registered_on=today - dt.timedelta(days=30 * (i + 1) * 3))
    CompanyFactory(address=homes[0], sbi_code="6820")
    # In the other wijk: 4 homes, one company.
    elsewhere = [AddressFactory(district=other, usage="woonfunctie", construction_year=1960,
                                x_rd=ENSCHEDE_X + 3000) for _ in range(4)]
    CompanyFactory(address=elsewhere[0], sbi_code="4711")
    theme = Theme.objects.get(code="hennepteelt")
    drugs = Theme.objects.exclude(code="hennepteelt").first()
    recent = today - dt.timedelta(days=40)
    for _ in range(7):
        SignalFactory(district=wijk, theme=theme, received_on=recent,
                      reporting_organisation=gemeente, x_rd=ENSCHEDE_X, y_rd=ENSCHEDE_Y)
    for _ in range(2):
        SignalFactory(district=wijk, theme=drugs, received_on=recent,
                      reporting_organisation=gemeente, x_rd=ENSCHEDE_X, y_rd=ENSCHEDE_Y)
    for _ in range(6):
        SignalFactory(district=other, theme=theme, received_on=recent,
                      reporting_organisation=gemeente, x_rd=ENSCHEDE_X + 3000,
                      y_rd=ENSCHEDE_Y)
    # Too old for the 24 months.
    SignalFactory(district=wijk, theme=theme, received_on=today - dt.timedelta(days=900),
                  reporting_organisation=gemeente)
    return {"wijk": wijk, "other": other, "gemeente": gemeente, "homes": homes,
            "shops": shops, "theme": theme, "drugs": drugs, "today": today}


def _row(section, label):
    return next(r for r in section.rows if r.label == label)


def test_wijk_figures_equal_counts_made_here(world):
    analist = member(Role.ANALIST, world["gemeente"])
    found = areascan.scan(analist, areas.resolve(analist, area=world["wijk"].code))
    assert found.addresses == 8
    usage = found.section("gebruiksdoel")
    assert _row(usage, "woonfunctie").value == 6
    assert _row(usage, "winkelfunctie").value == 2
    assert _row(usage, "woonfunctie").rate == 750.0  # 6 of 8 addresses, per 1,000
    years = found.section("bouwjaar")
    assert _row(years, "vóór 1945").value == 3
    assert _row(years, "1975–1994").value == 3
    assert _row(years, "2015 en later").value == 2
    assert _row(found.section("oppervlakte"), "250–999 m²").value == 2
    companies = found.section("bedrijven")
    assert [r.value for r in companies.rows] == [6, 4, 1]  # all, last 12 months, crowded
    sectors = found.section("sbi")
    assert _row(sectors, "G Handel").value == 5
    assert _row(sectors, "L Verhuur van en handel in onroerend goed").value == 1
    themes = found.section("signalen-thema")
    # 2 is below the threshold: hidden with its rate, and the 7 beside it (secondary,
    # else 9 - 7 would give it away).
    drugs = _row(themes, world["drugs"].name)
    assert drugs.value is None and drugs.hidden and drugs.rate is None
    assert _row(themes, world["theme"].name).hidden
    other = areascan.scan(analist, areas.resolve(analist, area=world["other"].code))
    assert _row(other.section("signalen-thema"), world["theme"].name).value == 6
    municipality_rate = _row(themes, world["theme"].name).municipality_rate
    enschede_addresses = found.municipality_addresses
    assert municipality_rate == round(13 / enschede_addresses * 1000, 1)
    grid = found.grid("signalen-thema")
    assert grid.total == 9 and len(grid.quarters) == 8
    assert grid.quarters[0] == f"{found.since.year} K{(found.since.month - 1) // 3 + 1}"
    assert found.crowded[0].companies == 5
    assert found.crowded[0].address == str(world["shops"][0])


def test_buffer_counts_addresses_within_the_radius(world):
    analist = member(Role.ANALIST, world["gemeente"])
    centre = world["homes"][1]
    near = AddressFactory(x_rd=ENSCHEDE_X + 300, y_rd=ENSCHEDE_Y + 300)  # 424 m
    AddressFactory(x_rd=ENSCHEDE_X + 400, y_rd=ENSCHEDE_Y + 400)  # 566 m: outside
    area = areas.resolve(analist, address=f"{centre.postcode} {centre.house_number}",
                         radius="500")
    assert area.kind == "buffer" and area.radius == 500
    found = areascan.scan(analist, area)
    assert found.addresses == 8 + 1  # the wijk's addresses sit on the centre, and `near`
    assert near.x_rd - ENSCHEDE_X == 300
    by_id = areas.resolve(analist, address=centre.nummeraanduiding_id, radius=500)
    assert by_id.centre == (centre.x_rd, centre.y_rd)


def test_area_outside_the_users_municipalities_is_refused(world):
    hengelo = OrganisationFactory(municipalities=[municipality("GM0164")])
    analist = member(Role.ANALIST, hengelo)
    with pytest.raises(AreaError) as refused:
        areas.resolve(analist, area=world["wijk"].code)
    assert refused.value.status == 403
    with pytest.raises(AreaError) as refused:
        areas.resolve(analist, area="GM0153")
    assert refused.value.status == 403


@pytest.mark.parametrize(("kwargs", "status"), [
    ({"area": "GM9999"}, 404), ({"area": "WK999999"}, 404), ({"area": "Enschede"}, 400),
    ({}, 400), ({"area": "GM0153", "address": "7511GA 1"}, 400),
    ({"address": "7511GA 1", "radius": "0"}, 400),
    ({"address": "7511GA 1", "radius": ""}, 400),
    ({"address": "7511GA 1", "radius": "-50"}, 400),
    ({"address": "7511GA 1", "radius": "99999"}, 400),
    ({"address": "9999ZZ 1", "radius": "100"}, 404),
    ({"address": "Oude Markt 1", "radius": "100"}, 400),
])
def test_bad_input_is_refused_with_a_reason(world, kwargs, status):
    analist = member(Role.ANALIST, world["gemeente"])
    with pytest.raises(AreaError) as refused:
        areas.resolve(analist, **kwargs)
    assert refused.value.status == status and refused.value.message


@settings(max_examples=60, deadline=None)
@given(area=st.text(max_size=20), address=st.text(max_size=30),
       radius=st.one_of(st.none(), st.integers(-10**6, 10**6), st.text(max_size=8)))
def test_any_input_is_an_area_or_a_refusal(area, address, radius):
    enschede = municipality("GM0153")
    user = member(Role.ANALIST, OrganisationFactory(municipalities=[enschede]))
    try:
        found = areas.resolve(user, area=area, address=address, radius=radius)
    except AreaError as refused:
        assert refused.status in {400, 403, 404} and refused.message
    else:
        assert found.municipality == enschede


def test_bestuurder_gets_aggregates_only_and_nothing_is_logged(world):
    bestuurder = member(Role.BESTUURDER, world["gemeente"])
    before = ProcessingLogEntry.objects.count()
    found = areascan.scan(bestuurder, areas.resolve(bestuurder, area=world["wijk"].code))
    assert not found.personal and found.crowded == () and found.anomalies == ()
    assert [r.value for r in found.section("bedrijven").rows] == [6, 4, 1]  # counts stay
    assert ProcessingLogEntry.objects.count() == before


def test_named_addresses_and_companies_are_logged(world):
    analist = member(Role.ANALIST, world["gemeente"])
    areascan.scan(analist, areas.resolve(analist, area=world["wijk"].code))
    rows = {r.object_type: set(r.object_ids) for r in
            ProcessingLogEntry.objects.filter(user_id=analist.pk)}
    assert rows["registers.address"] == {str(world["shops"][0].pk)}
    assert len(rows["registers.company"]) == 5


def test_energy_anomalies_only_beside_a_grid_report_the_user_may_open(world):
    netbeheerder = OrganisationFactory(kind=OrganisationKind.NETBEHEERDER,
                                       municipalities=[municipality("GM0153")])
    home = world["homes"][2]
    anomaly = EnergyAnomalyFactory(address=home, reported_on=world["today"]
                                   - dt.timedelta(days=20))
    analist = member(Role.ANALIST, world["gemeente"])
    area = areas.resolve(analist, area=world["wijk"].code)
    assert areascan.scan(analist, area).anomalies == ()
    own = member(Role.MEDEWERKER, netbeheerder)
    SignalFactory(reporting_organisation=netbeheerder, district=world["wijk"],
                  source_type=SourceType.objects.get(code="netbeheerder"),
                  address_register_id=home.nummeraanduiding_id,
                  received_on=world["today"] - dt.timedelta(days=10))
    found = areascan.scan(own, areas.resolve(own, area=world["wijk"].code))
    assert [a.address for a in found.anomalies] == [str(anomaly.address)]
    # The count is an aggregate: 1 is below the threshold for everyone.
    assert found.section("energie").rows[0].hidden


def test_cases_in_a_wijk_are_those_with_a_signal_there(world):
    from knooppunt.cases import services
    from tests.cases.factories import ForumFactory

    enschede = municipality("GM0153")
    coordinator = member(Role.COORDINATOR, world["gemeente"])
    forum = ForumFactory(members=[world["gemeente"]], municipalities=[enschede])
    inside = SignalFactory(district=world["wijk"], reporting_organisation=world["gemeente"],
                           received_on=world["today"])
    outside = SignalFactory(district=world["other"],
                            reporting_organisation=world["gemeente"],
                            received_on=world["today"])
    for i in range(6):
        services.open_case(user=coordinator, signals=[inside], forum=forum,
                           title=f"In de wijk {i}", opened_on=world["today"])
    services.open_case(user=coordinator, signals=[outside], forum=forum, title="Elders",
                       opened_on=world["today"])
    wijk = areascan.scan(coordinator, areas.resolve(coordinator, area=world["wijk"].code))
    whole = areascan.scan(coordinator, areas.resolve(coordinator, area="GM0153"))
    assert wijk.section("casussen").rows[0].value == 6
    assert whole.section("casussen").rows[0].value == 7
    assert wijk.section("casussen").rows[0].municipality_rate == whole.section(
        "casussen").rows[0].rate


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=5), min_size=1,
                max_size=5).filter(lambda m: len({len(r) for r in m}) == 1))
def test_no_withheld_count_of_a_grid_follows_from_the_others(matrix):
    cells, row_totals, column_totals, grand = areascan.suppress_grid(None, matrix)
    full = [list(r) + [sum(r)] for r in matrix]
    full.append([sum(r[j] for r in matrix) for j in range(len(matrix[0]))]
                + [sum(map(sum, matrix))])
    shown = [list(r) + [t] for r, t in zip(cells, row_totals, strict=True)]
    shown.append(list(column_totals) + [grand])
    lines = ([[(i, j) for j in range(len(full[0]))] for i in range(len(full))]
             + [[(i, j) for i in range(len(full))] for j in range(len(full[0]))])
    for line in lines:
        hidden = [full[i][j] for i, j in line if shown[i][j] is None]
        # Withheld members of a line: none, or at least two reaching the threshold
        # together (else one follows from the others), unless the line has no more.
        others = [full[i][j] for i, j in line if shown[i][j] is not None and full[i][j]]
        assert not hidden or (len(hidden) >= 2 and sum(hidden) >= 5) or not others, (
            matrix, shown)
    for i, row in enumerate(full):
        for j, n in enumerate(row):
            if 0 < n < 5:
                assert shown[i][j] is None
            if shown[i][j] is not None:
                assert shown[i][j] == n
