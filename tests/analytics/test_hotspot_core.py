"""The hotspot core (no Django): grid, counts, density, Gi* against esda, FDR, emerging."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import false_discovery_control, kendalltau
from shapely import affinity
from shapely.geometry import Polygon, box

from knooppunt.analytics.hotspots import (
    DISTANCE_BAND,
    GAUSSIAN,
    QUARTIC,
    QUEEN,
    EmptyArea,
    TooManyCells,
    Weights,
    analyse,
    gi_star,
    grid_over,
    kernel_density,
)
from knooppunt.analytics.hotspots.emerging import categorise, emerging_hotspots, mann_kendall
from knooppunt.analytics.hotspots.gistar import benjamini_hochberg, classify, weight_matrix

AREA = Polygon([(0, 0), (5000, 300), (4600, 4200), (1000, 5000), (-300, 2000)])


def _events(seed: int, n: int, area=AREA) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = area.bounds
    return rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)


# ------------------------------------------------------------------ grid


def test_the_grid_covers_the_whole_area_empty_cells_included():
    grid = grid_over(AREA, 250, crs="EPSG:28992")
    boxes = grid.polygons()
    # Every cell touches the area's interior, and every bit of the area lies in a cell.
    assert all(b.intersection(AREA).area > 0 for b in boxes)
    from shapely.ops import unary_union

    assert unary_union(boxes).contains(AREA)
    counts = grid.counts(np.array([100.0]), np.array([100.0]))
    assert counts.sum() == 1 and (counts == 0).sum() == grid.n_cells - 1


def test_cells_only_touching_an_aligned_square_are_not_in_it():
    grid = grid_over(box(1000, 1000, 2000, 2000), 250, crs="EPSG:28992")
    assert grid.n_cells == 16


def test_a_grid_over_the_cell_limit_is_refused_with_the_numbers():
    with pytest.raises(TooManyCells) as refused:
        grid_over(box(0, 0, 100_000, 100_000), 100, crs="EPSG:28992", max_cells=50_000)
    assert refused.value.limit == 50_000 and refused.value.cells >= 1_000_000


@pytest.mark.parametrize("area", [Polygon(), box(0, 0, 10, 10).boundary])
def test_an_empty_or_non_polygon_area_is_refused(area):
    with pytest.raises(EmptyArea):
        grid_over(area, 250, crs="EPSG:28992")


def test_events_outside_the_area_are_not_counted():
    grid = grid_over(box(0, 0, 1000, 1000), 250, crs="EPSG:28992")
    counts = grid.counts(np.array([500.0, -10.0, 1500.0, 999.0]),
                         np.array([500.0, 500.0, 500.0, 999.0]))
    assert counts.sum() == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kx=st.integers(-400, 400), ky=st.integers(-400, 400), seed=st.integers(0, 1000),
       cell=st.sampled_from([100, 250, 500]))
def test_moving_events_and_area_by_whole_cells_changes_nothing(kx, ky, seed, cell):
    x, y = _events(seed, 300)
    before = analyse(AREA, "EPSG:28992", x, y, cell_size=cell, bandwidth=600)
    dx, dy = kx * cell, ky * cell
    moved = analyse(affinity.translate(AREA, dx, dy), "EPSG:28992", x + dx, y + dy,
                    cell_size=cell, bandwidth=600)
    assert np.array_equal(before.counts, moved.counts)
    np.testing.assert_allclose(before.gi.z, moved.gi.z, atol=1e-9)
    np.testing.assert_allclose(before.density.values, moved.density.values, rtol=1e-9,
                               atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 1000), n=st.integers(0, 400))
def test_the_crs_is_a_label_and_every_event_inside_is_counted(seed, n):
    x, y = _events(seed, n)
    rd = analyse(AREA, "EPSG:28992", x, y, cell_size=250)
    utm = analyse(AREA, "EPSG:32631", x, y, cell_size=250)
    assert np.array_equal(rd.counts, utm.counts)
    inside = int(shapely.contains_xy(AREA, x, y).sum())
    assert rd.counts.sum() >= inside  # plus events in the edge cells' parts outside
    assert rd.method.crs == "EPSG:28992" and utm.method.crs == "EPSG:32631"


def test_counts_agree_in_two_real_projected_crss():
    """The same places in Toronto in two projections: every event is counted in both."""
    from pyproj import Transformer
    from shapely import MultiPoint

    rng = np.random.default_rng(3)
    lat = rng.uniform(43.60, 43.80, 2000)
    lon = rng.uniform(-79.60, -79.20, 2000)
    totals = []
    for epsg in ("EPSG:2952", "EPSG:32617"):
        x, y = Transformer.from_crs("EPSG:4326", epsg, always_xy=True).transform(lon, lat)
        area = MultiPoint(np.c_[x, y]).convex_hull.buffer(500)
        totals.append(int(analyse(area, epsg, x, y, cell_size=500).counts.sum()))
    assert totals == [2000, 2000]


# ------------------------------------------------------------------ Gi* against esda


esda = pytest.importorskip("esda")


def _esda_z(values, matrix):
    from esda.getisord import G_Local
    from libpysal.weights import WSP

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = WSP(matrix).to_W(silence_warnings=True)
        return G_Local(values, w, transform="B", star=True, permutations=0)


@pytest.mark.parametrize("weights", [Weights(QUEEN), Weights(DISTANCE_BAND, 700)])
@pytest.mark.parametrize("integer", [True, False])
def test_gi_star_equals_esda_on_the_same_grid_and_values(weights, integer):
    grid = grid_over(AREA, 250, crs="EPSG:28992")
    rng = np.random.default_rng(7)
    values = rng.poisson(2, grid.n_cells).astype(float)
    if not integer:  # the cell-by-cell path rather than the one per distinct pair
        values = values + rng.uniform(0, 0.5, grid.n_cells)
    ours = gi_star(grid, values, weights)
    theirs = _esda_z(values, weight_matrix(grid, weights))
    assert np.abs(ours.z - theirs.Zs).max() < 1e-9
    assert np.abs(ours.p - 2 * theirs.p_norm).max() < 1e-9


def test_gi_star_equals_esda_with_weights_libpysal_builds_itself():
    """Not our sparse matrix: libpysal's own distance band over the cell centres."""
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand

    grid = grid_over(AREA, 250, crs="EPSG:28992")
    values = np.random.default_rng(8).poisson(1, grid.n_cells).astype(float)
    cx, cy = grid.centres()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        band = DistanceBand(np.c_[cx, cy], threshold=376.0, binary=True,
                            silence_warnings=True)  # 1.5 cells: the 8 queen neighbours
        theirs = G_Local(values, band, transform="B", star=True, permutations=0)
    assert np.abs(gi_star(grid, values).z - theirs.Zs).max() < 1e-9


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), mean=st.floats(0.05, 20))
def test_gi_star_equals_esda_for_any_counts(seed, mean):
    grid = grid_over(box(0, 0, 3000, 2000), 250, crs="EPSG:28992")
    values = np.random.default_rng(seed).poisson(mean, grid.n_cells).astype(float)
    if values.std() == 0:
        return  # esda divides by zero; ours says z = 0 (tested below)
    theirs = _esda_z(values, weight_matrix(grid))
    assert np.abs(gi_star(grid, values).z - theirs.Zs).max() < 1e-9


