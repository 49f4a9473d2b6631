"""A series of figures as chart input: hidden values as gaps with their reason, the
running period apart (decision 0025). Shared by the dashboards and the reports' gatherers,
so a chart on a page and in a report draws the same gaps and the same dashed end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from knooppunt.monitoring import comparison
from knooppunt.monitoring.queries import Figure, Period

from .vega import Hidden, Point


def partial_mark(period: Period, day: dt.date) -> str:
    """'t/m 5 dec' for the period that holds `day` (still running), else ''."""
    if not period.start <= day <= period.end:
        return ""
    return comparison.same_part(period.start, period.end, period.start, day).partial_mark()


def chart_series(figures: Sequence[Figure], label: str, day: dt.date,
                 ) -> tuple[list[Point], list[Hidden], Hidden | None]:
    """A series of figures as chart points: hidden values as None (the line breaks) with
    a band that says why, and the running period apart: left out of the line, a band
    "lopend, t/m 5 dec (nog niet compleet)", so a partial period is never drawn as a drop."""
    points, hidden, partial = [], [], None
    for f in figures:
        mark = partial_mark(f.period, day)
        end = f.period.end + dt.timedelta(days=1)
        if mark:
            partial = Hidden(f.period.start, end, running_label(mark))
            continue
        points.append(Point(f.period.start, f.value, label))
        if f.value is None:
            reason = (_("geen gegevens") if f.incomplete or not f.suppressed
                      else _("afgeschermd (klein aantal)"))
            hidden.append(Hidden(f.period.start, end, reason))
    return points, hidden, partial


def running_label(mark: str) -> str:
    """The legend text of the running period's band."""
    return _("lopend, %(mark)s (nog niet compleet)") % {"mark": mark}


def chart_note(hidden: Sequence[Hidden], partial: Hidden | None) -> str:
    """The sentence under a chart that explains its gaps and its running period."""
    parts = []
    if hidden:
        parts.append(_("Waar de lijn onderbroken is en een grijze band staat, is de waarde "
                       "niet getoond: %(reasons)s.") % {
            "reasons": ", ".join(dict.fromkeys(h.reason for h in hidden))})
    if partial is not None:
        parts.append(_("De lichtblauwe band is de lopende periode: nog niet compleet, "
                       "daarom niet als punt getekend; het cijfer tot nu toe staat in de "
                       "tabel."))
    return " ".join(parts)


__all__ = ["chart_note", "chart_series", "partial_mark", "running_label"]
