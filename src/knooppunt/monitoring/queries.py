"""The read API of monitoring: every page, API endpoint and report asks here for figures.

Plain functions that take the user and return frozen dataclasses. Need-to-know
(`scope.figure_visible`) and small-count suppression (`scope.suppress_small`,
`scope.suppress_breakdown`) are applied here, so no caller computes or filters figures
itself. Sums in euro and hours are judged on the number of records behind them
(`IndicatorValue.support`), series per calendar year, breakdowns with the areas the
user may not see as one more cell (decision 0013). A suppressed figure has ``value is
None`` and ``suppressed is True``; a figure the user may not see is left out (or, in a
ranking, shown as hidden).

Figures of own records (measures with ``complete=True``) count a period without a stored
row as 0, but only from the day Knooppunt has records of the measure's source
(`recorded_since`, e.g. the first signal received). A period that begins before that day
is *no data*: ``value is None``, ``incomplete is True`` and ``suppressed is False``; a
year that begins before the first record (2023 when records start on 1 December 2023)
too, since it holds only part of its periods. A change against such a period is not
computed (decision 0021).

Areas are named by level (`models.AreaLevel`: buurt, wijk, gemeente, veiligheidsregio,
politie-eenheid, provincie, land) and CBS-style code (BU…, WK…, GM…, VR…, PE…, PV…,
NL01). Periods by `models.PeriodType` (maand, kwartaal, jaar) and their first day.

Errors: `UnknownArea`, `UnknownIndicator` (LookupError) for a code that does not exist,
`NotAllowed` (PermissionError) for an area whose figures the user may not see;
`ValueError` for arguments that do not fit (e.g. a period type an indicator lacks).

Interface history (additions only, names and fields stay stable):
  v1  indicators, indicator, areas_for, area, children, values, series, breakdown,
      targets, target_status, riec_target_sheet, peer_groups, benchmark, ranking,
      alerts, displacement, statistics, key_figures.
  v2  alert (one alert by id, for reviewing it).
  v3  Figure.incomplete, TargetStatus.realised_incomplete, BenchmarkResult.incomplete,
      Ranking.incomplete (periods before the first record: no data), recorded_since.
  v4  half_year; figures exact for a user who may open every record behind them
      (`scope.sees_every_record`, decision 0026).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.utils import timezone

from knooppunt.organisations import scope

from . import areas as area_lookup
from . import memo, periods
from .areas import AreaRef, UnknownArea
from .measures.registry import get_measure
from .models import (
    SUB_MUNICIPAL_LEVELS,
    AreaLevel,
    Indicator,
    IndicatorValue,
    PeriodType,
    Target,
    TargetDirection,
    Unit,
)
from .periods import Period

__all__ = [
    "AlertInfo", "AreaRef", "BenchmarkMember", "BenchmarkResult", "Displacement",
    "Figure", "IndicatorInfo", "KeyFigure", "NotAllowed", "PeerGroupInfo", "Period",
    "Ranking", "RankingRow", "StatisticRow", "TargetSection", "TargetStatus",
    "UnknownArea", "UnknownIndicator",
    "alert", "alerts", "area", "areas_for", "benchmark", "breakdown", "children", "displacement",
    "indicator", "indicators", "key_figures", "peer_groups", "ranking", "recorded_since",
    "riec_target_sheet", "series", "statistics", "target_status", "targets", "values",
    "half_year",
]


class UnknownIndicator(LookupError):
    """No active indicator with that code."""


class NotAllowed(PermissionError):
    """The user may not see figures of this area (need to know)."""


# ---------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str
    theme_code: str | None
    theme_name: str | None
    unit: str  # models.Unit: aantal, euro, uren, procent
    definition: str
    source: str
    per_1000: bool  # whether a rate per 1,000 inhabitants is meaningful
    higher_is_better: bool | None
    reference: str  # where the indicator is asked for (seed / plan chapter)
    public: bool  # from published open data (visible everywhere) or own records
    period_types: tuple[str, ...]  # which period types have values
    early_warning: bool


@dataclass(frozen=True)
class Figure:
    indicator: str  # indicator code
    area: AreaRef
    period: Period
    value: float | None  # None: suppressed or no data
    per_1000: float | None
    suppressed: bool  # True: a small count hidden (shown as "<threshold")
    source: str
    source_date: date | None
    computed_at: datetime | None
    synthetic: bool
    # True: the period begins before Knooppunt has records of the source (no data, not 0;
    # shown as "geen gegevens", never as a number or as suppressed). Since v3.
    incomplete: bool = False


@dataclass(frozen=True)
class TargetStatus:
    indicator: IndicatorInfo
    area: AreaRef
    year: int
    target: float
    direction: str  # models.TargetDirection: minstens / hoogstens
    realised: float | None  # None: suppressed or no data yet
    realised_suppressed: bool
    share_of_target: float | None  # realised / target * 100
    met: bool | None  # judged on the whole year; None while the year runs or no data
    expected_so_far: float | None  # pro rata target for a running year
    on_track: bool | None  # running year: realised vs pro rata target
    section: str  # models.RiecSection
    section_label: str
    basis: str
    set_by: str
    set_on: date | None
    # True: the year begins before the first record, so nothing can be judged. Since v3.
    realised_incomplete: bool = False


@dataclass(frozen=True)
class TargetSection:
    """One block of the RIEC target-figure format (bestuurlijke / geïntegreerde aanpak /
    analyses) with its rows and totals."""

    section: str
    label: str
    rows: tuple[TargetStatus, ...]
    total_target: float | None  # None when the rows have different units
    total_realised: float | None


@dataclass(frozen=True)
class PeerGroupInfo:
    code: str
    name: str
    kind: str
    description: str
    size: int


@dataclass(frozen=True)
class BenchmarkMember:
    area: AreaRef
    per_1000: float | None
    index: float | None
    hidden: bool  # own-data figure of a municipality outside the user's scope


@dataclass(frozen=True)
class BenchmarkResult:
    indicator: IndicatorInfo
    area: AreaRef
    group: PeerGroupInfo
    year: int
    per_1000: float | None
    group_average: float | None  # unweighted mean of the members' rates per 1,000
    index: float | None  # per_1000 / group_average * 100
    members: tuple[BenchmarkMember, ...]
    method: str
    incomplete: bool = False  # the year begins before the first record: no rates. v3.


@dataclass(frozen=True)
class RankingRow:
    area: AreaRef
    values: dict[str, float | None]  # indicator code -> rate per 1,000 (or value)
    indices: dict[str, float | None]  # regional average = 100
    ranks: dict[str, int | None]  # 1 = most favourable
    classes: dict[str, str]  # "gunstig" / "gemiddeld" / "ongunstig" / "onbekend"
    mean_rank: float | None
    hidden: bool


@dataclass(frozen=True)
class Ranking:
    region: AreaRef
    year: int
    indicators: tuple[IndicatorInfo, ...]
    rows: tuple[RankingRow, ...]
    method: str
    # codes of the indicators whose year begins before the first record (no data). v3.
    incomplete: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlertInfo:
    id: int
    indicator: IndicatorInfo
    area: AreaRef
    period: Period
    method: str
    observed: float | None  # None when suppressed
    expected: float
    statistic: float
    threshold: float
    reason: str
    status: str
    created_at: datetime
    reviewed_by: str
    reviewed_at: datetime | None
    review_reason: str


@dataclass(frozen=True)
class Displacement:
    indicator: IndicatorInfo
    target: AreaRef
    buffer: tuple[AreaRef, ...]
    control: tuple[AreaRef, ...]
    before: tuple[date, date]
    after: tuple[date, date]
    counts: dict[str, float | None]  # {target,buffer,control}_{before,after}
    success_measure: float | None  # (Ta/Ca - Tb/Cb): change in target relative to control
    buffer_measure: float | None  # (Ba/Ca - Bb/Cb)
    wdq: float | None  # buffer_measure / success_measure
    interpretation: str
    method: str


@dataclass(frozen=True)
class StatisticRow:
    table: str
    measure: str
    crime_type_code: str
    crime_type_label: str
    area: AreaRef
    period: Period
    value: int | None
    withheld: bool  # empty in the source: not published
    suppressed: bool  # small count hidden here
    source: str
    source_date: date | None
    synthetic: bool


@dataclass(frozen=True)
class KeyFigure:
    indicator: IndicatorInfo
    current: Figure
    previous: Figure | None
    change_percent: float | None
    target: TargetStatus | None
    benchmark_index: float | None
    alerts: tuple[AlertInfo, ...] = field(default_factory=tuple)
    # The change by the one rule (`monitoring.comparison`, decision 0025): a running year
    # over its complete months against the same months of the year before. Since v4.
    compared: object | None = None  # comparison.Compared


# ---------------------------------------------------------------- indicators and areas


def _info(indicator: Indicator) -> IndicatorInfo:
    try:
        measure = get_measure(indicator.measure)
        public, granularity = measure.public, measure.granularity
    except KeyError:
        public, granularity = False, PeriodType.MONTH
    period_types = (
        (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.YEAR)
        if granularity == PeriodType.MONTH
        else (PeriodType.YEAR,)
    )
    theme = indicator.theme
    return IndicatorInfo(
        code=indicator.code,
        name=indicator.name_en if indicator.name_en and _english() else indicator.name,
        theme_code=theme.code if theme else None,
        theme_name=str(theme) if theme else None,
        unit=indicator.unit,
        definition=indicator.definition,
        source=indicator.source,
        per_1000=indicator.per_1000,
        higher_is_better=indicator.higher_is_better,
        reference=indicator.reference,
        public=public,
        period_types=period_types,
        early_warning=indicator.early_warning,
    )


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def _active_indicators() -> dict[str, Indicator]:
    """Every active indicator by code, in display order (read once inside `memo.active`)."""
    return memo.get("indicators", lambda: {
        i.code: i for i in Indicator.objects.select_related("theme").filter(active=True)
    })


def _indicator(code: str) -> Indicator:
    if memo.is_active():  # one read of all active indicators per request
        found = _active_indicators().get(code)
    else:
        found = Indicator.objects.select_related("theme").filter(code=code, active=True).first()
    if found is None:
        raise UnknownIndicator(code)
    return found


def indicators(user, theme: str | None = None) -> list[IndicatorInfo]:
    """The active indicators, in their display order (optionally of one theme code)."""
    if memo.is_active():
        found = [i for i in _active_indicators().values()
                 if not theme or (i.theme is not None and i.theme.code == theme)]
        return [_info(i) for i in found]
    qs = Indicator.objects.filter(active=True).select_related("theme")
    if theme:
        qs = qs.filter(theme__code=theme)
    return [_info(i) for i in qs]


def indicator(user, code: str) -> IndicatorInfo:
    return _info(_indicator(code))


def _check_area(user, level: str, code: str, *, public: bool) -> AreaRef:
    found = area_lookup.area(level, code)
    if not scope.figure_visible(user, level, code, public=public):
        raise NotAllowed(code)
    return found


def area(user, level: str, code: str, *, public: bool = False) -> AreaRef:
    """One area, when the user may see its figures (own-data figures unless `public`)."""
    return _check_area(user, level, code, public=public)


def areas_for(user, level: str, *, public: bool = False) -> list[AreaRef]:
    """The areas of a level whose figures the user may see (all of them when `public`,
    except wijken and buurten, which are always limited to the served municipalities)."""
    if level in SUB_MUNICIPAL_LEVELS:
        served = scope.figure_municipality_codes(user)
        from knooppunt.geo.models import District, Neighbourhood

        model = District if level == AreaLevel.DISTRICT else Neighbourhood
        codes = model.objects.filter(municipality__code__in=served).values_list(
            "code", flat=True
        )
        return area_lookup.areas(level, list(codes))
    found = area_lookup.areas(level)
    visible = scope.figure_visible_codes(user, [a.code for a in found], public=public)
    return sorted((a for a in found if a.code in visible), key=lambda a: a.name)


def children(user, level: str, code: str, *, public: bool = False) -> list[AreaRef]:
    """The areas one level down inside (level, code) that the user may see (drill-down)."""
    _check_area(user, level, code, public=public)
    found = area_lookup.children(level, code)
    if not found:
        return []
    visible = scope.figure_visible_codes(user, [a.code for a in found], public=public)
    return sorted((a for a in found if a.code in visible), key=lambda a: a.name)


# ---------------------------------------------------------------- values


def _check_period_type(info: IndicatorInfo, period_type: str) -> None:
    if period_type not in info.period_types:
        raise ValueError(
            f"Indicator {info.code} heeft geen waarden per {period_type}; "
            f"wel per {', '.join(info.period_types)}."
        )


def _figure(
    info: IndicatorInfo, ref: AreaRef, period: Period, row: StoredValue | None,
    shown: float | None, suppressed: bool, incomplete: bool = False,
) -> Figure:
    if incomplete:  # no data: whatever a row holds is part of the period only
        shown, suppressed = None, False
    per_1000 = None
    if not suppressed and shown is not None and info.per_1000 and ref.population:
        per_1000 = row.per_1000 if row is not None and row.per_1000 is not None else round(
            shown / ref.population * 1000, 6
        )
    return Figure(
        indicator=info.code,
        area=ref,
        period=period,
        value=shown,
        per_1000=per_1000,
        suppressed=suppressed,
        source=row.source if row else info.source,
        source_date=row.source_date if row else None,
        computed_at=row.computed_at if row else None,
        synthetic=row.is_synthetic if row else False,
        incomplete=incomplete,
    )


# ---------------------------------------------------------------- recorded since


_NO_BOUND = object()


def _first_record(ind: Indicator) -> object:
    """The first day of records of the indicator's source (`Measure.recorded_since`),
    None when the source has no records yet, `_NO_BOUND` when periods without a row are
    no data anyway (statistics) or the measure is unknown. Read once per source inside
    `memo.active()` (one MIN query); the same for every user, area and filter."""
    try:
        measure = get_measure(ind.measure)
    except KeyError:
        return _NO_BOUND
    if not measure.complete or measure.recorded_since is None:
        return _NO_BOUND
    return memo.get(("recorded_since", measure.source), measure.recorded_since)


def _is_before(first: object, start: date) -> bool:
    """Whether a period beginning on `start` begins before `first` (`_first_record`),
    i.e. holds no data or only part of it (decision 0021)."""
    if first is _NO_BOUND:
        return False
    return first is None or start < first  # type: ignore[operator]


def _before_records(ind: Indicator, start: date) -> bool:
    return _is_before(_first_record(ind), start)


def recorded_since(user, indicator_code: str) -> date | None:
    """The first day Knooppunt has records of the indicator's source (e.g. the first
    signal received); periods that begin before it are no data (`Figure.incomplete`).
    None for published statistics (no such bound) and for a source without records."""
    first = _first_record(_indicator(indicator_code))
    return None if first is _NO_BOUND else first  # type: ignore[return-value]


SUMS = (Unit.EURO, Unit.HOURS)


def _weight(info: IndicatorInfo, value: float | None, support: int | None) -> int | None:
    """How many records a figure stands for, the number small-count suppression judges
    (None: not suppressible, e.g. a percentage). A count is its own number; a sum in euro
    or hours carries the number of records added up (`IndicatorValue.support`, decision
    0013). A stored own-data sum without it (computed before the column existed) counts
    as one record, so it stays hidden until the job recomputes it."""
    if value is None:
        return None
    if info.unit == Unit.COUNT:
        return int(round(value))
    if info.unit in SUMS:
        if support is not None:
            return support
        if value == 0:
            return 0
        return None if info.public else 1
    return None


def _support(row: StoredValue | None) -> int | None:
    """The stored support of a row; a missing row (nothing happened) has none: 0."""
    return row.support if row is not None else 0


def _domain(ind: Indicator, level: str, code: str):
    """The records that could be behind a figure of `ind` for (level, code), as wide as
    needed (`scope.sees_every_record`); None for published statistics."""
    from knooppunt.organisations.figure_audience import CASES, INTERVENTIONS, SIGNALS, RecordDomain

    from .measures import cases as case_measures
    from .measures import signals as signal_measures

    try:
        measure = get_measure(ind.measure)
    except KeyError:
        return None
    if measure.public:
        return None
    if measure.source == signal_measures.SOURCE:
        kind = SIGNALS
    elif measure.source == case_measures.SOURCE:
        kind = INTERVENTIONS if measure.name.startswith("intervention") else CASES
    else:
        return None
    theme = (ind.parameters or {}).get("theme")
    codes = frozenset(area_lookup.municipality_codes_in(level, code))
    return RecordDomain(kind, codes, theme if isinstance(theme, str) else None)


def _exact(user, ind: Indicator, level: str, code: str) -> bool:
    """Whether `user` may open every record behind the figure: shown exactly."""
    return scope.sees_every_record(user, _domain(ind, level, code))


def _shown(user, info: IndicatorInfo, value: float | None,
           support: int | None = None, exact: bool = False) -> tuple[float | None, bool]:
    weight = _weight(info, value, support)
    if weight is None or exact:
        return value, False
    kept = scope.suppress_small(user, weight)
    return (None, True) if kept is None else (value, False)


def _shown_together(user, info: IndicatorInfo, raws: Sequence[float | None],
                    supports: Sequence[int | None],
                    rest: tuple[float | None, int | None] | None = None,
                    known: Sequence[bool] | None = None,
                    forced: Sequence[bool] | None = None,
                    ) -> list[tuple[float | None, bool]]:
    """Suppress cells whose total is shown elsewhere (`scope.suppress_breakdown`), judged
    on their weights; `rest` is the part of the total in cells not shown here (value,
    support), which takes part as a cell of its own; `known` cells the user may count
    themselves (shown exactly), `forced` cells hidden by another rule."""
    weights = [_weight(info, raw, n) for raw, n in zip(raws, supports, strict=True)]
    if all(w is None for w in weights):
        return [(raw, False) for raw in raws]
    rest_weight = _weight(info, *rest) if rest is not None else None
    kept = scope.suppress_breakdown(user, [w or 0 for w in weights],
                                    rest=max(rest_weight, 0) if rest_weight else None,
                                    known=list(known) if known is not None else None,
                                    forced=list(forced) if forced is not None else None)
    return [
        (None, raw is not None) if k is None and w is not None else (raw, False)
        for k, raw, w in zip(kept, raws, weights, strict=True)
    ]


def _hidden_months(user, info: IndicatorInfo, ind: Indicator, level: str,
                   codes: Sequence[str], years: Sequence[int]) -> dict[str, set[tuple]]:
    """Per area, the periods (months, quarters, half years, the year when it must) hidden
    for a suppressed audience, as a set of (period type, first day); every read of a
    figure uses this one rule, so what one page shows never undoes what another hides.
    The rule (`suppression.hidden_grid`, decision 0026) treats year, halves, quarters and
    months as a tree of sums, and areas (buurt → wijk → gemeente) and themes (each theme →
    all signals) as further sums, and hides the fewest and smallest cells so that no sum
    has exactly one hidden cell: a small month hides one more month of its quarter, never
    the year of a large figure. Buurten, wijken and the gemeente: `_municipality_block`;
    larger areas: `_region_block`. Areas whose records the user may all open (`_exact`)
    have nothing hidden.
    """

    hidden: dict[str, set[tuple]] = {c: set() for c in codes}
    if not codes or not years or PeriodType.MONTH not in info.period_types:
        return hidden
    if _weight(info, 1.0, 1) is None:
        return hidden  # not suppressible (e.g. percentages)
    codes = [c for c in codes if not _exact(user, ind, level, c)]
    if not codes:
        return hidden
    blocks: dict[tuple[str, int], dict] = {}
    for code in codes:
        for year in years:
            if level in SUB_MUNICIPAL_LEVELS or level == AreaLevel.MUNICIPALITY:
                # Buurten, wijken and the gemeente are shown beside each other: one
                # pattern over both kinds of sums (`_municipality_block`).
                if (code[2:6], year) not in blocks:
                    blocks[(code[2:6], year)] = _municipality_block(info, ind, code[2:6],
                                                                    year)
                hidden[code].update(blocks[(code[2:6], year)].get(code, set()))
                continue
            hidden[code].update(_region_block(user, info, ind, level, code, year))
    return hidden


def _region_block(user, info: IndicatorInfo, ind: Indicator, level: str, code: str,
                  year: int) -> set[tuple]:
    """The hidden periods of an area above the municipality for a suppressed audience.
    Where the user sees every municipality in it, the pattern the job stored
    (`monitoring.hidden`); otherwise computed here with the periods in which the area
    minus the user's municipalities is small forced hidden (`_region_grid`)."""
    members = area_lookup.municipality_codes_in(level, code)
    seen = sorted(scope.figure_visible_codes(user, members, public=info.public))
    if len(seen) < len(members):
        return _region_grid(info, ind, level, code, year, seen)
    from . import hidden as stored

    found = stored.read(ind, _family(ind), f"{level}:{code}", year, _first_record(ind))
    if found is not None:
        return found.get(code, set())
    return _region_grid(info, ind, level, code, year, None)


