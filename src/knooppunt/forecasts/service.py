"""A forecast of a target in an area for one user: the Django side (thin).

The target (`forecasts.targets`) is the signals of a theme or the police incidents of a
Dutch dataset (all offences or one). `compute(user, query, today)` checks the query,
resolves the area within the user's municipalities (`hotspot_service.resolve_area`:
403/404 otherwise), takes the target's rows the user may see (`scope.signals_for` or
`scope.events_for`) as x, y, month, and asks the pure core for every method's forecast of
the period starting this month from earlier months only. Which method is *shown* is
decided by the stored evaluation of that target, area, horizon and cell size
(`ForecastEvaluation`, made by the job on all rows of the area): the learned model only
when it passed the rule, else the best baseline, with the sentence why. Without an
evaluation the 12-month baseline is shown and the user is told so.

Too little history for the core (fewer than 24 months, too few events) is not an error of
the request: the answer carries the refusal with its reason and the baselines that can
still be made from the months there are. Only with no row at all is the request refused.

The learned model uses the features its evaluation was made with (`features_for`); the
tables of other types, signals and police incidents come from what the user may see
(`scope.signals_for`, `scope.events_for`), the registers from inside the area
(`forecasts.covariates`, decisions 0056 and 0057). A past period (`ForecastQuery.month`,
within the last 12 months) is forecast the same way, from the months before it, and
carries what the user's rows did in it (`actual`) for a comparison. A cached forecast is
keyed by the versions of the target's rows and of every feature table, so new data is
never ignored.

Forecasts are only for roles that may open the records themselves: a cell's expected count
would otherwise tell small counts an aggregate-only audience may not see. The answer holds
counts per cell, not records, so it is not written to the processing log (as the hotspots).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils.translation import gettext as _
from shapely import contains_xy
from shapely.geometry import shape
from threadpoolctl import threadpool_limits

from knooppunt.analytics.engine import get_engine
from knooppunt.analytics.forecasts import EventTable, ForecastRefused, month_index, month_label
from knooppunt.analytics.forecasts import baselines as core_baselines
from knooppunt.analytics.forecasts.backtest import predict
from knooppunt.analytics.forecasts.features import check_features
from knooppunt.analytics.forecasts.model import FittedModel
from knooppunt.analytics.hotspot_service import (
    RD_NEW,
    Area,
    HotspotError,
    NotAllowed,
    max_cells,
    resolve_area,
)
from knooppunt.analytics.hotspots import Grid, TooManyCells, grid_over
from knooppunt.organisations import scope

from . import covariates, targets
from .evaluation import month_table
from .models import ForecastEvaluation, latest_area_evaluation
from .targets import Target

HORIZONS = (1, 3)
CELL_SIZES = (250, 500)
DEFAULT_CELL_SIZE = 500
CACHE_SIZE = 8


class NoHistory(HotspotError):
    """Not even a baseline can be made: there is no row before the forecast month."""

    status = 422


COMPARE_MONTHS = 12  # how far back a forecast of a past month may be asked, to compare


@dataclass(frozen=True)
class ForecastQuery:
    theme: str  # a theme's code, or "" for police incidents (then `incidents`)
    area: str
    horizon: int = 1
    cell_size: int = DEFAULT_CELL_SIZE
    month: int | None = None  # a past month (month_index) to compare with what happened
    incidents: str = ""  # an events dataset's code
    offence: str = ""  # one offence code of that dataset ("" = all)


@dataclass
class Forecast:
    query: ForecastQuery
    target: Target
    area: Area
    grid: Grid
    origin: int
    forecasts: dict[str, np.ndarray]  # every method made, per cell
    method: str  # the one shown
    reason_nl: str
    reason_en: str
    evaluation: ForecastEvaluation | None
    refusal: ForecastRefused | None
    fitted: FittedModel | None
    features_now: np.ndarray | None
    data_version: str
    # For a past period only: the user's rows per cell in it (what happened).
    actual: np.ndarray | None = None

    @property
    def shown(self) -> np.ndarray:
        return self.forecasts[self.method]

    @property
    def period(self) -> str:
        first = month_label(self.origin)
        if self.query.horizon == 1:
            return first
        return f"{first} – {month_label(self.origin + self.query.horizon - 1)}"

    def cell_index(self, cell_id: str) -> int:
        """The index of a cell named like "500m_E257000_N471250"; -1 if not in the grid."""
        try:
            _size, east, north = cell_id.split("_")
            x, y = float(east[1:]), float(north[1:])
        except ValueError:
            return -1
        half = self.grid.cell_size / 2
        index = int(self.grid.locate(np.array([x + half]), np.array([y + half]))[0])
        # Only the cell's own name: a point elsewhere inside it is not its name.
        return index if index >= 0 and self.grid.cell_ids()[index] == cell_id else -1


_cache: OrderedDict[tuple, Forecast] = OrderedDict()
_lock = threading.Lock()


def check(query: ForecastQuery, user) -> Target:
    """Refuse what cannot be forecast before any data is read; the target (a dataset
    must be one `user` may read)."""
    if query.horizon not in HORIZONS:
        raise HotspotError(_("Horizon: 1 (volgende maand) of 3 (volgend kwartaal)."),
                           "horizon")
    if query.cell_size not in CELL_SIZES:
        raise HotspotError(_("Celgrootte moet 250 of 500 meter zijn."), "cellSize")
    return targets.resolve(query.theme, query.incidents, query.offence, user=user)


def compute(user, query: ForecastQuery, today: date) -> Forecast:
    """The forecast for `user` (see the module text); HotspotError and subclasses for a
    request that is refused."""
    if not scope.sees_personal_data(user):
        raise NotAllowed(_("Voorspellingen per cel zijn er alleen voor rollen die de "
                           "signalen zelf mogen zien; de evaluatie staat op de pagina."),
                         "area")
    target = check(query, user)
    area = resolve_area(user, query.area)
    try:
        grid = grid_over(area.geometry, query.cell_size, crs=RD_NEW, max_cells=max_cells())
    except TooManyCells as error:
        raise HotspotError(
            _("Te veel cellen: %(cells)s cellen van %(size)s m, de grens is %(limit)s. "
              "Kies grotere cellen of een kleiner gebied.")
            % {"cells": error.cells, "size": query.cell_size, "limit": error.limit},
            "cellSize") from error
    records = target.rows(area, target.scoped(user))
    version = target.data_version(area.code, records)
    origin = month_index(today.year, today.month)
    if query.month is not None:
        # A past period, made from the months before it only, to set beside what
        # happened in it: it must have ended, and lie within the last year.
        last = origin - query.horizon
        if not last - COMPARE_MONTHS < query.month <= last:
            raise HotspotError(
                _("Vergelijken kan met een afgelopen periode in de laatste %(n)s maanden: "
                  "van %(first)s tot en met %(last)s.")
                % {"n": COMPARE_MONTHS, "first": month_label(last - COMPARE_MONTHS + 1),
                   "last": month_label(last)}, "month")
        origin = query.month
    evaluation = latest_area_evaluation(target, area.code, query.horizon, query.cell_size)
    features = features_for(evaluation, target)
    tables = covariates.version(features, target, area, scope.signals_for(user),
                                scope.events_for(user))
    key = (user.pk, query, origin, version, tables, evaluation.pk if evaluation else None)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    forecast = _make(query, target, area, grid, records, origin, evaluation, features,
                     version, user)
    with _lock:
        _cache[key] = forecast
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return forecast


def features_for(evaluation: ForecastEvaluation | None, target: Target) -> tuple[str, ...]:
    """The learned model's features: those its evaluation was made with (so the model on
    the map is the one evaluated), else the target's default; refused if off the list."""
    stored = tuple(evaluation.features) if evaluation and evaluation.features else ()
    return check_features(stored or target.default_features())


