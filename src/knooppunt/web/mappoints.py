"""The map's point layers (signals, police incidents, cases) as columns, and their compact form.

Every layer comes from `organisations.scope` (`signals_for`, `events_for`, `cases_for`):
only records the user may open one by one, and only for roles that see personal data
(the API refuses the others; bestuurders get areas and cells). A layer is four columns:
id, Web Mercator x and y (0..1 over the world, what MapLibre's custom layer draws) and a
category index into `categories` (theme code, or offence category for incidents).

`encode` writes them as one little-endian binary answer (decision 0040):

    bytes 0-3    b"KPP1"
    bytes 4-7    uint32 n, the number of points
    bytes 8-11   uint32 h, the length of the JSON header (padded with spaces to 4 bytes)
    12 .. 12+h   JSON: {"layer", "count", "categories": [...], "crs": "EPSG:3857/1"}
    then         int32 id[n], float32 xy[2n] (x0, y0, x1, y1, ...), uint8 category[n]

100,000 points are 1.3 MB instead of 13 MB of GeoJSON, need no parsing in the browser and
go to the GPU as they are.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from django.db import connections

from knooppunt.organisations import scope

from .maplayers import Filters

MAGIC = b"KPP1"
MEDIA_TYPE = "application/vnd.knooppunt.points"
LAYERS = ("signals", "events", "cases")
OBJECT_TYPES = {"signals": "signals.signal", "events": "events.event", "cases": "cases.case"}


@dataclass(frozen=True)
class PointLayer:
    """One layer's points: ids, Web Mercator x and y (0..1), category index per point."""

    layer: str
    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    category: np.ndarray
    categories: list[str]

    def __len__(self) -> int:
        return int(self.ids.size)


def mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 degrees to Web Mercator as fractions of the world (MapLibre's units)."""
    lat = np.clip(lat, -85.0511, 85.0511)
    x = (lon + 180.0) / 360.0
    y = 0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi)
    return x, y


def _rows(queryset) -> list[tuple]:
    """The queryset's rows as plain tuples: Django's row iterator costs more than the
    query for 100,000 rows, so its SQL (built by `scope`, unchanged) runs on a cursor."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _layer(layer: str, rows: list[tuple], category_of: dict[int, int],
           categories: list[str]) -> PointLayer:
    """Rows (id, longitude, latitude, key) as columns; `category_of` maps a key (theme or
    offence code id) to its index in `categories` (others: one past the end)."""
    # fromiter over the flattened rows is twice as fast as np.array(rows) at 100,000 rows;
    # float64 holds ids exactly up to 2**53.
    table = np.fromiter(chain.from_iterable(rows), dtype=np.float64,
                        count=4 * len(rows)).reshape(-1, 4)
    keys = table[:, 3].astype(np.int64)
    size = max(max(category_of, default=0), int(keys.max(initial=0))) + 1
    lookup = np.full(size, len(categories), dtype=np.uint8)
    for key, index in category_of.items():
        lookup[key] = index
    x, y = mercator(table[:, 1], table[:, 2])
    return PointLayer(layer, table[:, 0].astype(np.int64), x, y, lookup[keys], categories)


def _themes() -> tuple[dict[int, int], list[str]]:
    """Theme id to category index, and the theme codes in that order."""
    from knooppunt.taxonomy.models import Theme

    codes = dict(Theme.objects.order_by("pk").values_list("pk", "code"))
    return {pk: i for i, pk in enumerate(codes)}, list(codes.values())


def signal_layer(user, filters: Filters) -> PointLayer:
    """The signals the user may open, with a position, by theme."""
    queryset = (filters.signals(scope.signals_for(user))
                .filter(latitude__isnull=False, longitude__isnull=False)
                .order_by().values_list("pk", "longitude", "latitude", "theme_id"))
    return _layer("signals", _rows(queryset), *_themes())


def event_layer(user, filters: Filters, dataset_id: int | None = None,
                codes: Sequence[str] = ()) -> PointLayer:
    """The police incidents the user may read, by offence category (misdrijf, overlast,
    overig), optionally of one dataset and some offence codes, occurred in the period."""
    from knooppunt.events.models import OffenceCategory, OffenceCode

    categories = [value for value, _label in OffenceCategory.choices]
    index = {value: i for i, value in enumerate(categories)}
    category_of = {pk: index.get(category, len(categories)) for pk, category
                   in OffenceCode.objects.values_list("pk", "category")}
    queryset = scope.events_for(user).filter(
        occurred_on__range=(filters.start, filters.end))
    if dataset_id is not None:
        queryset = queryset.filter(dataset_id=dataset_id)
    if codes:
        queryset = queryset.filter(offence__code__in=list(codes))
    queryset = queryset.order_by().values_list("pk", "longitude", "latitude", "offence_id")
    return _layer("events", _rows(queryset), category_of, categories)


def case_layer(user, filters: Filters) -> PointLayer:
    """The cases the user may open, opened in the period, by theme.

    A case has no place of its own: it is drawn at the first of its signals (lowest id)
    that the user may open and that has a position. A case whose signals the user may not
    open is left off the map: its place would tell where those signals are.
    """
    from knooppunt.cases.models import CaseSignal

    cases = scope.cases_for(user).filter(opened_on__range=(filters.start, filters.end))
    if filters.theme_id is not None:
        cases = cases.filter(theme_id=filters.theme_id)
    links = list(CaseSignal.objects.filter(case__in=cases.values("pk"))
                 .order_by("case_id", "signal_id")
                 .values_list("case_id", "signal_id", "case__theme_id"))
    places = dict((pk, (lon, lat)) for pk, lon, lat in scope.signals_for(user).filter(
        pk__in={signal for _case, signal, _theme in links}, latitude__isnull=False,
        longitude__isnull=False).values_list("pk", "longitude", "latitude"))
    rows: dict[int, tuple] = {}
    for case, signal, theme in links:
        if case not in rows and signal in places:
            rows[case] = (case, *places[signal], theme)
    return _layer("cases", list(rows.values()), *_themes())


def encode(points: PointLayer) -> bytes:
    """The layer in the binary form described in the module's docstring."""
    n = len(points)
    header = json.dumps({"layer": points.layer, "count": n, "categories": points.categories,
                         "crs": "EPSG:3857/1"}, separators=(",", ":")).encode()
    header += b" " * (-len(header) % 4)
    xy = np.empty(2 * n, dtype="<f4")
    xy[0::2] = points.x
    xy[1::2] = points.y
    return b"".join([
        MAGIC, struct.pack("<II", n, len(header)), header,
        points.ids.astype("<i4").tobytes(), xy.tobytes(),
        points.category.astype(np.uint8).tobytes(),
    ])


def decode(body: bytes) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """(header, ids, xy, category) from `encode`'s bytes: for tests and API users."""
    if body[:4] != MAGIC:
        raise ValueError("not a Knooppunt point layer")
    n, length = struct.unpack_from("<II", body, 4)
    header = json.loads(body[12:12 + length])
    offset = 12 + length
    ids = np.frombuffer(body, dtype="<i4", count=n, offset=offset)
    xy = np.frombuffer(body, dtype="<f4", count=2 * n, offset=offset + 4 * n)
    category = np.frombuffer(body, dtype=np.uint8, count=n, offset=offset + 12 * n)
    return header, ids, xy.reshape(n, 2), category