def _region_grid(info: IndicatorInfo, ind: Indicator, level: str, code: str, year: int,
                 seen: list[str] | None) -> set[tuple]:
    """The hidden periods of an area above the municipality: its periods as a tree of
    sums, the signals of every theme summing to those of all themes (`_family`), and,
    when `seen` names only some of its municipalities, the periods in which the area
    minus those is small (forced: that difference is a figure of municipalities the user
    may not see). `seen` None: every municipality is seen (the stored pattern)."""
    from django.conf import settings

    from .suppression import hidden_grid, period_weights

    threshold = settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    family = _family(ind)
    first = _first_record(ind)
    rows = list(IndicatorValue.objects.filter(
        indicator__in=family, area_level=level, area_code=code,
        period_type=PeriodType.MONTH, period_start__gte=date(year, 1, 1),
        period_start__lte=date(year, 12, 31)))
    by_id = _month_weights(info, rows, first)
    months = {(i.code, code): by_id.get((i.pk, code), {}) for i in family}
    forced: dict = {}
    if seen is not None:
        # The area minus the user's municipalities: one query for the whole family.
        shown_rows = list(IndicatorValue.objects.filter(
            indicator__in=family, area_level=AreaLevel.MUNICIPALITY, area_code__in=seen,
            period_type=PeriodType.MONTH, period_start__gte=date(year, 1, 1),
            period_start__lte=date(year, 12, 31))) if seen else []
        for member in family:
            visible: dict[date, int] = {}
            for row in shown_rows:
                if row.indicator_id == member.pk and not _is_before(first, row.period_start):
                    visible[row.period_start] = (visible.get(row.period_start, 0)
                                                 + (_weight(info, row.value, row.support)
                                                    or 0))
            own = months[(member.code, code)]
            rest = {m: max(0, own.get(m, 0) - visible.get(m, 0))
                    for m in set(own) | set(visible)}
            forced[(member.code, code)] = {k for k, w in period_weights(year, rest).items()
                                           if 0 < w < threshold}
    months, sums, rest_cells = _with_rests(
        months, list(_theme_children(family, [code]).items()))
    grid = hidden_grid(year, months, sums, rest_cells,
                       lambda day: _is_before(first, day), threshold, forced)
    return grid.get((ind.code, code), set())