def test_no_variation_means_nothing_stands_out():
    grid = grid_over(box(0, 0, 1000, 1000), 250, crs="EPSG:28992")
    result = gi_star(grid, np.full(grid.n_cells, 3.0))
    assert (result.z == 0).all() and (result.classes == 0).all()


def test_a_planted_hotspot_is_found_and_nothing_else_is_hot():
    rng = np.random.default_rng(11)
    area = box(0, 0, 10_000, 10_000)
    x, y = rng.uniform(0, 10_000, 2000), rng.uniform(0, 10_000, 2000)
    hx, hy = rng.normal(7_300, 150, 300), rng.normal(2_600, 150, 300)
    result = analyse(area, "EPSG:28992", np.r_[x, hx], np.r_[y, hy], cell_size=250)
    hot = result.grid.locate(np.array([7_300.0]), np.array([2_600.0]))[0]
    assert result.gi.classes[hot] == 3
    cx, cy = result.grid.centres()
    far = np.hypot(cx - 7_300, cy - 2_600) > 1_000
    assert (result.gi.classes[far] <= 0).all()
    # The density peaks at the planted spot too.
    peak = int(np.argmax(result.density.values))
    assert np.hypot(cx[peak] - 7_300, cy[peak] - 2_600) < 500


# ------------------------------------------------------------------ FDR and classes


