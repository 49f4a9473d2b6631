"""Jaarbericht (annual report) of a municipality or region, one uniform structure on the
Twente model (seed 000 "Jaarberichten uniform"; the indicators of seed 003 ch. 2).

Chapters: signals (total, per theme, per source); cases, decisions and interventions;
results (13b closures, Bibob, recovered amounts, hours); "Hoe gaan we dat meten?" per
theme with targets; comparison with the previous year and with peers (benchmark index
for a municipality, the ranking of its municipalities for a region); alerts of the year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from knooppunt.charts.series import chart_series
from knooppunt.charts.vega import bar_spec, trend_spec
from knooppunt.monitoring import comparison, memo, queries
from knooppunt.monitoring.models import AreaLevel, PeriodType
from knooppunt.organisations import scope

from ..periods import PeriodKind, ReportPeriod
from .casework import BreakdownRow, gather_casework
from .common import (
    Cell,
    Header,
    change_percent,
    hide_beside_total,
    municipality_codes,
    period_alerts,
    report_area,
    report_period,
    signal_counts,
)
from .common import header as make_header
from .rows import AlertRow, IndicatorRow, alert_rows, indicator_row, no_data_note
from .text import english

TOTAL = "signalen-totaal"
CASE_CODES = ("casussen-geopend", "casussen-lokaal-gewogen", "casussen-naar-riec",
              "snelle-interventies")
RESULT_CODES = ("sluitingen-13b", "afgepakt-bedrag", "uren-inzet")
GENERAL = "algemeen"


@dataclass(frozen=True)
class ThemeBlock:
    """"Hoe gaan we dat meten?" for one theme (theme_code "algemeen": no theme)."""

    theme_code: str
    theme_name: str
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class PeerRow:
    """The municipality against its peer group (group average = index 100)."""

    indicator_code: str
    indicator_name: str
    group_name: str
    group_size: int
    per_1000: float | None
    group_average: float | None
    index: float | None
    method: str
    incomplete: bool = False  # the year begins before the first record: no data


@dataclass(frozen=True)
class RankingRow:
    """One municipality of the region on the ranking (rates per 1,000; 1 = most
    favourable); `hidden`: outside the user's scope, printed without figures."""

    area_code: str
    area_name: str
    values: dict[str, float | None]
    indices: dict[str, float | None]
    ranks: dict[str, int | None]
    mean_rank: float | None
    hidden: bool


@dataclass(frozen=True)
class Jaarbericht:
    header: Header
    signals_total: IndicatorRow
    signals_by_theme: tuple[IndicatorRow, ...]
    signals_by_source: tuple[BreakdownRow, ...]  # all signals of the year per source
    cases: tuple[IndicatorRow, ...]  # opened, weighed locally, to the RIEC, quick stops
    decisions: tuple[BreakdownRow, ...]  # per kind of decision (follow-up rule)
    interventions: tuple[BreakdownRow, ...]  # per type, incl. 13b and Bibob
    results: tuple[IndicatorRow, ...]  # 13b closures, recovered €, hours (indicators)
    recovered_euro: Decimal | None  # the catalogue's "afgepakt-bedrag" (= the indicator)
    hours: Decimal | None
    notices: dict[str, int | None] | None  # police cannabis notices (municipality only)
    case_figures: dict[str, int | None] | None  # follow-up case counts (municipality)
    measures: tuple[ThemeBlock, ...]  # "Hoe gaan we dat meten?" per theme
    peers: tuple[PeerRow, ...]  # municipality: benchmark per signal indicator
    ranking: tuple[RankingRow, ...]  # region: its municipalities ranked
    ranking_indicators: tuple[str, ...]  # the indicator codes of the ranking columns
    alerts: tuple[AlertRow, ...]
    charts: dict[str, dict]  # Vega-Lite specs: "trend" (quarters), "themes" (bars)
    notes: tuple[str, ...]  # what the data cannot tell (printed under the chapters)
    ranking_incomplete: tuple[str, ...] = ()  # ranking columns without data that year