def _family(ind: Indicator) -> list[Indicator]:
    """The indicators whose figures add up to each other: signals of all themes and the
    signals of each theme (measure `signals` without a filter or with only a theme).
    Others stand alone."""
    def member(i: Indicator) -> bool:
        params = i.parameters or {}
        return i.measure == "signals" and set(params) <= {"theme"}

    if not member(ind):
        return [ind]
    found = (list(_active_indicators().values()) if memo.is_active()
             else list(Indicator.objects.filter(active=True, measure="signals")))
    family = [i for i in found if member(i)]
    return family if ind in family else [ind]


def _theme_children(family: list[Indicator], areas: list[str]) -> dict:
    """Signals of all themes per area = the themes' signals + those of themes without an
    indicator (a cell never shown)."""
    total = next((i for i in family if not (i.parameters or {})), None)
    themes = [i for i in family if (i.parameters or {}).get("theme")]
    if total is None or not themes:
        return {}
    return {(total.code, a): [(t.code, a) for t in themes] + [(total.code, a, "~themes")]
            for a in areas}


def _month_weights(info: IndicatorInfo, rows, first: object) -> dict:
    weights: dict = {}
    for row in rows:
        if not _is_before(first, row.period_start):
            weights.setdefault((row.indicator_id, row.area_code), {})[row.period_start] = (
                _weight(info, row.value, row.support) or 0)
    return weights


