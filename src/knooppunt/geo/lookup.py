"""Which municipality or wijk holds a point.

Municipalities: bounding boxes in SQL, then shapely decides. Wijken (decision 0035): a
point is placed among the wijken of the municipality it was already placed in (that is
what need-to-know follows), with the municipality's prepared wijk outlines kept in memory:
a delivery of a million rows tests each wijk once against all points in its box (shapely's
vectorised `contains_xy`), without making a geometry per point. The
wijk outlines are more detailed than the generalised municipal boundary, so a point just
inside the municipality can lie just outside all of its wijken: the nearest wijk within
`NEAREST_WIJK_METRES` is taken then, otherwise none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.prepared import prep
from shapely.strtree import STRtree

from .models import District, Municipality
from .projection import RD_BOUNDS


@lru_cache(maxsize=512)
def _prepared(municipality_id: int):
    boundary = Municipality.objects.values_list("boundary", flat=True).get(pk=municipality_id)
    return prep(shape(boundary))


def clear_cache() -> None:
    """Called after boundaries are (re)loaded."""
    _prepared.cache_clear()
    _wijk_index.cache_clear()


def _geometry(municipality: Municipality):
    return _prepared(municipality.pk)


def in_netherlands_box(x: float, y: float) -> bool:
    min_x, min_y, max_x, max_y = RD_BOUNDS
    return min_x <= x <= max_x and min_y <= y <= max_y


def municipality_at(x: float, y: float) -> Municipality | None:
    """The municipality whose 2024 boundary contains the RD point, or None."""
    if not in_netherlands_box(x, y):
        return None
    candidates = Municipality.objects.filter(
        min_x__lte=x, max_x__gte=x, min_y__lte=y, max_y__gte=y
    ).only("pk", "code", "name", "boundary")
    point = Point(x, y)
    for municipality in candidates:
        if municipality.boundary and _geometry(municipality).contains(point):
            return municipality
    return None


def contains(municipality: Municipality, x: float, y: float) -> bool:
    if not municipality.boundary:
        return False
    return _geometry(municipality).contains(Point(x, y))


NEAREST_WIJK_METRES = 250.0


@dataclass(frozen=True)
class _Wijken:
    """A municipality's wijken, lowest code first (so a point on an overlap of two
    simplified outlines always gets the same one): prepared shapes, boxes and ids."""

    shapes: list
    boxes: np.ndarray  # (n, 4): min_x, min_y, max_x, max_y
    ids: list[int]
    tree: STRtree  # for the nearest wijk only


@lru_cache(maxsize=400)
def _wijk_index(municipality_id: int) -> _Wijken | None:
    rows = list(District.objects.filter(
        municipality_id=municipality_id, boundary__isnull=False,
    ).order_by("code").values_list("pk", "boundary"))
    if not rows:
        return None
    shapes = [shape(b) for _, b in rows]
    shapely.prepare(shapes)
    return _Wijken(shapes, shapely.bounds(shapes), [pk for pk, _ in rows], STRtree(shapes))


def district_at(municipality_id: int | None, x: float | None, y: float | None) -> int | None:
    """The id of the wijk of that municipality holding the RD point, or None."""
    return districts_at([municipality_id], [x], [y])[0]


def _column(values: Sequence[float | int | None], missing: float) -> np.ndarray:
    return np.fromiter((missing if v is None else v for v in values), dtype=float,
                       count=len(values))


def districts_at(municipality_ids: Sequence[int | None], xs: Sequence[float | None],
                 ys: Sequence[float | None]) -> list[int | None]:
    """`district_at` for many points: per municipality, each wijk tests at once (in C) the
    points inside its box; no geometry object is made per point."""
    found = np.full(len(xs), -1, dtype=np.int64)
    municipality = _column(municipality_ids, -1.0)
    x, y = _column(xs, np.nan), _column(ys, np.nan)
    usable = np.flatnonzero((municipality >= 0) & ~np.isnan(x) & ~np.isnan(y))
    if not usable.size:
        return [None] * len(xs)
    order = usable[np.argsort(municipality[usable], kind="stable")]
    groups, starts = np.unique(municipality[order], return_index=True)
    for municipality_id, indexes in zip(groups.tolist(), np.split(order, starts[1:]),
                                        strict=True):
        wijken = _wijk_index(int(municipality_id))
        if wijken is not None:
            found[indexes] = _place(wijken, x[indexes], y[indexes])
    return [None if v < 0 else v for v in found.tolist()]


def _place(wijken: _Wijken, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    placed = np.full(len(x), -1, dtype=np.int64)
    # Highest code first, so where outlines overlap the lowest code is written last.
    for i in range(len(wijken.ids) - 1, -1, -1):
        min_x, min_y, max_x, max_y = wijken.boxes[i]
        candidates = np.flatnonzero((x >= min_x) & (x <= max_x) & (y >= min_y) & (y <= max_y))
        inside = shapely.contains_xy(wijken.shapes[i], x[candidates], y[candidates])
        placed[candidates[inside]] = wijken.ids[i]
    # Slivers between the detailed wijk outlines and the generalised municipal boundary,
    # and points exactly on an edge: the nearest wijk within NEAREST_WIJK_METRES.
    missing = np.flatnonzero(placed < 0)
    if missing.size:
        near = wijken.tree.query_nearest(shapely.points(x[missing], y[missing]),
                                         max_distance=NEAREST_WIJK_METRES, all_matches=False)
        placed[missing[near[0]]] = np.asarray(wijken.ids)[near[1]]
    return placed