@memo.per_request  # one read of indicators, areas and targets per report
def gather(user, subject: str, period: ReportPeriod | str) -> Jaarbericht:
    """The annual report of `subject` (GM/VR/PE code) for a year ("2025")."""
    period = report_period(period, PeriodKind.YEAR)
    area = report_area(user, subject)
    previous = period.previous()
    infos = {i.code: i for i in queries.indicators(user)}
    synthetic: list[bool] = []

    def row(code: str) -> IndicatorRow:
        built, is_synthetic = indicator_row(user, infos[code], area, period, previous)
        synthetic.append(is_synthetic)
        return built

    total = row(TOTAL)
    themes = [row(i.code) for i in infos.values()
              if i.code.startswith("signalen-") and i.theme_code]
    themes = _beside_total(user, area, period, themes)
    measures = _measures(user, infos, area, period, row)
    casework = gather_casework(user, area.level, municipality_codes(area),
                               period.start, period.end)
    cases = tuple(row(c) for c in CASE_CODES if c in infos)
    results = tuple(row(c) for c in RESULT_CODES if c in infos)
    every_row = [total, *themes, *cases, *results,
                 *(r for block in measures for r in block.indicators)]
    ranked, unranked = _ranking(user, area, period, [TOTAL, *(t.code for t in themes)])
    return Jaarbericht(
        header=make_header(user, area, period, synthetic=any(synthetic)),
        signals_total=total,
        signals_by_theme=tuple(themes),
        signals_by_source=_by_source(user, area, period),
        cases=cases,
        decisions=casework.decisions,
        interventions=casework.interventions,
        results=results,
        recovered_euro=casework.recovered_euro,
        hours=casework.hours,
        notices=casework.notices,
        case_figures=casework.cases,
        measures=measures,
        peers=_peers(user, area, period, [TOTAL, *(t.code for t in themes)]),
        ranking=ranked,
        ranking_indicators=(TOTAL, *(t.code for t in themes))
        if area.level != AreaLevel.MUNICIPALITY else (),
        alerts=tuple(alert_rows(period_alerts(user, area, period))),
        charts=_charts(user, area, period, themes),
        notes=tuple(n for n in (no_data_note(user, every_row), *_notes(area)) if n),
        ranking_incomplete=unranked,
    )


def _beside_total(user, area, period, themes: list[IndicatorRow]) -> list[IndicatorRow]:
    """The themes add up to the total printed above them: secondary suppression on the
    themes' counts, in both years (the previous year's column has its total too)."""
    from dataclasses import replace

    def hidden(start, end, cells: list[Cell]) -> list[Cell]:
        counts = signal_counts(user, area, start, end, "theme__code")
        listed = {t.theme_code for t in themes}
        rest = sum(n for code, n in counts.items() if code not in listed)
        return hide_beside_total(user, cells, [counts.get(t.theme_code, 0) for t in themes],
                                 rest)

    now = hidden(period.start, period.end, [t.current for t in themes])
    previous = period.previous()
    window = comparison.same_part(period.start, period.end, previous.start,
                                  timezone.localdate())
    if window.running:
        # The printed windows are the same months of both years (decision 0025): each
        # column is hidden beside its own total.
        if window.current is None or window.previous is None:
            return [replace(t, current=c) for t, c in zip(themes, now, strict=True)]
        part = hidden(window.current.start, window.current.end, [t.part for t in themes])
        before = hidden(window.previous.start, window.previous.end,
                        [t.previous for t in themes])
        return [replace(t, current=c, part=q, previous=p, change_percent=change_percent(q, p))
                for t, c, q, p in zip(themes, now, part, before, strict=True)]
    before = hidden(previous.start, previous.end, [t.previous for t in themes])
    return [replace(t, current=c, previous=p, change_percent=change_percent(c, p))
            for t, c, p in zip(themes, now, before, strict=True)]


def _measures(user, infos: dict[str, queries.IndicatorInfo], area, period, row
              ) -> tuple[ThemeBlock, ...]:
    blocks: dict[str, tuple[str, list[IndicatorRow]]] = {}
    for info in infos.values():
        key = info.theme_code or GENERAL
        name = info.theme_name or ("General" if english() else "Algemeen")
        blocks.setdefault(key, (name, []))[1].append(row(info.code))
    ordered = sorted(blocks.items(), key=lambda kv: kv[0] == GENERAL)
    return tuple(ThemeBlock(code, name, tuple(rows)) for code, (name, rows) in ordered)



