"""Which municipality or wijk holds a point.

Municipalities: bounding boxes in SQL, then shapely decides. Wijken (decision 0035): a
point is placed among the wijken of the municipality it was already placed in (that is
what need-to-know follows), with an STRtree per municipality kept in memory, so a delivery
of a million rows queries each municipality's tree once with all its points at once. The
wijk outlines are more detailed than the generalised municipal boundary, so a point just
inside the municipality can lie just outside all of its wijken: the nearest wijk within
`NEAREST_WIJK_METRES` is taken then, otherwise none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
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


@lru_cache(maxsize=400)
def _wijk_index(municipality_id: int) -> tuple[STRtree, list[int]] | None:
    """The municipality's wijken as an STRtree, and their ids in the same order (lowest
    code first, so a point on an overlap of two simplified outlines always gets the same)."""
    rows = [(pk, boundary) for pk, boundary in District.objects.filter(
        municipality_id=municipality_id, boundary__isnull=False,
    ).order_by("code").values_list("pk", "boundary")]
    if not rows:
        return None
    return STRtree([shape(b) for _, b in rows]), [pk for pk, _ in rows]


def district_at(municipality_id: int | None, x: float | None, y: float | None) -> int | None:
    """The id of the wijk of that municipality holding the RD point, or None."""
    return districts_at([municipality_id], [x], [y])[0]


def districts_at(municipality_ids: Sequence[int | None], xs: Sequence[float | None],
                 ys: Sequence[float | None]) -> list[int | None]:
    """`district_at` for many points: one vectorised query per municipality."""
    found: list[int | None] = [None] * len(xs)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, (municipality, x, y) in enumerate(zip(municipality_ids, xs, ys, strict=True)):
        if municipality is not None and x is not None and y is not None:
            groups[municipality].append(index)
    for municipality, indexes in groups.items():
        index = _wijk_index(municipality)
        if index is None:
            continue
        tree, ids = index
        points = shapely.points(np.array([xs[i] for i in indexes], dtype=float),
                                np.array([ys[i] for i in indexes], dtype=float))
        hits = tree.query(points, predicate="intersects")
        none = len(ids)
        placed = np.full(len(indexes), none)
        # Several hits for one point (an overlap): the lowest tree index, i.e. lowest code.
        np.minimum.at(placed, hits[0], hits[1])
        missing = np.flatnonzero(placed == none)
        if missing.size:
            near = tree.query_nearest(points[missing], max_distance=NEAREST_WIJK_METRES,
                                      all_matches=False)
            placed[missing[near[0]]] = near[1]
        for position, wijk in enumerate(placed.tolist()):
            if wijk != none:
                found[indexes[position]] = ids[wijk]
    return found
