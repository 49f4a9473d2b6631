"""What the four gatherers share: the report's area, one figure of a period as a plain
cell, a row of figures beside their total, and the header every report carries.

All figures come from `monitoring.queries` (need to know + the dashboards' suppression);
this module only adds a period kind monitoring does not store (the half year, made of
its two quarters) and the complementary suppression of rows shown beside a total.
Periods are the framework's `reports.periods.ReportPeriod` (a code is parsed too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from knooppunt.monitoring import queries
from knooppunt.monitoring.areas import level_of
from knooppunt.monitoring.models import AreaLevel, PeriodType
from knooppunt.organisations import scope

from ..periods import InvalidPeriod, PeriodKind, ReportPeriod, parse, require
from .errors import ReportInputError, ReportNotAllowed

REPORT_LEVELS = (AreaLevel.MUNICIPALITY, AreaLevel.SAFETY_REGION, AreaLevel.POLICE_UNIT)


@dataclass(frozen=True)
class Cell:
    """One figure ready to print. `value is None`: suppressed (print "<threshold") when
    `suppressed`, "geen gegevens" when `incomplete` (the period begins before Knooppunt
    had records of the source, decision 0021), else no data. `per_1000` only for counts
    of a known population."""

    value: float | None
    suppressed: bool
    unit: str  # monitoring Unit: aantal, euro, uren, procent
    per_1000: float | None = None
    source: str = ""
    source_date: date | None = None
    incomplete: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Header:
    """What every report states on its first page."""

    area_code: str
    area_name: str
    area_level: str  # gemeente, veiligheidsregio, politie-eenheid
    population: int | None
    period_code: str  # "2025", "2025-H1"
    period_label: str  # in the active language
    period_start: date
    period_end: date
    generated_at: datetime
    generated_by: str
    small_count_threshold: int  # cells below it print as "<threshold"
    synthetic: bool  # demo data: every page says so


def threshold() -> int:
    return settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD


def report_period(value: ReportPeriod | str, *kinds: PeriodKind) -> ReportPeriod:
    """The period of a report of one of `kinds` (a period or its code, "2025-H1");
    `ReportInputError` in Dutch and English for anything else."""
    try:
        period = parse(value)
        require(period, *kinds)
    except InvalidPeriod as error:
        raise ReportInputError(error.dutch, error.english) from None
    return period


def report_area(user, code: object) -> queries.AreaRef:
    """The municipality or region a report is about, if the user may see its figures."""
    text = str(code or "").strip().upper()
    level = level_of(text)
    if level not in REPORT_LEVELS:
        raise ReportInputError(
            f"Onbekend gebied {text[:20]!r}: geef een gemeentecode (GM0153) of een "
            "regiocode (VR05, PE05).",
            f"Unknown area {text[:20]!r}: give a municipality code (GM0153) or a region "
            "code (VR05, PE05).")
    try:
        return queries.area(user, level, text)
    except queries.UnknownArea:
        raise ReportInputError(f"Gebied {text!r} bestaat niet.",
                               f"Area {text!r} does not exist.") from None
    except queries.NotAllowed:
        raise ReportNotAllowed(
            f"U mag de cijfers van {text} niet inzien.",
            f"You may not see the figures of {text}.") from None


def header(user, area: queries.AreaRef, period: ReportPeriod, *, synthetic: bool) -> Header:
    return Header(
        area_code=area.code, area_name=area.name, area_level=area.level,
        population=area.population, period_code=period.code, period_label=period.label,
        period_start=period.start, period_end=period.end, generated_at=timezone.now(),
        generated_by=user.get_full_name() or user.get_username(),
        small_count_threshold=threshold(), synthetic=synthetic,
    )


def cell(figure: queries.Figure, unit: str) -> Cell:
    return Cell(figure.value, figure.suppressed, unit, figure.per_1000, figure.source,
                figure.source_date, figure.incomplete)


def _no_data(info: queries.IndicatorInfo) -> Cell:
    return Cell(None, False, info.unit, None, info.source, None)


def period_cell(user, info: queries.IndicatorInfo, area: queries.AreaRef,
                period: ReportPeriod) -> tuple[Cell, bool]:
    """The figure of an indicator for one area and period and whether it is synthetic.

    A year and a quarter are stored figures (`queries.values`, as the dashboards show
    them). A half year is the sum of its two quarters (`queries.half_year`), hidden by
    the same period rule as the quarters and months beside it (decision 0026), no data
    when it begins before the first record. An indicator without values for the kind of
    period (yearly police figures) gives no data.
    """
    period_type = PeriodType.YEAR if period.kind == PeriodKind.YEAR else PeriodType.QUARTER
    if period_type not in info.period_types:
        return _no_data(info), False
    if period.kind in (PeriodKind.YEAR, PeriodKind.QUARTER):
        found = queries.values(user, info.code, area.level, period_type, period.start,
                               codes=[area.code])
        if not found:
            return _no_data(info), False
        return cell(found[0], info.unit), found[0].synthetic
    found = queries.half_year(user, info.code, area.level, area.code, period.start)
    return cell(found, info.unit), found.synthetic


def _latest(figures: Sequence[queries.Figure]) -> date | None:
    dates = [f.source_date for f in figures if f.source_date]
    return max(dates) if dates else None


def change_percent(current: Cell, previous: Cell) -> float | None:
    """Change against the earlier figure in percent (None when either is not shown or
    has no data)."""
    if current.incomplete or previous.incomplete:
        return None
    if current.value is None or previous.value is None or not previous.value:
        return None
    return round((current.value - previous.value) / previous.value * 100, 1)


def hide_beside_total(user, cells: Sequence[Cell], raws: Sequence[int],
                      rest: int = 0) -> list[Cell]:
    """Secondary suppression for rows printed beside their total (themes beside all
    signals): `raws` are the rows' counts (`signal_counts`); when a row is hidden,
    further rows are hidden as `scope.suppress_breakdown` decides, so the total minus
    the shown rows gives no small figure; `rest` is the part of the total in rows not
    printed (a theme without an indicator). Rows hidden already stay hidden."""
    kept = scope.suppress_breakdown(user, list(raws), rest=rest or None)
    return [c if k is not None or c.value is None
            else replace(c, value=None, suppressed=True, per_1000=None)
            for c, k in zip(cells, kept, strict=True)]


def signal_counts(user, area: queries.AreaRef, start: date, end: date,
                  field: str) -> dict[str, int]:
    """Signals received in [start, end] in the area per `field` ("theme__code",
    "source_type__code"), for counting only. A municipality through
    `scope.signals_for_aggregates`; a region (whose figures `report_area` allowed) over
    all its municipalities, as monitoring counts the region."""
    from django.db.models import Count

    from knooppunt.signals.models import Signal

    base = (scope.signals_for_aggregates(user) if area.level == AreaLevel.MUNICIPALITY
            else Signal.objects.all())
    rows = (base.filter(municipality__code__in=municipality_codes(area),
                        received_on__range=(start, end))
            .values(field).annotate(n=Count("pk")).order_by())
    return {r[field]: r["n"] for r in rows}


def period_alerts(user, area: queries.AreaRef, period: ReportPeriod) -> list[queries.AlertInfo]:
    """Alerts of the area (and the areas inside it) whose period lies in the report's."""
    return [a for a in queries.alerts(user, area.level, area.code)
            if period.start <= a.period.start <= period.end]


def municipality_codes(area: queries.AreaRef) -> list[str]:
    from knooppunt.monitoring.areas import municipality_codes_in

    return municipality_codes_in(area.level, area.code)


__all__ = ["Cell", "Header", "REPORT_LEVELS", "cell", "change_percent", "header",
           "hide_beside_total", "municipality_codes", "period_alerts", "period_cell",
           "report_area", "report_period", "signal_counts", "threshold"]