@given(st.lists(st.floats(0, 1), min_size=1, max_size=300))
def test_benjamini_hochberg_equals_scipy(p):
    p = np.array(p)
    np.testing.assert_allclose(benjamini_hochberg(p), false_discovery_control(p),
                               atol=1e-12)


def test_many_distinct_p_values_take_the_other_path():
    p = np.random.default_rng(1).uniform(size=20_000) ** 4
    np.testing.assert_allclose(benjamini_hochberg(p), false_discovery_control(p), atol=1e-12)


def test_classes_follow_arcgis_confidence_levels():
    z = np.array([3.0, 2.0, 1.7, 1.0, -1.7, -2.0, -3.0])
    p = np.array([0.005, 0.04, 0.09, 0.2, 0.09, 0.04, 0.005])
    assert classify(z, p).tolist() == [3, 2, 1, 0, -1, -2, -3]


def test_fdr_makes_fewer_or_equal_cells_significant():
    rng = np.random.default_rng(5)
    grid = grid_over(box(0, 0, 5000, 5000), 250, crs="EPSG:28992")
    values = rng.poisson(1, grid.n_cells)
    with_fdr = gi_star(grid, values)
    without = gi_star(grid, values, fdr=False)
    assert (np.abs(with_fdr.classes) <= np.abs(without.classes)).all()
    assert (with_fdr.p_fdr >= with_fdr.p - 1e-15).all()


# ------------------------------------------------------------------ density


@pytest.mark.parametrize("kernel", [QUARTIC, GAUSSIAN])
def test_density_keeps_every_event_and_states_the_bandwidth(kernel):
    area = box(0, 0, 20_000, 20_000)
    x, y = _events(2, 500, box(5000, 5000, 15_000, 15_000))
    grid = grid_over(area, 250, crs="EPSG:28992")
    density = kernel_density(grid, x, y, kernel=kernel, bandwidth=800)
    total = density.values.sum() * (250 * 250) / 1e6
    assert total == pytest.approx(500, rel=1e-9)
    assert density.bandwidth == 800 and density.rule == "given"


def test_the_default_bandwidth_follows_the_stated_rule():
    x, y = _events(4, 1000, box(0, 0, 10_000, 10_000))
    grid = grid_over(box(0, 0, 10_000, 10_000), 100, crs="EPSG:28992")
    density = kernel_density(grid, x, y)
    sd = np.sqrt(x.var() + y.var())
    dm = np.median(np.hypot(x - x.mean(), y - y.mean()))
    expected = 0.9 * min(sd, np.sqrt(1 / np.log(2)) * dm) * 1000 ** -0.2
    assert density.bandwidth == pytest.approx(expected)
    assert "Silverman" in density.rule


def test_binned_density_is_close_to_the_exact_kernel_sum():
    rng = np.random.default_rng(9)
    x, y = rng.uniform(2000, 3000, 50), rng.uniform(2000, 3000, 50)
    grid = grid_over(box(0, 0, 5000, 5000), 100, crs="EPSG:28992")
    h = 1000.0
    binned = kernel_density(grid, x, y, bandwidth=h).values
    cx, cy = grid.centres()
    d2 = ((cx[:, None] - x) ** 2 + (cy[:, None] - y) ** 2) / h**2
    exact = (3 / (np.pi * h * h) * np.where(d2 < 1, (1 - d2) ** 2, 0)).sum(axis=1) * 1e6
    assert np.abs(binned - exact).max() / exact.max() < 0.02


# ------------------------------------------------------------------ emerging


def test_mann_kendall_agrees_with_kendalls_tau_against_time():
    rng = np.random.default_rng(3)
    series = rng.normal(size=(12, 40)) + np.linspace(0, 2, 12)[:, None]
    result = mann_kendall(series)
    for column in range(40):
        tau = kendalltau(np.arange(12), series[:, column]).statistic
        assert result.s[column] == pytest.approx(tau * 12 * 11 / 2)
    assert (result.p[result.s > 40] < 0.05).all()


