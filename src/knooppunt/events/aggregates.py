"""Counts of police incidents for a bestuurder (decision 0044): a total, per area and per
code, small counts suppressed.

The queryset comes from `scope.events_for_aggregates` (the events placed in the user's
municipalities), already narrowed by the page's filters. Nothing here returns an event:
only counts, each hidden below the threshold (`scope.suppress_small`) and each breakdown
protected against subtraction from the total (`scope.suppress_breakdown`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from knooppunt.organisations import scope


@dataclass(frozen=True)
class Breakdown:
    caption: str
    rows: list[tuple[str, int | None]]


@dataclass(frozen=True)
class IncidentCounts:
    total: int | None
    by_area: Breakdown
    by_code: Breakdown


def _rows(user, grouped: list[tuple[str, int]]) -> list[tuple[str, int | None]]:
    shown = scope.suppress_breakdown(user, [n for _name, n in grouped])
    return [(name, value) for (name, _n), value in zip(grouped, shown, strict=True)]


def incident_counts(user, queryset: QuerySet, area_code: str = "") -> IncidentCounts:
    """Counts of the (filtered) aggregate queryset; per wijk when the area is a
    municipality or wijk, otherwise per municipality."""
    queryset = queryset.order_by()
    if area_code.startswith(("GM", "WK")):
        caption = _("Per wijk")
        grouped = [(name or _("(geen wijk)"), n) for name, n in queryset.values_list(
            "district__name").annotate(n=Count("pk")).order_by("district__name")]
    else:
        caption = _("Per gemeente")
        grouped = list(queryset.values_list("municipality__name")
                       .annotate(n=Count("pk")).order_by("municipality__name"))
    codes = [(f"{code} {label}" if code != label else label, n) for code, label, n in
             queryset.values_list("offence__code", "offence__label")
             .annotate(n=Count("pk")).order_by("offence__code")]
    total = sum(n for _name, n in grouped)
    return IncidentCounts(total=scope.suppress_small(user, total),
                          by_area=Breakdown(caption, _rows(user, grouped)),
                          by_code=Breakdown(_("Per code"), _rows(user, codes)))
