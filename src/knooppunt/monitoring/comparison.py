"""The one rule for comparing a period with the period before it (decision 0025).

A period that has ended is compared whole with the whole previous period. A period that
is still running (the current year, half year, quarter or month) is compared over its
*complete months* with the same number of months from the start of the previous period:
on 5 December 2026 the year 2026 is compared as "1 jan – 30 nov 2026 t.o.v. 1 jan – 30 nov
2025". Whole months because every stored figure is a month (or a coarser fixed period):
a window that is a union of fixed periods is computed exactly from them, and it is shown
to an audience with suppressed figures only when it reveals nothing the year's shown
months and total do not (`span_value`; the fixed periods of decision 0014). A running
period without a complete month has no comparison yet.

The home page, the dashboards and the reports call `same_part` for the windows and
`span_value` / `compare` for the figures, so one label has one change everywhere. The
colour of a change follows the direction of the target, else of the indicator
(`tone`); an indicator without a direction is neutral.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import PeriodType, TargetDirection


def short_date(day: date, with_year: bool = True) -> str:
    """'5 dec 2026' in Dutch, '5 Dec 2026' in English (Django's "M" is always capitalised)."""
    month = "M" if (get_language() or "nl").startswith("en") else "b"
    return formats.date_format(day, f"j {month} Y" if with_year else f"j {month}")


@dataclass(frozen=True)
class Span:
    """Days `start` to `end`, both included; always whole months here."""

    start: date
    end: date

    def label(self) -> str:
        """'1 jan – 30 nov 2026' (the year once when both ends share it); '2025' for a
        whole calendar year."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) \
                and self.start.year == self.end.year:
            return str(self.start.year)
        first = short_date(self.start, with_year=self.start.year != self.end.year)
        return f"{first} – {short_date(self.end)}"


@dataclass(frozen=True)
class Comparison:
    """What is compared with what, for a fixed period as of a day."""

    period: Span  # the fixed period (year, half year, quarter, month)
    previous_period: Span  # the period it is compared with
    running: bool  # the period has not ended on `as_of`
    as_of: date
    current: Span | None  # None: running without a complete month, nothing to compare
    previous: Span | None

    @property
    def comparable(self) -> bool:
        return self.current is not None

    def text(self) -> str:
        """'1 jan – 30 nov 2026 t.o.v. 1 jan – 30 nov 2025' (or why there is none)."""
        if self.current is None or self.previous is None:
            return _("%(period)s loopt nog: nog geen volledige maand om te vergelijken") % {
                "period": self.period.label()}
        return _("%(current)s t.o.v. %(previous)s") % {
            "current": self.current.label(), "previous": self.previous.label()}

    def partial_mark(self) -> str:
        """'t/m 5 dec' for a running period, '' for one that has ended."""
        if not self.running:
            return ""
        return _("t/m %(day)s") % {"day": short_date(self.as_of, with_year=False)}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months_between(start: date, end_exclusive: date) -> int:
    return (end_exclusive.year - start.year) * 12 + end_exclusive.month - start.month


def same_part(start: date, end: date, previous_start: date,
              as_of: date | None = None) -> Comparison:
    """The rule. `start`..`end` is a fixed period beginning on the 1st of a month and
    ending on the last day of one; `previous_start` the first day of the period it is
    compared with (the year before, or the half year before, as the page says)."""
    as_of = as_of or timezone.localdate()
    period = Span(start, end)
    length = _months_between(start, end + timedelta(days=1))
    previous_period = Span(previous_start, _add_months(previous_start, length)
                           - timedelta(days=1))
    if as_of > end:
        return Comparison(period, previous_period, False, as_of, period, previous_period)
    # Complete months: those that ended before `as_of` (the running month is never one).
    months = max(0, min(length, _months_between(start, date(as_of.year, as_of.month, 1))))
    if months == 0:
        return Comparison(period, previous_period, True, as_of, None, None)
    current = Span(start, _add_months(start, months) - timedelta(days=1))
    previous = Span(previous_start, _add_months(previous_start, months) - timedelta(days=1))
    return Comparison(period, previous_period, True, as_of, current, previous)


def year_to_date(as_of: date | None = None) -> Comparison:
    """The running year against the year before (the home page and key figures)."""
    as_of = as_of or timezone.localdate()
    return same_part(date(as_of.year, 1, 1), date(as_of.year, 12, 31),
                     date(as_of.year - 1, 1, 1), as_of)


def change_percent(current: float | None, previous: float | None) -> float | None:
    """The change in percent, one decimal; None when either is unknown or previous is 0."""
    if current is None or previous is None or not previous:
        return None
    return round((current - previous) / previous * 100, 1)


def higher_is_better(indicator_higher: bool | None, target_direction: str | None = None,
                     ) -> bool | None:
    """The direction of a figure: the target's when there is one, else the indicator's."""
    if target_direction == TargetDirection.AT_LEAST:
        return True
    if target_direction == TargetDirection.AT_MOST:
        return False
    return indicator_higher


def tone(change: float | None, better_higher: bool | None) -> str:
    """'good', 'bad' or 'neutral' for a change: an increase is good where more is the goal
    (RIEC referrals, closures, afpakken), bad where less is; neutral without a direction
    or without a change as shown (rounded to whole percents)."""
    if change is None or better_higher is None or round(change) == 0:
        return "neutral"
    return "good" if (change > 0) == better_higher else "bad"


# ---------------------------------------------------------------- figures over spans


@dataclass(frozen=True)
class SpanValue:
    """A figure over a span: `value` None when hidden (suppressed) or without data."""

    span: Span
    value: float | None
    suppressed: bool = False
    incomplete: bool = False  # a part begins before the first record: "geen gegevens"


def _parts(span: Span, period_types: tuple[str, ...]) -> list[tuple[str, date]] | None:
    """The span as stored fixed periods, largest first (years, quarters, months); None
    when the indicator's period types cannot make it up exactly."""
    parts: list[tuple[str, date]] = []
    day = span.start
    stop = span.end + timedelta(days=1)
    while day < stop:
        for period_type, months in ((PeriodType.YEAR, 12), (PeriodType.QUARTER, 3),
                                    (PeriodType.MONTH, 1)):
            aligned = (day.month - 1) % months == 0
            if period_type in period_types and aligned and _add_months(day, months) <= stop:
                parts.append((period_type, day))
                day = _add_months(day, months)
                break
        else:
            return None
    return parts


def span_value(user, indicator_code: str, level: str, area_code: str,
               span: Span) -> SpanValue | None:
    """The figure of an indicator over a span of whole months inside one calendar year,
    from its stored figures through `monitoring.queries` (need to know and suppression
    hold); None when the user may not see the area or the span cannot be made up.

    Shown exactly when it tells nothing the year's shown figures do not: when every month
    in it is shown (the sum of shown months), or when every hidden month of the year lies
    inside it (the shown year minus the shown months outside it: the hidden months' sum,
    which the year beside its shown months gives already). Hidden when it would split the
    year's hidden months (e.g. the year minus Jan–Nov would reveal a hidden December)."""
    from . import queries

    info = queries.indicator(user, indicator_code)
    whole_year = (span.start.month, span.start.day, span.end.month, span.end.day) == (
        1, 1, 12, 31) and span.start.year == span.end.year
    if (whole_year or PeriodType.MONTH not in info.period_types
            or span.start.year != span.end.year):
        # A whole year is its stored figure (read with the page's prefetch, no query).
        return _from_parts(user, info, level, area_code, span)
    year_start = date(span.start.year, 1, 1)
    try:
        months = queries.series(user, indicator_code, level, area_code, PeriodType.MONTH,
                                year_start, date(span.start.year, 12, 31))
    except (queries.NotAllowed, LookupError):
        return None
    inside = [f for f in months if span.start <= f.period.start <= span.end]
    outside = [f for f in months if not span.start <= f.period.start <= span.end]
    wanted = _months_between(span.start, span.end + timedelta(days=1))
    if len(inside) != wanted or any(f.incomplete for f in inside):
        return SpanValue(span, None, incomplete=True)  # a month without data in it
    hidden_inside = [f for f in inside if f.value is None]
    if not hidden_inside:
        return SpanValue(span, float(sum(f.value for f in inside)))
    if any(f.value is None for f in outside):
        return SpanValue(span, None, suppressed=True)
    year = queries.values(user, indicator_code, level, PeriodType.YEAR, year_start,
                          codes=[area_code])
    if not year or year[0].value is None:
        return SpanValue(span, None, suppressed=True)
    return SpanValue(span, float(year[0].value - sum(f.value for f in outside)))


def _from_parts(user, info, level: str, area_code: str, span: Span) -> SpanValue | None:
    """A span of an indicator without months (quarters or years only): the sum of its
    stored fixed periods, hidden when any of them is."""
    from . import queries

    parts = _parts(span, info.period_types)
    if parts is None:
        return None
    total, suppressed, incomplete = 0.0, False, False
    for period_type, start in parts:
        found = queries.values(user, info.code, level, period_type, start,
                               codes=[area_code])
        if not found:
            return None
        figure = found[0]
        suppressed = suppressed or figure.suppressed
        # No data: before the first record, or a statistic that was not published.
        incomplete = incomplete or figure.incomplete or (
            figure.value is None and not figure.suppressed)
        total += figure.value or 0.0
    if incomplete:
        return SpanValue(span, None, incomplete=True)
    if suppressed:
        return SpanValue(span, None, suppressed=True)
    return SpanValue(span, total)


@dataclass(frozen=True)
class Compared:
    """An indicator in one area compared by the rule."""

    comparison: Comparison
    current: SpanValue | None
    previous: SpanValue | None
    change_percent: float | None
    tone: str  # good / bad / neutral

    @property
    def text(self) -> str:
        return self.comparison.text()


def compare(user, indicator_code: str, level: str, area_code: str,
            comparison: Comparison, target_direction: str | None = None) -> Compared:
    """An indicator's change by the rule, coloured by its target's or own direction."""
    from . import queries

    info = queries.indicator(user, indicator_code)
    current = previous = None
    if comparison.current is not None and comparison.previous is not None:
        current = span_value(user, indicator_code, level, area_code, comparison.current)
        previous = span_value(user, indicator_code, level, area_code, comparison.previous)
    change = change_percent(current.value if current else None,
                            previous.value if previous else None)
    return Compared(comparison, current, previous, change,
                    tone(change, higher_is_better(info.higher_is_better, target_direction)))


__all__ = ["Compared", "Comparison", "Span", "SpanValue", "change_percent",
           "compare", "higher_is_better", "same_part", "span_value", "tone", "year_to_date"]