def test_mann_kendall_with_ties_has_a_smaller_variance():
    tied = mann_kendall(np.array([[1.0], [1.0], [2.0], [2.0], [3.0], [3.0]]))
    untied = mann_kendall(np.array([[1.0], [1.1], [2.0], [2.1], [3.0], [3.1]]))
    assert abs(tied.z[0]) > 0 and tied.s[0] < untied.s[0]


def _states(*columns: str) -> np.ndarray:
    """Per cell a string of H (hot), C (cold), . (neither), oldest step first."""
    table = {"H": 1, "C": -1, ".": 0}
    return np.array([[table[ch] for ch in col] for col in columns], dtype=np.int8).T


@pytest.mark.parametrize(("history", "trend", "expected"), [
    ("..........", 0, "none"),
    (".........H", 0, "new_hot"),
    ("......HHHH", 0, "consecutive_hot"),
    ("HHHHHHHHHH", 1, "intensifying_hot"),
    ("HHHHHHHHHH", 0, "persistent_hot"),
    ("HHHHHHHHHH", -1, "diminishing_hot"),
    (".HHHHHHHHH", 0, "persistent_hot"),  # 90 % is enough
    ("..H...HH.H", 0, "sporadic_hot"),
    ("..C...HH.H", 0, "oscillating_hot"),
    ("HHHHHHHHH.", 0, "historical_hot"),
    ("HHHHHHHHHC", 0, "new_cold"),  # the final step decides first
    ("....H.....", 0, "none"),
    (".........C", 0, "new_cold"),
    ("CCCCCCCCCC", -1, "intensifying_cold"),
    ("CCCCCCCCCC", 1, "diminishing_cold"),
    ("C.C..H...C", 0, "oscillating_cold"),
])
def test_emerging_categories(history, trend, expected):
    state = _states(history)
    z = np.array([float(trend) * 3])
    p = np.array([0.01 if trend else 0.5])
    assert categorise(state, z, p, 0.05).tolist() == [expected]


def test_an_emerging_hotspot_is_new_or_consecutive_and_an_old_one_historical():
    rng = np.random.default_rng(21)
    area = box(0, 0, 8000, 8000)
    steps = 10
    xs, ys, ts = [], [], []
    for t in range(steps):
        xs.append(rng.uniform(0, 8000, 600))
        ys.append(rng.uniform(0, 8000, 600))
        ts.append(np.full(600, t))
        if t >= 7:  # appears in the last three steps
            xs.append(rng.normal(6000, 100, 120))
            ys.append(rng.normal(6000, 100, 120))
            ts.append(np.full(120, t))
        if t <= 8:  # there for nine steps, gone in the last
            xs.append(rng.normal(2000, 100, 120))
            ys.append(rng.normal(2000, 100, 120))
            ts.append(np.full(120, t))
    x, y, t = np.concatenate(xs), np.concatenate(ys), np.concatenate(ts)
    grid = grid_over(area, 250, crs="EPSG:28992")
    view = emerging_hotspots(grid, grid.locate(x, y), t, steps, Weights(QUEEN))
    new_cell = grid.locate(np.array([6000.0]), np.array([6000.0]))[0]
    old_cell = grid.locate(np.array([2000.0]), np.array([2000.0]))[0]
    assert view.category[new_cell] == "consecutive_hot"
    assert view.category[old_cell] == "historical_hot"
    assert view.counts.sum() == len(x)


@settings(max_examples=30, deadline=None)
@given(band=st.floats(100, 1600), rows=st.integers(1, 30), cols=st.integers(1, 30),
       seed=st.integers(0, 1000))
def test_neighbour_sums_by_slices_equal_a_2d_correlation(band, rows, cols, seed):
    from scipy import ndimage

    from knooppunt.analytics.hotspots.gistar import _correlate

    raster = np.random.default_rng(seed).uniform(0, 5, (rows, cols))
    for pattern in (Weights(DISTANCE_BAND, band).pattern(250), Weights(QUEEN).pattern(250)):
        expected = ndimage.correlate(raster, pattern, mode="constant", cval=0.0)
        np.testing.assert_allclose(_correlate(raster, pattern), expected, atol=1e-9)


def test_a_thin_diagonal_area_with_a_huge_raster_is_refused():
    thin = affinity.rotate(box(0, 0, 200_000, 50), 45, origin=(0, 0))
    with pytest.raises(TooManyCells):
        grid_over(thin, 100, crs="EPSG:28992", max_cells=5_000)
