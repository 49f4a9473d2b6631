"""Placing many RD points in their municipality at once, and projecting them to WGS84.

The bulk counterpart of `geo.lookup.municipality_at`: the same 2024 boundaries and the
same containment rule, with a shapely STRtree so 100,000 points take a second, not minutes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import shape

from knooppunt.geo.models import Municipality
from knooppunt.geo.projection import _to_wgs84


class BoundaryIndex:
    """The municipal boundaries in a spatial index; build once per import."""

    def __init__(self) -> None:
        rows = [(pk, b) for pk, b in Municipality.objects.values_list("pk", "boundary") if b]
        self.ids = [pk for pk, _ in rows]
        self.tree = shapely.STRtree([shape(b) for _, b in rows]) if rows else None


def municipalities_at(xs: Sequence[float], ys: Sequence[float],
                      index: BoundaryIndex | None = None) -> list[int | None]:
    """The pk of the municipality containing each point, or None outside every boundary."""
    index = index or BoundaryIndex()
    result: list[int | None] = [None] * len(xs)
    if index.tree is None or not len(xs):
        return result
    tree = index.tree
    points = shapely.points(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    point_index, geometry_index = tree.query(points, predicate="within")
    for p, g in zip(point_index.tolist(), geometry_index.tolist(), strict=True):
        if result[p] is None:
            result[p] = index.ids[g]
    return result


def to_wgs84(xs: Sequence[float], ys: Sequence[float]) -> tuple[list[float], list[float]]:
    """(latitudes, longitudes) for RD points, rounded to 7 decimals (about 1 cm)."""
    if not len(xs):
        return [], []
    lons, lats = _to_wgs84().transform(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    return np.round(lats, 7).tolist(), np.round(lons, 7).tolist()
