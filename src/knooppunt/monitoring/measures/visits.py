"""Measures over the visits to vulnerable places (seed 001, module 5).

``place_visits``: steps recorded at vulnerable places, per municipality of the place and
month of the step's date, optionally of one step (``bezocht``, ``doorverwezen``, ...).
The indicators "kwetsbare plekken bezocht" and "doorverwezen naar coach" (module uptake
per municipality, as the NHSV follows the rural programme's modules) count these; the
visits app adds them by migration. Registered only when the visits app is installed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.apps import apps
from django.db.models import Count, F, Max, Min
from django.db.models.functions import TruncMonth

from .registry import Measure, MeasureRow, register

SOURCE = "Knooppunt: bezoeken kwetsbare plekken (module 5)"


def _step_check(value: object) -> str | None:
    from knooppunt.visits.models import Step

    return None if value in Step.values else f"een van {', '.join(Step.values)}"


def _visits(params: Mapping[str, object]):
    qs = apps.get_model("visits", "PlaceVisit").objects.all()
    if params.get("step"):
        qs = qs.filter(step=params["step"])
    return qs


def _compute(params: Mapping[str, object]) -> Iterable[MeasureRow]:
    rows = (_visits(params).annotate(month=TruncMonth("on"))
            .values("month", code=F("municipality__code"))
            .annotate(value=Count("id")).order_by())
    for row in rows:
        yield MeasureRow(municipality_code=row["code"], period_start=row["month"],
                         value=float(row["value"]))


def _fingerprint(params: Mapping[str, object]) -> str:
    facts = _visits(params).aggregate(n=Count("id"), last=Max("id"))
    return f"{facts['n']}:{facts['last']}"


def recorded_since() -> date | None:
    """The date of the first recorded step: before it Knooppunt kept no visits."""
    return apps.get_model("visits", "PlaceVisit").objects.aggregate(first=Min("on"))["first"]


def _synthetic() -> bool:
    return apps.get_model("visits", "PlaceVisit").objects.filter(
        address__is_synthetic=True).exists()


def register_visit_measures() -> None:
    register(Measure(
        name="place_visits",
        label="Aantal vastgelegde stappen bij kwetsbare plekken (filter op stap)",
        source=SOURCE,
        compute=_compute,
        fingerprint=_fingerprint,
        parameters={"step": ("Stap, bijv. bezocht of doorverwezen", _step_check)},
        synthetic=_synthetic,
        recorded_since=recorded_since,
    ))


if apps.is_installed("knooppunt.visits"):
    register_visit_measures()

__all__ = ["register_visit_measures"]
