"""Follow-up per municipality and period ("opvolging hennepberichten per gemeente").

Figures count everything in the municipality, also what the user may not open, so every
count passes `scope.suppress_small` (breakdowns `scope.suppress_breakdown`); sums of money
and hours and median durations are shown only when enough interventions or cases make
them up. The list of individual police notices is separate (`notices`), scoped and logged.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.utils import timezone

from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope
from knooppunt.signals.models import Signal, Status, StatusChange

from . import deadlines
from .models import Case, CaseSignal, Decision, Intervention, InterventionStatus, StageChange

HENNEP_THEME = "hennepteelt"
POLICE_SOURCE = "politie"


@dataclass
class Row:
    label: str
    code: str
    shown: int | None
    extra: int | None = None  # e.g. of which finished


@dataclass
class Duration:
    label: str
    median_days: float | None
    count: int | None


@dataclass
class FollowUp:
    municipality: Municipality
    start: date
    end: date
    signals: dict[str, int | None] = field(default_factory=dict)
    notices: dict[str, int | None] = field(default_factory=dict)
    cases: dict[str, int | None] = field(default_factory=dict)
    decisions: list[Row] = field(default_factory=list)
    interventions: list[Row] = field(default_factory=list)
    recovered: Decimal | None = None
    hours: Decimal | None = None
    durations: list[Duration] = field(default_factory=list)

    @property
    def has_suppressed(self) -> bool:
        values = [*self.signals.values(), *self.notices.values(), *self.cases.values(),
                  *(r.shown for r in self.decisions), *(r.shown for r in self.interventions)]
        return any(v is None for v in values)


def _label(name: str, name_en: str) -> str:
    """The English name on English pages when there is one (as taxonomy's LocalizedName)."""
    from django.utils.translation import get_language

    return name_en if name_en and (get_language() or "").startswith("en") else name


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today.replace(month=1, day=1), today


def _threshold() -> int:
    return settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD


def _median(values: list[float]) -> tuple[float | None, int]:
    if len(values) < _threshold():
        return None, len(values)
    return round(statistics.median(values), 1), len(values)


def _without_small_complements(user, counts: dict[str, int], total_key: str
                               ) -> dict[str, int | None]:
    """Suppress small counts, and also a part whose difference with the shown total is
    small: "8 received, 6 in a case" would tell that exactly 2 are in no case."""
    shown: dict[str, int | None] = {k: scope.suppress_small(user, v) for k, v in counts.items()}
    total = counts[total_key]
    for key, value in counts.items():
        if key != total_key and scope.suppress_small(user, total - value) is None:
            shown[key] = None
    return shown


def _signal_counts(user, signals) -> dict[str, int | None]:
    weighed = StatusChange.objects.filter(signal_id=OuterRef("pk"), to_status=Status.WEIGHED)
    in_case = CaseSignal.objects.filter(signal_id=OuterRef("pk"))
    figures = signals.aggregate(
        received=Count("pk"),
        in_case=Count("pk", filter=Q(Exists(in_case))),
        weighed=Count("pk", filter=Q(Exists(weighed))),
        open=Count("pk", filter=~Q(status=Status.CLOSED)),
    )
    return _without_small_complements(user, figures, "received")


def build(user, municipality: Municipality, start: date, end: date) -> FollowUp:
    """The follow-up figures of one municipality for signals and cases in [start, end]."""
    result = FollowUp(municipality, start, end)
    signals = scope.signals_for_aggregates(user).filter(
        municipality=municipality, received_on__range=(start, end))
    notices = signals.filter(theme__code=HENNEP_THEME, source_type__code=POLICE_SOURCE)
    result.signals = _signal_counts(user, signals)
    result.notices = _signal_counts(user, notices)

    cases = Case.objects.filter(municipality=municipality, opened_on__range=(start, end))
    weighed_change = StageChange.objects.filter(case_id=OuterRef("pk"),
                                                to_stage__counts_as_weighed=True)
    quick = Intervention.objects.filter(case_id=OuterRef("pk"), type__stops_case=True,
                                        status=InterventionStatus.DONE)
    case_figures = cases.aggregate(
        opened=Count("pk"),
        weighed=Count("pk", filter=Q(Exists(weighed_change))),
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        stopped_quickly=Count("pk", filter=Q(closed_on__isnull=False) & Q(Exists(quick))),
    )
    result.cases = _without_small_complements(user, case_figures, "opened")
    # Overdue counts all cases of the municipality, not the period's: no complement.
    result.cases["overdue"] = scope.suppress_small(user, deadlines.overdue(
        Case.objects.filter(municipality=municipality), timezone.localdate()).count())

    decision_rows = list(
        Decision.objects.filter(case__municipality=municipality,
                                decided_on__range=(start, end))
        .values("kind__code", "kind__name", "kind__name_en").annotate(n=Count("pk"))
        .order_by("kind__order")
    )
    shown = scope.suppress_breakdown(user, [r["n"] for r in decision_rows])
    result.decisions = [Row(_label(r["kind__name"], r["kind__name_en"]), r["kind__code"], s)
                        for r, s in zip(decision_rows, shown, strict=True)]

    interventions = Intervention.objects.filter(case__municipality=municipality,
                                                planned_on__range=(start, end))
    type_rows = list(
        interventions.values("type__code", "type__name", "type__name_en")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=InterventionStatus.DONE)))
        .order_by("type__order")
    )
    shown = scope.suppress_breakdown(user, [r["n"] for r in type_rows])
    shown_done = scope.suppress_breakdown(user, [r["done"] for r in type_rows])
    # A finished count beside a hidden total would narrow the hidden one down; beside a
    # shown total it must not leave a small number unfinished.
    result.interventions = [
        Row(_label(r["type__name"], r["type__name_en"]), r["type__code"], s,
            d if s is not None and scope.suppress_small(user, r["n"] - r["done"]) is not None
            else None)
        for r, s, d in zip(type_rows, shown, shown_done, strict=True)
    ]
    money = interventions.filter(amount_recovered__gt=0).aggregate(
        total=Sum("amount_recovered"), n=Count("pk"))
    if money["n"] >= _threshold() or money["n"] == 0:
        result.recovered = money["total"] or Decimal(0)
    hours = interventions.filter(hours_spent__gt=0).aggregate(total=Sum("hours_spent"),
                                                               n=Count("pk"))
    if hours["n"] >= _threshold() or hours["n"] == 0:
        result.hours = hours["total"] or Decimal(0)
    result.durations = _durations(user, notices, cases, interventions)
    return result


