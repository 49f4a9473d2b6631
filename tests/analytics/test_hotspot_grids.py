"""Study-area grids kept per area, cell size and boundary (`analytics.hotspot_grids`):
what comes from the process or the file equals what is built; another boundary is
another grid; a damaged file is rebuilt; the rings are the cells' corners in WGS84."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from knooppunt.analytics import hotspot_grids
from knooppunt.analytics.hotspots import TooManyCells, grid_over
from knooppunt.geo.projection import rd_to_lon_lat

AREA = Polygon([(250_000, 465_000), (262_000, 466_500), (259_500, 476_000),
                (251_000, 473_000)])
RD = "EPSG:28992"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    hotspot_grids.clear_memory()
    yield tmp_path
    hotspot_grids.clear_memory()


def _same(a, b) -> None:
    assert (a.grid.x0, a.grid.y0, a.grid.cell_size) == (b.grid.x0, b.grid.y0, b.grid.cell_size)
    assert np.array_equal(a.grid.mask, b.grid.mask)
    assert np.array_equal(a.lon, b.lon) and np.array_equal(a.lat, b.lat)


def test_the_file_gives_back_what_was_built(data_dir):
    built = hotspot_grids.study_grid(AREA, RD, 250, 100_000)
    files = list((data_dir / "cache" / "hotspot-grids").glob("*.npz"))
    assert len(files) == 1
    hotspot_grids.clear_memory()  # a new process: from the file
    again = hotspot_grids.study_grid(AREA, RD, 250, 100_000)
    assert again is not built
    _same(again, built)
    fresh = grid_over(AREA, 250, crs=RD, max_cells=100_000)
    assert np.array_equal(again.grid.mask, fresh.mask) and again.grid.x0 == fresh.x0
    assert hotspot_grids.study_grid(AREA, RD, 250, 100_000) is again  # the process's own


def test_the_rings_are_the_cells_corners_in_wgs84():
    found = hotspot_grids.study_grid(AREA, RD, 500, 100_000)
    x, y = found.grid.corners()
    s = found.grid.cell_size
    lon, lat = rd_to_lon_lat(np.stack([x, x + s, x + s, x, x], axis=1),
                             np.stack([y, y, y + s, y + s, y], axis=1))
    assert np.array_equal(found.lon, np.round(lon, 6))
    assert np.array_equal(found.lat, np.round(lat, 6))
    assert found.rings()[0][0] == (found.lon[0, 0], found.lat[0, 0])
    assert len(found.cell_ids()) == found.grid.n_cells


def test_another_boundary_or_cell_size_is_another_grid(data_dir):
    moved = Polygon([(x + 1, y) for x, y in AREA.exterior.coords])
    keys = {hotspot_grids.key_of(AREA, RD, 250), hotspot_grids.key_of(moved, RD, 250),
            hotspot_grids.key_of(AREA, RD, 500)}
    assert len(keys) == 3
    a = hotspot_grids.study_grid(AREA, RD, 250, 100_000)
    b = hotspot_grids.study_grid(moved, RD, 250, 100_000)
    assert a is not b


def test_a_damaged_file_is_rebuilt(data_dir):
    built = hotspot_grids.study_grid(AREA, RD, 250, 100_000)
    (path,) = (data_dir / "cache" / "hotspot-grids").glob("*.npz")
    path.write_bytes(b"not a grid")
    hotspot_grids.clear_memory()
    _same(hotspot_grids.study_grid(AREA, RD, 250, 100_000), built)


def test_a_lower_limit_still_refuses_a_cached_grid():
    hotspot_grids.study_grid(AREA, RD, 100, 100_000)
    with pytest.raises(TooManyCells):
        hotspot_grids.study_grid(AREA, RD, 100, 1_000)


def test_the_cache_can_be_turned_off(settings, data_dir):
    settings.KNOOPPUNT_HOTSPOT_GRID_CACHE = False
    a = hotspot_grids.study_grid(AREA, RD, 250, 100_000)
    assert a is not hotspot_grids.study_grid(AREA, RD, 250, 100_000)
    assert not (data_dir / "cache").exists()


@settings(max_examples=15, deadline=None)
@given(st.floats(-2000, 2000), st.floats(-2000, 2000), st.sampled_from([100, 250, 500]))
def test_any_area_comes_back_from_the_file_as_built(dx, dy, cell):
    area = Polygon([(x + dx, y + dy) for x, y in AREA.exterior.coords])
    built = hotspot_grids.study_grid(area, RD, cell, 100_000)
    hotspot_grids.clear_memory()
    _same(hotspot_grids.study_grid(area, RD, cell, 100_000), built)
