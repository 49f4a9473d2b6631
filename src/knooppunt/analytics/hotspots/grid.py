"""A regular square grid over a study area, in any projected CRS (metres).

The study area is the area the user chose, not "the cells that happen to hold events":
every cell that intersects the area's polygon is part of it, empty or not, so a map can
show where nothing happened and the statistics count those cells too.

Cells are aligned to multiples of the cell size in the CRS (as CBS squares are in RD New),
so grids over different areas line up. A grid is a raster (rows from south to north,
columns from west to east) with a mask of the cells inside the study area; the cells'
order everywhere (counts, z-scores, GeoJSON) is the mask's row-major order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from scipy import ndimage
from shapely.geometry.base import BaseGeometry

CELL_SIZES = (100, 250, 500)
DEFAULT_MAX_CELLS = 1_000_000
RASTER_FACTOR = 20  # the bounding raster may hold at most this many times the cell limit


class TooManyCells(ValueError):
    """The study area at this cell size would exceed the configured cell limit."""

    def __init__(self, cells: int, limit: int, cell_size: float) -> None:
        self.cells = cells
        self.limit = limit
        self.cell_size = cell_size
        super().__init__(
            f"{cells} cells of {cell_size:g} m exceed the limit of {limit}; "
            "choose a larger cell size or a smaller area"
        )


class EmptyArea(ValueError):
    """The study area is empty or not a polygon."""


@dataclass(frozen=True, eq=False)
class Grid:
    """A grid of `rows` x `cols` square cells of `cell_size` m; `mask` marks the study area.

    `x0`, `y0` are the south-west corner of cell (0, 0); `crs` is a label (e.g.
    "EPSG:28992") carried into the method description, never used to compute.
    """

    x0: float
    y0: float
    cell_size: float
    mask: np.ndarray  # bool, shape (rows, cols)
    crs: str

    @property
    def shape(self) -> tuple[int, int]:
        return self.mask.shape

    @cached_property
    def flat_index(self) -> np.ndarray:
        """Raster positions (row-major) of the study-area cells, in cell order."""
        return np.flatnonzero(self.mask.ravel())

    @property
    def n_cells(self) -> int:
        return int(self.flat_index.size)

    @cached_property
    def memo(self) -> dict:
        """Values that depend only on the grid (e.g. neighbour counts per weights)."""
        return {}

    @cached_property
    def _cell_of_position(self) -> np.ndarray:
        lookup = np.full(self.mask.size, -1, dtype=np.int64)
        lookup[self.flat_index] = np.arange(self.n_cells)
        return lookup

    def rows_cols(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of each study-area cell."""
        return np.divmod(self.flat_index, self.shape[1])

    def corners(self) -> tuple[np.ndarray, np.ndarray]:
        """South-west corner (x, y) of each study-area cell."""
        rows, cols = self.rows_cols()
        return self.x0 + cols * self.cell_size, self.y0 + rows * self.cell_size

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.corners()
        half = self.cell_size / 2
        return x + half, y + half

    def cell_ids(self) -> list[str]:
        """Stable names: cell size and south-west corner, e.g. "250m_E257000_N471250"."""
        x, y = self.corners()
        size = f"{self.cell_size:g}m"
        return [f"{size}_E{int(a)}_N{int(b)}" for a, b in zip(x.tolist(), y.tolist(),
                                                             strict=True)]

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The cell of each point (index in cell order), -1 outside the study area."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        col = np.floor((x - self.x0) / self.cell_size)
        row = np.floor((y - self.y0) / self.cell_size)
        rows, cols = self.shape
        inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
        cell = np.full(x.shape, -1, dtype=np.int64)
        position = row[inside].astype(np.int64) * cols + col[inside].astype(np.int64)
        cell[inside] = self._cell_of_position[position]
        return cell

    def counts(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Events per study-area cell (events outside the area are not counted)."""
        cell = self.locate(x, y)
        return np.bincount(cell[cell >= 0], minlength=self.n_cells).astype(np.int64)

    def to_raster(self, values: np.ndarray, fill: float = 0, dtype=np.float64) -> np.ndarray:
        """Cell values laid out on the full raster (`fill` outside the study area)."""
        raster = np.full(self.mask.size, fill, dtype=dtype)
        raster[self.flat_index] = values
        return raster.reshape(self.shape)

    def from_raster(self, raster: np.ndarray) -> np.ndarray:
        return raster.ravel()[self.flat_index]

    def polygons(self) -> np.ndarray:
        """The cells as shapely boxes (for GeoJSON and maps)."""
        x, y = self.corners()
        return shapely.box(x, y, x + self.cell_size, y + self.cell_size)


def _aligned(low: float, high: float, size: float) -> tuple[float, int]:
    start = math.floor(low / size) * size
    count = max(1, math.ceil((high - start) / size))
    return start, count


def grid_over(
    area: BaseGeometry,
    cell_size: float,
    *,
    crs: str,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> Grid:
    """The grid of all `cell_size` cells that intersect `area` (a polygon in metres).

    Refuses (TooManyCells) before any per-cell work when even the cells inside the
    bounding box's share of the area would exceed `max_cells`, and again after masking.
    """
    if cell_size <= 0 or not math.isfinite(cell_size):
        raise ValueError("cell size must be a positive number of metres")
    if area is None or area.is_empty or area.geom_type not in ("Polygon", "MultiPolygon"):
        raise EmptyArea("the study area must be a non-empty polygon")
    if area.area <= 0:
        raise EmptyArea("the study area has no surface")
    # A quick estimate first, so an absurd request costs nothing.
    estimate = area.area / (cell_size * cell_size)
    if estimate > max_cells:
        raise TooManyCells(int(math.ceil(estimate)), max_cells, cell_size)
    min_x, min_y, max_x, max_y = area.bounds
    x0, cols = _aligned(min_x, max_x, cell_size)
    y0, rows = _aligned(min_y, max_y, cell_size)
    if rows * cols > RASTER_FACTOR * max_cells:  # a thin or scattered area: a huge raster
        raise TooManyCells(rows * cols, RASTER_FACTOR * max_cells, cell_size)
    mask = _intersecting(area, x0, y0, cell_size, rows, cols)
    cells = int(mask.sum())
    if cells > max_cells:
        raise TooManyCells(cells, max_cells, cell_size)
    if cells == 0:
        raise EmptyArea("the study area covers no cell")
    return Grid(x0=x0, y0=y0, cell_size=float(cell_size), mask=mask, crs=crs)


def _intersecting(area: BaseGeometry, x0: float, y0: float, size: float,
                  rows: int, cols: int) -> np.ndarray:
    """Mask of the cells intersecting `area`: centres inside, plus the cells the boundary
    passes through (tested exactly, only near the boundary)."""
    shapely.prepare(area)
    xs = x0 + (np.arange(cols) + 0.5) * size
    ys = y0 + (np.arange(rows) + 0.5) * size
    mask = np.zeros((rows, cols), dtype=bool)
    for start in range(0, rows, 256):  # in bands: bounded memory for large areas
        band = ys[start:start + 256]
        gx, gy = np.meshgrid(xs, band)
        mask[start:start + band.size] = shapely.contains_xy(area, gx, gy)
    # Cells the boundary crosses but whose centre lies outside: points along the boundary
    # (closer than a cell) name candidates; each candidate and its 8 neighbours is tested.
    coords = shapely.get_coordinates(shapely.segmentize(area.boundary, size / 2))
    col = np.clip(np.floor((coords[:, 0] - x0) / size).astype(np.int64), 0, cols - 1)
    row = np.clip(np.floor((coords[:, 1] - y0) / size).astype(np.int64), 0, rows - 1)
    near = np.zeros((rows, cols), dtype=bool)
    near[row, col] = True
    near = ndimage.binary_dilation(near, structure=np.ones((3, 3), dtype=bool)) & ~mask
    r, c = np.nonzero(near)
    if r.size:
        bx = x0 + c * size
        by = y0 + r * size
        boxes = shapely.box(bx, by, bx + size, by + size)
        # Sharing only an edge or a corner with the area is not lying in it.
        hit = shapely.intersects(area, boxes) & ~shapely.touches(area, boxes)
        mask[r[hit], c[hit]] = True
    return mask
