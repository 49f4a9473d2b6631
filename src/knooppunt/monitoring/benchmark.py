"""Benchmarks: a municipality against its peer group (index, group average = 100, as the
G32 benchmark does) and the ranking of the municipalities or wijken of a region (as the
Platform IVZ note's table does).

Rates per 1,000 inhabitants are compared, so large and small areas can stand side by
side. The group average is the unweighted mean of the members' rates (each municipality
counts once, as in the G32 benchmark). Peer groups by size class are made from the real
2024 population by `ensure_size_classes`; a beheerder adds chosen groups in the admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy

from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope

from . import areas as area_lookup
from . import memo
from .models import AreaLevel, IndicatorValue, PeerGroup, PeerKind, PeriodType

MIN_GROUP = 3  # fewer members with a figure: no average (it would reveal a member)
BAND = 10.0  # index within 100 ± BAND counts as "gemiddeld"
G4 = ("GM0363", "GM0599", "GM0518", "GM0344")
SIZE_CLASSES = [
    ("g4", "G4 (vier grote steden)", None, None),
    ("100000-plus", "100.000 inwoners en meer (zonder G4)", 100_000, None),
    ("50000-100000", "50.000 tot 100.000 inwoners", 50_000, 100_000),
    ("20000-50000", "20.000 tot 50.000 inwoners", 20_000, 50_000),
    ("tot-20000", "Minder dan 20.000 inwoners", 0, 20_000),
]
BENCHMARK_METHOD = gettext_lazy(
    "Index = cijfer per 1.000 inwoners van de gemeente gedeeld door het ongewogen "
    "gemiddelde van de cijfers per 1.000 inwoners van de gemeenten in de vergelijkingsgroep, "
    "maal 100 (groepsgemiddelde = 100, zoals de G32-benchmark). Inwoners op 1 januari 2024 "
    "(CBS). Cijfers uit eigen registraties worden alleen vergeleken met gemeenten die "
    "Knooppunt gebruiken (standaardgroep: de gemeenten van de eigen veiligheidsregio). "
    "Kleine aantallen worden niet getoond; zonder ten minste 3 gemeenten met een cijfer is "
    "er geen gemiddelde."
)
RANKING_METHOD = gettext_lazy(
    "Per indicator het cijfer per 1.000 inwoners (bedragen en uren als totaal) van elk "
    "gebied, de index ten opzichte van het ongewogen gemiddelde van de gebieden in de regio "
    "(= 100) en de rang (1 = gunstigst; bij indicatoren zonder richting: 1 = hoogst). "
    "Kleur: index onder 90 of boven 110 wijkt af (gunstig / ongunstig, of laag / hoog bij "
    "indicatoren zonder richting), daartussen gemiddeld. De gemiddelde rang telt alleen "
    "indicatoren met een cijfer."
)


def size_class_of(code: str, population: int) -> str:
    if code in G4:
        return "g4"
    for group, _name, low, high in SIZE_CLASSES[1:]:
        if population >= low and (high is None or population < high):
            return group
    return SIZE_CLASSES[-1][0]


def ensure_size_classes() -> int:
    """Create or refresh the size-class peer groups from the real population."""
    groups = {}
    with transaction.atomic():
        for code, name, _low, _high in SIZE_CLASSES:
            description = "Grootteklasse op inwoners 1 januari 2024 (CBS)."
            groups[code], _ = PeerGroup.objects.update_or_create(
                code=f"grootte-{code}",
                defaults={"name": name, "kind": PeerKind.SIZE, "description": description},
            )
        members: dict[str, list[int]] = {code: [] for code in groups}
        for pk, code, population in Municipality.objects.values_list("pk", "code",
                                                                       "population"):
            members[size_class_of(code, population)].append(pk)
        for code, group in groups.items():
            group.members.set(members[code])
    return len(groups)


def ensure_region_groups() -> int:
    """One peer group per safety region: the municipalities of the region."""
    from knooppunt.geo.models import SafetyRegion

    count = 0
    with transaction.atomic():
        for region in SafetyRegion.objects.all():
            group, _ = PeerGroup.objects.update_or_create(
                code=f"regio-{region.code.lower()}",
                defaults={"name": f"Gemeenten van veiligheidsregio {region.name}",
                          "kind": PeerKind.REGION,
                          "description": "De gemeenten van de eigen veiligheidsregio."},
            )
            group.members.set(region.municipalities.all())
            count += 1
    return count


def ensure_peer_groups() -> int:
    """Size classes and safety-region groups (idempotent)."""
    return ensure_size_classes() + ensure_region_groups()


@memo.memoised
def covered_codes() -> set[str]:
    """Municipalities served by an active organisation: where own records can exist.

    Own-data figures are only compared among these; elsewhere a 0 means "not a user of
    Knooppunt", not "nothing happened".
    """
    return set(Municipality.objects.filter(organisations__active=True)
               .values_list("code", flat=True).distinct())


def _year_values(indicator, level: str, codes: Sequence[str],
                 year: int) -> dict[str, tuple[float, int | None]]:
    """Area code -> (value, support) of one year; areas without a row are left out."""
    from .queries import _prefetched

    start = date(year, 1, 1)
    kept = _prefetched(indicator, level, list(codes), PeriodType.YEAR, start, start)
    if kept is not None:
        return {row.area_code: (row.value, row.support) for row in kept}
    return {code: (value, support) for code, value, support in IndicatorValue.objects.filter(
        indicator=indicator, area_level=level, area_code__in=list(codes),
        period_type=PeriodType.YEAR, period_start=start,
    ).values_list("area_code", "value", "support")}


@memo.memoised
def groups_of(municipality_code: str) -> list[tuple[PeerGroup, tuple[str, ...]]]:
    """The peer groups of a municipality with their members' codes (two queries)."""
    groups = PeerGroup.objects.filter(members__code=municipality_code).prefetch_related(
        "members")
    return [(g, tuple(m.code for m in g.members.all())) for g in groups]


