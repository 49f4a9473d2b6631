"""Follow-up per municipality and period ("opvolging hennepberichten per gemeente").

Cases, decisions, interventions, euros and hours are the catalogue's definitions
(`monitoring.catalogue`, decision 0024): the same records the stored indicators count,
so "Casussen lokaal gewogen" or "Ingezette uren" has one value on every page.
Figures count everything in the municipality, also what the user may not open, so every
count passes `scope.suppress_small` (breakdowns `scope.suppress_breakdown`); sums of money
and hours and median durations are shown only when enough interventions or cases make
them up. The list of individual police notices is separate (`notices`), scoped and logged.

A user who may open every signal, case and intervention of the municipality
(`exact_for`, `scope.sees_every_record`) gets every figure exactly and any dates. Every
other audience gets suppressed figures and fixed periods only (month, quarter, half year,
year: `check_period`), so two periods a day apart cannot be differenced (decision 0026).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from knooppunt.geo.models import Municipality
from knooppunt.monitoring import catalogue
from knooppunt.organisations import scope
from knooppunt.signals.models import Signal, Status, StatusChange

from . import deadlines, followup_pattern
from .models import Case, CaseSignal, Decision, DecisionKind, InterventionType

HENNEP_THEME = "hennepteelt"
POLICE_SOURCE = "politie"


# The follow-up's figures and their catalogue definitions.
LABELS = {"opened": "casussen-geopend", "weighed": "casussen-lokaal-gewogen",
          "stopped_quickly": "casussen-gestopt-snel", "open": "casussen-open",
          "interventions": "interventies-gestart-of-afgerond",
          "finished": "interventies-afgerond", "recovered": "afgepakt-bedrag",
          "hours": "uren-inzet", "decisions": "besluiten"}


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
    def labels(self) -> dict[str, str]:
        """The catalogue's labels of the figures, in the active language (decision 0024),
        by the key the template and the API use."""
        return {key: catalogue.get(code).name for key, code in LABELS.items()}

    @property
    def has_suppressed(self) -> bool:
        values = [*self.signals.values(), *self.notices.values(), *self.cases.values(),
                  *(r.shown for r in self.decisions), *(r.shown for r in self.interventions)]
        return any(v is None for v in values)


def _label(name: str, name_en: str) -> str:
    """The English name on English pages when there is one (as taxonomy's LocalizedName)."""
    from django.utils.translation import get_language

    return name_en if name_en and (get_language() or "").startswith("en") else name


def default_period(today: date | None = None, *, fixed: bool = False) -> tuple[date, date]:
    """1 January to today; for an audience with fixed periods the calendar year."""
    today = today or timezone.localdate()
    if fixed:
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    return today.replace(month=1, day=1), today


class FreePeriod(ValueError):
    """Free dates asked by an audience that gets fixed periods only (Dutch and English)."""

    def __init__(self) -> None:
        self.dutch = ("Kies een vaste periode: een maand, kwartaal, halfjaar of jaar (van de "
                      "eerste tot en met de laatste dag), of geef 'periode' op, bijv. 2026, "
                      "2026-H1, 2026-K1 of 2026-03. Vrije data zijn niet mogelijk omdat kleine "
                      "aantallen zijn afgeschermd.")
        self.english = ("Choose a fixed period: a month, quarter, half year or year (first to "
                        "last day), or give 'periode', e.g. 2026, 2026-H1, 2026-Q1 or 2026-03. "
                        "Free dates are not possible because small counts are hidden.")
        super().__init__(self.dutch)


def _last_day(year: int, month: int) -> date:
    from calendar import monthrange

    return date(year, month, monthrange(year, month)[1])


def is_fixed(start: date, end: date) -> bool:
    """Whether [start, end] is exactly one month, quarter, half year or year."""
    if start.day != 1 or start.year != end.year:
        return False
    for months in (1, 3, 6, 12):
        if (start.month - 1) % months == 0 and end == _last_day(start.year,
                                                                 start.month + months - 1):
            return True
    return False


def parse_period(code: str) -> tuple[date, date]:
    """A fixed period from its code: 2026, 2026-H1, 2026-K1 (or -Q1), 2026-03.
    ValueError for anything else."""
    import re

    text = (code or "").strip().upper()
    found = re.fullmatch(r"(\d{4})(?:-(H[12]|[KQ][1-4]|\d{2}))?", text)
    if not found:
        raise ValueError(text)
    year, part = int(found.group(1)), found.group(2)
    if not 2000 <= year <= 2100:
        raise ValueError(text)
    if part is None:
        return date(year, 1, 1), date(year, 12, 31)
    if part[0] == "H":
        first = 1 if part == "H1" else 7
        return date(year, first, 1), _last_day(year, first + 5)
    if part[0] in "KQ":
        first = 3 * (int(part[1]) - 1) + 1
        return date(year, first, 1), _last_day(year, first + 2)
    month = int(part)
    if not 1 <= month <= 12:
        raise ValueError(text)
    return date(year, month, 1), _last_day(year, month)


def exact_for(user, municipality: Municipality) -> bool:
    """Whether `user` may open every signal, case and intervention of the municipality:
    then the follow-up is exact and takes any dates."""
    from knooppunt.organisations import figure_audience as fa

    if not scope.sees_personal_data(user):
        return False
    codes = frozenset({municipality.code})
    domains = [fa.RecordDomain(kind, codes) for kind in (fa.SIGNALS, fa.CASES,
                                                         fa.INTERVENTIONS)]
    # A kind without any record shows only zeros: nothing there to protect. At least
    # one kind must have records the user may all open.
    return (any(scope.sees_every_record(user, d) for d in domains)
            and all(scope.sees_every_record(user, d) or not fa.has_records(d)
                    for d in domains))


def check_period(user, municipality: Municipality, start: date, end: date) -> None:
    """`FreePeriod` when the user gets suppressed figures and [start, end] is not fixed."""
    if not is_fixed(start, end) and not exact_for(user, municipality):
        raise FreePeriod()


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
    if user is _EXACT:
        return dict(counts)
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


class _Exact:
    """Stands in for the user where every record is theirs: nothing is hidden."""


_EXACT = _Exact()


def _small(user, n: int) -> int | None:
    return n if user is _EXACT else scope.suppress_small(user, n)


def _breakdown(user, counts: list[int]) -> list[int | None]:
    return list(counts) if user is _EXACT else scope.suppress_breakdown(user, counts)


def build(user, municipality: Municipality, start: date, end: date) -> FollowUp:
    """The follow-up figures of one municipality for signals and cases in [start, end];
    exact for a user who may open every record of the municipality (`exact_for`)."""
    result = FollowUp(municipality, start, end)
    signals = scope.signals_for_aggregates(user).filter(
        municipality=municipality, received_on__range=(start, end))
    if exact_for(user, municipality):
        user = _EXACT
    notices = signals.filter(theme__code=HENNEP_THEME, source_type__code=POLICE_SOURCE)
    result.signals = _signal_counts(user, signals)
    result.notices = _signal_counts(user, notices)

    # Cases, decisions, interventions, euros and hours: the catalogue's definitions
    # (decision 0024), the same record sets the stored indicators count.
    codes = [municipality.code]
    opened = catalogue.count("casussen-geopend", codes, start, end)
    still_open = catalogue.count("casussen-open", codes, start, end)
    result.cases = _without_small_complements(
        user, {"opened": opened, "open": still_open}, "opened")
    # Weighed and stopped cases are dated by their own day, not a part of "opened".
    result.cases["weighed"] = _small(
        user, catalogue.count("casussen-lokaal-gewogen", codes, start, end))
    result.cases["stopped_quickly"] = _small(
        user, catalogue.count("casussen-gestopt-snel", codes, start, end))
    # Overdue counts all cases of the municipality, not the period's: no complement.
    result.cases["overdue"] = _small(user, deadlines.overdue(
        Case.objects.filter(municipality=municipality), timezone.localdate()).count())

    kinds = {k.code: k for k in DecisionKind.objects.all()}
    counted = catalogue.per_kind("besluiten", codes, start, end, "kind__code")
    decision_rows = sorted(counted.items(), key=lambda kv: (kinds[kv[0]].order, kv[0]))
    shown = _breakdown(user, [n for _code, n in decision_rows])
    result.decisions = [Row(_label(kinds[c].name, kinds[c].name_en), c, s)
                        for (c, _n), s in zip(decision_rows, shown, strict=True)]

    result.interventions = intervention_rows(user, codes, start, end, _label)
    money, n_money = catalogue.total("afgepakt-bedrag", codes, start, end)
    if n_money >= _threshold() or n_money == 0 or user is _EXACT:
        result.recovered = money
    hours, n_hours = catalogue.total("uren-inzet", codes, start, end)
    if n_hours >= _threshold() or n_hours == 0 or user is _EXACT:
        result.hours = hours
    cases = catalogue.in_period("casussen-geopend", codes, start, end)
    interventions = catalogue.in_period("interventies-gestart-of-afgerond", codes, start, end)
    result.durations = _durations(user, notices, cases, interventions)
    key = followup_pattern.key_of(start, end)
    if user is not _EXACT and key is not None:
        _hide_by_year(result, user, municipality, key)
    return result


def _signal_months(signals) -> dict[str, dict[date, int]]:
    """Signals received, in a case, weighed and still open per month, in one query."""
    weighed = StatusChange.objects.filter(signal_id=OuterRef("pk"), to_status=Status.WEIGHED)
    in_case = CaseSignal.objects.filter(signal_id=OuterRef("pk"))
    rows = (signals.annotate(month=TruncMonth("received_on")).values("month")
            .annotate(received=Count("pk"), in_case=Count("pk", filter=Q(Exists(in_case))),
                      weighed=Count("pk", filter=Q(Exists(weighed))),
                      open=Count("pk", filter=~Q(status=Status.CLOSED)))
            .order_by())
    found: dict[str, dict[date, int]] = {k: {} for k in ("received", "in_case", "weighed",
                                                         "open")}
    for row in rows:
        for name, months in found.items():
            months[row["month"]] = row[name]
    return found


def _hide_signal_counts(shown: dict[str, int | None], months: dict[str, dict[date, int]],
                        year: int, key, received_hidden: set | None = None) -> None:
    """Hide what the year's trees hide: received by its own tree (or the indicator's
    pattern), each part by its tree protecting the rest (received minus the part)."""
    hidden = {"received": received_hidden if received_hidden is not None
              else followup_pattern.tree_hidden(year, months["received"])}
    for part in ("in_case", "weighed", "open"):
        hidden[part] = followup_pattern.with_rest(year, months["received"], months[part])
    for name, periods in hidden.items():
        if key in periods:
            shown[name] = None


def _hide_by_year(result: FollowUp, user, municipality: Municipality, key) -> None:
    """A suppressed audience asks fixed periods only; this hides what differencing fixed
    periods of the same year would give away (`followup_pattern`, decision 0026)."""
    year = key[1].year
    codes = [municipality.code]
    signals = scope.signals_for_aggregates(user).filter(
        municipality=municipality,
        received_on__range=(date(year, 1, 1), date(year, 12, 31)))
    pattern = followup_pattern
    # Signals: all of them are the indicator "signalen-totaal" (one pattern everywhere).
    total_hidden = pattern.indicator_hidden(user, "signalen-totaal", municipality.code, key)
    signal_months = _signal_months(signals)
    received_hidden = None if total_hidden is None else ({key} if total_hidden else set())
    _hide_signal_counts(result.signals, signal_months, year, key, received_hidden)
    _hide_signal_counts(result.notices, _signal_months(
        signals.filter(theme__code=HENNEP_THEME, source_type__code=POLICE_SOURCE)), year, key)

    # Cases: the stored indicators' own patterns; "still open" as a part of "opened".
    for name, definition in (("opened", "casussen-geopend"),
                             ("weighed", "casussen-lokaal-gewogen"),
                             ("stopped_quickly", "casussen-gestopt-snel")):
        indicator = catalogue.get(definition).indicator
        hidden = pattern.indicator_hidden(user, indicator, municipality.code, key)
        if hidden is None:  # no values per this kind of period: the figure's own tree
            months = catalogue.per_month(definition, codes, year).get(None, {})
            hidden = key in pattern.tree_hidden(year, months)
        if hidden:
            result.cases[name] = None
    opened = catalogue.per_month("casussen-geopend", codes, year).get(None, {})
    still_open = catalogue.per_month("casussen-open", codes, year).get(None, {})
    if key in pattern.with_rest(year, opened, still_open):
        result.cases["open"] = None

    # Breakdowns: decisions per kind, interventions per type with those finished.
    decisions = pattern.breakdown_hidden(
        user, year, catalogue.per_month("besluiten", codes, year, "kind__code"))
    for row in result.decisions:
        if key in decisions.get(row.code, ()):
            row.shown = None
    happened = catalogue.per_month("interventies-gestart-of-afgerond", codes, year,
                                   "type__code")
    finished = catalogue.per_month("interventies-afgerond", codes, year, "type__code")
    by_type = pattern.breakdown_hidden(user, year, happened)
    for row in result.interventions:
        if key in by_type.get(row.code, ()):
            row.shown = None
        if row.shown is None or key in pattern.with_rest(year, happened.get(row.code, {}),
                                                         finished.get(row.code, {})):
            row.extra = None

    # Euros and hours: the indicators' patterns (weighed by the records behind a sum).
    for attribute, indicator in (("recovered", "afgepakt-bedrag"), ("hours", "uren-inzet")):
        if pattern.indicator_hidden(user, indicator, municipality.code, key):
            setattr(result, attribute, None)
    # Durations: a median is no sum, but how many cases it counts is: hidden here.
    result.durations = [Duration(d.label, d.median_days, None) for d in result.durations]


def intervention_rows(user, codes: list[str], start: date, end: date, label) -> list[Row]:
    """Interventions started or finished per type, with how many of them finished
    (catalogue definitions "interventies-gestart-of-afgerond" and
    "interventies-afgerond"; a finished one is dated by its end, so it is a part).
    `label(name, name_en)` picks the name in the active language."""
    happened = catalogue.per_kind("interventies-gestart-of-afgerond", codes, start, end,
                                  "type__code")
    finished = catalogue.per_kind("interventies-afgerond", codes, start, end, "type__code")
    types = {t.code: t for t in InterventionType.objects.filter(code__in=list(happened))}
    ordered = sorted(happened, key=lambda c: (types[c].order, c))
    counts = [happened[c] for c in ordered]
    done = [finished.get(c, 0) for c in ordered]
    shown = _breakdown(user, counts)
    shown_done = _breakdown(user, done)
    # A finished count beside a hidden total would narrow the hidden one down; beside a
    # shown total it must not leave a small number unfinished.
    return [
        Row(label(types[c].name, types[c].name_en), c, s,
            d if s is not None and _small(user, n - f) is not None else None)
        for c, n, f, s, d in zip(ordered, counts, done, shown, shown_done, strict=True)
    ]


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
        if user is _EXACT and values:
            median = round(statistics.median(values), 1)
        rows.append(Duration(label, median, _small(user, n)))
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
