"""Evaluate forecasts on an events dataset and store the result (the Django side, thin).

The events of a dataset go to the analytics engine as Arrow (x, y in the dataset's CRS,
month), the pure core (`analytics.forecasts`) backtests them, and the result is stored as
a `ForecastEvaluation` with the data version. Datasets have no boundary of their own, so
the study area is the buffered hull of the events before each origin (`areas.hull_grids`).

A target in a Dutch area (`evaluate_area`: the signals of a theme, or police incidents of
a Dutch dataset, `forecasts.targets`) is evaluated on *all* its rows in the area (only
their place and date): the stored result holds ratios per month and method, no counts,
and is shown to users who may see forecasts of the area; the forecast map itself is made
from the rows each user may see (`forecasts.service`).
The study area is the area's own boundary, fixed, so no month shapes the grid. This runs
as a command or a scheduled job (`forecasts.jobs`), never for one user.
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pyarrow as pa
from django.core.exceptions import EmptyResultSet
from django.db.models import Max
from threadpoolctl import threadpool_limits

from knooppunt.analytics.engine import arrow_from_queryset, get_engine
from knooppunt.analytics.forecasts import (
    BASE_FEATURES,
    CROSS_TYPE_FEATURES,
    METRIC_DEFINITIONS,
    EventTable,
    backtest,
    choose,
    month_index,
    month_label,
)
from knooppunt.analytics.forecasts.areas import hull_grids
from knooppunt.analytics.forecasts.features import check_features
from knooppunt.analytics.hotspots import grid_over
from knooppunt.events.models import Event, EventDataset, OffenceCode
from knooppunt.taxonomy.models import Theme

from .models import ForecastEvaluation
from .targets import Target


def data_version(dataset: EventDataset, offence: OffenceCode | None) -> str:
    """Dataset, events counted, the highest event id and the last date: changes whenever
    events are added, removed or replaced."""
    events = dataset.events.all()
    if offence is not None:
        events = events.filter(offence=offence)
    summary = events.aggregate(last_id=Max("id"), last_date=Max("occurred_on"))
    return (f"{dataset.code}:{offence.code if offence else 'alle'}:{events.count()} events,"
            f" id≤{summary['last_id']}, t/m {summary['last_date']}")


def month_table(queryset, x: str, y: str, day: str) -> pa.Table:
    """The rows of `queryset` as the core's table: x, y and the month index of `day`."""
    schema = pa.schema([("x", pa.float64()), ("y", pa.float64()), ("day", pa.date32())])
    try:
        raw = arrow_from_queryset(queryset, [x, y, day], schema)
    except EmptyResultSet:  # a scope that grants nothing (queryset.none()) has no SQL
        raw = schema.empty_table()
    days = raw.column("day").to_numpy(zero_copy_only=False).astype("datetime64[M]")
    months = days.astype(np.int64) + month_index(1970, 1)  # datetime64[M] counts from 1970-01
    return pa.table({"x": raw.column("x"), "y": raw.column("y"),
                     "month": pa.array(months.astype(np.int32))})


def _events_table(dataset: EventDataset, offence: OffenceCode | None) -> pa.Table:
    queryset = Event.objects.filter(dataset=dataset)
    if offence is not None:
        queryset = queryset.filter(offence=offence)
    return month_table(queryset, "x", "y", "occurred_on")


def held_out_months(today: date, horizon: int = 1, months: int = 12) -> list[int]:
    """The origins of the last `months` forecasts whose whole period lies before this
    month (for a quarter: the last origin is three months before this one)."""
    end = month_index(today.year, today.month) - horizon + 1
    return list(range(end - months, end))


def _scores(result) -> list[dict]:
    return [
        {"month": month_label(m.origin), "events": m.events, "cells": m.cells,
         "methods": {method: {f"{share:g}": {"hit_rate": s.hit_rate, "pai": s.pai,
                                            "pei": s.pei, "cells": s.cells}
                              for share, s in by_share.items()}
                     for method, by_share in m.scores.items()}}
        for m in result.months
    ]


