"""Study-area grids kept per area, cell size and boundary, in the process and in a file.

The first hotspot request of an area used to build everything from nothing: the grid of
cells intersecting the area, each cell's ring in WGS84 for the GeoJSON answer (a pyproj
transform of five corners per cell), the cell names; then the Gi* weights. None of that
depends on the data, only on the area's boundary and the cell size, so it is kept:

* in the process (`_MEMORY`, the last `MEMORY_ENTRIES` grids), with the grid's own memo
  (the neighbour counts of the Gi* weights) riding along;
* in a file under `KNOOPPUNT_DATA_DIR/cache/hotspot-grids/` (numpy `.npz`: the mask, the
  origin and the rings), so a new server process or worker starts warm.

The key is the cell size, the CRS and a SHA-256 of the area's geometry (WKB): a new
boundary (another year's CBS map, a repaired polygon) is another key, so a cached grid can
never belong to an old boundary; stale files are simply not read again. A damaged or
unreadable file is ignored and rebuilt. `KNOOPPUNT_HOTSPOT_GRID_CACHE = False` turns the
cache off (the benchmark's "before").
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from .hotspots import Grid, grid_over

MEMORY_ENTRIES = 24
VERSION = 1  # of the file layout
_MEMORY: OrderedDict[str, StudyGrid] = OrderedDict()
_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False)
class StudyGrid:
    grid: Grid
    lon: np.ndarray  # (cells, 5): each cell's ring in WGS84, rounded to 6 decimals
    lat: np.ndarray

    def rings(self) -> list[list[tuple[float, float]]]:
        """The rings as GeoJSON coordinates, made once per grid."""
        found = self.grid.memo.get("rings")
        if found is None:
            lon, lat = self.lon.tolist(), self.lat.tolist()
            found = [list(zip(a, b, strict=True)) for a, b in zip(lon, lat, strict=True)]
            self.grid.memo["rings"] = found
        return found

    def cell_ids(self) -> list[str]:
        found = self.grid.memo.get("cell_ids")
        if found is None:
            found = self.grid.memo["cell_ids"] = self.grid.cell_ids()
        return found


def enabled() -> bool:
    return bool(getattr(settings, "KNOOPPUNT_HOTSPOT_GRID_CACHE", True))


def key_of(geometry, crs: str, cell_size: int) -> str:
    digest = hashlib.sha256(geometry.wkb).hexdigest()[:32]
    return f"v{VERSION}-{crs.replace(':', '')}-{cell_size}-{digest}"


def directory() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "hotspot-grids"


def study_grid(geometry, crs: str, cell_size: int, max_cells: int, *,
               persist: bool = True) -> StudyGrid:
    """The grid of `geometry` with its WGS84 rings: from the process, the file or new.
    `persist=False` keeps it in the process only (a study area made from the points
    themselves changes with the data: no file for each).

    `grid_over`'s refusals (TooManyCells, EmptyArea) come before anything is cached; a
    cached grid larger than `max_cells` (a lower limit since) is refused the same way."""
    if not enabled():
        return _build(geometry, crs, cell_size, max_cells)
    key = key_of(geometry, crs, cell_size)
    with _LOCK:
        found = _MEMORY.get(key)
        if found is not None:
            _MEMORY.move_to_end(key)
    if found is None:
        found = _read(key, crs) if persist else None
        if found is None:
            found = _build(geometry, crs, cell_size, max_cells)
            if persist:
                _write(key, found)
        with _LOCK:
            _MEMORY[key] = found
            while len(_MEMORY) > MEMORY_ENTRIES:
                _MEMORY.popitem(last=False)
    if found.grid.n_cells > max_cells:
        return _build(geometry, crs, cell_size, max_cells)  # refuses with the limit
    return found


def _build(geometry, crs: str, cell_size: int, max_cells: int) -> StudyGrid:
    grid = grid_over(geometry, cell_size, crs=crs, max_cells=max_cells)
    lon, lat = ring_arrays(grid)
    return StudyGrid(grid, lon, lat)


def ring_arrays(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's ring (SW, SE, NE, NW, SW) in WGS84: the lattice of cell corners is
    transformed once (each corner once, not four times) and gathered per cell."""
    from pyproj import Transformer

    from knooppunt.geo.projection import rd_to_lon_lat

    rows, cols = grid.shape
    size = grid.cell_size
    lx, ly = np.meshgrid(grid.x0 + np.arange(cols + 1) * size,
                         grid.y0 + np.arange(rows + 1) * size)
    if grid.crs == "EPSG:28992":
        lon, lat = rd_to_lon_lat(lx, ly)
    else:
        lon, lat = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True).transform(lx, ly)
    r, c = grid.rows_cols()
    corners = ((r, c), (r, c + 1), (r + 1, c + 1), (r + 1, c), (r, c))
    ring_lon = np.stack([lon[i, j] for i, j in corners], axis=1)
    ring_lat = np.stack([lat[i, j] for i, j in corners], axis=1)
    return np.round(ring_lon, 6), np.round(ring_lat, 6)


def _read(key: str, crs: str) -> StudyGrid | None:
    path = directory() / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            x0, y0, size = (float(v) for v in data["origin"])
            mask = np.unpackbits(data["mask"], count=int(np.prod(data["shape"]))).reshape(
                tuple(int(v) for v in data["shape"])).astype(bool)
            grid = Grid(x0=x0, y0=y0, cell_size=size, mask=mask, crs=crs)
            lon, lat = data["lon"], data["lat"]
        if lon.shape != (grid.n_cells, 5) or lat.shape != lon.shape:
            return None
        return StudyGrid(grid, lon, lat)
    except (OSError, ValueError, KeyError):
        return None  # a damaged file: built again and rewritten


def _write(key: str, found: StudyGrid) -> None:
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        grid = found.grid
        temporary = folder / f".{key}.{os.getpid()}.{threading.get_ident()}.npz"
        with open(temporary, "wb") as out:
            np.savez(out, origin=np.array([grid.x0, grid.y0, grid.cell_size]),
                     shape=np.array(grid.shape), mask=np.packbits(grid.mask.ravel()),
                     lon=found.lon, lat=found.lat)
        os.replace(temporary, folder / f"{key}.npz")  # whole or not at all
    except OSError:
        pass  # no cache on a read-only disk: every process builds its own


def clear_memory() -> None:
    with _LOCK:
        _MEMORY.clear()
