"""The synthetic national dataset: inside the real boundaries, every municipality, clustered,
seasonal, deterministic by seed (analytics/synthetic_national.py, decision 0051)."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
import shapely

from knooppunt.analytics.forecasts import month_index
from knooppunt.analytics.synthetic_national import THEMES, generate, municipalities

START = month_index(2019, 1)


@pytest.fixture(scope="module")
def places():
    return municipalities()


@pytest.fixture(scope="module")
def events(places, tmp_path_factory):
    path = tmp_path_factory.mktemp("national") / "events.parquet"
    assert generate(path, 200_000, places, start=START, n_months=36, seed=7) == 200_000
    return path


def test_all_342_municipalities_get_events_inside_their_boundary(places, events):
    table = pq.read_table(events)
    assert len(places) == 342
    assert set(table.column("municipality").to_pylist()) == {p.code for p in places}
    for place in places:
        mine = table.filter(pc.equal(table.column("municipality"), place.code))
        inside = shapely.contains_xy(place.geometry, mine.column("x").to_numpy(),
                                     mine.column("y").to_numpy())
        assert inside.all(), place.code


def test_months_days_and_themes_are_consistent(events):
    table = pq.read_table(events)
    month = table.column("month").to_numpy()
    assert month.min() == START and month.max() == START + 35
    days = table.column("day").to_numpy().astype("datetime64[M]").astype(np.int64)
    assert np.array_equal(days + 1970 * 12, month)  # the day lies in its month
    assert set(table.column("theme").to_pylist()) <= set(THEMES)


def test_events_are_clustered_and_seasonal(events):
    table = pq.read_table(events)
    x, y = table.column("x").to_numpy(), table.column("y").to_numpy()
    cells = np.unique(np.floor(x / 250) * 1e6 + np.floor(y / 250), return_counts=True)[1]
    busiest = np.sort(cells)[::-1]
    # A tenth of the occupied cells hold far more than a tenth of the events.
    assert busiest[: busiest.size // 10].sum() > 0.4 * busiest.sum()
    month_of_year = table.column("month").to_numpy() % 12
    summer = np.isin(month_of_year, [5, 6, 7]).sum()
    winter = np.isin(month_of_year, [11, 0, 1]).sum()
    assert summer > 1.3 * winter


def test_the_same_seed_gives_the_same_file_and_another_seed_another(places, tmp_path):
    paths = [tmp_path / f"{i}.parquet" for i in range(3)]
    for path, seed in zip(paths, (7, 7, 8), strict=True):
        generate(path, 20_000, places, start=START, n_months=36, seed=seed)
    first, again, other = (pq.read_table(p) for p in paths)
    assert first.equals(again)
    assert not first.equals(other)
