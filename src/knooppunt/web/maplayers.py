"""The data of the interactive map's layers, scoped: areas, grid cells and signal points.

Every function takes the user and asks `organisations.scope`; none filters by hand.

* Areas (municipalities; wijken once they have boundaries) of the safety regions of the
  user's municipalities, in WGS84, with counts of signals and cases in the period for the
  user's own municipalities. Counts are aggregates (`signals_for_aggregates`): small ones
  are hidden with `scope.suppress_small`, for every role.
* Grid cells of 100, 250 or 500 m in RD New over the asked bounding box, clipped to the
  extent of the user's municipalities, with the number of signals per cell (aggregates
  again). Cells with a hidden (small) count are left out altogether: their position
  would tell that something lies there. A box that needs more cells than
  `KNOOPPUNT_MAP_MAX_CELLS` is refused (`TooManyCells`), nothing is computed.
* Signal points: only the signals the user may open (`scope.signals_for`) and only for
  roles that see personal data; every point list is logged (LIST) by the caller's view.

Geometry is stored in RD New (decision 0004); the map library wants WGS84 (EPSG:4326).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from django.conf import settings
from django.db import connections
from django.db.models import Count, F
from django.db.models.functions import Floor
from shapely.geometry import mapping, shape

from knooppunt.geo.models import Municipality
from knooppunt.geo.projection import _to_rd, _to_wgs84
from knooppunt.organisations import scope

GRID_SIZES = (100, 250, 500)
SIMPLIFY_METRES = 15.0  # boundaries drawn at street level need no finer outline
COORDINATE_DIGITS = 6  # ~0.1 m in WGS84


class TooManyCells(ValueError):
    """The asked grid over the asked box needs more cells than the configured limit."""

    def __init__(self, cells: int, limit: int) -> None:
        super().__init__(f"{cells} > {limit}")
        self.cells = cells
        self.limit = limit


@dataclass(frozen=True)
class Filters:
    """What the layers count or show: a period (inclusive) and optionally one theme."""

    start: dt.date
    end: dt.date
    theme_id: int | None = None

    def signals(self, queryset):
        queryset = queryset.filter(received_on__range=(self.start, self.end))
        if self.theme_id is not None:
            queryset = queryset.filter(theme_id=self.theme_id)
        return queryset


def max_cells() -> int:
    return int(getattr(settings, "KNOOPPUNT_MAP_MAX_CELLS", 50_000))


def _wgs84(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _to_wgs84().transform(xs, ys)
    return np.round(lon, COORDINATE_DIGITS), np.round(lat, COORDINATE_DIGITS)


def _geometry_wgs84(boundary: dict) -> dict:
    geometry = shape(boundary).simplify(SIMPLIFY_METRES, preserve_topology=True)

    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = _wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return mapping(shapely.transform(geometry, project))


@lru_cache(maxsize=4096)
def _cached_geometry(model_label: str, code: str) -> dict | None:
    """An area's outline in WGS84: boundaries do not change while Knooppunt runs."""
    from django.apps import apps

    model = apps.get_model(model_label)
    boundary = model.objects.filter(code=code).values_list("boundary", flat=True).first()
    return _geometry_wgs84(boundary) if boundary else None


def region_municipalities(user) -> list[Municipality]:
    """The municipalities of the safety regions of the user's own municipalities."""
    own = scope.municipalities_for(user)
    regions = own.exclude(safety_region__isnull=True).values("safety_region_id")
    return list(
        Municipality.objects.filter(safety_region_id__in=regions)
        .exclude(boundary__isnull=True)
        .only("code", "name", "min_x", "min_y", "max_x", "max_y")
        .order_by("name")
    )


def _counts(queryset, key: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")).values_list(
        key, "n"))


def area_features(user, filters: Filters, level: str = "gemeente") -> list[dict]:
    """GeoJSON features of the areas with suppressed counts for the user's own ones."""
    from knooppunt.cases.models import Case
    from knooppunt.geo.models import District

    own_ids = set(scope.municipalities_for(user).values_list("pk", flat=True))
    signals = filters.signals(scope.signals_for_aggregates(user))
    if level == "wijk":
        municipalities = [m.pk for m in region_municipalities(user)]
        areas = list(District.objects.filter(municipality_id__in=municipalities)
                     .exclude(boundary__isnull=True).only("code", "name", "municipality_id"))
        signal_counts = _counts(signals, "district_id")
        case_counts: dict[int, int] = {}
        owner = {area.pk: area.municipality_id for area in areas}
    else:
        areas = region_municipalities(user)
        signal_counts = _counts(signals, "municipality_id")
        cases = Case.objects.filter(municipality_id__in=own_ids,
                                    opened_on__range=(filters.start, filters.end))
        if filters.theme_id is not None:
            cases = cases.filter(theme_id=filters.theme_id)
        case_counts = _counts(cases, "municipality_id")
        owner = {area.pk: area.pk for area in areas}
    label = areas[0]._meta.label_lower if areas else ""
    features = []
    for area in areas:
        geometry = _cached_geometry(label, area.code)
        if geometry is None:
            continue
        own = owner[area.pk] in own_ids
        properties: dict[str, object] = {"code": area.code, "name": area.name, "own": own}
        if own:
            properties["signals"] = scope.suppress_small(user, signal_counts.get(area.pk, 0))
            if level != "wijk":
                properties["cases"] = scope.suppress_small(user, case_counts.get(area.pk, 0))
        features.append({"type": "Feature", "id": area.code, "geometry": geometry,
                         "properties": properties})
    return features