def _with_rests(months: dict, sums: list) -> tuple[dict, list, set]:
    """Adds a rest cell to every sum (parent, parts): parent minus its parts (never
    shown). A parent may be the total of several sums (all signals of a gemeente = its
    wijken = its themes); each sum gets its own rest. Returns the months, the sums with
    their rests and the rest cells."""
    rests = set()
    completed = []
    for parent, parts in sums:
        rest = parts[-1] if isinstance(parts[-1], tuple) and len(parts[-1]) == 3 else (
            *parent, "~rest")
        if rest != parts[-1]:
            parts = [*parts, rest]
        completed.append((parent, parts))
        months[rest] = {
            m: max(0, months.get(parent, {}).get(m, 0)
                   - sum(months.get(c, {}).get(m, 0) for c in parts if c != rest))
            for m in months.get(parent, {})}
        rests.add(rest)
    return months, completed, rests


def _municipality_block(info: IndicatorInfo, ind: Indicator, digits: str,
                        year: int) -> dict[str, set[tuple]]:
    """The hidden periods of a municipality, its wijken and its buurten in one year for a
    suppressed audience: the same for every such user, so the job computes it
    (`_municipality_grid`) and stores it (`monitoring.hidden`); read once per request
    inside `memo.active()`, computed here only when no stored pattern is current.
    Returns area code -> hidden periods of `ind`."""
    from . import hidden as stored

    def compute() -> dict[str, set[tuple]]:
        found = stored.read(ind, _family(ind), "GM" + digits, year, _first_record(ind))
        if found is not None:
            return found
        return _municipality_grid(info, _family(ind), digits, year).get(ind.code, {})

    key = ("block", ind.pk, digits, year)
    return memo.get(key, compute) if memo.is_active() else compute()


