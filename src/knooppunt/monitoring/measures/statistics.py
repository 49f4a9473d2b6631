"""Measures over imported statistics (CBS/Politie tables), per municipality.

`police_monthly` reads 47022NED-shaped monthly figures, `police_yearly` 47018NED-shaped
yearly ones (including the real 2023 figures of all 342 municipalities). Withheld cells
(empty in the source) are left out, never read as zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Count, Max

from ..models import AreaLevel, PeriodType
from .registry import Measure, MeasureRow, register


def _text_check(value: object) -> str | None:
    return None if isinstance(value, str) and value.strip() else "tekst is nodig"


def _level_check(value: object) -> str | None:
    return None if value in ("gemeente", "buurt") else "gemeente of buurt"


PARAMETERS = {
    "level": ("Welke regels tellen: gemeente (standaard) of buurt (rolt op naar wijk en "
              "gemeente)", _level_check),
    "table": ("Tabel, bijv. 47022NED", _text_check),
    "crime_type": ("Code soort misdrijf, bijv. 0.0.0 (totaal) of 1.1.1", _text_check),
    "measure": ("Onderwerp, standaard geregistreerde_misdrijven", _text_check),
}


def _queryset(params: Mapping[str, object], period_type: str):
    from ..models import Statistic

    return Statistic.objects.filter(
        table=params["table"],
        crime_type_code=params.get("crime_type", "0.0.0"),
        measure=params.get("measure", "geregistreerde_misdrijven"),
        period_type=period_type,
        value__isnull=False,
    )


def _measure(name: str, label: str, period_type: str) -> Measure:
    def compute(params: Mapping[str, object]) -> Iterable[MeasureRow]:
        # One level only: a file may hold the same figures per municipality and per buurt.
        if params.get("level") == "buurt":
            qs = _queryset(params, period_type).filter(area_level=AreaLevel.NEIGHBOURHOOD)
            for code, start, value in qs.values_list("area_code", "period_start", "value"):
                # BU + 4 digits municipality + 2 digits wijk + 2 digits buurt (CBS)
                yield MeasureRow(municipality_code="GM" + code[2:6], period_start=start,
                                 value=float(value), district_code="WK" + code[2:8],
                                 neighbourhood_code=code)
            return
        qs = _queryset(params, period_type).filter(area_level=AreaLevel.MUNICIPALITY)
        for code, start, value in qs.values_list("area_code", "period_start", "value"):
            yield MeasureRow(municipality_code=code, period_start=start, value=float(value))

    def fingerprint(params: Mapping[str, object]) -> str:
        facts = _queryset(params, period_type).aggregate(n=Count("id"), last=Max("id"))
        return f"{facts['n']}:{facts['last']}"

    def synthetic() -> bool:
        from ..models import Statistic

        return Statistic.objects.filter(is_synthetic=True, period_type=period_type).exists()

    return Measure(
        name=name,
        label=label,
        source="CBS/Politie",
        compute=compute,
        fingerprint=fingerprint,
        parameters=PARAMETERS,
        required=frozenset({"table"}),
        granularity=period_type,
        public=True,
        complete=False,
        synthetic=synthetic,
    )


register(_measure("police_monthly", "Geregistreerde misdrijven per maand (47022NED)",
                  PeriodType.MONTH))
register(_measure("police_yearly", "Geregistreerde misdrijven per jaar (47018NED)",
                  PeriodType.YEAR))