def region_bounds(user) -> tuple[float, float, float, float] | None:
    """RD box (min x, min y, max x, max y) of the user's own municipalities."""
    boxes = list(scope.municipalities_for(user).exclude(min_x__isnull=True)
                 .values_list("min_x", "min_y", "max_x", "max_y"))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def region_bounds_wgs84(user) -> list[float] | None:
    """[west, south, east, north] of the user's municipalities, for the map's first view."""
    box = region_bounds(user)
    if box is None:
        return None
    return _box_to_wgs84(box)


def _box_to_wgs84(box: Sequence[float]) -> list[float]:
    xs = np.array([box[0], box[2], box[0], box[2]])
    ys = np.array([box[1], box[1], box[3], box[3]])
    lon, lat = _wgs84(xs, ys)
    return [float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())]


def box_to_rd(west: float, south: float, east: float, north: float) -> tuple[float, ...]:
    """A WGS84 box as the RD box that contains it (all four corners projected)."""
    xs, ys = _to_rd().transform(np.array([west, east, west, east]),
                                np.array([south, south, north, north]))
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def grid_features(user, filters: Filters, size: int,
                  box_wgs84: Sequence[float] | None) -> list[dict]:
    """Cells of `size` metres with at least the threshold of signals, as GeoJSON polygons."""
    region = region_bounds(user)
    if region is None:
        return []
    box = box_to_rd(*box_wgs84) if box_wgs84 else region
    # Only the part of the box over the user's municipalities is counted.
    x0, y0 = max(box[0], region[0]), max(box[1], region[1])
    x1, y1 = min(box[2], region[2]), min(box[3], region[3])
    if x1 <= x0 or y1 <= y0:
        return []
    x0, y0 = math.floor(x0 / size) * size, math.floor(y0 / size) * size
    cells = math.ceil((x1 - x0) / size) * math.ceil((y1 - y0) / size)
    if cells > max_cells():
        raise TooManyCells(cells, max_cells())
    rows = list(
        filters.signals(scope.signals_for_aggregates(user))
        .filter(x_rd__gte=x0, x_rd__lt=x1, y_rd__gte=y0, y_rd__lt=y1)
        .order_by()
        .annotate(cx=Floor(F("x_rd") / size), cy=Floor(F("y_rd") / size))
        .values("cx", "cy")
        .annotate(n=Count("pk"))
        .values_list("cx", "cy", "n")
    )
    rows = [(int(cx), int(cy), scope.suppress_small(user, n)) for cx, cy, n in rows]
    rows = [row for row in rows if row[2] is not None]
    if not rows:
        return []
    cx = np.array([r[0] for r in rows], dtype=float) * size
    cy = np.array([r[1] for r in rows], dtype=float) * size
    # Corners in RD, projected at once: lower left, lower right, upper right, upper left.
    lon, lat = _wgs84(np.concatenate([cx, cx + size, cx + size, cx]),
                      np.concatenate([cy, cy, cy + size, cy + size]))
    n = len(rows)
    features = []
    for i, (gx, gy, count) in enumerate(rows):
        ring = [[float(lon[i + k * n]), float(lat[i + k * n])] for k in (0, 1, 2, 3, 0)]
        features.append({
            "type": "Feature", "id": f"{size}m-{gx}-{gy}",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"count": count, "x": gx * size, "y": gy * size, "size": size},
        })
    return features


def signal_points(user, filters: Filters) -> list[tuple[int, float, float, int]]:
    """(id, longitude, latitude, theme id) of the signals the user may open.

    The scoped queryset's SQL is run on a plain cursor: for 100,000 rows Django's row
    iterator costs more than the query (benchmarks/map_benchmark.py). The position is the
    stored WGS84 one (`signals.services` keeps it beside RD New).
    """
    queryset = (
        filters.signals(scope.signals_for(user))
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("pk", "longitude", "latitude", "theme_id")
    )
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
