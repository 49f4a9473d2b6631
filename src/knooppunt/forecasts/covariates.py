"""The tables behind the source features of a signal forecast (the Django side, thin).

The pure core (`analytics.forecasts.features.SOURCE_FEATURES`) asks the engine for what
was known per cell before each month; this module gives it the tables, each with x, y (RD
New) and month = the month a row became known:

- `other`: rows of another type than the target (`targets.Target.others`): the *other*
  themes' signals (received date), or the dataset's other offences (date of the offence);
- `incidents`: police incidents of the datasets in RD New in the area (date of the
  offence; beside an incident target, those of the other datasets);
- `signals`: signals of all themes in the area (beside an incident target);
- `buildings`: register addresses (BAG) in the area, known from December of the
  construction year (the year is all the register tells; without one, from the month of
  the register extract), with their floor area;
- `vacant`: the addresses the register calls not in use ("buiten gebruik"), known from
  the month of the register extract: a status has no history here, so it cannot be
  claimed for earlier months (a closure after a raid must not leak into the past);
- `companies`: company registrations (KvK) at those addresses, known from their
  registration date (or the extract's when the register gives none).

Who sees what: the signals and incidents come from the querysets the caller passes in
(`scope.signals_for(user)` and `scope.events_for(user)` for a user's map; all rows for an
evaluation made by the job, like the target signals). The registers hold buildings and
companies, not persons, and are read only inside the area `hotspot_service.resolve_area`
already checked against the user's municipalities.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from django.db.models import Count, Max

from knooppunt.analytics.forecasts import EventTable, MissingSource, month_index
from knooppunt.analytics.forecasts.features import SOURCE_FEATURES
from knooppunt.analytics.hotspot_service import Area
from knooppunt.registers.models import Address, Company

from .evaluation import month_table
from .targets import Target, in_area

VACANT_WORDS = ("buiten gebruik",)
TABLES = ("other", "incidents", "signals", "buildings", "vacant", "companies")


def _months(dates) -> np.ndarray:
    days = np.array(dates, dtype="datetime64[D]").astype("datetime64[M]")
    return (days.astype(np.int64) + month_index(1970, 1)).astype(np.int32)


def _points(x, y, months, **extra) -> pa.Table:
    return pa.table({"x": pa.array(np.asarray(x, dtype=np.float64)),
                     "y": pa.array(np.asarray(y, dtype=np.float64)),
                     "month": pa.array(np.asarray(months, dtype=np.int32)), **extra})


def building_tables(area: Area) -> dict[str, pa.Table]:
    """`buildings` and `vacant` from the address register inside the area."""
    rows = list(in_area(Address.objects.all(), area, "x_rd", "y_rd").values_list(
        "x_rd", "y_rd", "construction_year", "source_date", "floor_area", "status"))
    x = [r[0] for r in rows]
    y = [r[1] for r in rows]
    extract = _months([r[3] for r in rows]) if rows else np.zeros(0, np.int32)
    built = np.array([month_index(r[2], 12) if r[2] else extract[i]
                      for i, r in enumerate(rows)], dtype=np.int32)
    area_m2 = pa.array([None if r[4] is None else float(r[4]) for r in rows], pa.float64())
    vacant = np.array([any(w in (r[5] or "").lower() for w in VACANT_WORDS) for r in rows],
                      dtype=bool)
    return {
        "buildings": _points(x, y, built, floor_area=area_m2),
        # Known as vacant from the extract, and never before the building itself.
        "vacant": _points(np.asarray(x)[vacant] if rows else [],
                          np.asarray(y)[vacant] if rows else [],
                          np.maximum(extract, built)[vacant] if rows else []),
    }


def company_table(area: Area) -> pa.Table:
    rows = list(in_area(Company.objects.filter(address__isnull=False), area,
                         "address__x_rd", "address__y_rd", "address__municipality_id")
                .values_list("address__x_rd", "address__y_rd", "registered_on",
                             "source_date"))
    return _points([r[0] for r in rows], [r[1] for r in rows],
                   _months([r[2] or r[3] for r in rows]) if rows else [])


def covariate_tables(features: tuple[str, ...], target: Target, area: Area, signals,
                     events) -> dict[str, pa.Table]:
    """The tables the `features` need (only those): `signals` and `events` are the
    querysets the caller may read (see the module text)."""
    needed = {SOURCE_FEATURES[f][0] for f in features if f in SOURCE_FEATURES}
    if "vacant" in needed:
        needed.add("buildings")
    tables: dict[str, pa.Table] = {}
    if "other" in needed:
        others = target.others(area, signals, events)
        if others is None:
            raise MissingSource("other_lag_1", "other")
        x, y, day = target.fields
        tables["other"] = month_table(others, x, y, day)
    if "incidents" in needed:
        tables["incidents"] = month_table(target.incidents(area, events), "x", "y",
                                          "occurred_on")
    if "signals" in needed:
        tables["signals"] = month_table(in_area(signals.filter(x_rd__isnull=False), area,
                                                "x_rd", "y_rd"),
                                        "x_rd", "y_rd", "received_on")
    if needed & {"buildings", "vacant"}:
        tables.update({k: v for k, v in building_tables(area).items() if k in needed})
    if "companies" in needed:
        tables["companies"] = company_table(area)
    return tables


def version(features: tuple[str, ...], target: Target, area: Area, signals, events) -> str:
    """What the feature tables hold now, cheaply (rows and highest id per source): part of
    a cached forecast's key, so a new signal, incident or register row is not ignored."""
    needed = {SOURCE_FEATURES[f][0] for f in features if f in SOURCE_FEATURES}
    sources = []
    if "other" in needed:
        sources.append(target.others(area, signals, events))
    if "incidents" in needed:
        sources.append(target.incidents(area, events))
    if "signals" in needed:
        sources.append(in_area(signals, area, "x_rd", "y_rd"))
    if needed & {"buildings", "vacant"}:
        sources.append(in_area(Address.objects.all(), area, "x_rd", "y_rd"))
    if "companies" in needed:
        sources.append(in_area(Company.objects.all(), area, "address__x_rd",
                               "address__y_rd", "address__municipality_id"))
    parts = []
    for queryset in sources:
        if queryset is None:
            continue
        summary = queryset.aggregate(n=Count("pk"), last=Max("pk"))
        parts.append(f"{summary['n']}/{summary['last']}")
    return ";".join(parts)


def register(engine, features: tuple[str, ...], target: Target, area: Area, signals,
             events) -> dict[str, EventTable]:
    """The tables registered with `engine` (as cov_<name>), as the core's covariates."""
    covariates = {}
    for name, table in covariate_tables(features, target, area, signals, events).items():
        engine.register(f"cov_{name}", table)
        covariates[name] = EventTable(engine, f"cov_{name}")
    return covariates