def evaluate_area(target: Target, area_code: str, *, today: date, cell_size: int = 500,
                  horizon: int = 1,
                  features: tuple[str, ...] | None = None) -> ForecastEvaluation:
    """Backtest the last twelve complete forecast periods of a target (a theme's signals,
    or police incidents) in a Dutch area and store the evaluation (ForecastRefused,
    TooManyCells and UnknownArea pass through, nothing stored). The learned model uses
    `features` (default: the target's, `Target.default_features`), read from all rows of
    the area, as the target."""
    from knooppunt.analytics.hotspot_service import RD_NEW, area_by_code, max_cells
    from knooppunt.signals.models import Signal

    from . import covariates

    started = time.perf_counter()
    area = area_by_code(area_code)
    grid = grid_over(area.geometry, cell_size, crs=RD_NEW, max_cells=max_cells())
    queryset = target.rows(area)
    origins = held_out_months(today, horizon)
    engine = get_engine()
    try:
        engine.register("events", month_table(queryset, *target.fields))
        features = check_features(features or target.default_features())
        sources = covariates.register(engine, features, target, area, Signal.objects.all(),
                                      Event.objects.all())
        with threadpool_limits(limits=1, user_api="openmp"):  # see forecasts.service
            result = backtest(EventTable(engine, "events"), lambda origin: grid, origins,
                              horizon=horizon, features=features, covariates=sources)
    finally:
        engine.close()
    choice = choose(result)
    return ForecastEvaluation.objects.create(
        **target.lookup(), area_code=area.code, cell_size=cell_size, horizon=horizon,
        first_month=month_label(origins[0]), last_month=month_label(origins[-1]),
        data_version=target.data_version(area.code, queryset),
        shown_method=choice.method, best_baseline=choice.best_baseline,
        learned_shown=choice.learned_shown, reason_nl=choice.reason_nl,
        reason_en=choice.reason_en, features=list(result.features), scores=_scores(result),
        definitions=METRIC_DEFINITIONS, seconds=round(time.perf_counter() - started, 2),
    )


def evaluate_signals(theme: Theme, area_code: str, **options) -> ForecastEvaluation:
    """`evaluate_area` of a theme's signals."""
    return evaluate_area(Target(theme=theme), area_code, **options)


def evaluate(dataset: EventDataset, *, offence: OffenceCode | None = None, year: int,
             cell_size: int = 250, horizon: int = 1) -> ForecastEvaluation:
    """Backtest the twelve months of `year` and store the evaluation (ForecastRefused and
    TooManyCells pass through to the caller, nothing stored). For one offence the learned
    model also sees the dataset's other offences in the cell (last 1 and 12 months)."""
    started = time.perf_counter()
    engine = get_engine()
    try:
        engine.register("events", _events_table(dataset, offence))
        events = EventTable(engine, "events")
        origins = [month_index(year, m) for m in range(1, 13)]
        grid_for = hull_grids(events, cell_size, crs=f"EPSG:{dataset.crs}")
        features, sources = BASE_FEATURES, {}
        if offence is not None:
            # One offence: the dataset's other offences as cross-type features (0056).
            engine.register("cov_other", month_table(
                Event.objects.filter(dataset=dataset).exclude(offence=offence),
                "x", "y", "occurred_on"))
            features = BASE_FEATURES + CROSS_TYPE_FEATURES
            sources = {"other": EventTable(engine, "cov_other")}
        result = backtest(events, grid_for, origins, horizon=horizon, features=features,
                          covariates=sources)
    finally:
        engine.close()
    choice = choose(result)
    scores = _scores(result)
    return ForecastEvaluation.objects.create(
        dataset=dataset, offence=offence, cell_size=cell_size, horizon=horizon,
        first_month=month_label(origins[0]), last_month=month_label(origins[-1]),
        data_version=data_version(dataset, offence), shown_method=choice.method,
        best_baseline=choice.best_baseline, learned_shown=choice.learned_shown,
        reason_nl=choice.reason_nl, reason_en=choice.reason_en,
        features=list(result.features), scores=scores, definitions=METRIC_DEFINITIONS,
        seconds=round(time.perf_counter() - started, 2),
    )
