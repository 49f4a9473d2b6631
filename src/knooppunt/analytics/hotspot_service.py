"""Hotspots for a user: the Django side of `analytics.hotspots` (thin).

`compute(user, query)` resolves the area (a municipality, safety region or wijk the user's
organisations serve; anything else refused), takes the points through a *points source*
(by default the signals the user may see, through `organisations.scope`), runs the pure
core in RD New and returns an `Answer`; `geojson(answer)` turns it into cells in WGS84.

Points sources. A source is a function `(user, query, area) -> Points` registered under a
name with `register_points_source`; `signals` is built in. The events of police incident
registrations (`knooppunt.events`, built beside this) register theirs as `events`; a caller
that has points already passes them to `compute(..., points=...)`.

Datasets without a Dutch area. The events of a dataset in another projected CRS (e.g. the
Toronto events in MTM zone 10) have no municipality to choose; with `area` left empty the
points source gives the points with their CRS and the study area is their buffered convex
hull (`HULL_BUFFER`, as the forecasts do), gridded in that CRS. Only for users who may
read those events one by one: an aggregate-only audience is counted per municipality.

Audiences. A user whose role may open records (medewerker, analist, coordinator) gets the
signals they may open (`scope.signals_for`) with exact counts, densities, z and p. Every
other role (bestuurder, beheerder) gets aggregates only: all signals in the area
(`scope.signals_for_aggregates`), each cell's count through `scope.suppress_small`, and
only the class of each cell; z, p and density are withheld because they are exact linear
functions of the counts around a cell and would let a small count be worked out.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
from django.conf import settings
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.ops import unary_union

from knooppunt.organisations import scope

from . import hotspot_grids
from .engine import arrow_from_queryset
from .hotspots import (
    CELL_SIZES,
    DISTANCE_BAND,
    KERNELS,
    QUARTIC,
    QUEEN,
    HotspotResult,
    TooManyCells,
    Weights,
    analyse,
    analyse_over_time,
)

STEPS = ("month", "quarter", "year")
RD_NEW = "EPSG:28992"
HULL_BUFFER = 500.0  # metres around the points of a dataset without a Dutch area
MIN_STEPS = 4
CLASS_LABELS = {
    3: "hot spot, 99 %", 2: "hot spot, 95 %", 1: "hot spot, 90 %", 0: "niet significant",
    -1: "cold spot, 90 %", -2: "cold spot, 95 %", -3: "cold spot, 99 %",
}


class HotspotError(ValueError):
    """Bad input: `param` names the query parameter, `status` the HTTP status."""

    status = 400

    def __init__(self, message: str, param: str = "detail") -> None:
        super().__init__(message)
        self.param = param


class UnknownArea(HotspotError):
    status = 404


class NotAllowed(HotspotError):
    status = 403


@dataclass(frozen=True)
class Query:
    area: str
    start: date
    end: date
    cell_size: int = 250
    theme: str = ""
    source: str = ""
    kernel: str = QUARTIC
    bandwidth: float | None = None
    weights: str = QUEEN
    band: float | None = None
    step: str = ""
    points: str = "signals"
    dataset: str = ""  # for points=events: the event dataset's code
    codes: tuple[str, ...] = ()  # for points=events: offence codes (empty: all)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    geometry: object  # shapely, in `crs` (RD New for Dutch areas)
    municipality_ids: tuple[int, ...]
    crs: str = RD_NEW


@dataclass(frozen=True)
class Points:
    """Points in RD New with their day; `data` says what they are, for the method text."""

    x: np.ndarray
    y: np.ndarray
    day: np.ndarray  # datetime64[D]
    data: str
    crs: str = RD_NEW
    name: str = ""  # for a study area made from the points: what they are called


@dataclass(frozen=True)
class Answer:
    query: Query
    area: Area
    result: HotspotResult
    aggregate_only: bool
    method_text: str
    counts: list[int | None] = field(default_factory=list)
    study: hotspot_grids.StudyGrid | None = None  # the grid with its WGS84 rings


PointsSource = Callable[[object, Query, Area, bool], Points]
_SOURCES: dict[str, PointsSource] = {}


def register_points_source(name: str, source: PointsSource) -> None:
    _SOURCES[name] = source


def points_sources() -> tuple[str, ...]:
    return tuple(_SOURCES)


def max_cells() -> int:
    return int(getattr(settings, "KNOOPPUNT_HOTSPOT_MAX_CELLS", 100_000))


def max_days() -> int:
    return int(getattr(settings, "KNOOPPUNT_HOTSPOT_MAX_DAYS", 1830))


def max_cell_steps() -> int:
    return int(getattr(settings, "KNOOPPUNT_HOTSPOT_MAX_CELL_STEPS", 5_000_000))


# ---------------------------------------------------------------- the area


def area_by_code(code: str) -> Area:
    """The municipality (GM…), safety region (VR…) or wijk (WK…, its own boundary) with
    that code, for any user (UnknownArea otherwise); `resolve_area` adds the scope check.
    Used as is only by jobs that work for no one user (the forecast evaluation)."""
    from knooppunt.geo.models import District, Municipality, SafetyRegion

    code = (code or "").strip().upper()
    if code.startswith("WK"):
        district = (District.objects.filter(code=code).exclude(boundary__isnull=True)
                    .select_related("municipality").first())
        if district is None:
            raise UnknownArea(_("Onbekende wijk, of haar grens is niet geladen."), "area")
        return Area(code=code, name=f"{district.name} ({district.municipality.name})",
                    geometry=shape(district.boundary),
                    municipality_ids=(district.municipality_id,))
    if code.startswith("GM"):
        found = list(Municipality.objects.filter(code=code).exclude(boundary__isnull=True))
        name = found[0].name if found else ""
    elif code.startswith("VR"):
        region = SafetyRegion.objects.filter(code=code).first()
        found = list(region.municipalities.exclude(boundary__isnull=True)) if region else []
        name = region.name if region else ""
    else:
        found = []
    if not found:
        raise UnknownArea(_("Onbekend gebied: geef een gemeentecode (GM…), een "
                            "veiligheidsregio (VR…) of een wijk (WK…)."), "area")
    geometry = unary_union([shape(m.boundary) for m in found])
    return Area(code=code, name=name, geometry=geometry,
                municipality_ids=tuple(sorted(m.pk for m in found)))


def resolve_area(user, code: str) -> Area:
    """`area_by_code` if the user's organisations serve all of it; UnknownArea or
    NotAllowed otherwise."""
    area = area_by_code(code)
    served = set(scope.municipalities_for(user).values_list("pk", flat=True))
    if not set(area.municipality_ids) <= served:
        if area.code.startswith("WK"):
            raise NotAllowed(_("Deze wijk ligt buiten de gemeenten van uw organisatie."),
                             "area")
        raise NotAllowed(_("Dit gebied ligt (deels) buiten de gemeenten van uw organisatie."),
                         "area")
    return area


# ---------------------------------------------------------------- points


def points_from_arrow(table: pa.Table, data: str, *, x: str = "x", y: str = "y",
                      day: str = "day") -> Points:
    """Points from an Arrow table with RD New coordinates and a date column (e.g. what
    `knooppunt.events` gives), for a points source or for `compute(..., points=...)`."""
    return Points(
        x=np.asarray(table.column(x).to_numpy(zero_copy_only=False), dtype=np.float64),
        y=np.asarray(table.column(y).to_numpy(zero_copy_only=False), dtype=np.float64),
        day=np.asarray(table.column(day).to_numpy(zero_copy_only=False),
                       dtype="datetime64[D]"),
        data=data,
    )


SIGNAL_SCHEMA = pa.schema([("x", pa.float64()), ("y", pa.float64()), ("day", pa.date32())])


def signal_points(user, query: Query, area: Area, aggregate_only: bool) -> Points:
    """The signals in the area's bounding box and the period that the user may see (all
    signals of the user's municipalities for aggregate-only audiences)."""
    visible = (scope.signals_for_aggregates(user) if aggregate_only
               else scope.signals_for(user))
    min_x, min_y, max_x, max_y = area.geometry.bounds
    found = visible.filter(
        received_on__gte=query.start, received_on__lte=query.end,
        x_rd__gte=min_x, x_rd__lte=max_x, y_rd__gte=min_y, y_rd__lte=max_y,
    )
    data = _("signalen")
    if query.theme:
        found = found.filter(theme__code=query.theme)
        data += f" {_('thema')} {query.theme}"
    if query.source:
        found = found.filter(source_type__code=query.source)
        data += f" {_('bron')} {query.source}"
    table = arrow_from_queryset(found.order_by(), ["x_rd", "y_rd", "received_on"],
                                SIGNAL_SCHEMA)
    return points_from_arrow(table, data + (_(" die u mag zien") if not aggregate_only
                                            else ""))