def peer_codes(group: PeerGroup, members: Sequence[str], public: bool) -> list[str]:
    """The members a figure is compared with: all of them for published figures, the
    covered ones (see `covered_codes`) for own-data figures."""
    if public:
        return list(members)
    covered = covered_codes()
    return [c for c in members if c in covered]


def default_group(groups: list[tuple[PeerGroup, tuple[str, ...]]], public: bool,
                  chosen: str | None = None) -> tuple[PeerGroup, tuple[str, ...]] | None:
    """The chosen group, else the size class (published figures) or the safety region
    (own-data figures), else any group."""
    if chosen:
        return next((g for g in groups if g[0].code == chosen), None)
    kind = PeerKind.SIZE if public else PeerKind.REGION
    return next((g for g in groups if g[0].kind == kind), groups[0] if groups else None)


def _rate(value: float | None, population: int | None, per_1000: bool) -> float | None:
    if value is None:
        return None
    if not per_1000:
        return value
    if not population:
        return None
    return value / population * 1000


def compute_benchmark(user, indicator_code, municipality_code, year, peer_group=None):
    from .queries import (
        BenchmarkMember,
        BenchmarkResult,
        NotAllowed,
        PeerGroupInfo,
        _before_records,
        _indicator,
        _info,
        _measure_complete,
        _shown,
    )

    ind = _indicator(indicator_code)
    info = _info(ind)
    ref = area_lookup.area(AreaLevel.MUNICIPALITY, municipality_code)
    if not scope.figure_visible(user, ref.level, ref.code, public=info.public):
        raise NotAllowed(municipality_code)
    found = default_group(groups_of(municipality_code), info.public, peer_group)
    if found is None:
        raise ValueError(f"{ref.name} zit niet in vergelijkingsgroep {peer_group or '(geen)'}.")
    group = found[0]
    member_codes = peer_codes(group, found[1], info.public)
    member_refs = area_lookup.areas(AreaLevel.MUNICIPALITY, member_codes)
    # A year that begins before the first record has no data: no rates, no average.
    incomplete = _before_records(ind, date(year, 1, 1))
    raw = {} if incomplete else _year_values(ind, AreaLevel.MUNICIPALITY,
                                             [m.code for m in member_refs], year)
    complete = _measure_complete(ind) and not incomplete
    visible = scope.figure_visible_codes(user, [m.code for m in member_refs],
                                         public=info.public)
    missing = (0.0, 0) if complete else (None, None)
    rates: dict[str, float] = {}
    for m in member_refs:
        value = raw.get(m.code, missing)[0]
        rate = _rate(value, m.population, True)
        if rate is not None:
            rates[m.code] = rate
    average = sum(rates.values()) / len(rates) if len(rates) >= MIN_GROUP else None
    rows = []
    for m in sorted(member_refs, key=lambda r: r.name):
        value, support = raw.get(m.code, missing)
        shown, suppressed = _shown(user, info, value, support)
        hidden = m.code not in visible
        rate = None if hidden or suppressed or shown is None else rates.get(m.code)
        rows.append((m, rate, hidden))
    if sum(1 for m, rate, _h in rows if rate is None and m.code in rates) == 1:
        # The average times the group minus the shown rates would be the one rate not
        # shown, and a rate times the population its count (decision 0026).
        average = None
    members = [
        BenchmarkMember(
            area=m,
            per_1000=round(rate, 3) if rate is not None else None,
            index=round(rate / average * 100, 1) if rate is not None and average else None,
            hidden=hidden,
        )
        for m, rate, hidden in rows
    ]
    own = next(m for m in members if m.area.code == ref.code)
    return BenchmarkResult(
        indicator=info, area=ref,
        group=PeerGroupInfo(group.code, group.name, group.kind, group.description,
                            len(member_refs)),  # members compared (covered ones for own data)
        year=year, per_1000=own.per_1000,
        group_average=round(average, 3) if average is not None else None,
        index=own.index, members=tuple(members), method=str(BENCHMARK_METHOD),
        incomplete=incomplete,
    )


