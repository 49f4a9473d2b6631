"""Displacement (waterbed effect): the Weighted Displacement Quotient.

Bowers, K.J. & Johnson, S.D. (2003), "Measuring the geographical displacement and
diffusion of benefit effects of crime prevention activity", Journal of Quantitative
Criminology 19(3), 275-301. With A the target area, B the buffer around it and C a
control area, each counted before (b) and after (a) the intervention:

    success measure  = A_a/C_a - A_b/C_b      (below 0: the target area improved)
    buffer measure   = B_a/C_a - B_b/C_b
    WDQ              = buffer measure / success measure

The buffer is, by default, the municipalities that share a boundary line with the target
(from the real 2024 boundaries, shapely; touching in one point does not count); the
control area is the rest of the target's safety region (or police unit when that leaves
nothing), without target and buffer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from shapely.geometry import shape

from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope

from . import areas as area_lookup
from .models import AreaLevel, IndicatorValue, PeriodType

METHOD = (
    "Weighted Displacement Quotient (Bowers & Johnson, 2003): WDQ = (B_na/C_na − B_voor/"
    "C_voor) / (A_na/C_na − A_voor/C_voor), met A het doelgebied, B de buurgemeenten (met een "
    "gemeenschappelijke grens, echte grenzen 2024) en C het controlegebied. Alleen zinvol als "
    "het doelgebied verbeterde ten opzichte van het controlegebied (noemer onder 0)."
)


@lru_cache(maxsize=512)
def neighbours(code: str) -> tuple[str, ...]:
    """GM codes of the municipalities that share a boundary line with `code`."""
    target = Municipality.objects.get(code=code)
    if not target.boundary:
        return ()
    geometry = shape(target.boundary)
    candidates = Municipality.objects.exclude(pk=target.pk).filter(
        min_x__lte=target.max_x + 1, max_x__gte=target.min_x - 1,
        min_y__lte=target.max_y + 1, max_y__gte=target.min_y - 1,
    ).exclude(boundary__isnull=True)
    found = []
    for other in candidates:
        shared = geometry.boundary.intersection(shape(other.boundary).boundary)
        if shared.length > 0:  # a line, not a single point
            found.append(other.code)
    return tuple(sorted(found))


def _control(code: str, excluded: set[str]) -> list[str]:
    municipality = Municipality.objects.select_related("safety_region__police_unit").get(
        code=code)
    region = municipality.safety_region
    if region is None:
        return []
    members = area_lookup.member_codes(AreaLevel.SAFETY_REGION, region.code,
                                       AreaLevel.MUNICIPALITY)
    control = [c for c in members if c not in excluded]
    if not control and region.police_unit:
        members = area_lookup.member_codes(AreaLevel.POLICE_UNIT, region.police_unit.code,
                                           AreaLevel.MUNICIPALITY)
        control = [c for c in members if c not in excluded]
    return control


def _total(indicator, codes: Sequence[str], span: tuple[date, date], granularity: str,
           complete: bool) -> tuple[float | None, int | None]:
    """(sum of values, sum of support; None when a row has no support)."""
    period_type = PeriodType.MONTH if granularity == PeriodType.MONTH else PeriodType.YEAR
    rows = list(IndicatorValue.objects.filter(
        indicator=indicator, area_level=AreaLevel.MUNICIPALITY, area_code__in=list(codes),
        period_type=period_type, period_start__gte=span[0], period_start__lte=span[1],
    ).values_list("value", "support"))
    if not rows and not complete:
        return None, None
    supports = [n for _v, n in rows]
    support = None if any(n is None for n in supports) else sum(supports)
    return float(sum(v for v, _n in rows)), support


def wdq(a_before: float, a_after: float, b_before: float, b_after: float,
        c_before: float, c_after: float) -> tuple[float | None, float | None, float | None]:
    """(success measure, buffer measure, WDQ); None where a control count is zero."""
    if not c_before or not c_after:
        return None, None, None
    success = a_after / c_after - a_before / c_before
    buffer = b_after / c_after - b_before / c_before
    quotient = buffer / success if success else None
    return success, buffer, quotient


def interpret(success: float | None, quotient: float | None) -> str:
    """The reading of Bowers & Johnson (2003), in Dutch."""
    if success is None:
        return ("Niet te berekenen: het controlegebied heeft in een van beide perioden geen "
                "waarnemingen.")
    if success >= 0:
        return ("Het doelgebied is ten opzichte van het controlegebied niet verbeterd "
                "(succesmaat ≥ 0). De WDQ zegt dan niets over verplaatsing: eerst moet de "
                "aanpak in het doelgebied effect hebben.")
    if quotient is None:
        return "Niet te berekenen."
    if quotient > 1:
        return ("Uitstraling van het effect (diffusion of benefits) groter dan het effect in "
                "het doelgebied zelf: ook de buurgemeenten verbeterden, sterker dan het "
                "doelgebied. Geen waterbedeffect.")
    if quotient > 0.05:
        return ("Uitstraling van het effect (diffusion of benefits): ook de buurgemeenten "
                "verbeterden ten opzichte van het controlegebied. Geen waterbedeffect.")
    if quotient >= -0.05:
        return ("Geen verplaatsing en geen uitstraling: de buurgemeenten veranderden niet "
                "merkbaar ten opzichte van het controlegebied.")
    if quotient >= -1:
        return ("Enige verplaatsing naar de buurgemeenten (waterbedeffect), maar kleiner dan "
                "de winst in het doelgebied: per saldo een verbetering.")
    return ("Verplaatsing naar de buurgemeenten groter dan de winst in het doelgebied: "
            "per saldo werkt de aanpak averechts (sterk waterbedeffect).")


def compute_displacement(user, indicator_code, target_code, before, after, buffer_codes,
                         control_codes):
    from .measures.registry import get_measure
    from .queries import Displacement, NotAllowed, _before_records, _indicator, _info, _shown

    ind = _indicator(indicator_code)
    info = _info(ind)
    target = area_lookup.area(AreaLevel.MUNICIPALITY, target_code)
    if not scope.figure_visible(user, target.level, target.code, public=info.public):
        raise NotAllowed(target_code)
    for span in (before, after):
        if span[0] > span[1]:
            raise ValueError("Een periode begint na haar einde.")
    if before[1] >= after[0]:
        raise ValueError("De periode 'voor' moet eindigen voordat de periode 'na' begint.")
    buffer = list(buffer_codes) if buffer_codes else list(neighbours(target_code))
    excluded = {target_code, *buffer}
    control = list(control_codes) if control_codes else _control(target_code, excluded)
    overlap = ({target_code} & set(control)) | (set(buffer) & set(control)) | (
        {target_code} & set(buffer))
    if overlap:
        raise ValueError("Doelgebied, buffer en controlegebied mogen elkaar niet overlappen: "
                         + ", ".join(sorted(overlap)))
    if not buffer or not control:
        raise ValueError("Geen buurgemeenten of controlegebied gevonden.")
    measure = get_measure(ind.measure)
    counts: dict[str, float | None] = {}
    raw: dict[str, float | None] = {}
    for name, codes in (("target", [target_code]), ("buffer", buffer), ("control", control)):
        for label, span in (("before", before), ("after", after)):
            if _before_records(ind, span[0]):
                value, support = None, None  # before the first record: no data, not 0
            else:
                value, support = _total(ind, codes, span, measure.granularity,
                                        measure.complete)
            raw[f"{name}_{label}"] = value
            counts[f"{name}_{label}"] = _shown(user, info, value, support)[0]
    if _before_records(ind, before[0]):
        success = buffer_measure = quotient = None
        interpretation = ("Niet te berekenen: de periode 'voor' begint voordat Knooppunt "
                          "deze gegevens registreerde; kies een latere periode.")
    elif any(v is None for v in counts.values()):
        success = buffer_measure = quotient = None
        interpretation = ("Niet te berekenen: een van de aantallen ontbreekt of is te klein om "
                          "te tonen.")
    else:
        success, buffer_measure, quotient = wdq(
            raw["target_before"], raw["target_after"], raw["buffer_before"],
            raw["buffer_after"], raw["control_before"], raw["control_after"],
        )
        interpretation = interpret(success, quotient)
    return Displacement(
        indicator=info, target=target,
        buffer=tuple(area_lookup.areas(AreaLevel.MUNICIPALITY, buffer)),
        control=tuple(area_lookup.areas(AreaLevel.MUNICIPALITY, control)),
        before=tuple(before), after=tuple(after), counts=counts,
        success_measure=round(success, 6) if success is not None else None,
        buffer_measure=round(buffer_measure, 6) if buffer_measure is not None else None,
        wdq=round(quotient, 3) if quotient is not None else None,
        interpretation=interpretation, method=METHOD,
    )