def _municipality_grid(info: IndicatorInfo, family: list[Indicator], digits: str,
                       year: int) -> dict[str, dict[str, set[tuple]]]:
    """The hidden periods of every indicator of `family` in a municipality, its wijken
    and its buurten in one year (`suppression.hidden_grid`): buurten sum to their wijk,
    wijken to the gemeente, and the signals of every theme to the signals of all themes
    (`_family`); the part of a sum in no part (records without a wijk, themes without an
    indicator) is a cell never shown. Returns indicator code -> area code -> periods;
    memoised per family inside `memo.active()`."""
    from django.conf import settings

    from .suppression import hidden_grid

    def compute() -> dict:
        gm = "GM" + digits
        buurten, wijken = memo.get(("sub-areas", gm), lambda: (
            area_lookup.member_codes(AreaLevel.MUNICIPALITY, gm, AreaLevel.NEIGHBOURHOOD),
            area_lookup.member_codes(AreaLevel.MUNICIPALITY, gm, AreaLevel.DISTRICT)))
        first = _first_record(family[0])
        areas = [gm, *wijken, *buurten]
        rows = list(IndicatorValue.objects.filter(
            indicator__in=family, period_type=PeriodType.MONTH, area_code__in=areas,
            period_start__gte=date(year, 1, 1), period_start__lte=date(year, 12, 31)))
        by_id = _month_weights(info, rows, first)
        codes = {i.pk: i.code for i in family}
        months = {(i.code, a): {} for i in family for a in areas}
        for (pk, area), weights in by_id.items():
            months[(codes[pk], area)] = weights
        # Every sum, also two over one total: all signals of the gemeente are the sum of
        # its wijken and the sum of its themes (a dict keyed by the total kept only one).
        sums: list = []
        for i in family:
            sums.append(((i.code, gm), [(i.code, w) for w in wijken]))
            sums += [((i.code, wijk), [(i.code, b) for b in buurten
                                       if b[2:8] == wijk[2:8]]) for wijk in wijken]
        sums += list(_theme_children(family, areas).items())
        months, sums, rests = _with_rests(months, sums)
        grid = hidden_grid(year, months, sums, rests,
                           lambda day: _is_before(first, day),
                           settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD)
        result: dict[str, dict[str, set[tuple]]] = {i.code: {} for i in family}
        for key, hidden_here in grid.items():
            if len(key) == 2:
                result[key[0]][key[1]] = hidden_here
        return result

    key = ("grid", tuple(sorted(i.pk for i in family)), digits, year)
    return memo.get(key, compute) if memo.is_active() else compute()


class StoredValue(NamedTuple):
    """A stored figure as the read path uses it: the columns of `IndicatorValue` that
    figures are made of, read as a tuple (building model instances for the few hundred
    rows a page reads cost more than reading them)."""

    area_code: str
    period_start: date
    value: float
    support: int | None
    per_1000: float | None
    source: str
    source_date: date | None
    computed_at: datetime | None
    is_synthetic: bool


_STORED_FIELDS = StoredValue._fields


def _starts(period_type: str, first: date, last: date) -> list[date]:
    """The first days of the periods from the one holding `first` up to `last`."""
    found, start = [], periods.start_of(period_type, first)
    while start <= last:
        found.append(start)
        start = periods.next_start(period_type, start)
    return found


def _keep(indicator_id: int, level: str, period_type: str, starts: Sequence[date],
          codes: Sequence[str], rows: Sequence[StoredValue]) -> None:
    """Remember inside `memo.active()` that these are all the stored rows of these areas
    and periods (so a second read of them, or of a part, needs no query)."""
    wanted = frozenset(codes)
    by_start: dict[date, dict[str, StoredValue]] = {start: {} for start in starts}
    for row in rows:
        if row.period_start in by_start and row.area_code in wanted:
            by_start[row.period_start][row.area_code] = row
    for start, found in by_start.items():
        key = ("values", indicator_id, level, period_type, start)
        kept = memo.peek(key)
        if kept is not None:  # add to what an earlier read kept
            found = {**kept[1], **found}
            memo.put(key, (kept[0] | wanted, found))
        else:
            memo.put(key, (wanted, found))


def prefetch(indicator_objs: Sequence[Indicator], level: str, period_type: str,
             starts: Sequence[date], codes: Sequence[str]) -> None:
    """Read the stored values of several indicators, periods and areas in one query and
    keep them for the rest of the `memo.active()` block (no effect outside one), so the
    figure functions called next need no query of their own."""
    prefetch_sets([(indicator_objs, period_type, starts, codes)], level)


PrefetchSet = tuple[Sequence[Indicator], str, Sequence[date], Sequence[str]]


def prefetch_sets(sets: Sequence[PrefetchSet], level: str) -> None:
    """`prefetch` for several (indicators, period type, period starts, area codes) sets in
    one query: each set reads only the areas and periods its figures need (e.g. the peers
    of one indicator's benchmark, the months of a comparison)."""
    from django.db.models import Q

    sets = [(list(i), t, list(st), sorted(set(c))) for i, t, st, c in sets if i and st and c]
    if not memo.is_active() or not sets:
        return
    condition = Q()
    for inds, period_type, starts, codes in sets:
        condition |= Q(indicator_id__in=[i.pk for i in inds], period_type=period_type,
                       period_start__in=starts, area_code__in=codes)
    rows: dict[tuple[int, str], list[StoredValue]] = {}
    for indicator_id, period_type, *fields in IndicatorValue.objects.filter(
        condition, area_level=level,
    ).values_list("indicator_id", "period_type", *_STORED_FIELDS).order_by():
        rows.setdefault((indicator_id, period_type), []).append(StoredValue._make(fields))
    for inds, period_type, starts, codes in sets:
        for ind in inds:
            _keep(ind.pk, level, period_type, starts, codes,
                  rows.get((ind.pk, period_type), ()))


def _prefetched(indicator_obj: Indicator, level: str, codes: Sequence[str] | None,
                period_type: str, start: date | None,
                end: date | None) -> list[StoredValue] | None:
    """The rows of these areas and periods when an earlier read in this `memo.active()`
    block kept all of them, else None."""
    if not memo.is_active() or codes is None or start is None or end is None:
        return None
    wanted = set(codes)
    starts = [start] if start == end else _starts(period_type, start, end)
    found: list[StoredValue] = []
    for day in starts:
        entry = memo.peek(("values", indicator_obj.pk, level, period_type, day))
        if entry is None or not wanted <= entry[0]:
            return None
        found.extend(entry[1][c] for c in wanted if c in entry[1])
    return sorted(found, key=lambda r: (r.period_start, r.area_code))


def _stored(
    indicator_obj: Indicator, level: str, codes: Sequence[str] | None, period_type: str,
    start: date | None, end: date | None,
) -> list[StoredValue]:
    kept = _prefetched(indicator_obj, level, codes, period_type, start, end)
    if kept is not None:
        return kept
    qs = IndicatorValue.objects.filter(
        indicator=indicator_obj, area_level=level, period_type=period_type
    )
    if codes is not None:
        qs = qs.filter(area_code__in=list(codes))
    if start:
        qs = qs.filter(period_start__gte=periods.start_of(period_type, start))
    if end:
        qs = qs.filter(period_start__lte=end)
    rows = [StoredValue._make(r) for r in qs.order_by("period_start", "area_code")
            .values_list(*_STORED_FIELDS)]
    if codes is not None and start and end and memo.is_active():
        # Series, hidden months and comparisons of one page read the same months again.
        _keep(indicator_obj.pk, level, period_type, _starts(period_type, start, end), codes,
              rows)
    return rows


