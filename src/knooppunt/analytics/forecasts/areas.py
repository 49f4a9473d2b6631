"""Study areas made without the forecast month, for data that come without a boundary.

When the user's area is a fixed polygon (a municipality, a wijk) its grid does not depend
on the data. For a dataset without a declared boundary (e.g. the Toronto events) the study
area is the convex hull of the events *before* the origin, buffered (500 m by default), so
the month being predicted does not shape the grid either.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from shapely import MultiPoint

from ..hotspots.grid import DEFAULT_MAX_CELLS, Grid, grid_over
from .panel import EventTable

HULL_BUFFER = 500.0


def hull_grids(events: EventTable, cell_size: float, *, crs: str,
               buffer: float = HULL_BUFFER,
               max_cells: int = DEFAULT_MAX_CELLS) -> Callable[[int], Grid]:
    """grid_for(origin): the grid over the buffered convex hull of the events before
    `origin` (remembered per origin)."""
    cache: dict[int, Grid] = {}

    def grid_for(origin: int) -> Grid:
        if origin not in cache:
            history = events.history(origin)
            first = history[0] if history else origin
            x, y = events.points(first, origin)
            area = MultiPoint(np.c_[x, y]).convex_hull.buffer(buffer)
            cache[origin] = grid_over(area, cell_size, crs=crs, max_cells=max_cells)
        return cache[origin]

    return grid_for