def _by_source(user, area, period) -> tuple[BreakdownRow, ...]:
    """All signals received in the year per source type; the total is printed, so
    secondary suppression applies."""
    from knooppunt.taxonomy.models import SourceType

    counts = signal_counts(user, area, period.start, period.end, "source_type__code")
    kinds = {s.code: s for s in SourceType.objects.filter(code__in=list(counts))}
    codes = sorted(counts)
    shown = scope.suppress_breakdown(user, [counts[c] for c in codes])
    rows = [BreakdownRow(c, str(kinds[c]), s) for c, s in zip(codes, shown, strict=True)]
    return tuple(sorted(rows, key=lambda r: (-(r.count or 0), r.label)))


def _peers(user, area, period, codes: Sequence[str]) -> tuple[PeerRow, ...]:
    if area.level != AreaLevel.MUNICIPALITY:
        return ()
    rows = []
    for code in codes:
        try:
            found = queries.benchmark(user, code, area.code, period.year)
        except (ValueError, LookupError, PermissionError):
            continue  # no peer group, or no figures for the group
        rows.append(PeerRow(code, found.indicator.name, found.group.name, found.group.size,
                            found.per_1000, found.group_average, found.index, found.method,
                            found.incomplete))
    return tuple(rows)


def _ranking(user, area, period, codes: Sequence[str]
             ) -> tuple[tuple[RankingRow, ...], tuple[str, ...]]:
    """The region's municipalities ranked, and the indicators without data that year.
    The report prints the region's total too; the ranking rates only what the
    drill-down's breakdown shows (secondary suppression in
    `monitoring.benchmark.compute_ranking`), so no hidden count can be worked out."""
    if area.level == AreaLevel.MUNICIPALITY:
        return (), ()
    found = queries.ranking(user, list(codes), area.level, area.code, period.year)
    return tuple(RankingRow(r.area.code, r.area.name, dict(r.values), dict(r.indices),
                            dict(r.ranks), r.mean_rank, r.hidden)
                 for r in found.rows), found.incomplete


def _charts(user, area, period, themes: Sequence[IndicatorRow]) -> dict[str, dict]:
    """The inputs of the report's two charts, as the dashboards draw them: the total per
    quarter over this and the previous year, and the themes of the year as bars."""
    quarters = queries.series(user, TOTAL, area.level, area.code, PeriodType.QUARTER,
                              period.previous().start, period.end)
    name = queries.indicator(user, TOTAL).name
    charts = {}
    if any(f.value is not None for f in quarters):
        # Gaps where a quarter is hidden, the running quarter as a dashed end (0025).
        points, hidden, partial = chart_series(quarters, name, timezone.localdate())
        charts["trend"] = trend_spec(points, y_title=name,
                                     x_title="Period" if english() else "Periode",
                                     time_unit="yearquarter", hidden=hidden, partial=partial)
    bars = [(t.name, t.current.value) for t in themes if t.current.value]
    if bars:
        charts["themes"] = bar_spec(bars, x_title=name)
    return charts


def _notes(area) -> tuple[str, ...]:
    en = english()
    notes = [
        "Every figure has one definition (catalogue of figures): interventions, amounts "
        "and hours count interventions running or finished, on their end date (else their "
        "start date); cases stopped by quick interventions count closed cases."
        if en else
        "Elk cijfer heeft één definitie (catalogus van cijfers): interventies, bedragen "
        "en uren tellen interventies die lopen of afgerond zijn, op hun einddatum (anders "
        "hun startdatum); casussen gestopt door snelle interventies tellen gesloten "
        "casussen.",
    ]
    if area.level != AreaLevel.MUNICIPALITY:
        notes.append(
            "The follow-up of police cannabis notices is given per municipality."
            if en else "De opvolging van hennepberichten staat in de jaarberichten per "
            "gemeente.")
    return tuple(notes)


__all__ = ["Cell", "Jaarbericht", "PeerRow", "RankingRow", "ThemeBlock", "gather"]