def prefetch_ranges(indicator_objs: Sequence[Indicator], period_type: str) -> None:
    """`_data_range` of several indicators in one query (inside `memo.active()`)."""
    if not memo.is_active() or not indicator_objs:
        return
    ids = sorted({i.pk for i in indicator_objs})
    table = IndicatorValue._meta.db_table
    from django.db import connection

    q = connection.ops.quote_name
    # A MIN and a MAX per indicator, each one step down the (indicator, period type,
    # period start) index, instead of a scan of every row of the indicators.
    sql = (f"SELECT i, (SELECT MIN(period_start) FROM {q(table)} "  # noqa: S608 - names
           f"WHERE indicator_id = i AND period_type = %s), "
           f"(SELECT MAX(period_start) FROM {q(table)} "
           f"WHERE indicator_id = i AND period_type = %s) "
           f"FROM ({' UNION ALL '.join(['SELECT %s AS i'] * len(ids))}) wanted")
    with connection.cursor() as cursor:
        cursor.execute(sql, [period_type, period_type, *ids])
        for pk, first, last in cursor.fetchall():
            memo.put(("range", pk, period_type), None if first is None else (
                _as_date(first), _as_date(last)))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _data_range(indicator_obj: Indicator, period_type: str) -> tuple[date, date] | None:
    from django.db.models import Max, Min

    def read() -> tuple[date, date] | None:
        span = IndicatorValue.objects.filter(
            indicator=indicator_obj, period_type=period_type
        ).aggregate(first=Min("period_start"), last=Max("period_start"))
        if span["first"] is None:
            return None
        return span["first"], span["last"]

    return memo.get(("range", indicator_obj.pk, period_type), read)


def values(
    user, indicator_code: str, level: str, period_type: str, period_start: date,
    codes: Sequence[str] | None = None,
) -> list[Figure]:
    """Figures of one indicator for every visible area of a level in one period
    (e.g. all municipalities for a choropleth). Each cell suppressed on its own."""
    ind = _indicator(indicator_code)
    info = _info(ind)
    _check_period_type(info, period_type)
    if codes is not None and level not in SUB_MUNICIPAL_LEVELS:
        found = area_lookup.areas(level, list(codes))
        visible = scope.figure_visible_codes(user, [r.code for r in found], public=info.public)
        refs = sorted((r for r in found if r.code in visible), key=lambda r: r.name)
    else:
        refs = areas_for(user, level, public=info.public)
        if codes is not None:
            wanted = set(codes)
            refs = [r for r in refs if r.code in wanted]
    start = periods.start_of(period_type, period_start)
    stored = {
        v.area_code: v
        for v in _stored(ind, level, [r.code for r in refs], period_type, start, start)
    }
    complete = _measure_complete(ind)
    period = periods.period(period_type, start)
    if _before_records(ind, start):
        return [_figure(info, ref, period, stored.get(ref.code), None, False, incomplete=True)
                for ref in refs]
    in_year = _hidden_months(user, info, ind, level, [r.code for r in refs], [start.year])
    result = []
    for ref in refs:
        row = stored.get(ref.code)
        raw = row.value if row else (0.0 if complete else None)
        shown, suppressed = _shown(user, info, raw, _support(row),
                                   exact=_exact(user, ind, level, ref.code))
        if raw is not None and (period_type, start) in in_year.get(ref.code, ()):
            shown, suppressed = None, True
        result.append(_figure(info, ref, period, row, shown, suppressed))
    return result


def _measure_complete(ind: Indicator) -> bool:
    try:
        return get_measure(ind.measure).complete
    except KeyError:
        return False


def series(
    user, indicator_code: str, level: str, code: str, period_type: str,
    start: date | None = None, end: date | None = None,
) -> list[Figure]:
    """The time series of one indicator for one area (a trend line), oldest first.

    Without `start`/`end`, the whole range the indicator has values for. Periods with no
    records count 0 for counts of own records; for statistics they are left out. Periods
    that begin before the first record of the source are in the series as no data
    (`Figure.incomplete`), so a chart leaves them out instead of drawing a 0.

    The year's total is shown elsewhere (values, key figures, targets), so months are
    suppressed together per calendar year (`_hidden_months`: secondary suppression),
    judged on all months of that year even when the series shows only some of them; a
    quarter is hidden when one of its months is. The year minus the shown periods never
    reveals one hidden period.
    """
    ind = _indicator(indicator_code)
    info = _info(ind)
    _check_period_type(info, period_type)
    ref = _check_area(user, level, code, public=info.public)
    complete = _measure_complete(ind)
    span = _data_range(ind, period_type)
    if span is None:
        return []
    first = start or span[0]
    last = end or span[1]
    stored = {v.period_start: v for v in _stored(ind, level, [code], period_type, first, last)}
    cells = []
    for period in periods.between(period_type, first, last):
        row = stored.get(period.start)
        if row is None and not complete:
            continue
        cells.append((period, row, row.value if row else 0.0))
    hidden = _hidden_months(user, info, ind, level, [code],
                            sorted({p.start.year for p, _r, _v in cells}))[code]
    result = []
    first_record = _first_record(ind)
    exact = _exact(user, ind, level, code)
    for period, row, raw in cells:
        if _is_before(first_record, period.start):
            result.append(_figure(info, ref, period, row, None, False, incomplete=True))
            continue
        shown, suppressed = _shown(user, info, raw, _support(row), exact=exact)
        if (period_type, period.start) in hidden:
            shown, suppressed = None, True
        result.append(_figure(info, ref, period, row, shown, suppressed))
    return result


