"""Raadsvragen: the figures an answer to council questions about a theme needs (seed
002): registrations per year over the last five years, per wijk (for a region: per
municipality), the trend, the comparison with peers and the region, and a ready-to-paste
text built from the same numbers. Every figure as the dashboards show it.

A year that begins before Knooppunt had records of signals (2023 when the first signal
came in on 1 December 2023) has no data: it is printed as such, no change is computed
against it, and the change over the years is given from the first year with data
("sinds 2024"), decision 0021.

A year that still runs is compared by the one rule (`monitoring.comparison`, decision
0025): its complete months against the same months of the year before, and the text says
so ("1 jan – 30 nov 2026 t.o.v. 1 jan – 30 nov 2025"); no change over five years is
computed from a year that is not complete."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format

from knooppunt.charts.numbers import half_up
from knooppunt.charts.numbers import localized as number
from knooppunt.charts.series import running_label
from knooppunt.charts.vega import Hidden, Point, bar_spec, trend_spec
from knooppunt.monitoring import comparison as rule
from knooppunt.monitoring import memo, queries
from knooppunt.monitoring.models import AreaLevel, PeriodType

from ..periods import PeriodKind, ReportPeriod
from .common import Cell, Header, cell, change_percent, report_area, report_period, threshold
from .common import header as make_header
from .errors import ReportInputError
from .text import english

YEARS = 5
TOTAL = "signalen-totaal"


@dataclass(frozen=True)
class YearRow:
    year: int
    value: Cell
    change_percent: float | None  # against the year before (None: either hidden)


@dataclass(frozen=True)
class AreaRow:
    code: str  # WK… (or GM… for a region)
    name: str
    population: int | None
    value: Cell  # suppressed with secondary suppression (the total is printed)


@dataclass(frozen=True)
class Comparison:
    """Peers (municipality) and the safety region, per 1,000 inhabitants."""

    group_name: str  # "" when there is none
    group_average_per_1000: float | None
    index: float | None  # own rate / group average × 100
    region_code: str
    region_name: str
    region_per_1000: float | None
    own_per_1000: float | None


@dataclass(frozen=True)
class Raadsvragen:
    header: Header
    theme_code: str | None  # None: all themes
    indicator_code: str
    indicator_name: str
    definition: str
    source: str
    years: tuple[YearRow, ...]  # oldest first, the report's year last
    change_percent: float | None  # the report's year against the year before
    five_year_change_percent: float | None  # against the first of the five years
    direction: str  # "gestegen" / "gedaald" / "gelijk" / "onbekend" (English on en pages)
    areas: tuple[AreaRow, ...]
    area_level: str  # wijk (municipality) or gemeente (region)
    comparison: Comparison
    text: str  # the paragraph for the answer letter, in the active language
    charts: dict[str, dict]  # "years" (trend), "areas" (bars per wijk)
    # The first of the years with data (None: none of them has data) and the change of
    # the report's year against it; the same as the five-year change when all five have.
    since_year: int | None = None
    change_since_percent: float | None = None
    recorded_since: date | None = None  # first day of records of the source
    # A running year (decision 0025): "t/m 5 dec", what the change compares, and the
    # compared parts' values (None: hidden or not comparable yet).
    partial_mark: str = ""
    compared_text: str = ""
    compared_current: float | None = None
    compared_previous: float | None = None


def _indicator(user, theme: str | None) -> queries.IndicatorInfo:
    code = TOTAL if not theme else f"signalen-{str(theme).strip().lower()}"
    try:
        return queries.indicator(user, code)
    except queries.UnknownIndicator:
        known = sorted(i.theme_code for i in queries.indicators(user)
                       if i.code.startswith("signalen-") and i.theme_code)
        raise ReportInputError(
            f"Onbekend thema {str(theme)[:40]!r}; kies uit {', '.join(known)}.",
            f"Unknown theme {str(theme)[:40]!r}; choose from {', '.join(known)}.") from None


@memo.per_request  # one read of indicators, areas and targets per report
def gather(user, subject: str, period: ReportPeriod | str,
           theme: str | None = None) -> Raadsvragen:
    """The council-answer figures of `subject` (GM/VR/PE code) for a year ("2025") and a
    theme (a theme code such as "drugshandel"; None: all signals)."""
    period = report_period(period, PeriodKind.YEAR)
    area = report_area(user, subject)
    info = _indicator(user, theme)
    first = date(period.year - YEARS + 1, 1, 1)
    series = {f.period.start.year: f for f in queries.series(
        user, info.code, area.level, area.code, PeriodType.YEAR, first,
        date(period.year, 1, 1))}
    cells = [(y, cell(series[y], info.unit) if y in series
              else Cell(None, False, info.unit, source=info.source))
             for y in range(first.year, period.year + 1)]
    years = tuple(YearRow(y, c, change_percent(c, cells[i - 1][1]) if i else None)
                  for i, (y, c) in enumerate(cells))
    areas = tuple(AreaRow(f.area.code, f.area.name, f.area.population, cell(f, info.unit))
                  for f in queries.breakdown(user, info.code, area.level, area.code,
                                             PeriodType.YEAR, period.start))
    current, before = years[-1].value, years[-2].value
    five = change_percent(current, years[0].value)
    since_year = next((r.year for r in years if not r.value.incomplete), None)
    since_change = (change_percent(current, years[since_year - first.year].value)
                    if since_year is not None and since_year < period.year else None)
    window = rule.same_part(period.start, period.end, date(period.year - 1, 1, 1),
                            timezone.localdate())
    same = None
    if window.running:
        # The running year against the same complete months, never the whole year before.
        same = rule.compare(user, info.code, area.level, area.code, window)
        years = (*years[:-1], replace(years[-1], change_percent=same.change_percent))
        five = since_change = None
    first_record = queries.recorded_since(user, info.code)
    comparison = _comparison(user, info, area, period, current)
    result = dict(
        header=make_header(user, area, period,
                           synthetic=any(f.synthetic for f in series.values())),
        theme_code=info.theme_code, indicator_code=info.code, indicator_name=info.name,
        definition=info.definition, source=info.source, years=years,
        change_percent=years[-1].change_percent, five_year_change_percent=five,
        direction=_direction(years[-1].change_percent),
        areas=areas,
        area_level=(AreaLevel.DISTRICT if area.level == AreaLevel.MUNICIPALITY
                    else AreaLevel.MUNICIPALITY),
        comparison=comparison,
        charts=_charts(info, years, areas, window.partial_mark()),
        since_year=since_year, change_since_percent=since_change,
        recorded_since=first_record,
        partial_mark=window.partial_mark(), compared_text=window.text(),
        compared_current=same.current.value if same and same.current else None,
        compared_previous=same.previous.value if same and same.previous else None,
    )
    result["text"] = _text(info, area, period.year, current, before, comparison,
                           result["direction"], first_record, same)
    return Raadsvragen(**result)


def _comparison(user, info, area, period, current: Cell) -> Comparison:
    group_name, average, index = "", None, None
    if area.level == AreaLevel.MUNICIPALITY:
        try:
            found = queries.benchmark(user, info.code, area.code, period.year)
            group_name, average, index = found.group.name, found.group_average, found.index
        except (ValueError, LookupError, PermissionError):
            pass  # no peer group or no figures for it
        from knooppunt.geo.models import Municipality

        region = Municipality.objects.select_related("safety_region").get(
            code=area.code).safety_region
        figures = queries.values(user, info.code, AreaLevel.SAFETY_REGION, PeriodType.YEAR,
                                 period.start, codes=[region.code]) if region else []
        region_code, region_name = (region.code, region.name) if region else ("", "")
        region_rate = figures[0].per_1000 if figures else None
    else:
        region_code, region_name, region_rate = area.code, area.name, current.per_1000
    return Comparison(group_name, average, index, region_code, region_name, region_rate,
                      current.per_1000)


def _direction(change: float | None) -> str:
    en = english()
    if change is None:
        return "unknown" if en else "onbekend"
    if abs(change) < 5:
        return "about the same" if en else "gelijk"
    if change > 0:
        return "risen" if en else "gestegen"
    return "fallen" if en else "gedaald"


def _number(value: float | None, en: bool) -> str:
    if value is None:
        return (f"fewer than {threshold()}" if en else f"minder dan {threshold()}")
    # As the tables print it (rounded half up, the active language's separators).
    return number(value, 0 if float(value).is_integer() else 1)


def _signed(change: float) -> str:
    shown = half_up(change, 0)
    return f"{'+' if shown > 0 else ''}{number(shown, 0)}"


def _rate(value: float) -> str:
    return number(value, 2)


def _since(first: date | None, en: bool) -> str:
    if first is None:
        return ("Knooppunt has no signals on record yet." if en else
                "Knooppunt heeft nog geen signalen geregistreerd.")
    day = date_format(first, "j F Y")
    return (f"Knooppunt has registered signals since {day}." if en else
            f"Knooppunt registreert signalen sinds {day}.")


def _running_text(info, area, year: int, current: Cell, same: rule.Compared,
                  direction: str, en: bool) -> list[str]:
    """The first sentences for a year that still runs: its figure so far, and the change
    over its complete months against the same months of the year before."""
    name = info.name[:1].lower() + info.name[1:]
    mark = same.comparison.partial_mark()
    parts = [f"In {year} ({mark}), {_number(current.value, en)} {name} were registered in "
             f"{area.name}." if en else
             f"In {year} ({mark}) zijn er in {area.name} {_number(current.value, en)} {name} "
             f"geregistreerd."]
    if not same.comparison.comparable:
        parts.append(f"A comparison with {year - 1} follows after the first complete month."
                     if en else
                     f"Een vergelijking met {year - 1} volgt na de eerste volledige maand.")
        return parts
    cur, prev = same.comparison.current.label(), same.comparison.previous.label()
    now = same.current.value if same.current else None
    then = same.previous.value if same.previous else None
    if now is None or then is None:
        parts.append(f"The comparison {same.text} is not shown: beside the figure of the "
                     f"year it would reveal a small number." if en else
                     f"De vergelijking {same.text} wordt niet getoond: naast het cijfer van "
                     f"het jaar zou die een klein aantal verraden.")
        return parts
    parts.append(f"From {cur} there were {_number(now, en)}, against {_number(then, en)} "
                 f"from {prev}." if en else
                 f"Over {cur} waren het er {_number(now, en)}, tegen {_number(then, en)} over "
                 f"{prev}.")
    if same.change_percent is not None:
        steady = abs(same.change_percent) < 5
        if en:
            verb = "stayed about the same" if steady else f"has {direction}"
            parts.append(f"Over the same months the number {verb} "
                         f"({_signed(same.change_percent)}%).")
        else:
            verb = "gelijk gebleven" if steady else direction
            parts.append(f"Over dezelfde maanden is het aantal {verb} "
                         f"({_signed(same.change_percent)}%).")
    return parts


def _text(info, area, year: int, current: Cell, before: Cell, comparison: Comparison,
          direction: str, first: date | None = None, same: rule.Compared | None = None,
          ) -> str:
    """The paragraph for the letter; a hidden figure reads "fewer than 5", never more; a
    year before the first record reads "no data", never a number or a change."""
    en = english()
    name = info.name[:1].lower() + info.name[1:]
    if current.incomplete:
        return " ".join([
            f"For {year} Knooppunt has no complete figures of {name} in {area.name}: "
            f"{_since(first, en)}" if en else
            f"Over {year} heeft Knooppunt geen volledige gegevens over {name} in "
            f"{area.name}: {_since(first, en)}",
            f"Source: {info.source}." if en else f"Bron: {info.source}."])
    now, then = _number(current.value, en), _number(before.value, en)
    if same is not None:
        parts = _running_text(info, area, year, current, same, direction, en)
    elif before.incomplete:
        parts = [
            f"In {year}, {now} {name} were registered in {area.name}. For {year - 1} there "
            f"are no complete figures: {_since(first, en)}"
            if en else
            f"In {year} zijn er in {area.name} {now} {name} geregistreerd. Over {year - 1} "
            f"zijn er geen volledige gegevens: {_since(first, en)}"]
    elif en:
        parts = [f"In {year}, {now} {name} were registered in {area.name}, against {then} "
                 f"in {year - 1}."]
    else:
        parts = [f"In {year} zijn er in {area.name} {now} {name} geregistreerd, tegen "
                 f"{then} in {year - 1}."]
    if same is None and current.value is not None and before.value is not None:
        change = change_percent(current, before)
        if change is not None:
            steady = abs(change) < 5
            if en:
                verb = "stayed about the same" if steady else f"has {direction}"
                parts.append(f"The number {verb} ({_signed(change)}%).")
            else:
                verb = "gelijk gebleven" if steady else direction
                parts.append(f"Het aantal is {verb} ({_signed(change)}%).")
    if comparison.own_per_1000 is not None:
        rate = _rate(comparison.own_per_1000)
        parts.append(f"That is {rate} per 1,000 inhabitants." if en
                     else f"Dat is {rate} per 1.000 inwoners.")
        if comparison.index is not None and comparison.group_name:
            index = number(comparison.index, 0, grouping=False)
            parts.append(
                f"Compared with the peer group {comparison.group_name} the index is "
                f"{index} (group average = 100)." if en else
                f"Vergeleken met de vergelijkingsgroep {comparison.group_name} is de "
                f"index {index} (groepsgemiddelde = 100).")
        if comparison.region_per_1000 is not None and comparison.region_code != area.code:
            region = _rate(comparison.region_per_1000)
            parts.append(f"In {comparison.region_name} it is {region} per 1,000." if en
                         else f"In {comparison.region_name} is dat {region} per 1.000.")
    parts.append(f"Source: {info.source}." if en else f"Bron: {info.source}.")
    return " ".join(parts)


def _charts(info, years: tuple[YearRow, ...], areas: tuple[AreaRow, ...],
            mark: str = "") -> dict[str, dict]:
    charts = {}
    if any(r.value.value is not None for r in years):
        points = [Point(date(r.year, 1, 1), r.value.value, info.name) for r in years]
        partial = None
        if mark:  # the running year: a band, never a drop (decision 0025)
            last = points.pop()
            partial = Hidden(last.period, date(last.period.year + 1, 1, 1),
                             running_label(mark))
        charts["years"] = trend_spec(
            points, y_title=info.name, x_title="Year" if english() else "Jaar",
            time_unit="year", partial=partial)
    bars = [(a.name, a.value.value) for a in areas if a.value.value]
    if bars:
        charts["areas"] = bar_spec(bars, x_title=info.name)
    return charts