register_points_source("signals", signal_points)


# ---------------------------------------------------------------- checks and steps


def check(query: Query) -> None:
    """Refuse what cannot be computed, before any data is read."""
    if query.cell_size not in CELL_SIZES:
        raise HotspotError(_("Celgrootte moet 100, 250 of 500 meter zijn."), "cellSize")
    if query.end < query.start:
        raise HotspotError(_("Het einde van de periode ligt voor het begin."), "end")
    if (query.end - query.start).days + 1 > max_days():
        raise HotspotError(_("De periode is te lang: hoogstens %(days)s dagen.")
                           % {"days": max_days()}, "start")
    if query.kernel not in KERNELS:
        raise HotspotError(_("Onbekende kern: quartic of gaussian."), "kernel")
    if query.weights not in (QUEEN, DISTANCE_BAND):
        raise HotspotError(_("Gewichten: queen of distance_band."), "weights")
    if query.weights == DISTANCE_BAND and not (query.band and 0 < query.band <= 5000):
        raise HotspotError(_("Een afstandsband tussen 0 en 5000 meter is nodig."), "band")
    if query.bandwidth is not None and not 0 < query.bandwidth <= 20_000:
        raise HotspotError(_("Bandbreedte tussen 0 en 20.000 meter."), "bandwidth")
    if query.step and query.step not in STEPS:
        raise HotspotError(_("Tijdstap: month, quarter of year."), "step")
    if query.step and len(step_starts(query)) < MIN_STEPS:
        raise HotspotError(_("Te weinig tijdstappen voor een trend: minstens %(n)s.")
                           % {"n": MIN_STEPS}, "step")
    if query.points not in _SOURCES:
        raise HotspotError(_("Onbekende gegevensbron."), "points")