def half_year(user, indicator_code: str, level: str, code: str, start: date) -> Figure:
    """The figure of a half year (starting 1 January or 1 July) for one area: the sum of
    its two quarters, which are stored. Hidden by the same period rule as months and
    quarters (`_hidden_months`), so a half year is shown when that rule allows it, also
    when one of its quarters is hidden; no data when it begins before the first record.
    Since v4."""
    from django.utils.translation import gettext

    from .suppression import HALF_YEAR

    if start.month not in (1, 7) or start.day != 1:
        raise ValueError("Een halfjaar begint op 1 januari of 1 juli.")
    ind = _indicator(indicator_code)
    info = _info(ind)
    _check_period_type(info, PeriodType.QUARTER)
    ref = _check_area(user, level, code, public=info.public)
    end = date(start.year, start.month + 3, 1)
    period = Period(HALF_YEAR, start, date(start.year, start.month + 5, 30 if start.month == 1
                                           else 31),
                    gettext("%(year)s H%(half)s") % {"year": start.year,
                                                    "half": 1 if start.month == 1 else 2})
    rows = _stored(ind, level, [code], PeriodType.QUARTER, start, end)
    last = rows[-1] if rows else None
    if _before_records(ind, start):
        return _figure(info, ref, period, last, None, False, incomplete=True)
    if not rows and not _measure_complete(ind):
        return _figure(info, ref, period, None, None, False)
    raw = float(sum(r.value for r in rows))
    support = None if any(r.support is None for r in rows) else sum(r.support for r in rows)
    exact = _exact(user, ind, level, code)
    shown, suppressed = _shown(user, info, raw, support, exact=exact)
    if not exact and (HALF_YEAR, start) in _hidden_months(user, info, ind, level, [code],
                                                          [start.year])[code]:
        shown, suppressed = None, True
    from dataclasses import replace  # the rate of the half year, the source of its rows

    return replace(_figure(info, ref, period, None, shown, suppressed),
                   source=last.source if last else info.source,
                   source_date=max((r.source_date for r in rows if r.source_date),
                                   default=None),
                   computed_at=last.computed_at if last else None,
                   synthetic=any(r.is_synthetic for r in rows))


def breakdown(
    user, indicator_code: str, level: str, code: str, period_type: str,
    period_start: date, child_level: str | None = None,
) -> list[Figure]:
    """The figures of the areas inside (level, code) for one period (drill-down table).

    Because the parent's total is shown beside it, secondary suppression applies
    (`scope.suppress_breakdown`): no hidden cell can be derived by subtraction. The
    child areas the user may not see take part as one cell, "the rest" (parent minus
    the visible children), so the parent minus the shown cells does not reveal a small
    figure either (decision 0013).
    """
    ind = _indicator(indicator_code)
    info = _info(ind)
    _check_period_type(info, period_type)
    _check_area(user, level, code, public=info.public)
    child_level = child_level or area_lookup.CHILD_LEVEL.get(level)
    if child_level is None:
        return []
    members = area_lookup.areas(child_level,
                                area_lookup.member_codes(level, code, child_level))
    visible = scope.figure_visible_codes(user, [r.code for r in members], public=info.public)
    refs = sorted((r for r in members if r.code in visible), key=lambda r: r.name)
    start = periods.start_of(period_type, period_start)
    stored = {
        v.area_code: v
        for v in _stored(ind, child_level, [r.code for r in refs], period_type, start, start)
    }
    if _before_records(ind, start):  # no data: nothing to suppress or to derive
        period = periods.period(period_type, start)
        return [_figure(info, ref, period, stored.get(ref.code), None, False, incomplete=True)
                for ref in refs]
    complete = _measure_complete(ind)
    raws = [
        stored[r.code].value if r.code in stored else (0.0 if complete else None) for r in refs
    ]
    supports = [_support(stored.get(r.code)) for r in refs]
    rest = None
    if len(refs) < len(members):
        # The parent's total is shown, so the areas the user may not see are one more
        # hidden cell: "the rest" = parent minus the shown children.
        parent, parent_support = _raw_total(ind, level, code, period_type, start, start)
        if parent is not None:
            rest = (parent - sum(r or 0.0 for r in raws),
                    None if parent_support is None
                    else parent_support - sum(n or 0 for n in supports))
    if _exact(user, ind, level, code):  # every record behind the total is theirs
        shown_list = [(raw, False) for raw in raws]
    else:
        known = [_exact(user, ind, child_level, r.code) for r in refs]
        # A child's period hidden in its year stays hidden, and counts as hidden here.
        in_year = _hidden_months(user, info, ind, child_level, [r.code for r in refs],
                                 [start.year])
        forced = [(period_type, start) in in_year[r.code] for r in refs]
        shown_list = _shown_together(user, info, raws, supports, rest, known, forced)
    period = periods.period(period_type, start)
    return [
        _figure(info, ref, period, stored.get(ref.code), shown, suppressed)
        for ref, (shown, suppressed) in zip(refs, shown_list, strict=True)
    ]


def _raw_total(ind: Indicator, level: str, code: str, period_type: str,
               first: date, last: date) -> tuple[float | None, int | None]:
    """Sum of stored values over [first, last] and of their support (None when a row has
    none); no scope, no suppression: internal."""
    rows = _stored(ind, level, [code], period_type, first, last)
    if not rows:
        return (0.0 if _measure_complete(ind) else None), 0
    support = None if any(r.support is None for r in rows) else sum(r.support for r in rows)
    return float(sum(r.value for r in rows)), support


# ---------------------------------------------------------------- targets


def _target_status(user, target: Target, info: IndicatorInfo, ref: AreaRef,
                   today: date | None = None) -> TargetStatus:
    from .models import RiecSection

    today = today or timezone.localdate()
    ind = target.indicator
    first, last = date(target.year, 1, 1), date(target.year, 12, 31)
    incomplete = _before_records(ind, first)
    if incomplete:  # the year holds only part of the records: nothing to judge
        shown, suppressed = None, False
    else:
        realised, support = _raw_total(ind, target.area_level, target.area_code,
                                       PeriodType.YEAR, first, first)
        shown, suppressed = _shown(user, info, realised, support,
                                   exact=_exact(user, ind, target.area_level,
                                                target.area_code))
    running = first <= today <= last
    expected = None
    on_track = met = None
    if running:
        expected = pro_rata(target.value, target.year, today)
    at_least = target.direction == TargetDirection.AT_LEAST
    if shown is not None:
        if running:
            on_track = is_on_track(target.direction, shown, expected)
        elif today > last:
            met = shown >= target.value if at_least else shown <= target.value
    share = round(shown / target.value * 100, 1) if shown is not None and target.value else None
    return TargetStatus(
        indicator=info,
        area=ref,
        year=target.year,
        target=target.value,
        direction=target.direction,
        realised=shown,
        realised_suppressed=suppressed,
        share_of_target=share,
        met=met,
        expected_so_far=expected,
        on_track=on_track,
        section=target.riec_section,
        section_label=str(RiecSection(target.riec_section).label),
        basis=target.basis,
        set_by=(target.set_by.get_full_name() or target.set_by.get_username())
        if target.set_by else "",
        set_on=target.set_on,
        realised_incomplete=incomplete,
    )


def pro_rata(target_value: float, year: int, through: date) -> float:
    """The part of a year's target due by the end of `through`: whole months passed plus
    the days passed of the running month (so the end of June is exactly half). The one
    rule for "Streefcijfers op koers" on the dashboard and in every report (decision
    0024)."""
    import calendar

    if through < date(year, 1, 1):
        return 0.0
    if through > date(year, 12, 31):
        return round(float(target_value), 1)
    days = calendar.monthrange(year, through.month)[1]
    months = through.month - 1 + through.day / days
    return round(target_value * months / 12, 1)