def _durations(user, notices, cases, interventions) -> list[Duration]:
    from django.utils.translation import gettext as _

    linked = (CaseSignal.objects.filter(signal__in=notices.values("pk"))
              .values("signal_id").annotate(first=Min("linked_at"))
              .values_list("signal__received_on", "first"))
    to_case = [(timezone.localtime(first).date() - received).days for received, first in linked]
    decided = (Decision.objects.filter(case__in=cases.values("pk")).values("case_id")
               .annotate(first=Min("decided_on")).values_list("case__opened_on", "first"))
    to_decision = [(first - opened).days for opened, first in decided]
    started = interventions.filter(started_on__isnull=False, decision__isnull=False)
    to_start = [(i.started_on - i.decision.decided_on).days
                for i in started.select_related("decision")]
    ran = [(e - s).days for s, e in interventions.filter(
        started_on__isnull=False, ended_on__isnull=False).values_list("started_on", "ended_on")]
    rows = []
    for label, values in (
        (_("Hennepbericht ontvangen → in een casus"), to_case),
        (_("Casus geopend → eerste besluit"), to_decision),
        (_("Besluit → start interventie"), to_start),
        (_("Start → einde interventie"), ran),
    ):
        median, n = _median(values)
        rows.append(Duration(label, median, scope.suppress_small(user, n)))
    return rows


def notices(user, municipality: Municipality, start: date, end: date):
    """The police cannabis notices the user may open, with their cases; caller logs."""
    return (scope.signals_for(user)
            .filter(municipality=municipality, received_on__range=(start, end),
                    theme__code=HENNEP_THEME, source_type__code=POLICE_SOURCE)
            .prefetch_related("case_links__case__stage", "case_links__case__decisions__kind",
                              "case_links__case__interventions__type")
            .order_by("received_on", "pk"))


def case_rows_for_notice(user, signal: Signal) -> list[dict]:
    """What followed one notice: its visible cases, stage, decisions, interventions."""
    visible = set(scope.cases_for(user).filter(signal_links__signal=signal)
                  .values_list("pk", flat=True))
    rows = []
    for link in signal.case_links.all():
        case = link.case
        if case.pk not in visible:
            continue
        rows.append({"case": case, "decisions": list(case.decisions.all()),
                     "interventions": list(case.interventions.all())})
    return rows
