"""Decision 0013, the three small-count leaks in the figures: sums of a few records,
a hidden month worked out from the year, a hidden municipality worked out from its
region. Each test shows the leak is closed for the roles that see aggregates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from knooppunt.cases.models import InterventionType
from knooppunt.geo.models import Municipality
from knooppunt.monitoring import queries
from knooppunt.monitoring.benchmark import ensure_peer_groups
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.models import Indicator, IndicatorValue, Target
from knooppunt.organisations import scope
from knooppunt.organisations.models import OrganisationKind, Role
from tests.cases.factories import InterventionFactory
from tests.factories import OrganisationFactory, member, municipality

from .conftest import add_signals

pytestmark = pytest.mark.django_db
HENNEP = "signalen-hennepteelt"
AMOUNT = "afgepakt-bedrag"
HOURS = "uren-inzet"
MAY = dt.date(2025, 5, 1)
YEAR = dt.date(2025, 1, 1)


def recover(amounts, *, day=MAY, code="GM0153"):
    """One finished 'afpakken' intervention per amount, in the case's municipality."""
    from tests.cases.factories import CaseFactory

    kind = InterventionType.objects.get(code="afpakken")
    for amount in amounts:
        InterventionFactory(case=CaseFactory(municipality=municipality(code)), type=kind,
                            status="afgerond", ended_on=day,
                            amount_recovered=Decimal(amount), hours_spent=Decimal("12.5"))
    compute_all(codes=[AMOUNT, HOURS])


# ---------------------------------------------------------------- 1. sums


def test_the_job_stores_how_many_records_make_up_a_sum_at_every_level():
    recover(["1000", "2000"])
    recover(["500"], day=dt.date(2025, 6, 3))
    amount = Indicator.objects.get(code=AMOUNT)

    def support(level, code, period_type, start):
        return IndicatorValue.objects.get(indicator=amount, area_level=level, area_code=code,
                                          period_type=period_type, period_start=start).support

    assert support("gemeente", "GM0153", "maand", MAY) == 2
    assert support("gemeente", "GM0153", "kwartaal", dt.date(2025, 4, 1)) == 3
    assert support("gemeente", "GM0153", "jaar", YEAR) == 3
    assert support("veiligheidsregio", "VR05", "jaar", YEAR) == 3
    assert support("land", "NL01", "jaar", YEAR) == 3
    # counts need none: their value is the number
    assert not IndicatorValue.objects.filter(indicator__code="casussen-geopend",
                                             support__isnull=False).exists()


@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.COORDINATOR, Role.ANALIST])
def test_a_sum_of_a_few_records_is_hidden_in_every_read(enschede_org, role):
    user = member(role, enschede_org)
    recover(["250000"])  # one case: its amount must not show
    Target.objects.create(indicator=Indicator.objects.get(code=AMOUNT), area_level="gemeente",
                          area_code="GM0153", year=2025, value=100000, riec_section="overig")
    for code in (AMOUNT, HOURS):
        for period_type, start in (("maand", MAY), ("jaar", YEAR)):
            figure = queries.values(user, code, "gemeente", period_type, start)[0]
            assert figure.value is None and figure.suppressed
        month = next(f for f in queries.series(user, code, "gemeente", "GM0153", "maand")
                     if f.period.start == MAY)
        assert month.value is None and month.suppressed
        assert all(f.value is None for f in queries.breakdown(
            user, code, "veiligheidsregio", "VR05", "jaar", YEAR) if f.area.code == "GM0153")
    status = queries.target_status(user, AMOUNT, "gemeente", "GM0153", 2025)
    assert status.realised is None and status.realised_suppressed and status.met is None
    key = next(k for k in queries.key_figures(user, "GM0153", 2025) if k.indicator.code == AMOUNT)
    assert key.current.value is None and key.current.suppressed
    ensure_peer_groups()
    own = next(m for m in queries.benchmark(user, AMOUNT, "GM0153", 2025).members
               if m.area.code == "GM0153")
    assert own.per_1000 is None and own.index is None