def _classify(index: float | None, higher_is_better: bool | None) -> str:
    if index is None:
        return "onbekend"
    if abs(index - 100) <= BAND:
        return "gemiddeld"
    high = index > 100
    if higher_is_better is None:
        return "hoog" if high else "laag"
    return "gunstig" if high == higher_is_better else "ongunstig"


def compute_ranking(user, indicator_codes, level, code, year, child_level=None):
    from .queries import (
        NotAllowed,
        Ranking,
        RankingRow,
        _before_records,
        _indicator,
        _info,
        _measure_complete,
        _shown,
        breakdown,
    )

    if not indicator_codes:
        raise ValueError("Kies ten minste één indicator.")
    inds = [_indicator(c) for c in indicator_codes]
    infos = [_info(i) for i in inds]
    public = all(i.public for i in infos)
    region = area_lookup.area(level, code)
    if not scope.figure_visible(user, level, code, public=public):
        raise NotAllowed(code)
    child_level = child_level or area_lookup.CHILD_LEVEL.get(level)
    if child_level is None:
        raise ValueError(f"Onder {level} is geen indeling om te rangschikken.")
    members = sorted(area_lookup.children(level, code, child_level), key=lambda a: a.name)
    visible = {i.code: scope.figure_visible_codes(user, [m.code for m in members],
                                                  public=i.public) for i in infos}
    values: dict[str, dict[str, float | None]] = {m.code: {} for m in members}
    indices: dict[str, dict[str, float | None]] = {m.code: {} for m in members}
    ranks: dict[str, dict[str, int | None]] = {m.code: {} for m in members}
    classes: dict[str, dict[str, str]] = {m.code: {} for m in members}
    incomplete: list[str] = []
    for ind, info in zip(inds, infos, strict=True):
        if _before_records(ind, date(year, 1, 1)):
            incomplete.append(info.code)  # no data for the year: no rates, no ranks
        raw = ({} if info.code in incomplete
               else _year_values(ind, child_level, [m.code for m in members], year))
        complete = _measure_complete(ind) and info.code not in incomplete
        missing = (0.0, 0) if complete else (None, None)
        # The region's total is shown beside a ranking (page and reports), and a rate
        # times the population is the count: rank only what the drill-down's breakdown
        # shows, after its secondary suppression, so total minus the ranked counts never
        # gives a hidden one (decision 0013).
        in_breakdown = {f.area.code for f in breakdown(
            user, info.code, level, code, PeriodType.YEAR, date(year, 1, 1), child_level)
            if f.value is not None}
        rates: dict[str, float] = {}
        for m in members:
            value, support = raw.get(m.code, missing)
            rate = _rate(value, m.population, info.per_1000)
            shown, suppressed = _shown(user, info, value, support)
            if (rate is not None and not suppressed and m.code in visible[info.code]
                    and m.code in in_breakdown):
                rates[m.code] = rate
        average = sum(rates.values()) / len(rates) if len(rates) >= MIN_GROUP else None
        descending = info.higher_is_better is not False
        order = sorted(rates, key=lambda c: rates[c], reverse=descending)
        for m in members:
            rate = rates.get(m.code)
            index = round(rate / average * 100, 1) if rate is not None and average else None
            values[m.code][info.code] = round(rate, 3) if rate is not None else None
            indices[m.code][info.code] = index
            ranks[m.code][info.code] = order.index(m.code) + 1 if m.code in rates else None
            classes[m.code][info.code] = _classify(index, info.higher_is_better)
    rows = []
    for m in members:
        known = [r for r in ranks[m.code].values() if r is not None]
        hidden = not any(m.code in visible[i.code] for i in infos)
        rows.append(RankingRow(
            area=m, values=values[m.code], indices=indices[m.code], ranks=ranks[m.code],
            classes=classes[m.code],
            mean_rank=round(sum(known) / len(known), 2) if known else None, hidden=hidden,
        ))
    rows.sort(key=lambda r: (r.mean_rank is None, r.mean_rank or 0, r.area.name))
    return Ranking(region=region, year=year, indicators=tuple(infos), rows=tuple(rows),
                   method=str(RANKING_METHOD), incomplete=tuple(incomplete))
