"""Measures over cases, decisions and interventions (the signal-to-result chain).

Counted in the municipality of the case (cases have no wijk or buurt):

* ``cases``: cases opened (``opened_on``), optionally of one theme;
* ``cases_weighed``: cases on the day they first entered a stage that counts as weighed;
* ``cases_stopped_quickly``: cases closed (``closed_on``) with a finished quick
  intervention (seed 003 ch. 2.7 counts cases, decision 0024);
* ``decisions``: decisions taken (``decided_on``), by decision kind (e.g. ``naar-riec``)
  and/or forum kind (e.g. ``signalenoverleg``: weighed locally);
* ``interventions``: interventions that started or ended (the day they ended, else the
  day they started), by type (e.g. ``sluiting-13b``) or only quick ones (``quick``);
  planned and stopped-without-result ones are not counted;
* ``intervention_sum``: the sum of ``amount_recovered`` (euro) or ``hours_spent``, with
  the number of interventions summed (``support``).

The record sets are the catalogue's (`monitoring.catalogue`), so the follow-up and the
reports, which count the same record sets between two dates, agree with the stored
values. Registered only when the cases app is installed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.apps import apps
from django.db.models import Count, F, Max, Min, Sum
from django.db.models.functions import TruncMonth

from .. import catalogue
from .registry import Measure, MeasureRow, register

SOURCE = "Knooppunt: casussen, besluiten en interventies"
COUNTED_STATUSES = catalogue.HAPPENED_STATUSES


def _code_check(model: str):
    def check(value: object) -> str | None:
        if not isinstance(value, str) or not value:
            return "een code (tekst) is nodig"
        if not apps.get_model(model).objects.filter(code=value).exists():
            return f"onbekende code {value!r}"
        return None

    return check


def _bool_check(value: object) -> str | None:
    return None if isinstance(value, bool) else "true of false"


def _field_check(value: object) -> str | None:
    return None if value in ("amount_recovered", "hours_spent") else (
        "amount_recovered of hours_spent")


def _cases_qs(params: Mapping[str, object]):
    return catalogue.cases_opened(params)[0]


def _decisions_qs(params: Mapping[str, object]):
    return catalogue.decisions(params)[0]


def _interventions_qs(params: Mapping[str, object]):
    return catalogue.interventions_happened(params)[0]


def _grouped(qs, date_field: str, municipality: str, aggregate,
             *, with_support: bool = False) -> Iterable[MeasureRow]:
    """Rows per municipality and month; `with_support` also counts the records summed,
    so the read layer can hide a sum of a few records (decision 0013)."""
    extra = {"support": Count("id")} if with_support else {}
    rows = (
        qs.exclude(**{f"{date_field}__isnull": True})
        .annotate(month=TruncMonth(date_field))
        .values("month", code=F(municipality))
        .annotate(value=aggregate, **extra)
        .order_by()
    )
    for row in rows:
        if row["value"] is not None:
            yield MeasureRow(municipality_code=row["code"], period_start=row["month"],
                             value=float(row["value"]), support=row.get("support"))


def _records(records, params: Mapping[str, object]):
    """A catalogue record set as `_grouped`'s first three arguments."""
    return records(params)


