"""The catalogue of figures: one definition per labelled number (decision 0024).

Every labelled number Knooppunt shows about the chain of signals, cases, decisions and
interventions — the dashboards' indicators (stored by the monitoring job), the
follow-up page and API (`cases.followup`), the reports' tables (`reports/gather/`) and
their exports — is one of the `Definition`s below: what it counts, which date puts a
record in a period, which records it includes, its unit and its label in Dutch and
English. The stored indicators are computed from the same record sets
(`monitoring.measures.cases` groups `records(...)` per month), the follow-up and the
report gatherers count `records(...)` between two dates, so a label can only have one
value for one area and period.

Where two quantities are both useful they have two definitions with labels that say the
difference: "Casussen gestopt door snelle interventies" (cases) and "Interventies
gestart of afgerond" per type (interventions).

This module is a leaf: it reads the cases app's models through `apps.get_model` and
imports nothing else of monitoring, so `cases.followup` may use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils.translation import get_language

# What a figure counts.
SIGNALS, CASES, DECISIONS, INTERVENTIONS, EURO, HOURS = (
    "signalen", "casussen", "besluiten", "interventies", "euro", "uren")
# Which date puts a record in a period.
RECEIVED, OPENED, WEIGHED, DECIDED, HAPPENED, ENDED, CLOSED = (
    "ontvangen", "geopend", "eerst gewogen", "besloten", "gestart of afgerond (einddatum, "
    "anders startdatum)", "afgerond (einddatum)", "gesloten")
# Interventions that happened: running or finished (planned and stopped ones did not).
HAPPENED_STATUSES = ("lopend", "afgerond")


@dataclass(frozen=True)
class Definition:
    """One figure. `indicator`: the stored indicator with this definition (its name is
    this label), "" when the figure is only counted live (follow-up, breakdowns)."""

    code: str
    label: str  # Dutch
    label_en: str
    counts: str  # SIGNALS, CASES, DECISIONS, INTERVENTIONS, EURO, HOURS
    dated_by: str  # the date that puts a record in a period
    includes: str  # which records, in Dutch
    includes_en: str
    unit: str  # monitoring Unit: aantal, euro, uren
    indicator: str = ""

    @property
    def name(self) -> str:
        """The label in the active language."""
        return self.label_en if (get_language() or "").startswith("en") else self.label


CATALOGUE: dict[str, Definition] = {d.code: d for d in (
    Definition(
        "casussen-geopend", "Casussen geopend", "Cases opened", CASES, OPENED,
        "Alle casussen, naar de gemeente van de casus.",
        "All cases, by the case's municipality.", "aantal", indicator="casussen-geopend"),
    Definition(
        "casussen-lokaal-gewogen", "Casussen lokaal gewogen", "Cases weighed locally",
        CASES, WEIGHED,
        "Casussen die in de periode voor het eerst in een fase kwamen die als gewogen telt "
        "(weging, integrale aanpak, evaluatie); elke casus één keer.",
        "Cases that first entered a stage counting as weighed (weighing, approach, "
        "evaluation) in the period; each case once.", "aantal",
        indicator="casussen-lokaal-gewogen"),
    Definition(
        "casussen-gestopt-snel", "Casussen gestopt door snelle interventies",
        "Cases stopped by quick interventions", CASES, CLOSED,
        "Casussen die in de periode zijn gesloten en een afgeronde interventie van een "
        "snelle soort (korte klap) hebben (Veiligheidsplan hfdst. 2.7: casussen lokaal door "
        "snelle interventies tegengehouden).",
        "Cases closed in the period that have a finished intervention of a quick type "
        "(safety plan ch. 2.7).", "aantal", indicator="snelle-interventies"),
    Definition(
        "casussen-open", "Casussen geopend in de periode en nog open",
        "Cases opened in the period and still open", CASES, OPENED,
        "Casussen die in de periode zijn geopend en nu nog niet gesloten.",
        "Cases opened in the period that are not closed now.", "aantal"),
    Definition(
        "sluitingen-13b", "Sluitingen art. 13b Opiumwet (gestart of afgerond)",
        "Closures art. 13b Opium Act (started or finished)", INTERVENTIONS, HAPPENED,
        "Sluitingen op grond van art. 13b Opiumwet die lopen of afgerond zijn.",
        "Closures under art. 13b of the Opium Act that are running or finished.", "aantal",
        indicator="sluitingen-13b"),
    Definition(
        "interventies-gestart-of-afgerond", "Interventies gestart of afgerond",
        "Interventions started or finished", INTERVENTIONS, HAPPENED,
        "Interventies die lopen of afgerond zijn (geplande en gestopte niet), per soort.",
        "Interventions that are running or finished (not planned or stopped ones), per "
        "type.", "aantal"),
    Definition(
        "interventies-afgerond", "Interventies afgerond", "Interventions finished",
        INTERVENTIONS, ENDED,
        "Interventies met status afgerond, op hun einddatum, per soort.",
        "Interventions with status finished, on their end date, per type.", "aantal"),
    Definition(
        "besluiten", "Besluiten", "Decisions", DECISIONS, DECIDED,
        "Alle besluiten over casussen van de gemeente, per soort besluit.",
        "All decisions on the municipality's cases, per kind of decision.", "aantal"),
    Definition(
        "afgepakt-bedrag", "Afgepakt bedrag (€)", "Assets recovered (€)", EURO, HAPPENED,
        "Som van de afgepakte bedragen van interventies die lopen of afgerond zijn.",
        "Sum of the amounts recovered by interventions that are running or finished.",
        "euro", indicator="afgepakt-bedrag"),
    Definition(
        "uren-inzet", "Ingezette uren", "Hours spent", HOURS, HAPPENED,
        "Som van de bestede uren van interventies die lopen of afgerond zijn.",
        "Sum of the hours spent on interventions that are running or finished.", "uren",
        indicator="uren-inzet"),
)}


def get(code: str) -> Definition:
    return CATALOGUE[code]


def by_indicator() -> dict[str, Definition]:
    """The definitions that are stored indicators, by indicator code."""
    return {d.indicator: d for d in CATALOGUE.values() if d.indicator}


# ---------------------------------------------------------------- the record sets
#
# Each returns (queryset, date field, municipality field): the records of a definition
# with the date that puts each in a period annotated. The monitoring job groups them
# per month, the follow-up and the reports filter them on a date range; both therefore
# count the same records.


def _model(name: str):
    return apps.get_model("cases", name)


def _cases(params: Mapping[str, object]) -> QuerySet:
    qs = _model("Case").objects.all()
    if "theme" in params:
        qs = qs.filter(theme__code=params["theme"])
    return qs


def cases_opened(params: Mapping[str, object]) -> tuple[QuerySet, str, str]:
    return _cases(params), "opened_on", "municipality__code"


def cases_weighed(params: Mapping[str, object]) -> tuple[QuerySet, str, str]:
    """A case on the local day it first entered a stage that counts as weighed."""
    first = (_model("StageChange").objects
             .filter(case_id=OuterRef("pk"), to_stage__counts_as_weighed=True)
             .order_by().values("case_id").annotate(first=Min("changed_at"))
             .values("first"))
    qs = _cases(params).annotate(weighed_on=TruncDate(Subquery(first)))
    return qs.filter(weighed_on__isnull=False), "weighed_on", "municipality__code"


def cases_stopped_quickly(params: Mapping[str, object]) -> tuple[QuerySet, str, str]:
    quick = _model("Intervention").objects.filter(
        case_id=OuterRef("pk"), type__stops_case=True, status="afgerond")
    qs = _cases(params).filter(closed_on__isnull=False).filter(Exists(quick))
    return qs, "closed_on", "municipality__code"


def cases_still_open(params: Mapping[str, object]) -> tuple[QuerySet, str, str]:
    return _cases(params).filter(closed_on__isnull=True), "opened_on", "municipality__code"


def decisions(params: Mapping[str, object]) -> tuple[QuerySet, str, str]:
    qs = _model("Decision").objects.all()
    if "kind" in params:
        qs = qs.filter(kind__code=params["kind"])
    if "forum_kind" in params:
        qs = qs.filter(forum__kind__code=params["forum_kind"])
    if "theme" in params:
        qs = qs.filter(case__theme__code=params["theme"])
    return qs, "decided_on", "case__municipality__code"


def interventions_happened(params: Mapping[str, object]) -> tuple[QuerySet, str, str]:
    """Running or finished interventions on the day they ended, else the day they
    started (the stored indicators' definition since decision 0008)."""
    qs = _model("Intervention").objects.filter(status__in=HAPPENED_STATUSES)
    if "type" in params:
        qs = qs.filter(type__code=params["type"])
    if params.get("quick"):
        qs = qs.filter(type__stops_case=True)
    if "theme" in params:
        qs = qs.filter(case__theme__code=params["theme"])
    if "field" in params:
        qs = qs.filter(**{f"{params['field']}__isnull": False})
    return (qs.annotate(happened_on=Coalesce("ended_on", "started_on")), "happened_on",
            "case__municipality__code")


def interventions_finished(params: Mapping[str, object]) -> tuple[QuerySet, str, str]:
    qs = _model("Intervention").objects.filter(status="afgerond")
    if "type" in params:
        qs = qs.filter(type__code=params["type"])
    return qs, "ended_on", "case__municipality__code"


RECORDS = {
    "casussen-geopend": (cases_opened, {}),
    "casussen-lokaal-gewogen": (cases_weighed, {}),
    "casussen-gestopt-snel": (cases_stopped_quickly, {}),
    "casussen-open": (cases_still_open, {}),
    "sluitingen-13b": (interventions_happened, {"type": "sluiting-13b"}),
    "interventies-gestart-of-afgerond": (interventions_happened, {}),
    "interventies-afgerond": (interventions_finished, {}),
    "besluiten": (decisions, {}),
    "afgepakt-bedrag": (interventions_happened, {"field": "amount_recovered"}),
    "uren-inzet": (interventions_happened, {"field": "hours_spent"}),
}
SUMMED = {"afgepakt-bedrag": "amount_recovered", "uren-inzet": "hours_spent"}


def in_period(code: str, municipality_codes: Sequence[str], start: date, end: date,
              **params: object) -> QuerySet:
    """The records of a definition in the municipalities whose date lies in
    [start, end] (for counting only: the caller applies suppression)."""
    records, fixed = RECORDS[code]
    qs, date_field, municipality = records({**fixed, **params})
    return qs.filter(**{f"{municipality}__in": list(municipality_codes),
                        f"{date_field}__range": (start, end)})


def count(code: str, municipality_codes: Sequence[str], start: date, end: date,
          **params: object) -> int:
    return in_period(code, municipality_codes, start, end, **params).count()


def total(code: str, municipality_codes: Sequence[str], start: date,
          end: date) -> tuple[Decimal, int]:
    """A sum figure (euro, hours) and the number of records that make it up."""
    field = SUMMED[code]
    found = in_period(code, municipality_codes, start, end).aggregate(
        total=Sum(field), n=Count("pk"))
    return found["total"] or Decimal(0), found["n"]


def per_municipality(code: str, municipality_codes: Sequence[str], start: date,
                     end: date) -> dict[str, int]:
    """Counts per municipality code in one query (the area scan's comparisons)."""
    records, fixed = RECORDS[code]
    municipality = records(fixed)[2]
    rows = (in_period(code, municipality_codes, start, end).values(municipality)
            .annotate(n=Count("pk")).order_by())
    return {r[municipality]: r["n"] for r in rows}


def per_kind(code: str, municipality_codes: Sequence[str], start: date, end: date,
             kind: str) -> dict[str, int]:
    """Counts per `kind` path (e.g. "type__code", "kind__code")."""
    rows = (in_period(code, municipality_codes, start, end).values(kind)
            .annotate(n=Count("pk")).order_by())
    return {r[kind]: r["n"] for r in rows}


def per_month(code: str, municipality_codes: Sequence[str], year: int,
              kind: str | None = None) -> dict[object, dict[date, int]]:
    """Counts per month of `year` (first day of the month), per `kind` path when given
    (else under the key None), in one query: the weights of the follow-up's period tree
    (decision 0026)."""
    records, fixed = RECORDS[code]
    qs, date_field, municipality = records(dict(fixed))
    qs = qs.filter(**{f"{municipality}__in": list(municipality_codes),
                      f"{date_field}__range": (date(year, 1, 1), date(year, 12, 31))})
    keys = [kind, "month"] if kind else ["month"]
    rows = (qs.annotate(month=TruncMonth(date_field)).values(*keys)
            .annotate(n=Count("pk")).order_by())
    found: dict[object, dict[date, int]] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") and callable(month.date) else month
        found.setdefault(row[kind] if kind else None, {})[month] = row["n"]
    return found


__all__ = ["CATALOGUE", "Definition", "by_indicator", "count", "get",
           "in_period", "per_kind", "per_month", "per_municipality", "total"]
