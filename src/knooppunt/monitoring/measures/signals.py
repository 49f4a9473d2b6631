"""Measures over signals: counts per theme, source type or anonymity, per buurt and month.

Counted on the date a signal was received. The area is the signal's own buurt/wijk
when known, else only its municipality (so buurt totals may be below the municipality's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncMonth

from .registry import Measure, MeasureRow, register

SOURCE = "Knooppunt: geregistreerde signalen"


def _code_check(model_path: str):
    def check(value: object) -> str | None:
        from django.apps import apps

        if not isinstance(value, str) or not value:
            return "een code (tekst) is nodig"
        model = apps.get_model(model_path)
        if not model.objects.filter(code=value).exists():
            return f"onbekende code {value!r}"
        return None

    return check


def _bool_check(value: object) -> str | None:
    return None if isinstance(value, bool) else "true of false"


PARAMETERS = {
    "theme": ("Thema-code, bijv. hennepteelt", _code_check("taxonomy.Theme")),
    "source_type": ("Soort bron, bijv. mma", _code_check("taxonomy.SourceType")),
    "anonymous": ("Alleen anonieme (true) of alleen niet-anonieme (false)", _bool_check),
}


def _queryset(params: Mapping[str, object]):
    from knooppunt.signals.models import Signal

    qs = Signal.objects.all()
    if "theme" in params:
        qs = qs.filter(theme__code=params["theme"])
    if "source_type" in params:
        qs = qs.filter(source_type__code=params["source_type"])
    if "anonymous" in params:
        qs = qs.filter(is_anonymous=params["anonymous"])
    return qs


def compute(params: Mapping[str, object]) -> Iterable[MeasureRow]:
    rows = (
        _queryset(params)
        .annotate(month=TruncMonth("received_on"))
        .values("municipality__code", "district__code", "neighbourhood__code", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        yield MeasureRow(
            municipality_code=row["municipality__code"],
            district_code=row["district__code"],
            neighbourhood_code=row["neighbourhood__code"],
            period_start=row["month"],
            value=float(row["n"]),
        )


def fingerprint(params: Mapping[str, object]) -> str:
    # Any insert, delete or edit changes the count, the highest id or the last change.
    facts = _queryset(params).aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    changed = facts["changed"].isoformat() if facts["changed"] else "-"
    return f"{facts['n']}:{facts['last']}:{changed}"


def recorded_since() -> date | None:
    """The day the first signal was received: when Knooppunt began recording signals.
    Of all signals, not of the measure's filter: a theme without signals in the first
    months had none (a real 0), it was not "not yet recorded" (decision 0021). One MIN
    over the indexed ``received_on``."""
    from knooppunt.signals.models import Signal

    return Signal.objects.aggregate(first=Min("received_on"))["first"]


def _synthetic() -> bool:
    from knooppunt.signals.models import Signal

    return Signal.objects.filter(is_synthetic=True).exists()


register(
    Measure(
        name="signals",
        label="Aantal signalen (filter op thema, bron, anoniem)",
        source=SOURCE,
        compute=compute,
        fingerprint=fingerprint,
        parameters=PARAMETERS,
        synthetic=_synthetic,
        recorded_since=recorded_since,
    )
)
