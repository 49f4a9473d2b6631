"""The job that computes indicator values and stores them.

For each indicator: the measure yields rows at its finest level (buurt/wijk/gemeente,
month or year); the analytics engine rolls them up to every area level (buurt, wijk,
gemeente, veiligheidsregio, politie-eenheid, provincie, land) and period (month,
quarter, year), adding up the values and, for sums, the number of records behind them
(``support``), and adds the rate per 1,000 inhabitants; the result replaces the stored
values of that indicator in one transaction.

Recomputing when the data change: each measure gives a fingerprint of its source data
(for signals: count, highest id and last change). `compute_all` recomputes only the
indicators whose fingerprint differs from the one stored with their values, so running
it often (after deliveries, or every few minutes from cron) is cheap.

After the values the job stores which periods are hidden from audiences that get
suppressed figures (`monitoring.hidden`, decision 0026), so pages only read it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from knooppunt.analytics.engine import Engine, arrow_from_rows, get_engine
from knooppunt.geo.models import District, Municipality, Neighbourhood

from .measures.registry import get_measure
from .models import AreaLevel, Indicator, IndicatorValue, PeriodType

logger = logging.getLogger(__name__)

FACTS = pa.schema([
    ("mun", pa.string()),
    ("wk", pa.string()),
    ("bu", pa.string()),
    ("period_start", pa.date32()),
    ("value", pa.float64()),
    ("support", pa.int64()),
])
AREAS = pa.schema([
    ("mun", pa.string()),
    ("vr", pa.string()),
    ("pe", pa.string()),
    ("pv", pa.string()),
])
POPULATION = pa.schema([
    ("level", pa.string()),
    ("code", pa.string()),
    ("population", pa.int64()),
])

# level -> column in the joined fact table
LEVEL_COLUMNS = {
    AreaLevel.NEIGHBOURHOOD: "bu",
    AreaLevel.DISTRICT: "wk",
    AreaLevel.MUNICIPALITY: "mun",
    AreaLevel.SAFETY_REGION: "vr",
    AreaLevel.POLICE_UNIT: "pe",
    AreaLevel.PROVINCE: "pv",
    AreaLevel.COUNTRY: "'NL01'",
}
PERIOD_EXPRESSIONS = {
    PeriodType.MONTH: "CAST(date_trunc('month', period_start) AS DATE)",
    PeriodType.QUARTER: "CAST(date_trunc('quarter', period_start) AS DATE)",
    PeriodType.YEAR: "CAST(date_trunc('year', period_start) AS DATE)",
}


@dataclass(frozen=True)
class ComputeResult:
    indicator: str
    recomputed: bool
    values: int
    seconds: float


def _area_tables() -> tuple[pa.Table, pa.Table]:
    """Which region each municipality lies in, and the population of every area."""
    rows = list(Municipality.objects.values_list(
        "code", "safety_region__code", "safety_region__police_unit__code", "province__code",
        "population",
    ))
    areas = arrow_from_rows(((c, vr, pe, pv) for c, vr, pe, pv, _p in rows), AREAS)
    population: list[tuple[str, str, int]] = []
    sums: dict[tuple[str, str], int] = {}
    for code, vr, pe, pv, people in rows:
        population.append((AreaLevel.MUNICIPALITY, code, people))
        for level, region in ((AreaLevel.SAFETY_REGION, vr), (AreaLevel.POLICE_UNIT, pe),
                              (AreaLevel.PROVINCE, pv), (AreaLevel.COUNTRY, "NL01")):
            if region:
                sums[(level, region)] = sums.get((level, region), 0) + people
    population.extend((level, code, n) for (level, code), n in sums.items())
    population.extend(
        (AreaLevel.DISTRICT, c, p) for c, p in District.objects.values_list("code", "population")
    )
    population.extend(
        (AreaLevel.NEIGHBOURHOOD, c, p)
        for c, p in Neighbourhood.objects.values_list("code", "population")
    )
    return areas, arrow_from_rows(population, POPULATION)


def rollup_sql(granularity: str) -> str:
    """SQL that sums the facts to every level and period; standard SQL, engine-neutral."""
    period_types = (
        [PeriodType.MONTH, PeriodType.QUARTER, PeriodType.YEAR]
        if granularity == PeriodType.MONTH else [PeriodType.YEAR]
    )
    # Built only from the constants above (levels, columns, period types): no user input.
    parts = []
    for level, column in LEVEL_COLUMNS.items():
        for period_type in period_types:
            select = f"SELECT '{level}' AS level, {column} AS code, "  # noqa: S608
            parts.append(
                select + f"'{period_type}' AS period_type, "
                f"{PERIOD_EXPRESSIONS[period_type]} AS period_start, SUM(value) AS value, "
                "SUM(support) AS support "
                f"FROM joined WHERE {column} IS NOT NULL GROUP BY 1, 2, 3, 4"
            )
    summed = " UNION ALL ".join(parts)
    return (
        "WITH joined AS (SELECT f.mun, f.wk, f.bu, f.period_start, f.value, f.support, a.vr, "
        "a.pe, a.pv "
        "FROM facts f JOIN areas a ON f.mun = a.mun), "
        "summed AS (" + summed + ") "
        "SELECT s.level, s.code, s.period_type, s.period_start, s.value, s.support, "
        "p.population "
        "FROM summed s LEFT JOIN population p ON p.level = s.level AND p.code = s.code "
        "ORDER BY 1, 2, 3, 4"
    )


def compute_indicator(
    indicator: Indicator, *, engine: Engine | None = None, force: bool = False,
    tables: tuple[pa.Table, pa.Table] | None = None, now: datetime | None = None,
) -> ComputeResult:
    """Recompute one indicator when its source data changed (or when `force`)."""
    started = timezone.now()
    measure = get_measure(indicator.measure)
    params = indicator.parameters or {}
    fingerprint = f"{indicator.measure}:{sorted(params.items())}:{measure.fingerprint(params)}"
    fingerprint = fingerprint[:120]
    if not force and fingerprint == indicator.fingerprint:
        return ComputeResult(indicator.code, False, 0, 0.0)
    now = now or timezone.now()
    own_engine = engine is None
    engine = engine or get_engine()
    try:
        areas, population = tables or _area_tables()
        facts = arrow_from_rows(
            ((r.municipality_code, r.district_code, r.neighbourhood_code, r.period_start,
              r.value, r.support) for r in measure.compute(params)),
            FACTS,
        )
        engine.register("facts", facts)
        engine.register("areas", areas)
        engine.register("population", population)
        result = engine.query(rollup_sql(measure.granularity)).to_pylist()
    finally:
        if own_engine:
            engine.close()
    synthetic = measure.synthetic()
    source, source_date = measure_source(indicator, now.date())
    objects = [
        IndicatorValue(
            indicator=indicator,
            area_level=row["level"],
            area_code=row["code"],
            period_type=row["period_type"],
            period_start=row["period_start"],
            value=row["value"],
            support=row["support"],
            population=row["population"],
            per_1000=(round(row["value"] / row["population"] * 1000, 6)
                      if indicator.per_1000 and row["population"] else None),
            source=source,
            source_date=source_date,
            computed_at=now,
            is_synthetic=synthetic,
        )
        for row in result
    ]
    with transaction.atomic():
        IndicatorValue.objects.filter(indicator=indicator).delete()
        IndicatorValue.objects.bulk_create(objects, batch_size=2000)
        Indicator.objects.filter(pk=indicator.pk).update(fingerprint=fingerprint,
                                                         computed_at=now)
    indicator.fingerprint, indicator.computed_at = fingerprint, now
    seconds = (timezone.now() - started).total_seconds()
    logger.debug("indicator %s: %d values in %.2f s", indicator.code, len(objects), seconds)
    return ComputeResult(indicator.code, True, len(objects), seconds)


def measure_source(indicator: Indicator, today: date) -> tuple[str, date]:
    """Where the figures come from and the date they refer to: for imported statistics
    the source and publication date of the latest import of that table (so synthetic demo
    files say so), for Knooppunt's own records the indicator's source and today."""
    from .models import Statistic

    table = (indicator.parameters or {}).get("table")
    if table:
        latest = (Statistic.objects.filter(table=table).exclude(source_date__isnull=True)
                  .order_by("-source_date", "-id").values_list("source", "source_date").first())
        if latest:
            return latest[0][:200], latest[1]
    return indicator.source, today


def compute_all(*, force: bool = False, codes: list[str] | None = None) -> list[ComputeResult]:
    """Recompute every active indicator whose data changed; one engine for the run."""
    qs = Indicator.objects.filter(active=True)
    if codes:
        qs = qs.filter(code__in=codes)
    results = []
    engine = get_engine()
    try:
        tables = _area_tables()
        for indicator in qs:
            try:
                get_measure(indicator.measure)
            except KeyError:
                logger.warning("indicator %s: unknown measure %s", indicator.code,
                               indicator.measure)
                continue
            results.append(compute_indicator(indicator, engine=engine, force=force,
                                             tables=tables))
    finally:
        engine.close()
    if any(r.recomputed for r in results):
        analyze_values()
    # The hidden pattern of suppressed audiences follows the values (decision 0026);
    # also stored where it is missing or not current.
    from .hidden import refresh

    refresh(None if force else [r.indicator for r in results if r.recomputed])
    return results


def analyze_values() -> None:
    """Refresh the planner's statistics of the stored values after the job rewrote them.

    Recomputing deletes and inserts every value of an indicator; until the statistics
    are read again the planner of PostgreSQL judges the pages' reads on the table as it
    was (after a first run: empty, so an index is walked and filtered instead of
    searched: 240 ms instead of 40 ms for the key figures, decision 0034). Autovacuum
    does it too, but later or not at all when it is off; ANALYZE samples the table, a
    fraction of a second."""
    from django.db import connection

    if connection.vendor == "postgresql":  # SQLite plans without statistics here
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(IndicatorValue._meta.db_table)}")
