"""The forecasting core (no Django): metrics, baselines, panel, leakage, refusals, choice.

The panel, the leakage check and a full backtest run on both engines (`make_engine`,
tests/analytics/conftest.py): the core's SQL is the subset DuckDB and Spark share."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from knooppunt.analytics.engine import DuckDBEngine
from knooppunt.analytics.forecasts import (
    ALLOWED_FEATURES,
    BASE_FEATURES,
    METRIC_DEFINITIONS,
    EventTable,
    ForbiddenFeature,
    ForecastRefused,
    backtest,
    baselines,
    choose,
    month_index,
    month_label,
    score,
)
from knooppunt.analytics.forecasts.backtest import BacktestResult, MonthResult, predict
from knooppunt.analytics.forecasts.features import FeatureMaker, MissingSource, check_features
from knooppunt.analytics.forecasts.metrics import cells_for
from knooppunt.analytics.forecasts.model import LEARNED, top_contributions
from knooppunt.analytics.hotspots import TooManyCells, grid_over

AREA = box(0, 0, 2000, 2000)  # 8 x 8 cells of 250 m
START = month_index(2017, 1)

counts = st.lists(st.integers(0, 20), min_size=1, max_size=200)


# ------------------------------------------------------------------ metrics


@settings(max_examples=200, deadline=None)
@given(data=st.data(), share=st.floats(0.001, 1.0))
def test_metric_bounds(data, share):
    actual = np.array(data.draw(counts), dtype=float)
    forecast = np.array(data.draw(st.lists(st.floats(0, 100), min_size=actual.size,
                                           max_size=actual.size)))
    result = score(forecast, actual, share)
    if actual.sum() == 0:
        assert result.hit_rate is None and result.pai is None and result.pei is None
        return
    area = result.cells / actual.size
    assert 0 <= result.hit_rate <= 1 + 1e-12
    assert 0 <= result.pei <= 1 + 1e-12
    assert 0 <= result.pai <= 1 / area + 1e-9
    assert math.isclose(result.pai * area, result.hit_rate, rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), a=st.floats(0.001, 1.0), b=st.floats(0.001, 1.0))
def test_hit_rate_never_falls_as_the_area_grows(data, a, b):
    actual = np.array(data.draw(counts), dtype=float)
    forecast = np.array(data.draw(st.lists(st.integers(0, 3), min_size=actual.size,
                                           max_size=actual.size)), dtype=float)
    small, large = sorted((a, b))
    assert (score(forecast, actual, small).hits
            <= score(forecast, actual, large).hits + 1e-9)


@settings(max_examples=100, deadline=None)
@given(actual=counts, share=st.floats(0.001, 1.0))
def test_the_perfect_forecast_has_pei_one(actual, share):
    actual = np.array(actual, dtype=float)
    if actual.sum():
        assert score(actual, actual, share).pei == pytest.approx(1.0)


def test_hand_computed_metrics_and_ties():
    actual = np.array([5, 3, 0, 0, 2, 0, 0, 0, 0, 0], dtype=float)  # N = 10
    forecast = np.array([9, 0, 0, 0, 7, 0, 0, 0, 0, 0], dtype=float)
    s = score(forecast, actual, 0.2)  # 2 cells: the cells holding 5 and 2
    assert (s.cells, s.hits, s.hit_rate) == (2, 7.0, 0.7)
    assert s.pai == pytest.approx(3.5) and s.pei == pytest.approx(7 / 8)
    # A forecast that cannot tell cells apart scores exactly what chance scores: PAI 1.
    flat = score(np.zeros(10), actual, 0.3)
    assert flat.hits == pytest.approx(3.0) and flat.pai == pytest.approx(1.0)
    # Tied at the cut: one of two tied cells holding 3 and 0 is chosen: 1.5 expected.
    tied = score(np.array([9, 1, 1, 0, 0, 0, 0, 0, 0, 0.0]), actual, 0.2)
    assert tied.hits == pytest.approx(5 + 1.5)
    assert cells_for(0.01, 10_000) == 100 and cells_for(0.05, 10) == 1


def test_the_definitions_are_data_in_both_languages():
    assert set(METRIC_DEFINITIONS) >= {"hit_rate", "pai", "pei"}
    assert all(text["nl"] and text["en"] for text in METRIC_DEFINITIONS.values())


# ------------------------------------------------------------------ baselines, panel


def test_baselines_on_a_hand_made_panel():
    panel = np.zeros((3, 14))
    panel[0, -1] = 4  # last month
    panel[1, 0:2] = 7  # older than 12 months: not in the 12-month baseline
    panel[1, 5] = 1
    panel[2, 3:14] = 1  # 11 of the last 12 months
    assert baselines.last_month(panel).tolist() == [4, 0, 1]
    assert baselines.last_12_months(panel).tolist() == [4, 1, 11]


def test_kde_baseline_peaks_where_the_events_were_and_keeps_their_number():
    grid = grid_over(AREA, 250, crs="EPSG:0")
    x = np.full(30, 1125.0)
    y = np.full(30, 1125.0)  # the centre of cell row 4, column 4
    density = baselines.kde_12_months(grid, x, y, bandwidth=600)
    assert grid.locate(np.array([1125.0]), np.array([1125.0]))[0] == int(np.argmax(density))
    assert density.sum() * 0.0625 == pytest.approx(30)  # per km² x 0.0625 km² per cell


def _table(rows: list[tuple[float, float, int]]) -> pa.Table:
    x, y, month = zip(*rows, strict=True) if rows else ((), (), ())
    return pa.table({"x": pa.array(x, pa.float64()), "y": pa.array(y, pa.float64()),
                     "month": pa.array(month, pa.int32())})


def test_the_engine_counts_the_panel_per_cell_and_month(make_engine):
    grid = grid_over(box(0, 0, 500, 500), 250, crs="EPSG:0")  # 2 x 2 cells
    with make_engine() as engine:
        engine.register("ev", _table([(10, 10, 5), (20, 20, 5), (260, 10, 6), (10, 260, 7),
                                      (900, 900, 6), (10, 10, 9)]))
        panel = EventTable(engine, "ev").panel(grid, 5, 8)
    # Cells in row-major order from the south-west: (0,0), (0,1), (1,0), (1,1).
    assert panel.tolist() == [[2, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]


# ------------------------------------------------------------------ synthetic events


def _synthetic(months: int, seed: int = 1) -> list[tuple[float, float, int]]:
    """Stable hot cells plus a little noise everywhere, over `months` months."""
    rng = np.random.default_rng(seed)
    grid = grid_over(AREA, 250, crs="EPSG:0")
    rate = np.full(grid.n_cells, 0.15)
    rate[[3, 20, 21, 45]] = [4.0, 3.0, 2.0, 5.0]
    x0, y0 = grid.corners()
    rows = []
    for m in range(months):
        season = 1 + 0.3 * math.sin(2 * math.pi * m / 12)
        n = rng.poisson(rate * season)
        for cell in np.flatnonzero(n):
            for _ in range(n[cell]):
                rows.append((x0[cell] + rng.uniform(0, 250), y0[cell] + rng.uniform(0, 250),
                             START + m))
    return rows


def _predict(rows, origin, make_engine=lambda: DuckDBEngine(threads=1), **options):
    grid = grid_over(AREA, 250, crs="EPSG:0")
    with make_engine() as engine:
        engine.register("ev", _table(rows))
        return predict(EventTable(engine, "ev"), grid, origin, **options)


def test_the_forecast_month_never_enters_training_or_features(make_engine):
    rows = _synthetic(40)
    origin = START + 30
    before = _predict(rows, origin, make_engine)
    # Change the future completely: drop the months from the origin on, add a flood there.
    past = [r for r in rows if r[2] < origin]
    flood = [(1900.0, 1900.0, m) for m in range(origin, START + 40) for _ in range(50)]
    after = _predict(past + flood, origin, make_engine)
    assert set(before.forecasts) == set(after.forecasts) >= {LEARNED, "kde_12_months"}
    for method, values in before.forecasts.items():
        assert np.array_equal(values, after.forecasts[method]), method
    # And the check is not vacuous: a change in the month before the origin does show.
    nudged = _predict(past + flood + [(1900.0, 1900.0, origin - 1)] * 20, origin, make_engine)
    assert not np.array_equal(nudged.forecasts[LEARNED], before.forecasts[LEARNED])


def test_features_of_a_month_read_only_earlier_months():
    grid = grid_over(AREA, 250, crs="EPSG:0")
    panel = np.random.default_rng(3).poisson(1.0, (grid.n_cells, 30)).astype(float)
    # The history features (those of other sources: test_source_features_never_read...).
    maker = FeatureMaker(grid, panel, START, BASE_FEATURES)
    changed = panel.copy()
    changed[:, 20:] += 7
    other = FeatureMaker(grid, changed, START, BASE_FEATURES)
    assert np.array_equal(maker.rows(20), other.rows(20))
    assert not np.array_equal(maker.rows(21), other.rows(21))


def test_the_learned_model_finds_stable_hot_cells_and_explains_them(make_engine):
    rows = _synthetic(42)
    grid = grid_over(AREA, 250, crs="EPSG:0")
    with make_engine() as engine:
        engine.register("ev", _table(rows))
        events = EventTable(engine, "ev")
        result = backtest(events, lambda origin: grid, [START + 30 + i for i in range(12)])
        prediction = predict(events, grid, START + 42)
    assert result.mean(LEARNED, 0.05, "pai") > 5  # the 4 hot cells are 6 % of the area
    assert len(result.months) == 12 and result.methods[-1] == LEARNED
    contributions = prediction.fitted.explain(prediction.features_now)
    assert contributions.shape == (grid.n_cells, len(prediction.fitted.features))
    hottest = int(np.argmax(prediction.forecasts[LEARNED]))
    top = top_contributions(contributions[[hottest]], prediction.fitted.features)[0]
    assert top[0][1] > 0  # what drove the hottest cell pushed it up


# ------------------------------------------------------------------ refusals


def test_too_little_history_is_refused_with_the_reason_in_dutch():
    rows = _synthetic(30)
    with pytest.raises(ForecastRefused) as refused:
        _predict(rows, START + 20)
    assert refused.value.code == "too_little_history"
    assert "Te weinig geschiedenis: 20 maanden" in refused.value.message_nl
    assert month_label(START + 20) in refused.value.message_en


def test_too_few_events_are_refused():
    rows = [(100.0, 100.0, START + m) for m in range(0, 30, 3)]
    with pytest.raises(ForecastRefused) as refused:
        _predict(rows, START + 30)
    assert refused.value.code == "too_few_events"


@pytest.mark.parametrize(("name", "person"), [("nationality", True), ("inkomen_bewoner", True),
                                               ("parking_spaces", False)])
def test_features_off_the_allow_list_are_refused(name, person):
    with pytest.raises(ForbiddenFeature) as refused:
        check_features(["lag_1", name])
    assert refused.value.names == [name] and refused.value.person_data is person
    with pytest.raises(ForbiddenFeature):
        _predict(_synthetic(30), START + 26, features=("lag_1", name))


def test_too_many_cells_and_too_few_months_are_refused():
    with pytest.raises(TooManyCells):
        grid_over(box(0, 0, 100_000, 100_000), 250, crs="EPSG:0", max_cells=10_000)
    grid = grid_over(AREA, 250, crs="EPSG:0")
    with DuckDBEngine(threads=1) as engine:
        engine.register("ev", _table(_synthetic(40)))
        with pytest.raises(ForecastRefused) as refused:
            backtest(EventTable(engine, "ev"), lambda o: grid, [START + 30, START + 31])
    assert refused.value.code == "too_few_months"


# ------------------------------------------------------------------ the choice


def _result(learned: list[float], best: list[float], other: list[float]) -> BacktestResult:
    from knooppunt.analytics.forecasts.metrics import Score

    def s(pai: float) -> dict:
        return {0.05: Score(0.05, 5, 10, pai * 0.5, pai * 0.05, pai, 0.5)}

    months = [MonthResult(START + i, 10, 100,
                          {"last_month": s(o), "last_12_months": s(b), "kde_12_months": s(o),
                           LEARNED: s(a)})
              for i, (a, b, o) in enumerate(zip(learned, best, other, strict=True))]
    return BacktestResult(months, ("last_month", "last_12_months", "kde_12_months", LEARNED),
                          1, ("lag_1",))


def test_the_learned_model_is_shown_only_when_it_wins_9_of_12_by_5_percent():
    base = [4.0] * 12
    low = [2.0] * 12
    shown = choose(_result([4.8] * 9 + [3.9] * 3, base, low))
    assert shown.learned_shown and shown.method == LEARNED and shown.wins == 9
    eight = choose(_result([5.0] * 8 + [3.9] * 4, base, low))
    assert not eight.learned_shown and eight.method == "last_12_months"
    assert "8 van 12 maanden (nodig 9)" in eight.reason_nl
    small_gain = choose(_result([4.1] * 12, base, low))
    assert small_gain.wins == 12 and not small_gain.learned_shown
    assert small_gain.best_baseline == "last_12_months" and "+2.5%" in small_gain.reason_en


# ------------------------------------------------------------------ features of other sources


def _facts(rows: list[tuple[float, float, int]], floor_area: list[float | None] | None = None
           ) -> pa.Table:
    table = _table(rows)
    if floor_area is not None:
        table = table.append_column("floor_area", pa.array(floor_area, pa.float64()))
    return table


SOURCE_ONLY = ("lag_1", "other_lag_1", "other_lag_12", "incidents_lag_12", "buildings",
               "floor_area", "vacant_share", "companies", "new_companies_12")


def _predict_with(rows, sources: dict[str, pa.Table], origin, make_engine, **options):
    grid = grid_over(AREA, 250, crs="EPSG:0")
    with make_engine() as engine:
        engine.register("ev", _table(rows))
        covariates = {}
        for name, table in sources.items():
            engine.register(f"cov_{name}", table)
            covariates[name] = EventTable(engine, f"cov_{name}")
        return predict(EventTable(engine, "ev"), grid, origin, covariates=covariates,
                       **options)


def _sources(months: int, seed: int) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    other = [(float(rng.uniform(0, 2000)), float(rng.uniform(0, 2000)), START + int(m))
             for m in rng.integers(0, months, 600)]
    # Buildings from long ago up to the end; a third vacant; companies registered over time.
    built = [(float(rng.uniform(0, 2000)), float(rng.uniform(0, 2000)),
              START - 200 + int(m)) for m in rng.integers(0, 200 + months, 300)]
    vacant = built[::3]
    companies = [(x, y, START + int(m)) for (x, y, _), m in
                 zip(built[::2], rng.integers(-24, months, len(built[::2])), strict=True)]
    return {"other": _facts(other), "incidents": _facts(other[::2]),
            "buildings": _facts(built, [float(a) for a in rng.integers(50, 900, len(built))]),
            "vacant": _facts(vacant), "companies": _facts(companies)}


def test_source_features_never_read_the_forecast_month_or_later(make_engine):
    rows = _synthetic(40)
    origin = START + 30
    sources = _sources(40, seed=5)
    before = _predict_with(rows, sources, origin, make_engine, features=SOURCE_ONLY)
    # Every source changed from the origin on: rows dated in the forecast month or later
    # dropped, and a flood of new registrations, incidents and vacancies added there.
    changed = {}
    for name, table in sources.items():
        kept = table.filter(pa.compute.less(table.column("month"), origin))
        flood = [(1100.0, 1100.0, m) for m in range(origin, START + 45) for _ in range(30)]
        extra = _facts(flood, [5000.0] * len(flood) if "floor_area" in table.column_names
                       else None)
        changed[name] = pa.concat_tables([kept, extra])
    after = _predict_with(rows, changed, origin, make_engine, features=SOURCE_ONLY)
    assert np.array_equal(before.features_now, after.features_now)
    assert np.array_equal(before.forecasts[LEARNED], after.forecasts[LEARNED])
    # Not vacuous: a company registered and a building vacant in the month before the
    # origin do change the forecast month's features.
    nudged = dict(changed)
    for name in ("companies", "vacant", "other"):
        nudged[name] = pa.concat_tables([changed[name],
                                         _facts([(1100.0, 1100.0, origin - 1)] * 5)])
    later = _predict_with(rows, nudged, origin, make_engine, features=SOURCE_ONLY)
    differs = ~np.all(later.features_now == after.features_now, axis=0)
    assert {SOURCE_ONLY[j] for j in np.flatnonzero(differs)} == {
        "other_lag_1", "other_lag_12", "vacant_share", "companies", "new_companies_12"}


def test_the_engine_counts_what_was_known_before_each_month(make_engine):
    grid = grid_over(box(0, 0, 500, 500), 250, crs="EPSG:0")  # 2 x 2 cells
    table = _facts([(10, 10, 2), (20, 20, 5), (260, 10, 6), (10, 260, 9), (900, 900, 3)],
                   [100.0, 50.0, None, 7.0, 1.0])
    with make_engine() as engine:
        engine.register("b", table)
        facts = EventTable(engine, "b")
        known = facts.known(grid, 5, 8)
        area = facts.known(grid, 5, 8, "sum(CAST(floor_area AS DOUBLE))")
    # Columns: known before months 5, 6, 7, 8; month 2 folds into the first, month 9 unread.
    assert known.tolist() == [[1, 2, 2, 2], [0, 0, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0]]
    assert area.tolist()[0] == [100, 150, 150, 150] and area.tolist()[1] == [0, 0, 0, 0]


def test_share_of_vacant_buildings_and_missing_sources():
    grid = grid_over(box(0, 0, 500, 500), 250, crs="EPSG:0")
    panel = np.zeros((4, 14))
    buildings = np.zeros((4, 15))
    buildings[0] = 4
    vacant = np.zeros((4, 15))
    vacant[0, 13:] = 1
    maker = FeatureMaker(grid, panel, START, ("buildings", "vacant_share"), sources={
        ("buildings", "count(*)"): buildings, ("vacant", "count(*)"): vacant})
    assert maker.rows(14)[:, 1].tolist() == [0.25, 0, 0, 0]  # no building: share 0
    assert maker.rows(12)[:, 1].tolist() == [0, 0, 0, 0]
    with pytest.raises(MissingSource) as missing:
        FeatureMaker(grid, panel, START, ("lag_1", "companies"), sources={})
    assert missing.value.table == "companies"
    # Toronto has no registers: asking for them without the table is refused before a fit.
    with pytest.raises(MissingSource):
        _predict(_synthetic(30), START + 26, features=("lag_1", "buildings"))


def test_every_allowed_feature_is_described_in_both_languages():
    from knooppunt.analytics.forecasts.features import FEATURE_DESCRIPTIONS, SOURCE_FEATURES

    assert set(SOURCE_FEATURES) <= ALLOWED_FEATURES == set(FEATURE_DESCRIPTIONS)
    assert all(text["nl"] and text["en"] for text in FEATURE_DESCRIPTIONS.values())
    for name in ("owner_age", "bewoner_nationaliteit", "buildings_income"):
        with pytest.raises(ForbiddenFeature) as refused:
            check_features(["buildings", name])
        assert refused.value.person_data