def step_starts(query: Query) -> list[date]:
    """First day of each month, quarter or year from the start's up to the end's."""
    months = {"month": 1, "quarter": 3, "year": 12}[query.step]
    first = query.start.month - (query.start.month - 1) % months
    current = date(query.start.year, first if months < 12 else 1, 1)
    starts = []
    while current <= query.end:
        starts.append(current)
        month = current.month - 1 + months
        current = date(current.year + month // 12, month % 12 + 1, 1)
    return starts


def _step_of(days: np.ndarray, starts: list[date]) -> np.ndarray:
    edges = np.array(starts, dtype="datetime64[D]")
    return np.searchsorted(edges, days, side="right") - 1


# ---------------------------------------------------------------- compute


def compute(user, query: Query, *, points: Points | None = None) -> Answer:
    """The hotspot answer for `user`; HotspotError (and subclasses) for bad input."""
    check(query)
    aggregate_only = not scope.sees_personal_data(user)
    if query.area:
        area = resolve_area(user, query.area)
    else:
        if aggregate_only:
            raise NotAllowed(_("Geef een gebied: u krijgt alleen aantallen per gemeente."),
                             "area")
        if points is None:
            points = _SOURCES[query.points](user, query, None, aggregate_only)
        area = hull_area(points)
    try:
        # Kept per area, cell size and boundary (process and file): hotspot_grids.
        study = hotspot_grids.study_grid(area.geometry, area.crs, query.cell_size,
                                         max_cells(), persist=bool(area.code))
    except TooManyCells as error:
        raise HotspotError(
            _("Te veel cellen: %(cells)s cellen van %(size)s m, de grens is %(limit)s. "
              "Kies grotere cellen of een kleiner gebied.")
            % {"cells": error.cells, "size": query.cell_size, "limit": error.limit},
            "cellSize") from error
    grid = study.grid
    starts = step_starts(query) if query.step else []
    if starts and len(starts) * grid.n_cells > max_cell_steps():
        raise HotspotError(_("Te veel cellen maal tijdstappen: kies een grotere tijdstap, "
                             "grotere cellen of een kortere periode."), "step")
    if points is None:
        points = _SOURCES[query.points](user, query, area, aggregate_only)
    options = {
        "cell_size": query.cell_size, "kernel": query.kernel, "bandwidth": query.bandwidth,
        "weights": Weights(query.weights, query.band), "grid": grid,
        "period": f"{query.start.isoformat()} – {query.end.isoformat()}", "data": points.data,
    }
    if starts:
        result = analyse_over_time(area.geometry, area.crs, points.x, points.y,
                                   _step_of(points.day, starts), len(starts),
                                   step_label=query.step, **options)
    else:
        result = analyse(area.geometry, area.crs, points.x, points.y, **options)
    counts = [scope.suppress_small(user, int(c)) if aggregate_only else int(c)
              for c in result.counts]
    return Answer(query=query, area=area, result=result, aggregate_only=aggregate_only,
                  method_text=method_text(result, area, aggregate_only), counts=counts,
                  study=study)


def hull_area(points: Points) -> Area:
    """The study area of points without a chosen area: their convex hull, buffered."""
    from shapely import MultiPoint

    if len(points.x) == 0:
        raise HotspotError(_("Geen punten in deze periode: kies een andere periode of "
                             "een gebied."), "start")
    hull = MultiPoint(np.c_[points.x, points.y]).convex_hull.buffer(HULL_BUFFER)
    name = _("het gebied van %(name)s (omhullende + %(m)s m)") % {
        "name": points.name or points.data, "m": f"{HULL_BUFFER:g}"}
    return Area(code="", name=name, geometry=hull, municipality_ids=(), crs=points.crs)


def method_text(result: HotspotResult, area: Area, aggregate_only: bool) -> str:
    """The sentence printed under every map (Dutch by default, English when active)."""
    m = result.method
    if m.weights.startswith("queen"):
        weights = _("queen-buren (de cel en haar 8 buren), binair, de cel zelf meegeteld")
    else:
        weights = _("vaste afstandsband van %(band)s m, binair, de cel zelf meegeteld") % {
            "band": m.weights.split()[3]}
    rule = _("gekozen") if m.bandwidth_rule == "given" else \
        _("vuistregel van Silverman zoals ArcGIS die toepast, minstens één cel")
    parts = [
        _("Getis-Ord Gi* op het aantal per cel van %(size)s m (%(cells)s cellen over "
          "heel %(area)s, ook lege), gewichten: %(weights)s; false-discovery-rate-correctie "
          "(Benjamini-Hochberg), klassen 90/95/99 %%.")
        % {"size": f"{m.cell_size:g}", "cells": m.cells, "area": area.name,
           "weights": weights},
        _("Kerndichtheid: %(kernel)s, bandbreedte %(bw)s m (%(rule)s).")
        % {"kernel": m.kernel, "bw": f"{m.bandwidth:.0f}", "rule": rule},
        _("Periode %(period)s; gegevens: %(data)s (%(n)s in het gebied); "
          "coördinaten %(crs)s.")
        % {"period": m.period, "data": m.data, "n": m.events, "crs": m.crs},
    ]
    if result.emerging is not None:
        parts.append(_("Opkomende hotspots: Gi* per %(step)s, Mann-Kendall-trend per cel "
                       "(α = %(alpha)s), categorieën naar ArcGIS.")
                     % {"step": STEP_NAMES()[m.extra.get("step", "")],
                        "alpha": m.extra.get("alpha")})
    if aggregate_only:
        parts.append(_("Alleen geaggregeerd: aantallen onder %(n)s afgeschermd, z, p en "
                       "dichtheid niet getoond.")
                     % {"n": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD})
    return " ".join(parts)


def STEP_NAMES() -> dict[str, str]:  # noqa: N802 - a table, translated when called
    return {"month": _("maand"), "quarter": _("kwartaal"), "year": _("jaar"), "": ""}


# ---------------------------------------------------------------- GeoJSON


def _round(values: np.ndarray, digits: int) -> list[float]:
    return np.round(values, digits).tolist()


def cell_rings(grid) -> tuple[list, list]:
    """Per cell the five corners of its ring in WGS84 as lists: (longitudes, latitudes)."""
    lon, lat = hotspot_grids.ring_arrays(grid)
    return lon.tolist(), lat.tolist()


def geojson(answer: Answer) -> dict:
    """The cells as a GeoJSON FeatureCollection in WGS84 (RFC 7946), with the method."""
    result = answer.result
    study = answer.study or hotspot_grids.StudyGrid(result.grid,
                                                    *hotspot_grids.ring_arrays(result.grid))
    rings = study.rings()
    hidden = answer.aggregate_only
    z = _round(result.gi.z, 4)
    p = _round(result.gi.p, 6)
    p_fdr = _round(result.gi.p_fdr, 6)
    density = _round(result.density.values, 3)
    classes = result.gi.classes.tolist()
    category = (result.emerging.category.tolist() if result.emerging is not None
                else None)
    features = []
    for i, cell_id in enumerate(study.cell_ids()):
        properties = {
            "id": cell_id,
            "count": answer.counts[i],
            "density": None if hidden else density[i],
            "z": None if hidden else z[i],
            "p": None if hidden else p[i],
            "pFdr": None if hidden else p_fdr[i],
            "class": classes[i],
        }
        if category is not None:
            properties["category"] = category[i]
        features.append({
            "type": "Feature",
            "id": cell_id,
            "geometry": {"type": "Polygon", "coordinates": [rings[i]]},
            "properties": properties,
        })
    query = answer.query
    return {
        "type": "FeatureCollection",
        "area": {"code": answer.area.code, "name": answer.area.name},
        "period": {"start": query.start.isoformat(), "end": query.end.isoformat()},
        "cellSize": query.cell_size,
        "aggregateOnly": hidden,
        "method": {**result.method.as_dict(), "text": answer.method_text},
        "features": features,
    }


def default_period(today: date) -> tuple[date, date]:
    """The last 24 whole months before this month (the issue's "last 24 months")."""
    last = today.year * 12 + today.month - 2  # the previous month, counted from year 0
    end_year, end_month = divmod(last, 12)
    end = date(end_year, end_month + 1, calendar.monthrange(end_year, end_month + 1)[1])
    start_year, start_month = divmod(last - 23, 12)
    return date(start_year, start_month + 1, 1), end