def _chain_fingerprint(params: Mapping[str, object]) -> str:
    """Cases, their stage changes and interventions decide whether a case was weighed
    or stopped quickly: one short hash of the three (the stored fingerprint is short)."""
    import hashlib

    parts = [_fingerprint(_cases_qs(params), "updated_at"),
             _fingerprint(apps.get_model("cases", "StageChange").objects.all(), None),
             _fingerprint(apps.get_model("cases", "Intervention").objects.all(),
                          "updated_at")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _fingerprint(qs, changed: str | None) -> str:
    facts = qs.aggregate(n=Count("id"), last=Max("id"),
                         **({"changed": Max(changed)} if changed else {}))
    stamp = facts.get("changed")
    return f"{facts['n']}:{facts['last']}:{stamp.isoformat() if stamp else '-'}"


def recorded_since() -> date | None:
    """The day the first case was opened: when Knooppunt began recording the chain of
    cases, decisions and interventions (one source, so one date for the four measures;
    decisions and interventions belong to a case). One MIN over the indexed
    ``opened_on`` (decision 0021)."""
    return apps.get_model("cases", "Case").objects.aggregate(
        first=Min("opened_on"))["first"]


def _synthetic() -> bool:
    return apps.get_model("cases", "Case").objects.filter(is_synthetic=True).exists()


THEME = {"theme": ("Thema-code, bijv. hennepteelt", _code_check("taxonomy.Theme"))}


def register_case_measures() -> None:
    register(Measure(
        name="cases",
        label="Aantal geopende casussen (filter op thema)",
        source=SOURCE,
        compute=lambda p: _grouped(_cases_qs(p), "opened_on", "municipality__code",
                                   Count("id")),
        fingerprint=lambda p: _fingerprint(_cases_qs(p), "updated_at"),
        parameters=THEME,
        synthetic=_synthetic,
        recorded_since=recorded_since,
    ))
    register(Measure(
        name="cases_weighed",
        label="Aantal casussen voor het eerst in een gewogen fase (filter op thema)",
        source=SOURCE,
        compute=lambda p: _grouped(*_records(catalogue.cases_weighed, p), Count("id")),
        fingerprint=_chain_fingerprint,
        parameters=THEME,
        synthetic=_synthetic,
        recorded_since=recorded_since,
    ))
    register(Measure(
        name="cases_stopped_quickly",
        label="Aantal gesloten casussen met een afgeronde snelle interventie (filter op "
        "thema)",
        source=SOURCE,
        compute=lambda p: _grouped(*_records(catalogue.cases_stopped_quickly, p),
                                   Count("id")),
        fingerprint=_chain_fingerprint,
        parameters=THEME,
        synthetic=_synthetic,
        recorded_since=recorded_since,
    ))
    register(Measure(
        name="decisions",
        label="Aantal besluiten (filter op soort besluit, soort overleg, thema)",
        source=SOURCE,
        compute=lambda p: _grouped(_decisions_qs(p), "decided_on", "case__municipality__code",
                                   Count("id")),
        fingerprint=lambda p: _fingerprint(_decisions_qs(p), None),
        parameters={
            "kind": ("Soort besluit, bijv. naar-riec", _code_check("cases.DecisionKind")),
            "forum_kind": ("Soort overleg, bijv. signalenoverleg",
                           _code_check("cases.ForumKind")),
            **THEME,
        },
        synthetic=_synthetic,
        recorded_since=recorded_since,
    ))
    register(Measure(
        name="interventions",
        label="Aantal gestarte of afgeronde interventies (filter op soort, snel, thema)",
        source=SOURCE,
        compute=lambda p: _grouped(_interventions_qs(p), "happened_on",
                                   "case__municipality__code", Count("id")),
        fingerprint=lambda p: _fingerprint(_interventions_qs(p), "updated_at"),
        parameters={
            "type": ("Soort interventie, bijv. sluiting-13b",
                     _code_check("cases.InterventionType")),
            "quick": ("Alleen snelle interventies (korte klap)", _bool_check),
            **THEME,
        },
        synthetic=_synthetic,
        recorded_since=recorded_since,
    ))
    register(Measure(
        name="intervention_sum",
        label="Som van afgepakt bedrag of bestede uren van interventies",
        source=SOURCE,
        compute=lambda p: _grouped(
            _interventions_qs(p).filter(**{f"{p['field']}__isnull": False}), "happened_on",
            "case__municipality__code", Sum(p["field"]), with_support=True,
        ),
        fingerprint=lambda p: _fingerprint(_interventions_qs(p), "updated_at"),
        parameters={
            "field": ("amount_recovered of hours_spent", _field_check),
            "type": ("Soort interventie", _code_check("cases.InterventionType")),
            **THEME,
        },
        required=frozenset({"field"}),
        synthetic=_synthetic,
        recorded_since=recorded_since,
    ))


if apps.is_installed("knooppunt.cases"):
    register_case_measures()

__all__ = ["register_case_measures"]