def _make(query: ForecastQuery, target: Target, area: Area, grid: Grid, records,
          origin: int,
          evaluation: ForecastEvaluation | None, features: tuple[str, ...], version: str,
          user) -> Forecast:
    engine = get_engine()
    try:
        engine.register("events", month_table(records, *target.fields))
        events = EventTable(engine, "events")
        # Other types, signals and incidents as the user may see them; registers of the
        # area.
        sources = covariates.register(engine, features, target, area,
                                      scope.signals_for(user), scope.events_for(user))
        refusal = None
        fitted = rows = None
        try:
            # One OpenMP thread: in a web process scikit-learn may have loaded OpenMP
            # before `model` could ask for sleeping threads, and spinning threads on a
            # loaded machine made one fit take 45 s instead of 2 s.
            with threadpool_limits(limits=1, user_api="openmp"):
                prediction = predict(events, grid, origin, horizon=query.horizon,
                                     features=features, covariates=sources)
            forecasts, fitted, rows = (prediction.forecasts, prediction.fitted,
                                       prediction.features_now)
        except ForecastRefused as refused:
            refusal = refused
            forecasts = _baselines_only(events, grid, origin, target)
        actual = (events.panel(grid, origin, origin + query.horizon).sum(axis=1)
                  if query.month is not None else None)
    finally:
        engine.close()
    method, reason_nl, reason_en = _shown(evaluation, refusal, forecasts)
    return Forecast(query, target, area, grid, origin, forecasts, method, reason_nl,
                    reason_en, evaluation, refusal, fitted, rows, version, actual)