def test_a_sum_of_enough_records_is_shown(coordinator):
    threshold = django_settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    recover(["100"] * threshold)
    figure = queries.values(coordinator, AMOUNT, "gemeente", "maand", MAY)[0]
    assert figure.value == pytest.approx(100 * threshold) and not figure.suppressed
    hours = queries.values(coordinator, HOURS, "gemeente", "jaar", YEAR)[0]
    assert hours.value == pytest.approx(12.5 * threshold)


def test_a_sum_stored_without_support_stays_hidden_until_recomputed(coordinator):
    recover(["100"] * 10)
    IndicatorValue.objects.filter(indicator__code=AMOUNT).update(support=None)
    assert queries.values(coordinator, AMOUNT, "gemeente", "jaar", YEAR)[0].suppressed
    compute_all(force=True, codes=[AMOUNT])
    assert queries.values(coordinator, AMOUNT, "gemeente", "jaar", YEAR)[0].value == 1000


def test_api_and_export_hide_the_sum(client, enschede_org):
    from django.urls import reverse

    from .test_api import client_for

    mayor = member(Role.BESTUURDER, enschede_org)
    recover(["250000"])
    body = client_for(mayor).get(f"/api/v1/indicators/{AMOUNT}/values",
                                 {"level": "gemeente", "periodType": "jaar",
                                  "period": "2025-01-01"}).json()
    assert [(r["value"], r["suppressed"]) for r in body["results"]] == [(None, True)]
    client.force_login(mayor)
    response = client.get(reverse("dashboards:municipality", args=["GM0153"]),
                          {"jaar": 2025, "indicator": AMOUNT, "export": "csv", "tabel": "kaart"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "250000" not in text and "250.000" not in text and "<5" in text


# ---------------------------------------------------------------- 2. months of a year


def test_one_hidden_month_cannot_be_worked_out_from_the_year(figures, mayor):
    # Enschede 2024: 12 in January, 2 in February; the year (14) is shown.
    year = queries.values(mayor, HENNEP, "gemeente", "jaar", dt.date(2024, 1, 1))[0]
    assert year.value == 14
    months = queries.series(mayor, HENNEP, "gemeente", "GM0153", "maand",
                            start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1))
    shown = sum(f.value for f in months if f.value is not None)
    hidden = [f for f in months if f.value is None]
    assert len(hidden) >= 2  # February and the next smallest non-empty month
    assert year.value - shown >= django_settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD


def test_a_part_of_a_year_is_suppressed_with_the_whole_year(figures, mayor):
    # Asking only for January must not show the 12 that reveals February's 2.
    january = queries.series(mayor, HENNEP, "gemeente", "GM0153", "maand",
                             start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 1))
    assert [f.period.start for f in january] == [dt.date(2024, 1, 1)]
    assert january[0].value is None and january[0].suppressed


def test_quarters_are_suppressed_together_too(figures, mayor):
    quarters = queries.series(mayor, HENNEP, "gemeente", "GM0153", "kwartaal",
                              start=dt.date(2024, 1, 1), end=dt.date(2024, 10, 1))
    # Q1 holds all 14: nothing small to hide, so it shows.
    assert [f.value for f in quarters] == [14, 0, 0, 0]


def test_a_month_on_the_map_is_hidden_when_its_series_hides_it(figures, mayor):
    jan = queries.values(mayor, HENNEP, "gemeente", "maand", dt.date(2024, 1, 1))[0]
    assert jan.value is None and jan.suppressed


def test_a_quarter_does_not_reveal_the_small_hidden_months_of_another(mayor):
    # 2 + 4 in Q1, 1 + 1 in Q3: Q1 alone would be safe (6 over two hidden months), but
    # then year (8) - Q1 (6) - Q2 - Q4 gives Q3's 2. So Q1 is hidden as well.
    for day, n in ((dt.date(2024, 1, 3), 2), (dt.date(2024, 2, 3), 4),
                   (dt.date(2024, 7, 3), 1), (dt.date(2024, 8, 3), 1)):
        add_signals(n, day=day)
    compute_all(force=True, codes=[HENNEP])
    quarters = queries.series(mayor, HENNEP, "gemeente", "GM0153", "kwartaal",
                              start=dt.date(2024, 1, 1), end=dt.date(2024, 10, 1))
    assert [f.value for f in quarters] == [None, 0, None, 0]
    q1 = queries.values(mayor, HENNEP, "gemeente", "kwartaal", dt.date(2024, 1, 1))[0]
    assert q1.suppressed
    assert queries.values(mayor, HENNEP, "gemeente", "jaar", dt.date(2024, 1, 1))[0].value == 8