def is_on_track(direction: str, realised: float, expected: float) -> bool:
    """Realised so far against the pro rata target in the target's direction."""
    if direction == TargetDirection.AT_LEAST:
        return realised >= expected
    return realised <= expected


@memo.memoised
def _targets_of(level: str, code: str, year: int) -> list[Target]:
    return list(Target.objects.filter(area_level=level, area_code=code, year=year,
                                      indicator__active=True).select_related(
                                          "indicator__theme", "set_by"))


def prefetch_targets(level: str, code: str, years: Sequence[int]) -> None:
    """The targets of an area for several years in one query, kept inside
    `memo.active()` as `_targets_of` of each year (a page's trend reads three years)."""
    if not memo.is_active():
        return
    found = list(Target.objects.filter(area_level=level, area_code=code, year__in=list(years),
                                       indicator__active=True).select_related(
                                           "indicator__theme", "set_by"))
    for year in years:
        memo.remember(_targets_of, (level, code, year), [t for t in found if t.year == year])


def targets(user, level: str, code: str, year: int) -> list[TargetStatus]:
    """Every target of an area for a year with what has been realised."""
    result = []
    for target in _targets_of(level, code, year):
        info = _info(target.indicator)
        if not scope.figure_visible(user, level, code, public=info.public):
            continue
        ref = area_lookup.area(level, code)
        result.append(_target_status(user, target, info, ref))
    return result


def target_status(user, indicator_code: str, level: str, code: str,
                  year: int) -> TargetStatus | None:
    """Target vs realised for one indicator, area and year (None: no target set)."""
    ind = _indicator(indicator_code)
    info = _info(ind)
    ref = _check_area(user, level, code, public=info.public)
    if memo.is_active():
        target = next((t for t in _targets_of(level, code, year)
                       if t.indicator_id == ind.pk), None)
    else:
        target = Target.objects.filter(indicator=ind, area_level=level, area_code=code,
                                       year=year).select_related("set_by").first()
    return _target_status(user, target, info, ref) if target else None


def riec_target_sheet(user, level: str, code: str, year: int) -> list[TargetSection]:
    """The targets of an area in the RIEC target-figure format (ministry format, RIEC
    annual plan ch. 2): per section the rows and the totals."""
    from .models import RiecSection

    rows = targets(user, level, code, year)
    sections = []
    for section in RiecSection:
        members = tuple(r for r in rows if r.section == section.value)
        if not members:
            continue
        realised = [r.realised for r in members]
        # A total only adds up rows of one unit (no counts plus euros).
        one_unit = len({r.indicator.unit for r in members}) == 1
        sections.append(TargetSection(
            section=section.value,
            label=str(section.label),
            rows=members,
            total_target=sum(r.target for r in members) if one_unit else None,
            total_realised=None if not one_unit or any(v is None for v in realised)
            else sum(realised),
        ))
    return sections


# ---------------------------------------------------------------- benchmark and ranking


def peer_groups(user, municipality_code: str) -> list[PeerGroupInfo]:
    """The peer groups a municipality belongs to."""
    from .models import PeerGroup

    return [
        PeerGroupInfo(g.code, g.name, g.kind, g.description, g.n)
        for g in PeerGroup.objects.filter(members__code=municipality_code).annotate(
            n=_count("members")
        )
    ]


def _count(name: str):
    from django.db.models import Count

    return Count(name, distinct=True)


def benchmark(user, indicator_code: str, municipality_code: str, year: int,
              peer_group: str | None = None) -> BenchmarkResult:
    """The municipality's rate per 1,000 as an index against its peer group (group
    average = 100, as in the G32 benchmark). Without `peer_group`: its size class."""
    from .benchmark import compute_benchmark

    return compute_benchmark(user, indicator_code, municipality_code, year, peer_group)


def ranking(user, indicator_codes: Sequence[str], level: str, code: str, year: int,
            child_level: str | None = None) -> Ranking:
    """Rank the municipalities (or wijken) of a region on a set of indicators, with
    index (regional average = 100), rank and a colour class per cell (Platform IVZ)."""
    from .benchmark import compute_ranking

    return compute_ranking(user, indicator_codes, level, code, year, child_level)


# ---------------------------------------------------------------- early warning


def alerts(user, level: str | None = None, code: str | None = None,
           status: str | None = None, since: date | None = None,
           include_children: bool = True) -> list[AlertInfo]:
    """The alerts the user may see, newest first; with (level, code) those of that area
    (and, with `include_children`, of the areas inside it)."""
    from .early_warning import visible_alerts

    return visible_alerts(user, level, code, status, since, include_children)


def alert(user, alert_id: int) -> AlertInfo:
    """One alert the user may see; LookupError when it does not exist or is not theirs."""
    from .early_warning import visible_alerts

    found = visible_alerts(user, None, None, None, None, False, ids=[alert_id])
    if not found:
        raise LookupError(alert_id)
    return found[0]


# ---------------------------------------------------------------- displacement


def displacement(user, indicator_code: str, target_code: str,
                 before: tuple[date, date], after: tuple[date, date],
                 buffer_codes: Sequence[str] | None = None,
                 control_codes: Sequence[str] | None = None) -> Displacement:
    """Weighted Displacement Quotient (Bowers & Johnson 2003) for a target municipality,
    its buffer (by default the municipalities sharing a boundary with it) and a control
    area (by default the rest of its safety region), with the interpretation."""
    from .displacement import compute_displacement

    return compute_displacement(user, indicator_code, target_code, before, after,
                                buffer_codes, control_codes)


# ---------------------------------------------------------------- external statistics


def statistics(user, area_code: str, table: str | None = None,
               crime_type: str | None = None, period_type: str | None = None,
               start: date | None = None, end: date | None = None,
               limit: int = 5000) -> list[StatisticRow]:
    """Published statistics (CBS/Politie) for an area, each with source and date.
    Withheld cells (empty in the source) come back with ``withheld=True``."""
    from .external import statistic_rows

    return statistic_rows(user, area_code, table, crime_type, period_type, start, end, limit)


# ---------------------------------------------------------------- the mayor's page


def key_figures(user, municipality_code: str, year: int,
                indicator_codes: Sequence[str] | None = None) -> list[KeyFigure]:
    """The few figures that matter for one municipality and year: value, previous year,
    change, target vs realised, benchmark index and open alerts, per indicator.
    Without `indicator_codes`: the indicators that have a target or are marked for early
    warning, at most eight."""
    from .keyfigures import compute_key_figures

    return compute_key_figures(user, municipality_code, year, indicator_codes)
