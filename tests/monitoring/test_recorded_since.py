"""Decision 0021: a period that begins before Knooppunt has records of a source is no
data (`Figure.incomplete`), never 0, never suppressed, and no change is computed
against it. The first record is the data's own (these tests ask `records_from_data`).

The world: signals begin on 1 December 2023 (as in the demo): 6 hennep signals in
Enschede that December, 30 in 2024 (Enschede) and 12 in Hengelo in 2024.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knooppunt.monitoring import memo, queries
from knooppunt.monitoring.benchmark import ensure_peer_groups
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.models import AreaLevel, Indicator, IndicatorValue, Target
from tests.cases.factories import CaseFactory
from tests.monitoring.conftest import add_signals

pytestmark = pytest.mark.django_db
HENNEP = "signalen-hennepteelt"
TOTAL = "signalen-totaal"
FIRST = dt.date(2023, 12, 1)


@pytest.fixture
def since_december(db, records_from_data):
    add_signals(6, day=FIRST)
    for month in range(1, 13):
        add_signals(2 if month % 2 else 3, day=dt.date(2024, month, 15))  # 30 in 2024
        add_signals(1, day=dt.date(2024, month, 16), code="GM0164")
    compute_all(force=True, codes=[HENNEP, TOTAL, "signalen-drugsdump"])


def test_recorded_since_is_the_first_signal_received(since_december, coordinator):
    assert queries.recorded_since(coordinator, HENNEP) == FIRST
    # The same day for every signal indicator: the source, not the filter.
    assert queries.recorded_since(coordinator, "signalen-drugsdump") == FIRST
    # Published statistics have no such bound.
    assert queries.recorded_since(coordinator, "misdrijven-totaal-maand") is None


def test_a_year_that_holds_only_the_first_month_is_no_data_not_its_partial_count(
        since_december, coordinator):
    # The stored row of 2023 holds December's 6: the engine must not show it as the year.
    stored = IndicatorValue.objects.get(
        indicator__code=HENNEP, area_level=AreaLevel.MUNICIPALITY, area_code="GM0153",
        period_type="jaar", period_start=dt.date(2023, 1, 1))
    assert stored.value == 6
    year = queries.values(coordinator, HENNEP, "gemeente", "jaar", dt.date(2023, 1, 1))[0]
    assert (year.value, year.incomplete, year.suppressed, year.per_1000) == (
        None, True, False, None)
    whole = queries.values(coordinator, HENNEP, "gemeente", "jaar", dt.date(2024, 1, 1))[0]
    assert (whole.value, whole.incomplete) == (30, False)


def test_a_series_over_periods_before_the_first_record_yields_incomplete_figures(
        since_december, coordinator):
    years = queries.series(coordinator, HENNEP, "gemeente", "GM0153", "jaar",
                           dt.date(2021, 1, 1), dt.date(2024, 12, 31))
    assert [(f.period.start.year, f.value, f.incomplete) for f in years] == [
        (2021, None, True), (2022, None, True), (2023, None, True), (2024, 30, False)]
    assert not any(f.suppressed for f in years)
    months = queries.series(coordinator, HENNEP, "gemeente", "GM0153", "maand",
                            dt.date(2023, 10, 1), dt.date(2024, 1, 31))
    assert [(f.period.start, f.value, f.incomplete) for f in months] == [
        (dt.date(2023, 10, 1), None, True), (dt.date(2023, 11, 1), None, True),
        (dt.date(2023, 12, 1), 6, False), (dt.date(2024, 1, 1), None, False)]
    assert months[-1].suppressed  # January's 2 is a small count: that is suppression
    quarters = queries.series(coordinator, HENNEP, "gemeente", "GM0153", "kwartaal",
                              dt.date(2023, 10, 1), dt.date(2024, 3, 31))
    assert [f.incomplete for f in quarters] == [True, False]  # Q4 2023 began in October


def test_a_theme_without_signals_after_the_first_record_counts_zero(since_december,
                                                                    coordinator):
    """Global per source: no drug dump in 2024 is a real 0, not "no data"."""
    dumps = queries.values(coordinator, "signalen-drugsdump", "gemeente", "jaar",
                           dt.date(2024, 1, 1))[0]
    assert (dumps.value, dumps.incomplete) == (0, False)
    before = queries.values(coordinator, "signalen-drugsdump", "gemeente", "jaar",
                            dt.date(2023, 1, 1))[0]
    assert (before.value, before.incomplete) == (None, True)


def test_breakdown_target_and_key_figures_of_a_year_before_the_first_record(
        since_december, coordinator):
    rows = queries.breakdown(coordinator, HENNEP, "veiligheidsregio", "VR05", "jaar",
                             dt.date(2023, 1, 1))
    assert rows and all(f.incomplete and f.value is None and not f.suppressed for f in rows)
    indicator = Indicator.objects.get(code=HENNEP)
    for year in (2023, 2024):
        Target.objects.create(indicator=indicator, area_level=AreaLevel.MUNICIPALITY,
                              area_code="GM0153", year=year, value=20)
    early = queries.target_status(coordinator, HENNEP, "gemeente", "GM0153", 2023)
    assert (early.realised, early.realised_incomplete, early.realised_suppressed,
            early.met, early.share_of_target) == (None, True, False, None, None)
    judged = queries.target_status(coordinator, HENNEP, "gemeente", "GM0153", 2024)
    assert (judged.realised, judged.realised_incomplete, judged.met) == (30, False, True)
    key = queries.key_figures(coordinator, "GM0153", 2024, [HENNEP])[0]
    assert key.current.value == 30 and key.previous.incomplete
    assert key.change_percent is None  # never "+400%" against December alone


def test_benchmark_and_ranking_have_no_rates_for_a_year_before_the_first_record(
        since_december, coordinator, hengelo_org):
    ensure_peer_groups()
    early = queries.benchmark(coordinator, HENNEP, "GM0153", 2023)
    assert early.incomplete and early.index is None and early.group_average is None
    assert all(m.per_1000 is None for m in early.members)
    assert not queries.benchmark(coordinator, HENNEP, "GM0153", 2024).incomplete
    ranking = queries.ranking(coordinator, [HENNEP], "veiligheidsregio", "VR05", 2023)
    assert ranking.incomplete == (HENNEP,)
    assert all(r.ranks[HENNEP] is None and r.values[HENNEP] is None for r in ranking.rows)


def test_displacement_before_the_first_record_is_not_computed(since_december, coordinator):
    result = queries.displacement(coordinator, HENNEP, "GM0153",
                                  (dt.date(2023, 6, 1), dt.date(2023, 12, 31)),
                                  (dt.date(2024, 1, 1), dt.date(2024, 6, 30)))
    assert result.counts["target_before"] is None and result.wdq is None
    assert "voordat Knooppunt" in result.interpretation


def test_cases_have_their_own_first_record(since_december, coordinator):
    CaseFactory(opened_on=dt.date(2024, 3, 4))
    compute_all(force=True, codes=["casussen-geopend"])
    assert queries.recorded_since(coordinator, "casussen-geopend") == dt.date(2024, 3, 4)
    months = queries.series(coordinator, "casussen-geopend", "gemeente", "GM0153", "maand",
                            dt.date(2024, 1, 1), dt.date(2024, 4, 30))
    assert [f.incomplete for f in months] == [True, True, True, False]
    # Signals were recorded in January 2024: their month is a figure.
    assert not queries.series(coordinator, HENNEP, "gemeente", "GM0153", "maand",
                              dt.date(2024, 1, 1), dt.date(2024, 1, 31))[0].incomplete


def test_without_any_record_every_period_is_no_data(db, records_from_data, coordinator):
    CaseFactory(opened_on=dt.date(2024, 3, 4))  # a case, but no signal at all
    compute_all(force=True, codes=[HENNEP])
    found = queries.values(coordinator, HENNEP, "gemeente", "jaar", dt.date(2024, 1, 1))[0]
    assert (found.value, found.incomplete) == (None, True)


def test_the_first_record_is_read_once_per_request(since_december, coordinator):
    with memo.active(), CaptureQueriesContext(connection) as captured:
        for year in (2022, 2023, 2024):
            queries.series(coordinator, HENNEP, "gemeente", "GM0153", "maand",
                           dt.date(year, 1, 1), dt.date(year, 12, 31))
            queries.values(coordinator, TOTAL, "gemeente", "jaar", dt.date(year, 1, 1))
    first_reads = [q["sql"] for q in captured.captured_queries
                   if "MIN(" in q["sql"].upper() and "received_on" in q["sql"]]
    assert len(first_reads) == 1


def test_api_series_says_incomplete_and_gives_no_value(since_december, coordinator, client):
    client.force_login(coordinator)
    response = client.get(f"/api/v1/indicators/{HENNEP}/series", {
        "area": "GM0153", "periodType": "jaar",
        "start": "2022-01-01", "end": "2024-12-31"})
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    results = body["results"] if isinstance(body, dict) else body
    assert [(r["value"], r["incomplete"]) for r in results] == [
        (None, True), (None, True), (30, False)]
