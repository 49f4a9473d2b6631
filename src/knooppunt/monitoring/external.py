"""External statistics: the real figures shipped with Knooppunt, and reading them back.

`load_real_figures` stores, as `Statistic` rows with their source:
* registered crime 2023 (brengdelicten) for all 342 municipalities (CBS/Politie 47018NED,
  summed per municipality by W. Bernasco, NSCR);
* national registered crime by type, 2012-2023 (Politie 47025NED).
Idempotent: running it again updates the same rows.
"""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

from django.db import transaction

from knooppunt.organisations import scope

from . import areas as area_lookup
from . import periods
from .models import AreaLevel, PeriodType, Statistic

MUNICIPAL_SOURCE = "CBS/Politie 47018NED (2023); bewerking W. Bernasco (NSCR)"
MUNICIPAL_SOURCE_DATE = date(2024, 9, 5)  # date of the published table
NATIONAL_SOURCE = "Politie 47025NED (jaarcijfers Nederland)"
NATIONAL_SOURCE_DATE = date(2024, 3, 20)
UNIQUE = ["table", "measure", "crime_type_code", "area_code", "period_type", "period_start"]


def _data(name: str):
    return (resources.files("knooppunt.geo") / "data" / name).open(encoding="utf-8")


def load_real_figures() -> int:
    """Store the real 2023 municipal and 2012-2023 national figures; returns the count."""
    rows: list[Statistic] = []
    with _data("gemeenten_2024_bevolking2024_misdrijven2023.csv") as handle:
        for row in csv.DictReader(handle):
            rows.append(Statistic(
                table="47018NED", crime_type_code="brengdelicten",
                crime_type_label="Brengdelicten (door slachtoffers gemelde misdrijven)",
                area_level=AreaLevel.MUNICIPALITY, area_code="GM" + row["nummer"],
                period_type=PeriodType.YEAR, period_start=date(2023, 1, 1),
                value=int(row["misdaad"]), source=MUNICIPAL_SOURCE,
                source_date=MUNICIPAL_SOURCE_DATE,
            ))
    with _data("nl_misdrijven_per_soort_2012_2023.csv") as handle:
        for row in csv.DictReader(handle):
            label = row["incident_type_code"].strip()
            code, _, rest = label.partition(" ")
            if label == "Totaal misdrijven":
                code, rest = "0.0.0", label
            elif not code[:1].isdigit():
                code, rest = label[:20], label
            rows.append(Statistic(
                table="47025NED", crime_type_code=code, crime_type_label=rest[:120],
                area_level=AreaLevel.COUNTRY, area_code="NL01",
                period_type=PeriodType.YEAR, period_start=date(int(row["year"]), 1, 1),
                value=int(float(row["incident_count"] or 0)), source=NATIONAL_SOURCE,
                source_date=NATIONAL_SOURCE_DATE,
            ))
    with transaction.atomic():
        Statistic.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True, unique_fields=UNIQUE,
            update_fields=["value", "crime_type_label", "source", "source_date"],
        )
    return len(rows)


def statistic_rows(user, area_code, table, crime_type, period_type, start, end, limit):
    """Published statistics for one area (see `queries.statistics`)."""
    from .queries import StatisticRow

    ref = area_lookup.area_by_code(area_code)
    # Published open data: every signed-in user may see it, at every level.
    if not scope.figure_visible(user, ref.level, ref.code, public=True):
        from .queries import NotAllowed

        raise NotAllowed(area_code)
    qs = Statistic.objects.filter(area_code=ref.code)
    if table:
        qs = qs.filter(table=table)
    if crime_type:
        qs = qs.filter(crime_type_code=crime_type)
    if period_type:
        qs = qs.filter(period_type=period_type)
    if start:
        qs = qs.filter(period_start__gte=start)
    if end:
        qs = qs.filter(period_start__lte=end)
    result = []
    for s in qs.order_by("table", "crime_type_code", "period_start")[:limit]:
        shown = s.value
        suppressed = False
        if s.value is not None and scope.suppress_small(user, s.value) is None:
            shown, suppressed = None, True
        result.append(StatisticRow(
            table=s.table, measure=s.measure, crime_type_code=s.crime_type_code,
            crime_type_label=s.crime_type_label, area=ref,
            period=periods.period(s.period_type, s.period_start), value=shown,
            withheld=s.value is None, suppressed=suppressed, source=s.source,
            source_date=s.source_date, synthetic=s.is_synthetic,
        ))
    return result