def test_a_year_series_is_not_secondary_suppressed(figures, mayor):
    years = queries.series(mayor, HENNEP, "gemeente", "GM0153", "jaar")
    assert [f.value for f in years if f.period.start.year == 2024] == [14]


# ---------------------------------------------------------------- 3. rest of the region


@pytest.fixture
def twente_but_hengelo(db):
    """An organisation serving every municipality of Twente (VR05) except Hengelo."""
    codes = list(Municipality.objects.filter(safety_region__code="VR05")
                 .exclude(code="GM0164").values_list("code", flat=True))
    return OrganisationFactory(name="Regio Twente min Hengelo", kind=OrganisationKind.GEMEENTE,
                               municipalities=[municipality(c) for c in codes])


def test_the_rest_of_the_region_is_a_cell_in_the_suppression(twente_but_hengelo):
    user = member(Role.BESTUURDER, twente_but_hengelo)
    add_signals(12, day=dt.date(2024, 1, 10))  # Enschede
    add_signals(3, day=dt.date(2024, 1, 12), code="GM0164")  # Hengelo, out of scope
    compute_all(force=True, codes=[HENNEP])
    region = queries.values(user, HENNEP, "veiligheidsregio", "maand", dt.date(2024, 1, 1))
    # Decision 0026: the region beside Enschede's 12 would give Hengelo's 3 by one
    # subtraction, so the region's January is hidden itself (before, only the breakdown
    # took the rest into account and the region showed 15).
    assert region[0].value is None and region[0].suppressed
    rows = queries.breakdown(user, HENNEP, "veiligheidsregio", "VR05", "maand",
                             dt.date(2024, 1, 1))
    assert "GM0164" not in {f.area.code for f in rows}
    enschede = next(f for f in rows if f.area.code == "GM0153")
    assert enschede.value in (None, 12)
    assert django_settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD == 5


def test_a_large_rest_hides_nothing_more(twente_but_hengelo):
    user = member(Role.BESTUURDER, twente_but_hengelo)
    add_signals(12, day=dt.date(2024, 1, 10))
    add_signals(8, day=dt.date(2024, 1, 12), code="GM0164")
    compute_all(force=True, codes=[HENNEP])
    rows = queries.breakdown(user, HENNEP, "veiligheidsregio", "VR05", "maand",
                             dt.date(2024, 1, 1))
    assert next(f for f in rows if f.area.code == "GM0153").value == 12


@settings(max_examples=300, deadline=None)
@given(counts=st.lists(st.integers(0, 30), min_size=1, max_size=8),
       rest=st.integers(0, 30))
def test_no_hidden_cell_nor_the_rest_can_be_derived(counts, rest):
    threshold = django_settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    shown = scope.suppress_breakdown(None, counts, rest=rest)
    assert len(shown) == len(counts)
    assert all(s is None or s == c for c, s in zip(counts, shown, strict=True))
    hidden = [c for c, s in zip(counts, shown, strict=True) if s is None] + (
        [rest] if rest else [])  # the rest is never shown
    small = [c for c in counts + [rest] if 0 < c < threshold]
    if small:
        nonzero = len([c for c in counts + [rest] if c])
        # total - shown = sum(hidden): never one small cell alone, never a small sum
        assert len(hidden) >= 2 or len(hidden) == nonzero
        assert sum(hidden) >= threshold or len(hidden) == nonzero


def test_an_alert_on_a_sum_never_shows_the_amount(mayor):
    from knooppunt.monitoring.models import Alert

    Alert.objects.create(indicator=Indicator.objects.get(code=AMOUNT), area_level="gemeente",
                         area_code="GM0153", period_type="maand", period_start=MAY,
                         method="poisson", observed=250000, expected=1000, statistic=0.001,
                         threshold=0.01, history_periods=12,
                         reason="Afgepakt bedrag: 250000 tegen 1000 verwacht.")
    found = queries.alerts(mayor, "gemeente", "GM0153")
    assert [(a.observed, "250000" in a.reason) for a in found] == [(None, False)]
