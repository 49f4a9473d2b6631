"""Voortgangsrapportage (half-year progress report, "marap") of the regional platform
(seed 003, Platform IVZ note ch. 7).

Programmes and projects are not recorded in Knooppunt yet, so the report says so
(`projects_recorded`) and gives the indicators: per theme the targets and how far they
are reached at the end of the half year (year to date against the pro rata target), the
trend against the previous half year, and the alerts of the half year.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from knooppunt.monitoring import memo, queries
from knooppunt.monitoring.models import PeriodType

from ..periods import PeriodKind, ReportPeriod
from .common import Cell, Header, period_alerts, period_cell, report_area, report_period
from .common import header as make_header
from .rows import AlertRow, IndicatorRow, alert_rows, indicator_row, no_data_note
from .text import english


@dataclass(frozen=True)
class Progress:
    """A target at the end of the half year. H1: the first half against half the
    target; H2: the whole year against the whole target."""

    target: float  # for the whole year
    direction: str  # minstens / hoogstens
    expected_so_far: float  # pro rata: target × days passed / days of the year
    realised_so_far: Cell  # 1 January to the end of the half year
    share_of_target: float | None  # realised_so_far / target × 100
    on_track: bool | None  # realised vs expected in the target's direction; None: hidden
    basis: str
    set_by: str


@dataclass(frozen=True)
class ProgressRow:
    indicator: IndicatorRow  # current = the half year, previous = the half year before
    progress: Progress | None  # None: no target for the year


@dataclass(frozen=True)
class ThemeProgress:
    theme_code: str  # "algemeen": indicators without a theme
    theme_name: str
    rows: tuple[ProgressRow, ...]


@dataclass(frozen=True)
class Voortgang:
    header: Header
    themes: tuple[ThemeProgress, ...]  # every indicator with a value or a target
    targets_total: int
    targets_on_track: int  # of those whose realised figure is shown
    targets_hidden: int  # realised figure suppressed (small count): not judged
    alerts: tuple[AlertRow, ...]  # alerts whose period lies in the half year
    projects_recorded: bool  # False: no programmes/projects module yet
    projects_note: str
    charts: dict[str, dict]  # "targets": bars of share of target (%) per indicator
    # realised figure has no data (the year began before the first record): not judged
    targets_no_data: int = 0
    notes: tuple[str, ...] = ()  # e.g. why a figure reads "geen gegevens"


@memo.per_request  # one read of indicators, areas and targets per report
def gather(user, subject: str, period: ReportPeriod | str) -> Voortgang:
    """The progress report of `subject` (GM/VR/PE code) for a half year ("2025-H1")."""
    period = report_period(period, PeriodKind.HALF_YEAR)
    area = report_area(user, subject)
    so_far = period.whole_year() if period.number == 2 else period
    targets = {t.indicator.code: t for t in queries.targets(user, area.level, area.code,
                                                            period.year)}
    blocks: dict[str, tuple[str, list[ProgressRow]]] = {}
    synthetic = False
    for info in queries.indicators(user):
        if PeriodType.QUARTER not in info.period_types:
            continue  # yearly figures only: no half year to report
        row, is_synthetic = indicator_row(user, info, area, period, period.previous())
        synthetic |= is_synthetic
        target = targets.get(info.code)
        if (target is None and row.current.value in (None, 0) and not row.current.suppressed
                and not row.current.incomplete):
            continue  # nothing happened and nothing promised
        progress = _progress(user, info, area, so_far, target) if target else None
        key = info.theme_code or "algemeen"
        name = info.theme_name or ("General" if english() else "Algemeen")
        blocks.setdefault(key, (name, []))[1].append(ProgressRow(row, progress))
    themes = tuple(ThemeProgress(code, name, tuple(rows))
                   for code, (name, rows) in sorted(blocks.items(),
                                                    key=lambda kv: kv[0] == "algemeen"))
    judged = [r.progress for t in themes for r in t.rows if r.progress]
    return Voortgang(
        header=make_header(user, area, period, synthetic=synthetic),
        themes=themes,
        targets_total=len(judged),
        targets_on_track=sum(1 for p in judged if p.on_track),
        targets_hidden=sum(1 for p in judged
                           if p.on_track is None and not p.realised_so_far.incomplete),
        targets_no_data=sum(1 for p in judged if p.realised_so_far.incomplete),
        alerts=tuple(alert_rows(period_alerts(user, area, period))),
        projects_recorded=False,
        projects_note=(
            "Programmes and projects are not yet recorded in Knooppunt; this report gives "
            "the indicators and targets." if english() else
            "Programma's en projecten worden nog niet in Knooppunt vastgelegd; deze "
            "rapportage geeft de indicatoren en streefcijfers."),
        charts=_charts(themes, period),
        notes=tuple(n for n in (no_data_note(user, [r.indicator for t in themes
                                                   for r in t.rows]),) if n),
    )


def _progress(user, info, area, so_far: ReportPeriod, target) -> Progress:
    """Realised from 1 January against the pro rata target at the end of the half year,
    or today while it runs: `queries.pro_rata`, the dashboard's rule (decision 0024)."""
    realised, _synthetic = period_cell(user, info, area, so_far)
    through = min(so_far.end, timezone.localdate())
    expected = queries.pro_rata(target.target, so_far.year, through)
    on_track = None
    if realised.value is not None:
        on_track = queries.is_on_track(target.direction, realised.value, expected)
    share = (round(realised.value / target.target * 100, 1)
             if realised.value is not None and target.target else None)
    return Progress(target.target, target.direction, expected, realised, share, on_track,
                    target.basis, target.set_by)



def _charts(themes, period: ReportPeriod) -> dict[str, dict]:
    from knooppunt.charts.vega import bar_spec

    bars = [(r.indicator.name, r.progress.share_of_target) for t in themes for r in t.rows
            if r.progress and r.progress.share_of_target is not None]
    if not bars:
        return {}
    en = english()
    label = "Share of the year's target (%)" if en else "Deel van het jaardoel (%)"
    expected = 50.0 if period.number == 1 else 100.0
    return {"targets": bar_spec(
        bars, x_title=label, reference=expected,
        reference_label=("pro rata target" if en else "streefcijfer naar rato"))}
