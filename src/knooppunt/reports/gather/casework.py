"""Decisions per kind and interventions per type for a municipality or a region, with
the follow-up's rules (`cases.followup`): decisions counted on their date, interventions
on their planned date, every count suppressed and, beside the shown total, secondary
suppression (`scope.suppress_breakdown`). For one municipality the follow-up itself is
read, so the report and the follow-up page show the same numbers; a region (which the
follow-up does not cover) is counted here over its municipalities the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from knooppunt.cases import followup
from knooppunt.cases.models import Decision, Intervention, InterventionStatus
from knooppunt.geo.models import Municipality
from knooppunt.monitoring.models import AreaLevel
from knooppunt.organisations import scope

from .common import threshold
from .text import localized


@dataclass(frozen=True)
class BreakdownRow:
    """One kind of decision or type of intervention. `count is None`: suppressed."""

    code: str
    label: str
    count: int | None
    finished: int | None = None  # interventions: of which finished (None: hidden/n.a.)

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Casework:
    decisions: tuple[BreakdownRow, ...]
    interventions: tuple[BreakdownRow, ...]
    recovered_euro: Decimal | None  # None: fewer than the threshold of interventions
    hours: Decimal | None
    notices: dict[str, int | None] | None  # police cannabis notices (municipality only):
    # received, in_case, weighed, open; None for a region
    cases: dict[str, int | None] | None  # opened, weighed, open, stopped_quickly, overdue


def gather_casework(user, level: str, codes: list[str], start: date, end: date) -> Casework:
    """`codes`: the municipalities of the area (one for a municipality). The caller has
    checked that the user may see the area's figures."""
    if level == AreaLevel.MUNICIPALITY:
        found = followup.build(user, Municipality.objects.get(code=codes[0]), start, end)
        return Casework(
            decisions=tuple(BreakdownRow(r.code, r.label, r.shown) for r in found.decisions),
            interventions=tuple(BreakdownRow(r.code, r.label, r.shown, r.extra)
                                for r in found.interventions),
            recovered_euro=found.recovered, hours=found.hours,
            notices=dict(found.notices), cases=dict(found.cases))
    decisions = list(
        Decision.objects.filter(case__municipality__code__in=codes,
                                decided_on__range=(start, end))
        .values("kind__code", "kind__name", "kind__name_en").annotate(n=Count("pk"))
        .order_by("kind__order"))
    shown = scope.suppress_breakdown(user, [r["n"] for r in decisions])
    interventions = Intervention.objects.filter(case__municipality__code__in=codes,
                                                planned_on__range=(start, end))
    types = list(
        interventions.values("type__code", "type__name", "type__name_en")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=InterventionStatus.DONE)))
        .order_by("type__order"))
    shown_types = scope.suppress_breakdown(user, [r["n"] for r in types])
    shown_done = scope.suppress_breakdown(user, [r["done"] for r in types])
    return Casework(
        decisions=tuple(
            BreakdownRow(r["kind__code"], localized(r["kind__name"], r["kind__name_en"]), s)
            for r, s in zip(decisions, shown, strict=True)),
        interventions=tuple(
            BreakdownRow(r["type__code"], localized(r["type__name"], r["type__name_en"]), s,
                         d if s is not None
                         and scope.suppress_small(user, r["n"] - r["done"]) is not None
                         else None)
            for r, s, d in zip(types, shown_types, shown_done, strict=True)),
        recovered_euro=_sum(interventions, "amount_recovered"),
        hours=_sum(interventions, "hours_spent"),
        notices=None, cases=None)



def _sum(interventions, field: str) -> Decimal | None:
    """A sum shown only when enough interventions make it up (as the follow-up)."""
    found = interventions.filter(**{f"{field}__gt": 0}).aggregate(total=Sum(field),
                                                                   n=Count("pk"))
    if found["n"] >= threshold() or found["n"] == 0:
        return found["total"] or Decimal(0)
    return None
