"""The factsheet: one or two pages per municipality or safety region and calendar year.

Municipality: exactly the mayor's dashboard (`dashboards.views.overview` for that year,
default indicator): key figures with change, target, benchmark index and alerts, the
36-month trend with its target, the municipality on the map of its safety region, the
targets, the benchmark and the open alerts.

Region: the region's own totals of the key indicators (value, previous year, change,
target), its municipalities side by side (the analysis page's breakdown per indicator,
with its secondary suppression), the trend, the map, the ranking and the alerts.

All figures come from `dashboards.panels` → `monitoring.queries` (scoped, suppressed,
cached like the dashboards), so the numbers equal the dashboard's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from knooppunt.charts.tables import COUNT, NO_DATA, NUMBER, TEXT, Column, Table
from knooppunt.dashboards import panels
from knooppunt.dashboards import views as dashboard_views
from knooppunt.monitoring import comparison, memo, queries
from knooppunt.monitoring.models import AreaLevel, PeriodType

from ..data import Cell, Chart, ReportColumn, ReportData, ReportTable, cell_from, from_table
from ..periods import PeriodKind, ReportPeriod
from .base import Audience, ReportBuilder, Subject, SubjectKind

MAX_REGION_INDICATORS = 8
SIDE_BY_SIDE = 4  # indicators in the municipalities-side-by-side table (fits a page)


@dataclass(frozen=True)
class KeyFigureCard:
    indicator: str
    value: Cell
    previous: Cell
    change: Cell  # percent
    direction: str  # "up", "down" or "" (no change as shown, or none known)
    target: Cell
    target_state: str
    index: Cell  # benchmark index (municipality only)
    index_label: str
    alerts: int
    source: str
    # What the change compares (decision 0025): "1 jan – 30 nov 2026 t.o.v. 1 jan – 30 nov
    # 2025" for a running year, "2025 t.o.v. 2024" for one that has ended; and its colour
    # by the target's or indicator's direction (good / bad / neutral).
    comparison: str = ""
    previous_label: str = ""
    tone: str = "neutral"


@dataclass
class FactsheetData(ReportData):
    year: int = 0
    population: int | None = None
    indicator: str = ""  # the indicator of the trend and the map
    cards: list[KeyFigureCard] = field(default_factory=list)


def _cards(table: Table, compared: comparison.Comparison,
           tones: list[str]) -> list[KeyFigureCard]:
    """The key-figure table's rows as cards (the same cells, same texts)."""
    columns = {c.key: c for c in table.columns}

    def cell(row, key):
        return cell_from(table, columns[key], row.get(key)) if key in columns \
            else Cell("–", None)

    def direction(row) -> str:
        change = row.get("verandering")
        if not isinstance(change, int | float) or round(change) == 0:
            return ""
        return "up" if change > 0 else "down"

    return [KeyFigureCard(
        indicator=str(row["indicator"]), value=cell(row, "waarde"),
        previous=cell(row, "vorig_jaar"), change=cell(row, "verandering"),
        direction=direction(row),
        target=cell(row, "streef"), target_state=str(row.get("stand") or ""),
        index=cell(row, "index"), index_label=str(row.get("klasse") or ""),
        alerts=int(row.get("signaleringen") or 0), source=str(row.get("bron") or ""),
        comparison=compared.text(),
        previous_label=compared.previous.label() if compared.previous else "",
        tone=tones[i] if i < len(tones) else "neutral",
    ) for i, row in enumerate(table.rows)]


def _add(data: FactsheetData, panel, *, chart: bool = True) -> None:
    if panel is None:
        return
    key = panel.key
    if chart and panel.chart:
        data.charts[key] = Chart(key, panel.title, str(panel.chart))
    data.tables.append(from_table(panel.table, chart=key if key in data.charts else ""))


def _optional(build, *args, **kwargs):
    try:
        return build(*args, **kwargs)
    except (NotImplementedError, ValueError, LookupError):
        return None


