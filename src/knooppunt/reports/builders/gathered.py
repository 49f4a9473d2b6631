"""Report data from the gatherers (`reports.gather`): chapters of tables and charts.

The jaarbericht and the voortgangsrapportage print what their gatherer returns and
nothing else; this module turns the gatherer's rows into the framework's `ReportTable`s
(once: the gatherer's dataclass is not kept beside them) and its Vega-Lite specs into
the dashboards' SVGs (`knooppunt.charts.render`). A hidden cell prints as "afgeschermd":
it may be hidden as the complement of a shown total, so it does not claim to be small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.charts import render as charts
from knooppunt.charts.tables import (
    COUNT,
    EURO,
    MISSING,
    NO_DATA,
    NUMBER,
    PERCENT,
    Column,
    display,
)
from knooppunt.dashboards.panels import target_state_words
from knooppunt.monitoring.models import AlertMethod, AlertStatus

from ..data import Cell, Chart, ReportColumn, ReportData, ReportTable
from ..gather import common
from ..gather.rows import AlertRow, IndicatorRow, TargetRow

SHIELDED = gettext_lazy("afgeschermd")
_UNIT_KINDS = {"aantal": COUNT, "euro": EURO, "uren": NUMBER, "procent": PERCENT}


@dataclass
class Chapter:
    """A numbered part of the report: a lead text, its charts and its tables (by key).
    `text`: prose a person wrote when making the report (ondermijningsbeeld), printed
    as given, paragraphs split on empty lines."""

    key: str
    title: str
    lead: str = ""
    charts: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class ChapteredData(ReportData):
    """A report in chapters (jaarbericht, voortgangsrapportage). `summary`: sentences
    on the first page; `notice`: a boxed remark (what the report cannot tell yet)."""

    area_level: str = ""
    population: int | None = None
    summary: list[str] = field(default_factory=list)
    notice: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    shielded: bool = True  # hidden cells print as "afgeschermd" (see labels)

    def chapter_tables(self, chapter: Chapter) -> list[ReportTable]:
        return [t for t in (self.table(k) for k in chapter.tables) if t is not None]


# ------------------------------------------------------------------ cells


def shielded() -> Cell:
    return Cell(str(SHIELDED), None, True)


def blank() -> Cell:
    """An empty cell (a group's name already printed above)."""
    return Cell("", None)


def missing() -> Cell:
    return Cell(MISSING, None)


def no_data() -> Cell:
    """A period before the first record of its source: not 0, not hidden (decision 0021)."""
    return Cell(str(NO_DATA), None)


def text(value: object) -> Cell:
    return Cell(str(value), str(value)) if value not in (None, "") else missing()


def number(value: float | int | None, unit: str = "aantal", *, hidden: bool = False
           ) -> Cell:
    """A figure as the dashboards write it (localised, € for euros)."""
    if hidden:
        return shielded()
    if value is None:
        return missing()
    kind = _UNIT_KINDS.get(unit, NUMBER)
    raw = float(value) if not isinstance(value, int) else value
    return Cell(display(Column("v", "", kind, 1 if kind == PERCENT else 0), raw), raw)


def figure(cell: common.Cell | None, *, per_1000: bool = False) -> Cell:
    """A gatherer's cell (or its rate per 1,000 inhabitants)."""
    if cell is None:
        return missing()
    if cell.incomplete:
        return no_data()
    if cell.suppressed:
        return shielded()
    if per_1000:
        return rate(cell.per_1000)
    return number(cell.value, cell.unit)


def rate(value: float | None) -> Cell:
    """A rate per 1,000 inhabitants, two decimals as the dashboards."""
    if value is None:
        return missing()
    return Cell(display(Column("v", "", NUMBER, 2), value), value)


def change(percent: float | None) -> Cell:
    if percent is None:
        return missing()
    shown = display(Column("v", "", PERCENT, 0), percent)
    return Cell(("+" if percent > 0 and shown != "0%" else "") + shown, percent)


def count(value: int | None) -> Cell:
    """A count from the follow-up's rules: None is hidden there."""
    return shielded() if value is None else number(value)


# ------------------------------------------------------------------ tables


def table(key: str, title: str, columns: Sequence[tuple[str, str, bool]],
          rows: Iterable[Sequence[Cell]], note: str = "", *, wide: str = "") -> ReportTable:
    """`columns`: (key, label, numeric); `wide`: the column that takes the rest of the
    line (default the first, the row's name)."""
    wide = wide or columns[0][0]
    return ReportTable(key=key, title=title,
                       columns=[ReportColumn(k, str(label), numeric, k == wide)
                                for k, label, numeric in columns],
                       rows=[list(r) for r in rows], note=note)


def target_state(target: TargetRow | None) -> str:
    """How the dashboards word a target's state."""
    if target is None:
        return ""
    return target_state_words(target.share_of_target is None, target.met, target.on_track,
                              incomplete=target.realised_incomplete)


def sources(rows: Iterable[IndicatorRow]) -> str:
    """'Bron: …' for the sources of the rows (with their latest date), each once."""
    found: dict[str, str] = {}
    for row in rows:
        for cell in (row.current, row.previous):
            if not cell.source:
                continue
            date = cell.source_date.isoformat() if cell.source_date else ""
            found[cell.source] = max(found.get(cell.source, ""), date)
    if not found:
        return ""
    return _("Bron: %(sources)s.") % {"sources": "; ".join(
        f"{name} ({date})" if date else name for name, date in sorted(found.items()))}


def indicator_table(key: str, title: str, rows: Sequence[IndicatorRow], *,
                    current: str, previous: str, per_1000: bool = False,
                    targets: bool = False, note: str = "",
                    groups: Sequence[str] = ()) -> ReportTable:
    """Indicators with this period, the one before, the change, and (a year) targets.
    `groups`: a theme per row, printed in a first column where it changes."""
    # A running period (decision 0025): the running figure, then its complete months
    # against the same months of the period before, and the change between those.
    running = next((r for r in rows if r.part_label), None)
    if running is not None:
        previous = running.previous_label
    columns = [("indicator", _("Indicator"), False), ("waarde", current, True)]
    if groups:
        columns.insert(0, ("thema", _("Thema"), False))
    if per_1000:
        columns.append(("per_1000", _("Per 1.000 inwoners"), True))
    if running is not None:
        columns.append(("deel", running.part_label, True))
        note = " ".join(x for x in (_(
            "De periode loopt nog: de verandering vergelijkt %(part)s met %(previous)s, "
            "dezelfde maanden.") % {"part": running.part_label,
                                     "previous": running.previous_label}, note) if x)
    columns += [("vorige", previous, True), ("verandering", _("Verandering"), True)]
    if targets:
        columns += [("streef", _("Streefcijfer"), True), ("stand", _("Stand"), False)]
    built = []
    for index, row in enumerate(rows):
        cells = [text(row.name), figure(row.current)]
        if groups:
            changed = index == 0 or groups[index] != groups[index - 1]
            cells.insert(0, text(groups[index]) if changed else blank())
        if per_1000:
            cells.append(figure(row.current, per_1000=True))
        if running is not None:
            cells.append(figure(row.part) if row.part is not None else missing())
        cells += [figure(row.previous), change(row.change_percent)]
        if targets:
            cells += [number(row.target.value, row.unit) if row.target else missing(),
                      text(target_state(row.target))]
        built.append(cells)
    full_note = " ".join(x for x in (sources(rows), note) if x)
    return table(key, title, columns, built, full_note, wide="indicator")


def alert_table(key: str, title: str, alerts: Sequence[AlertRow]) -> ReportTable:
    """The alerts of the period: observed against expected, and why."""
    def label(choices, value: str) -> str:
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    return table(key, title, [
        ("indicator", _("Indicator"), False), ("gebied", _("Gebied"), False),
        ("periode", _("Periode"), False), ("waargenomen", _("Waargenomen"), True),
        ("verwacht", _("Verwacht"), True), ("methode", _("Methode"), False),
        ("status", _("Status"), False)],
        [[text(a.indicator_name), text(a.area_name), text(a.period_label),
          shielded() if a.observed is None else number(a.observed),
          number(round(a.expected, 1), "uren"), text(label(AlertMethod, a.method)),
          text(label(AlertStatus, a.status))] for a in alerts],
        _("Een signalering zegt dat een cijfer afwijkt van wat te verwachten was; "
          "ze is een reden om te kijken, geen oordeel."))


def add_charts(data: ReportData, specs: dict[str, dict], titles: dict[str, str]) -> None:
    """The gatherer's Vega-Lite specs as the dashboards' SVGs, with their titles."""
    for key, spec in specs.items():
        title = titles.get(key, key)
        data.charts[key] = Chart(key, title, str(charts.chart_svg(
            spec, title=title, css_id=f"report-{key}",
            description=_("De cijfers van deze grafiek staan in de tabel eronder."))))


__all__ = ["Chapter", "ChapteredData", "SHIELDED", "add_charts", "alert_table", "blank",
           "change", "count", "figure", "indicator_table", "missing", "no_data", "number",
           "rate", "shielded", "sources", "table", "target_state", "text"]
