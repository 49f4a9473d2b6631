"""Decisions per kind and interventions per type for a municipality or a region, with
the follow-up's rules (`cases.followup`): the catalogue's definitions (decision 0024:
decisions on their date, interventions started or finished on their end date, else
their start date, as the stored indicators), every count suppressed and, beside the
shown total, secondary suppression (`scope.suppress_breakdown`). For one municipality
the follow-up itself is read, so the report and the follow-up page show the same
numbers; a region (which the follow-up does not cover) is counted here over its
municipalities the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from knooppunt.cases import followup
from knooppunt.cases.models import DecisionKind
from knooppunt.geo.models import Municipality
from knooppunt.monitoring import catalogue
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
    kinds = {k.code: k for k in DecisionKind.objects.all()}
    counted = catalogue.per_kind("besluiten", codes, start, end, "kind__code")
    decisions = sorted(counted.items(), key=lambda kv: (kinds[kv[0]].order, kv[0]))
    shown = scope.suppress_breakdown(user, [n for _code, n in decisions])
    return Casework(
        decisions=tuple(
            BreakdownRow(c, localized(kinds[c].name, kinds[c].name_en), s)
            for (c, _n), s in zip(decisions, shown, strict=True)),
        interventions=tuple(
            BreakdownRow(r.code, r.label, r.shown, r.extra)
            for r in followup.intervention_rows(user, codes, start, end, localized)),
        recovered_euro=_sum(codes, "afgepakt-bedrag", start, end),
        hours=_sum(codes, "uren-inzet", start, end),
        notices=None, cases=None)


def _sum(codes: list[str], code: str, start: date, end: date) -> Decimal | None:
    """A sum shown only when enough interventions make it up (as the follow-up)."""
    found, n = catalogue.total(code, codes, start, end)
    if n >= threshold() or n == 0:
        return found
    return None