class Factsheet(ReportBuilder):
    code = "factsheet"
    title = gettext_lazy("Factsheet")
    audience = Audience.BOARD
    subject_kinds = (SubjectKind.MUNICIPALITY, SubjectKind.REGION)
    period_kinds = (PeriodKind.YEAR,)
    html_template = "reports/factsheet.html"
    typst_template = "factsheet.typ"

    def gather(self, user, subject: Subject, period: ReportPeriod) -> FactsheetData:
        with memo.active():
            if subject.kind == SubjectKind.MUNICIPALITY:
                return self._municipality(user, subject, period)
            return self._region(user, subject, period)

    # ------------------------------------------------------------ municipality

    def _municipality(self, user, subject: Subject, period: ReportPeriod) -> FactsheetData:
        area = queries.area(user, AreaLevel.MUNICIPALITY, subject.code)
        year = period.year
        found = dashboard_views.overview(user, area, year, dashboard_views.blank_form(user))
        data = FactsheetData(**self.header(user, subject, period), year=year,
                             population=area.population, indicator=found["indicator"].name)
        key = found["key"]
        if key is not None:
            # Open alerts about the report's year only (the dashboard shows all open ones).
            for row, (figure, _band) in zip(key.table.rows, key.extra["figures"], strict=True):
                row["signaleringen"] = sum(1 for a in figure.alerts
                                           if a.period.start.year == year)
            tones = [c.get("verandering", "change--neutral").removeprefix("change--")
                     for c in key.extra["classes"]]
            data.cards = _cards(key.table, key.extra["comparison"], tones)
            data.tables.append(_key_table(key.table))
        for name in ("trend", "map", "targets", "benchmark"):
            _add(data, found[name])
        _add(data, _alerts_of_year(found["alerts"], area, year))
        _drop_hidden_peers(data)
        _pivot_trend(user, data, found["indicator"], area, year)
        data.synthetic = data.synthetic or any("synthetisch" in t.note for t in data.tables)
        return data

    # ------------------------------------------------------------ region

    def _region(self, user, subject: Subject, period: ReportPeriod) -> FactsheetData:
        level = AreaLevel.SAFETY_REGION
        area = queries.area(user, level, subject.code)
        year = period.year
        infos = _region_indicators(user, area, year)
        data = FactsheetData(**self.header(user, subject, period), year=year,
                             population=area.population,
                             indicator=infos[0].name if infos else "")
        key, compared, tones = _region_key_table(user, area, year, infos)
        data.cards = _cards(key, compared, tones)
        data.tables.append(_key_table(key))
        side = [i for i in infos if PeriodType.YEAR in i.period_types][:SIDE_BY_SIDE]
        if side:
            data.tables.append(_side_by_side(user, area, year, side))
        if infos:
            info = infos[0]
            first, last = _trend_span(year)
            _add(data, _optional(panels.trend, user, info, area, PeriodType.MONTH, first,
                                 last))
            _pivot_trend(user, data, info, area, year)
            mapped = _optional(panels.breakdown, user, info, area, PeriodType.YEAR,
                               dt.date(year, 1, 1), {}, key="kaart")
            if mapped is not None and mapped.extra.get("figures"):
                mapped.chart = panels.area_map(mapped.extra["figures"], info,
                                               title=mapped.title, css_id="map-breakdown")
                _add(data, mapped)
            rated = [i for i in infos if i.per_1000][:dashboard_views.RANKING_INDICATORS]
            if rated:
                _add(data, _optional(panels.ranking, user, rated, area, year))
        _add(data, _optional(panels.targets, user, area, year))
        _add(data, _alerts_of_year(_optional(panels.alerts, user, area), area, year))
        data.synthetic = data.synthetic or any("synthetisch" in t.note for t in data.tables)
        return data


