"""Which municipality holds a point: bounding boxes in SQL, then shapely decides."""

from __future__ import annotations

from functools import lru_cache

from shapely.geometry import Point, shape
from shapely.prepared import prep

from .models import Municipality
from .projection import RD_BOUNDS


@lru_cache(maxsize=512)
def _prepared(municipality_id: int):
    boundary = Municipality.objects.values_list("boundary", flat=True).get(pk=municipality_id)
    return prep(shape(boundary))


def clear_cache() -> None:
    """Called after boundaries are (re)loaded."""
    _prepared.cache_clear()


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