def _baselines_only(events: EventTable, grid: Grid, origin: int,
                    target: Target) -> dict[str, np.ndarray]:
    """The baselines from the months there are (at most the last 12), when the core
    refuses a full forecast."""
    history = events.history(origin)
    if history is None:
        raise NoHistory(_("Er zijn geen signalen of incidenten van deze soort vóór deze "
                          "maand die u mag zien: er is niets om op te voorspellen."),
                        "incidents" if target.is_incidents else "theme")
    start = max(history[0], origin - 12)
    panel = events.panel(grid, start, origin)
    x, y = events.points(start, origin)
    return {core_baselines.LAST_MONTH: core_baselines.last_month(panel),
            core_baselines.LAST_12_MONTHS: panel.sum(axis=1),
            core_baselines.KDE_12_MONTHS: core_baselines.kde_12_months(grid, x, y)}


def _shown(evaluation: ForecastEvaluation | None, refusal: ForecastRefused | None,
           forecasts: dict[str, np.ndarray]) -> tuple[str, str, str]:
    """The method users see and why (nl, en)."""
    fallback = core_baselines.LAST_12_MONTHS
    if refusal is not None:
        return (fallback,
                f"Geweigerd: {refusal.message_nl} Daarom alleen de basislijn van de laatste "
                "12 maanden, zonder geleerd model.",
                f"Refused: {refusal.message_en} So only the 12-month baseline is shown, "
                "without a learned model.")
    if evaluation is None:
        return (fallback,
                ("Er is nog geen evaluatie van deze voorspelling (thema of incidenten, "
                    "gebied, horizon, celgrootte): de basislijn van de laatste 12 maanden "
                    "wordt getoond, het geleerde model pas als een evaluatie laat zien dat "
                    "het beter is."),
                "This forecast (theme or incidents, area, horizon, cell size) has not "
                "been evaluated yet: the 12-month baseline is shown, the learned model "
                "only once an evaluation shows it does better.")
    method = evaluation.shown_method if evaluation.shown_method in forecasts else fallback
    return method, evaluation.reason_nl, evaluation.reason_en



# ---------------------------------------------------------------- answers


def comparison(forecast: Forecast) -> dict | None:
    """For a past period: hit rate and PAI of the shown method at 1 % and 5 % of the area
    on what the user's rows did in it (None for the coming period)."""
    from knooppunt.analytics.forecasts import SHARES, score

    if forecast.actual is None:
        return None
    result = {"events": int(forecast.actual.sum())}
    for share in SHARES:
        s = score(forecast.shown, forecast.actual, share)
        result[f"{share:g}"] = {"hitRate": s.hit_rate, "pai": s.pai, "cells": s.cells}
    return result


def top_classes(values: np.ndarray) -> list[str]:
    """Per cell: "1" (in the top 1 % of the area), "5" (top 5 %) or "" (neither), ties
    at the cut included, as the evaluation's metrics point at them."""
    from knooppunt.analytics.forecasts.metrics import cells_for

    n = values.size
    result = [""] * n
    if n == 0:
        return result
    for share, label in ((0.05, "5"), (0.01, "1")):
        k = cells_for(share, n)
        cut = np.partition(values, n - k)[n - k]
        for i in np.flatnonzero((values >= cut) & (values > 0)):
            result[i] = label
    return result


def wijk_totals(forecast: Forecast, *, boundaries: bool = False) -> list[dict]:
    """Per wijk of the area: the shown forecast summed over the cells whose centre lies in
    it, that sum's share of the area's total (scale-free, so every method compares) and
    the number of cells. A cell counts in one wijk at most (the first whose boundary holds
    its centre); cells in no wijk are in `outside_wijken`. With `boundaries`, each row
    keeps the wijk's stored RD New boundary (for the map layer)."""
    from knooppunt.geo.models import District

    districts = District.objects.filter(municipality_id__in=forecast.area.municipality_ids)
    if forecast.area.code.startswith("WK"):
        districts = districts.filter(code=forecast.area.code)
    x, y = forecast.grid.centres()
    values = forecast.shown
    total = float(values.sum())
    taken = np.zeros(values.size, dtype=bool)
    rows = []
    for code, name, boundary in (districts.exclude(boundary__isnull=True).order_by("code")
                                 .values_list("code", "name", "boundary")):
        inside = contains_xy(shape(boundary), x, y) & ~taken
        taken |= inside
        value = float(values[inside].sum())
        row = {"code": code, "name": name, "forecast": round(value, 3),
               "share": round(value / total, 4) if total > 0 else None,
               "cells": int(inside.sum())}
        if boundaries:
            row["boundary"] = boundary
        rows.append(row)
    return rows


def outside_wijken(forecast: Forecast, rows: list[dict]) -> dict:
    """What the wijk rows leave out: the cells whose centre lies in no wijk (the area's
    total = the wijk sums + this, up to rounding)."""
    total = float(forecast.shown.sum())
    in_wijken = sum(r["forecast"] for r in rows)
    return {"forecast": round(total - in_wijken, 3),
            "cells": forecast.grid.n_cells - sum(r["cells"] for r in rows),
            "total": round(total, 3)}