def _alerts_of_year(panel, area, year: int):
    """The dashboard's open alerts, only those about a period in the report's year: a
    report on a closed year is not about what fired since."""
    if panel is None:
        return None
    kept = [row for row, alert in zip(panel.table.rows, panel.extra["alerts"], strict=True)
            if alert.period.start.year == year]
    panel.table.rows = kept
    panel.title = panel.table.title = _(
        "Vroegsignalering: open signaleringen over %(year)s in %(area)s") % {
        "year": year, "area": area.name}
    return panel


def _drop_hidden_peers(data: FactsheetData) -> None:
    """Peers whose own-data figures the user may not see are rows of dashes on the
    dashboard; on paper they are one sentence under the table."""
    table = data.table("benchmark")
    if table is None:
        return
    numbers = [i for i, c in enumerate(table.columns) if c.numeric]
    no_data = str(NO_DATA)  # a year before the first record: shown, not hidden
    kept = [row for row in table.rows
            if any(row[i].value is not None or row[i].text == no_data for i in numbers)]
    hidden = len(table.rows) - len(kept)
    if hidden:
        table.rows = kept
        table.note += " " + ngettext(
            "%(n)s gemeente van de groep is voor u niet zichtbaar (cijfers uit eigen "
            "registraties van een gemeente die uw organisatie niet bedient).",
            "%(n)s gemeenten van de groep zijn voor u niet zichtbaar (cijfers uit eigen "
            "registraties van gemeenten die uw organisatie niet bedient).", hidden) % {
            "n": hidden}


def _trend_span(year: int) -> tuple[dt.date, dt.date]:
    """The dashboard's trend: three calendar years up to the report's year, no months
    still to come."""
    return (dt.date(year - dashboard_views.TREND_YEARS + 1, 1, 1),
            min(dt.date(year, 12, 31), timezone.localdate()))


def _pivot_trend(user, data: FactsheetData, info, area, year: int) -> None:
    """The trend's 36 monthly figures as months × years (one page, not three), the
    same cells as the dashboard's trend table (the series is the cached one)."""
    found = data.table("trend")
    if found is None:
        return
    first, last = _trend_span(year)
    figures = panels.cached(user).series(user, info.code, area.level, area.code,
                                         PeriodType.MONTH, first, last)
    years = list(range(first.year, year + 1))
    column = Column("waarde", "", panels._value_kind(info))
    shown = Table(key="trend", title="", columns=[column])
    by_month = {(f.period.start.year, f.period.start.month): f for f in figures}
    rows = []
    for month in range(1, 13):
        row = [Cell(str(MONTHS[month]), month)]
        for y in years:
            f = by_month.get((y, month))
            row.append(cell_from(shown, column, panels.figure_cell(f))
                       if f else Cell("–", None))
        rows.append(row)
    found.columns = [ReportColumn("maand", _("Maand"), False),
                     *[ReportColumn(str(y), str(y), True) for y in years]]
    found.rows = rows


def _key_table(table: Table) -> ReportTable:
    """The key figures with their source column (which the page hides under a link)."""
    shown = Table(key=table.key, title=table.title,
                  columns=[Column(c.key, c.label, c.kind, c.decimals, True)
                           for c in table.columns if c.key not in ("klasse",)],
                  rows=table.rows, note=table.note)
    return from_table(shown)


def _region_indicators(user, area: queries.AreaRef, year: int) -> list[queries.IndicatorInfo]:
    """Indicators with a target for the region first, then those marked for early
    warning (as the municipality's key figures choose), at most eight, yearly ones."""
    cached = panels.cached(user)
    with_target = [s.indicator.code for s in cached.targets(user, area.level, area.code, year)]
    active = [i for i in queries.indicators(user) if PeriodType.YEAR in i.period_types]
    chosen = [i for i in active if i.code in with_target]
    chosen += [i for i in active if i.early_warning and i.code not in with_target]
    return chosen[:MAX_REGION_INDICATORS]


