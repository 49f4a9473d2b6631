"""Evaluate forecasts on an events dataset and store the result (the Django side, thin).

The events of a dataset go to the analytics engine as Arrow (x, y in the dataset's CRS,
month), the pure core (`analytics.forecasts`) backtests them, and the result is stored as
a `ForecastEvaluation` with the data version. Datasets have no boundary of their own, so
the study area is the buffered hull of the events before each origin (`areas.hull_grids`).
This runs as a command for whoever operates the platform; what users may see of it is
decided when it is shown (not built yet: see decision 0043).
"""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa
from django.db.models import Max

from knooppunt.analytics.engine import arrow_from_queryset, get_engine
from knooppunt.analytics.forecasts import (
    METRIC_DEFINITIONS,
    EventTable,
    backtest,
    choose,
    month_index,
    month_label,
)
from knooppunt.analytics.forecasts.areas import hull_grids
from knooppunt.events.models import Event, EventDataset, OffenceCode

from .models import ForecastEvaluation

SCHEMA = pa.schema([("x", pa.float64()), ("y", pa.float64()), ("occurred_on", pa.date32())])


def data_version(dataset: EventDataset, offence: OffenceCode | None) -> str:
    """Dataset, events counted, the highest event id and the last date: changes whenever
    events are added, removed or replaced."""
    events = dataset.events.all()
    if offence is not None:
        events = events.filter(offence=offence)
    summary = events.aggregate(last_id=Max("id"), last_date=Max("occurred_on"))
    return (f"{dataset.code}:{offence.code if offence else 'alle'}:{events.count()} events,"
            f" id≤{summary['last_id']}, t/m {summary['last_date']}")


def _events_table(dataset: EventDataset, offence: OffenceCode | None) -> pa.Table:
    queryset = Event.objects.filter(dataset=dataset)
    if offence is not None:
        queryset = queryset.filter(offence=offence)
    raw = arrow_from_queryset(queryset, ["x", "y", "occurred_on"], SCHEMA)
    days = raw.column("occurred_on").to_numpy(zero_copy_only=False).astype("datetime64[M]")
    months = days.astype(np.int64) + month_index(1970, 1)  # datetime64[M] counts from 1970-01
    return pa.table({"x": raw.column("x"), "y": raw.column("y"),
                     "month": pa.array(months.astype(np.int32))})


def evaluate(dataset: EventDataset, *, offence: OffenceCode | None = None, year: int,
             cell_size: int = 250, horizon: int = 1) -> ForecastEvaluation:
    """Backtest the twelve months of `year` and store the evaluation (ForecastRefused and
    TooManyCells pass through to the caller, nothing stored)."""
    started = time.perf_counter()
    engine = get_engine()
    try:
        engine.register("events", _events_table(dataset, offence))
        events = EventTable(engine, "events")
        origins = [month_index(year, m) for m in range(1, 13)]
        grid_for = hull_grids(events, cell_size, crs=f"EPSG:{dataset.crs}")
        result = backtest(events, grid_for, origins, horizon=horizon)
    finally:
        engine.close()
    choice = choose(result)
    scores = [
        {"month": month_label(m.origin), "events": m.events, "cells": m.cells,
         "methods": {method: {f"{share:g}": {"hit_rate": s.hit_rate, "pai": s.pai,
                                            "pei": s.pei, "cells": s.cells}
                              for share, s in by_share.items()}
                     for method, by_share in m.scores.items()}}
        for m in result.months
    ]
    return ForecastEvaluation.objects.create(
        dataset=dataset, offence=offence, cell_size=cell_size, horizon=horizon,
        first_month=month_label(origins[0]), last_month=month_label(origins[-1]),
        data_version=data_version(dataset, offence), shown_method=choice.method,
        best_baseline=choice.best_baseline, learned_shown=choice.learned_shown,
        reason_nl=choice.reason_nl, reason_en=choice.reason_en,
        features=list(result.features), scores=scores, definitions=METRIC_DEFINITIONS,
        seconds=round(time.perf_counter() - started, 2),
    )