def _region_key_table(user, area: queries.AreaRef, year: int,
                      infos: list[queries.IndicatorInfo],
                      ) -> tuple[Table, comparison.Comparison, list[str]]:
    """The region's own totals: this year, the comparison by the one rule (decision
    0025), change, target, open alerts; with the comparison and each change's tone."""
    cached = panels.cached(user)
    alerts = cached.alerts(user, area.level, area.code, status="open")
    window = comparison.same_part(dt.date(year, 1, 1), dt.date(year, 12, 31),
                                  dt.date(year - 1, 1, 1), panels.today())
    rows, tones = [], []
    for info in infos:
        now = _value(user, info, area, year)
        if now is None:
            continue
        target = cached.target_status(user, info.code, area.level, area.code, year)
        compared = comparison.compare(user, info.code, area.level, area.code, window,
                                      target.direction if target else None)
        rows.append({
            "indicator": info.name,
            "waarde": panels.figure_cell(now),
            "deel": panels.span_cell(compared.current, window.running),
            "vorig_jaar": panels.span_cell(compared.previous, window.running),
            "verandering": compared.change_percent,
            "streef": target.target if target else None,
            "stand": panels._target_state(target) if target else "",
            "signaleringen": sum(1 for a in alerts if a.indicator.code == info.code
                                 and a.period.start.year == year),
            "bron": now.source + (f" ({now.source_date.isoformat()})"
                                  if now.source_date else ""),
        })
        tones.append(compared.tone)
    table = Table(
        key="kerncijfers", title=_("Kerncijfers %(area)s, %(year)s") % {
            "area": area.name, "year": year},
        columns=[Column("indicator", _("Indicator")),
                 *panels.comparison_columns(window, year, COUNT),
                 Column("streef", _("Streefcijfer"), NUMBER, 0), Column("stand", _("Stand")),
                 Column("signaleringen", _("Open signaleringen"), COUNT),
                 Column("bron", _("Bron"), TEXT)],
        rows=rows,
        note=" ".join(x for x in (panels.comparison_note(window), _(
            "Totalen van de hele regio. Kleine aantallen zijn afgeschermd.")) if x),
    )
    return table, window, tones


def _value(user, info, area, year: int) -> queries.Figure | None:
    found = panels.cached(user).values(user, info.code, area.level, PeriodType.YEAR,
                                       dt.date(year, 1, 1), codes=[area.code])
    return found[0] if found else None


def _side_by_side(user, area: queries.AreaRef, year: int,
                  infos: list[queries.IndicatorInfo]) -> ReportTable:
    """The region's municipalities with several indicators as columns, each column the
    analysis page's breakdown (secondary suppression per column, as there)."""
    cached = panels.cached(user)
    rows: dict[str, dict[str, object]] = {}
    columns = [Column("gemeente", _("Gemeente")), Column("inwoners", _("Inwoners"), COUNT)]
    notes: set[str] = set()
    for info in infos:
        try:
            figures = cached.breakdown(user, info.code, area.level, area.code,
                                       PeriodType.YEAR, dt.date(year, 1, 1))
        except (ValueError, LookupError):
            continue
        columns.append(Column(info.code, info.name, panels._value_kind(info)))
        notes.add(panels._source_note(figures, info))
        for f in figures:
            row = rows.setdefault(f.area.code, {"gemeente": f.area.name,
                                                "inwoners": f.area.population})
            row[info.code] = panels.figure_cell(f)
    table = Table(
        key="gemeenten", title=_("Gemeenten van %(area)s naast elkaar, %(year)s") % {
            "area": area.name, "year": year},
        columns=columns, rows=sorted(rows.values(), key=lambda r: str(r["gemeente"])),
        note=" · ".join(sorted(notes)) + " · " + _(
            "Per kolom zijn kleine aantallen afgeschermd en, omdat het regiototaal getoond "
            "wordt, zo nodig nog een cel, zodat niets terug te rekenen is."))
    return from_table(table)


FACTSHEET = Factsheet()
__all__ = ["FACTSHEET", "Factsheet", "FactsheetData", "KeyFigureCard"]
