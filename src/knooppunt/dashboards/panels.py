"""Figure blocks of the dashboards: each a `Table` (shown, exported) and maybe a chart.

Every function takes figures from `monitoring.queries`, which has applied need-to-know
and small-count suppression; a suppressed figure becomes `SUPPRESSED` in the table and is
left out of charts (a gap, no bar) and hatched on maps. A figure of a period before the
first record of its source (`Figure.incomplete`) becomes `NO_DATA` ("geen gegevens"), is
left out of charts too and never compared (decision 0021). Nothing here counts records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from knooppunt.charts import render
from knooppunt.charts.choropleth import MapArea, choropleth_svg
from knooppunt.charts.scales import equal_classes, index_band
from knooppunt.charts.series import chart_note, chart_series, partial_mark
from knooppunt.charts.tables import (
    COUNT,
    DATE,
    INDEX,
    NO_DATA,
    NUMBER,
    PERCENT,
    SUPPRESSED,
    TEXT,
    Column,
    Table,
    display,
)
from knooppunt.charts.vega import Point, bar_spec, trend_spec
from knooppunt.geo.models import District, Municipality, Province, SafetyRegion
from knooppunt.monitoring import comparison, queries
from knooppunt.monitoring.models import AreaLevel, PeriodType, TargetDirection, Unit

from .figures import CachedQueries

TIME_UNITS = {PeriodType.MONTH: "yearmonth", PeriodType.QUARTER: "yearquarter",
              PeriodType.YEAR: "year"}
BOUNDARY_MODELS = {AreaLevel.MUNICIPALITY: Municipality, AreaLevel.DISTRICT: District,
                   AreaLevel.SAFETY_REGION: SafetyRegion, AreaLevel.PROVINCE: Province}


def cached(user) -> CachedQueries:
    """The user's cached view on `monitoring.queries` (one per request)."""
    found = getattr(user, "_dashboard_queries", None)
    if found is None:
        found = user._dashboard_queries = CachedQueries(user)
    return found


@dataclass
class Panel:
    """A block on the page: its table, and optionally a chart (SVG + spec) or a map."""

    key: str
    title: str
    table: Table
    chart: SafeString | str = ""
    spec: dict | None = None
    extra: dict = field(default_factory=dict)

    @property
    def spec_id(self) -> str:
        return f"spec-{self.key}"


def _value_kind(info: queries.IndicatorInfo) -> str:
    return COUNT if info.unit == Unit.COUNT else NUMBER


def _cell(figure_value: float | None, suppressed: bool, incomplete: bool = False) -> object:
    if incomplete:
        return NO_DATA
    return SUPPRESSED if suppressed else figure_value


def figure_cell(figure: queries.Figure) -> object:
    """A figure as a table cell: its value, `SUPPRESSED` or `NO_DATA`."""
    return _cell(figure.value, figure.suppressed, figure.incomplete)


def _source_note(figures: Sequence[queries.Figure], info: queries.IndicatorInfo) -> str:
    sources = sorted({f.source for f in figures if f.source}) or [info.source]
    dates = sorted({f.source_date for f in figures if f.source_date})
    note = _("Bron: %(source)s") % {"source": "; ".join(sources)}
    if dates:
        note += " · " + _("peildatum %(date)s") % {"date": dates[-1].isoformat()}
    if any(f.synthetic for f in figures):
        note += " · " + _("synthetische demogegevens")
    return note


def drill_url(code: str, params: dict[str, object]) -> str:
    """The analysis page of another area with the same filters (shareable)."""
    query = {k: v for k, v in params.items() if v not in (None, "") and k != "gebied"}
    query["gebied"] = code
    return reverse("dashboards:analysis") + "?" + urlencode(query)


# ---------------------------------------------------------------- trend with target


def trend(user, info: queries.IndicatorInfo, area: queries.AreaRef, period_type: str,
          first: dt.date, last: dt.date, *, key: str = "trend") -> Panel:
    """The series of an indicator in one area, with its targets (pro rata per period)."""
    figures = cached(user).series(user, info.code, area.level, area.code, period_type, first, last)
    years = sorted({f.period.start.year for f in figures})
    targets: dict[int, queries.TargetStatus] = {}
    for year in years:
        status = cached(user).target_status(user, info.code, area.level, area.code, year)
        if status is not None:
            targets[year] = status
    share = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.YEAR: 1}[period_type]
    kind = _value_kind(info)
    columns = [Column("periode", _("Periode")), Column("waarde", _("Waarde"), kind),
               Column("per_1000", _("Per 1.000 inwoners"), NUMBER, 2)]
    if targets:
        columns.append(Column("streef", _("Streefcijfer (naar rato)"), NUMBER, 1))
    rows = []
    realised_label = _("gerealiseerd")
    target_label = _("streefcijfer") if share == 1 else _("streefcijfer (naar rato)")
    target_points = []
    day = today()
    for f in figures:
        target = targets.get(f.period.start.year)
        target_value = round(target.target / share, 1) if target else None
        mark = partial_mark(f.period, day)
        rows.append({"periode": f"{f.period.label} ({mark})" if mark else f.period.label,
                     "waarde": figure_cell(f), "per_1000": f.per_1000, "streef": target_value})
        if target_value is not None:
            target_points.append(Point(f.period.start, target_value, target_label))
    points, hidden, partial = chart_series(figures, realised_label, day)
    table = Table(key=key, title=_("%(indicator)s in %(area)s") % {
        "indicator": info.name, "area": area.name}, columns=columns, rows=rows,
        note=" ".join(x for x in (
            _with_no_data(user, _source_note(figures, info),
                          [info] if any(f.incomplete for f in figures) else []),
            chart_note(hidden, partial)) if x))
    panel = Panel(key=key, title=table.title, table=table)
    if any(p.value is not None for p in points) or partial is not None:
        spec = trend_spec(points, targets=target_points, y_title=info.name,
                          x_title=_("Periode"), time_unit=TIME_UNITS[period_type],
                          hidden=hidden, partial=partial)
        panel.spec = spec
        panel.chart = render.chart_svg(
            spec, title=table.title, css_id=f"chart-{key}",
            description=_("Lijngrafiek; de cijfers staan in de tabel eronder."))
    return panel


# ---------------------------------------------------------------- breakdown and map


def breakdown(user, info: queries.IndicatorInfo, area: queries.AreaRef, period_type: str,
              start: dt.date, params: dict[str, object], *, key: str = "uitsplitsing",
              drill: bool = True) -> Panel:
    """The areas one level down for one period, with a link to drill further."""
    figures = cached(user).breakdown(user, info.code, area.level, area.code, period_type, start)
    kind = _value_kind(info)
    table = Table(
        key=key,
        title=_("%(indicator)s per gebied in %(area)s, %(period)s") % {
            "indicator": info.name, "area": area.name,
            "period": figures[0].period.label if figures else period_label(period_type,
                                                                           start)},
        columns=[Column("code", _("Code")), Column("gebied", _("Gebied")),
                 Column("inwoners", _("Inwoners"), COUNT),
                 Column("waarde", _("Waarde"), kind),
                 Column("per_1000", _("Per 1.000 inwoners"), NUMBER, 2)],
        rows=[{"code": f.area.code, "gebied": f.area.name, "inwoners": f.area.population,
               "waarde": figure_cell(f), "per_1000": f.per_1000}
              for f in figures],
        note=_with_no_data(user, _source_note(figures, info) + " · " + _(
            "Kleine aantallen zijn afgeschermd; waar het totaal getoond wordt ook een of "
            "meer andere cellen, zodat niets terug te rekenen is."),
            [info] if any(f.incomplete for f in figures) else []),
    )
    panel = Panel(key=key, title=table.title, table=table)
    panel.extra["links"] = {f.area.code: drill_url(f.area.code, params) for f in figures} \
        if drill else {}
    panel.extra["figures"] = figures
    return panel


def _boundaries(level: str, codes: Sequence[str]) -> dict[str, dict]:
    model = BOUNDARY_MODELS.get(level)
    if model is None:
        return {}
    return dict(model.objects.filter(code__in=list(codes), boundary__isnull=False)
                .values_list("code", "boundary"))


def area_map(figures: Sequence[queries.Figure], info: queries.IndicatorInfo, *,
             title: str, links: dict[str, str] | None = None, highlight: str = "",
             context_codes: Sequence[str] = (), points: Sequence[tuple[float, float]] = (),
             css_id: str = "map") -> SafeString | str:
    """A choropleth of the figures' areas (per 1,000 inhabitants where meaningful).

    Only areas with boundaries in the shipped data can be drawn (municipalities, wijken,
    safety regions, provinces); for buurten the table is the only view.
    """
    if not figures:
        return ""
    level = figures[0].area.level
    boundaries = _boundaries(level, [f.area.code for f in figures] + list(context_codes))
    if not boundaries:
        return ""
    rate = info.per_1000
    column = Column("v", "", NUMBER, 2 if rate else 0)
    values = [(f.per_1000 if rate else f.value) for f in figures]
    classes = equal_classes(values, start=0)
    areas = []
    for f, value in zip(figures, values, strict=True):
        shown = display(column, NO_DATA if f.incomplete
                        else SUPPRESSED if f.suppressed else value)
        areas.append(MapArea(code=f.area.code, name=f.area.name,
                             boundary=boundaries.get(f.area.code), value=value, shown=shown,
                             suppressed=f.suppressed, highlight=f.area.code == highlight,
                             href=(links or {}).get(f.area.code, "")))
    shown_codes = {f.area.code for f in figures}
    context = Municipality.objects.none()
    if level == AreaLevel.MUNICIPALITY and context_codes:
        context = Municipality.objects.filter(code__in=[c for c in context_codes
                                                        if c not in shown_codes])
    for m in context.values("code", "name", "boundary"):
        areas.append(MapArea(code=m["code"], name=m["name"], boundary=m["boundary"],
                             value=None, shown="", outside=True))
    legend = _("%(indicator)s per 1.000 inwoners") % {"indicator": info.name} if rate \
        else info.name
    return choropleth_svg(
        areas, classes, title=title, css_id=css_id, width=MAP_WIDTH, legend_title=legend,
        points=points,
        point_label=_("signaal dat u mag inzien"),
        description=_("Gebieden gekleurd in klassen; de tabel bij de kaart bevat dezelfde "
                      "cijfers. Gearceerd: afgeschermd (klein aantal)."),
    )


# ---------------------------------------------------------------- targets


def _target_state(status: queries.TargetStatus) -> str:
    return target_state_words(status.realised_suppressed, status.met, status.on_track,
                              incomplete=status.realised_incomplete)


def target_state_words(suppressed: bool, met: bool | None, on_track: bool | None,
                       *, incomplete: bool = False) -> str:
    """How the dashboards (and the reports) word a target's state."""
    if incomplete:
        return str(NO_DATA)
    if suppressed:
        return _("afgeschermd")
    if met is True:
        return _("gehaald")
    if met is False:
        return _("niet gehaald")
    if on_track is True:
        return _("op koers")
    if on_track is False:
        return _("achter op schema")
    return _("nog geen cijfer")


def targets(user, area: queries.AreaRef, year: int, *, key: str = "streefcijfers") -> Panel:
    """Target vs realised for every indicator with a target for this area and year."""
    rows = []
    statuses = cached(user).targets(user, area.level, area.code, year)
    for s in statuses:
        rows.append({
            "indicator": s.indicator.name,
            "onderdeel": s.section_label,
            "richting": str(TargetDirection(s.direction).label),
            "streef": s.target,
            "naar_rato": s.expected_so_far,
            "gerealiseerd": _cell(s.realised, s.realised_suppressed, s.realised_incomplete),
            "percentage": s.share_of_target,
            "stand": _target_state(s),
            "onderbouwing": s.basis,
            "vastgesteld": " ".join(x for x in (s.set_by, s.set_on.isoformat()
                                               if s.set_on else "") if x),
        })
    table = Table(
        key=key,
        title=_("Streefcijfers %(year)s: gerealiseerd tegenover streefcijfer, %(area)s") % {
            "year": year, "area": area.name},
        columns=[Column("indicator", _("Indicator")),
                 Column("onderdeel", _("Onderdeel"), on_page=False),
                 Column("richting", _("Richting")),
                 Column("streef", _("Streefcijfer"), NUMBER, 0),
                 Column("naar_rato", _("Naar rato tot vandaag"), NUMBER, 1),
                 Column("gerealiseerd", _("Gerealiseerd"), COUNT),
                 Column("percentage", _("% van streefcijfer"), PERCENT, 0),
                 Column("stand", _("Stand")),
                 Column("onderbouwing", _("Onderbouwing"), on_page=False),
                 Column("vastgesteld", _("Vastgesteld door / op"), on_page=False)],
        rows=rows,
        note=_with_no_data(user, _(
            "Een lopend jaar wordt vergeleken met het streefcijfer naar rato van de "
            "verstreken dagen; een afgesloten jaar met het hele streefcijfer."),
            [s.indicator for s in statuses if s.realised_incomplete]),
    )
    panel = Panel(key=key, title=table.title, table=table)
    panel.extra["statuses"] = statuses
    return panel


# ---------------------------------------------------------------- benchmark and ranking


def benchmark(user, info: queries.IndicatorInfo, municipality: queries.AreaRef, year: int,
              *, key: str = "benchmark", peer_group: str | None = None) -> Panel:
    """The municipality's index against its peer group (group average = 100)."""
    result = cached(user).benchmark(user, info.code, municipality.code, year, peer_group)
    rows = []
    bars = []
    for member in sorted(result.members, key=lambda m: (m.index is None, -(m.index or 0))):
        band = index_band(member.index)
        no_data = result.incomplete and not member.hidden
        rows.append({
            "gemeente": member.area.name,
            "per_1000": NO_DATA if no_data else None if member.hidden else member.per_1000,
            "index": NO_DATA if no_data else None if member.hidden else member.index,
            "klasse": _("niet zichtbaar") if member.hidden else (band.label if band else ""),
        })
        if not member.hidden and member.index is not None:
            bars.append((member.area.name, member.index))
    table = Table(
        key=key,
        title=_("%(indicator)s: index tegenover %(group)s, %(year)s") % {
            "indicator": info.name, "group": result.group.name, "year": year},
        columns=[Column("gemeente", _("Gemeente")),
                 Column("per_1000", _("Per 1.000 inwoners"), NUMBER, 2),
                 Column("index", _("Index (groep = 100)"), INDEX, 0),
                 Column("klasse", _("Ten opzichte van de groep"))],
        rows=rows, note=_with_no_data(user, result.method,
                                      [info] if result.incomplete else []),
    )
    panel = Panel(key=key, title=table.title, table=table)
    panel.extra["result"] = result
    panel.extra["band"] = index_band(result.index)
    if bars:
        # The chart shows the municipality among its nearest neighbours in the ranking;
        # the table holds the whole group.
        position = next((i for i, (name, _v) in enumerate(bars) if name == municipality.name), 0)
        first = max(0, min(position - BAR_WINDOW // 2, len(bars) - BAR_WINDOW))
        bars = bars[first:first + BAR_WINDOW]
        spec = bar_spec(bars, x_title=_("Index (groepsgemiddelde = 100)"),
                        highlight=municipality.name, reference=100,
                        reference_label=_("groepsgemiddelde"))
        panel.spec = spec
        panel.chart = render.chart_svg(
            spec, title=table.title, css_id=f"chart-{key}",
            description=_("Staafdiagram van de index per gemeente; de cijfers staan in de "
                          "tabel."))
    return panel


BAR_WINDOW = 15
MAP_WIDTH = 560  # the width a map gets in a half-page column, so its text is legible
RANK_CLASS_CSS = {"gunstig": "rank--good", "gemiddeld": "rank--mid",
                  "ongunstig": "rank--bad", "onbekend": "rank--none",
                  "laag": "rank--low", "hoog": "rank--high"}


def ranking(user, infos: Sequence[queries.IndicatorInfo], area: queries.AreaRef, year: int,
            *, key: str = "rangorde") -> Panel:
    """The areas of a region ranked on several indicators, colour-coded, method stated."""
    result = cached(user).ranking(user, [i.code for i in infos], area.level,
                             area.code, year)
    columns = [Column("gebied", _("Gebied"))]
    for info in result.indicators:
        columns.append(Column(f"{info.code}", info.name, NUMBER, 2))
        columns.append(Column(f"{info.code}__rang", _("rang"), COUNT))
    columns.append(Column("gemiddelde_rang", _("Gemiddelde rang"), NUMBER, 1))
    rows, classes = [], []
    for row in result.rows:
        item: dict[str, object] = {"gebied": row.area.name}
        css: dict[str, str] = {}
        for info in result.indicators:
            item[info.code] = None if row.hidden else (
                NO_DATA if info.code in result.incomplete else row.values.get(info.code))
            item[f"{info.code}__rang"] = None if row.hidden else row.ranks.get(info.code)
            css[info.code] = RANK_CLASS_CSS.get(row.classes.get(info.code, "onbekend"), "")
        item["gemiddelde_rang"] = None if row.hidden else row.mean_rank
        rows.append(item)
        classes.append(css)
    table = Table(key=key, title=_("Rangorde in %(area)s, %(year)s") % {
        "area": area.name, "year": year}, columns=columns, rows=rows,
        note=_with_no_data(user, result.method, [i for i in result.indicators
                                                 if i.code in result.incomplete]))
    panel = Panel(key=key, title=table.title, table=table)
    panel.extra["classes"] = classes
    return panel


# ---------------------------------------------------------------- alerts and key figures


def alerts(user, area: queries.AreaRef, *, key: str = "signaleringen") -> Panel:
    """Open early-warning alerts of the area (and the areas inside it), each with why."""
    found = cached(user).alerts(user, area.level, area.code, status="open")
    rows = [{
        "indicator": a.indicator.name, "gebied": a.area.name, "periode": a.period.label,
        "waargenomen": SUPPRESSED if a.observed is None else a.observed,
        "verwacht": round(a.expected, 1), "waarom": a.reason,
        "gesignaleerd": a.created_at.date(),
    } for a in found]
    table = Table(
        key=key, title=_("Vroegsignalering: open signaleringen in %(area)s") % {
            "area": area.name},
        columns=[Column("indicator", _("Indicator")), Column("gebied", _("Gebied")),
                 Column("periode", _("Periode")),
                 Column("waargenomen", _("Waargenomen"), COUNT),
                 Column("verwacht", _("Verwacht"), NUMBER, 1),
                 Column("waarom", _("Waarom gesignaleerd")),
                 Column("gesignaleerd", _("Gesignaleerd op"), DATE)],
        rows=rows,
        note=_("Een stijging wordt getoetst tegen de eigen geschiedenis van het gebied; de "
               "methode en de drempel staan bij elke signalering."),
    )
    return Panel(key=key, title=table.title, table=table, extra={"alerts": found})


def span_cell(found: comparison.SpanValue | None, running: bool = True) -> object:
    """A figure over a comparison span as a table cell (None: not comparable). A whole
    period that is hidden is a small count (`SUPPRESSED`, "<5"); a running window reads
    "afgeschermd"."""
    if found is None:
        return None
    if found.suppressed and running:
        # Not "<5": a hidden window is often large; it is hidden because, beside the
        # year's figure, it would reveal a hidden month (often the running one).
        return _("afgeschermd")
    return _cell(found.value, found.suppressed, found.incomplete)


def comparison_columns(compared: comparison.Comparison, year: int, kind: str) -> list[Column]:
    """The value columns of a comparison by the one rule (decision 0025): the year (with
    "t/m 5 dec" while it runs), for a running year also the compared complete months, the
    same months of the year before, and the change."""
    mark = compared.partial_mark()
    columns = [Column("waarde", f"{year} ({mark})" if mark else str(year), kind)]
    if compared.running:
        if compared.current is not None and compared.previous is not None:
            columns.append(Column("deel", compared.current.label(), kind))
            columns.append(Column("vorig_jaar", compared.previous.label(), kind))
    else:
        columns.append(Column("vorig_jaar", str(year - 1), kind))
    columns.append(Column("verandering", _("Verandering"), PERCENT, 0))
    return columns


def comparison_note(compared: comparison.Comparison) -> str:
    """The sentence under a table that compares: what is compared with what."""
    if not compared.running:
        return ""
    return _("Verandering: %(text)s (een lopend jaar over de volledige maanden, tegenover "
             "dezelfde maanden een jaar eerder). Afgeschermd staat er waar dat deel, naast "
             "het jaarcijfer, een afgeschermde maand zou verraden (vaak de lopende "
             "maand).") % {"text": compared.text()}


def key_figures(user, municipality: queries.AreaRef, year: int, *,
                key: str = "kerncijfers") -> Panel:
    """The few figures that matter for the mayor, as cards and as a table."""
    found = cached(user).key_figures(user, municipality.code, year)
    window = comparison.same_part(dt.date(year, 1, 1), dt.date(year, 12, 31),
                                  dt.date(year - 1, 1, 1), today())
    rows, tones = [], []
    for k in found:
        band = index_band(k.benchmark_index)
        compared = k.compared
        rows.append({
            "indicator": k.indicator.name,
            "waarde": figure_cell(k.current),
            "deel": span_cell(compared.current, window.running) if compared else None,
            "vorig_jaar": span_cell(compared.previous, window.running) if compared
            else None,
            "verandering": k.change_percent,
            "streef": k.target.target if k.target else None,
            "stand": _target_state(k.target) if k.target else "",
            "index": k.benchmark_index,
            "klasse": band.label if band else "",
            "signaleringen": len(k.alerts),
            "bron": k.current.source,
        })
        tones.append({"verandering": f"change--{compared.tone}"} if compared else {})
    table = Table(
        key=key, title=_("Kerncijfers %(area)s, %(year)s") % {
            "area": municipality.name, "year": year},
        columns=[Column("indicator", _("Indicator")),
                 *comparison_columns(window, year, COUNT),
                 Column("streef", _("Streefcijfer"), NUMBER, 0), Column("stand", _("Stand")),
                 Column("index", _("Index vergelijkingsgroep"), INDEX, 0),
                 Column("klasse", _("Ten opzichte van de groep")),
                 Column("signaleringen", _("Open signaleringen"), COUNT),
                 Column("bron", _("Bron"), TEXT, on_page=False)],
        rows=rows,
        note=_with_no_data(user, " ".join(x for x in (comparison_note(window), _(
            "Kleine aantallen zijn afgeschermd. Index: gemiddelde van de vergelijkingsgroep "
            "= 100.")) if x),
                           [k.indicator for k in found if k.current.incomplete
                            or (k.previous is not None and k.previous.incomplete)]),
    )
    return Panel(key=key, title=table.title, table=table,
                 extra={"figures": list(zip(found, [index_band(k.benchmark_index)
                                                    for k in found], strict=True)),
                        "comparison": window, "classes": tones})


def today() -> dt.date:
    """The day figures are compared on (the local date; the figure cache keys on it)."""
    return timezone.localdate()


def no_data_note(user, infos: Sequence[queries.IndicatorInfo]) -> str:
    """The sentence that explains "geen gegevens" for these indicators: since when
    Knooppunt has records of their source ("" without indicators)."""
    if not infos:
        return ""
    firsts = sorted({first for first in (queries.recorded_since(user, i.code) for i in infos)
                     if first is not None})
    if not firsts:
        return _("Geen gegevens: Knooppunt heeft nog geen registraties van deze bron.")
    return _("Geen gegevens: Knooppunt registreert deze bron sinds %(date)s; een periode "
             "die eerder begint heeft geen cijfer (geen 0).") % {
        "date": date_format(firsts[-1], "j F Y")}


def _with_no_data(user, note: str, infos: Sequence[queries.IndicatorInfo]) -> str:
    """`note` with the no-data sentence for `infos` before it."""
    return " ".join(x for x in (no_data_note(user, infos), note) if x)


def period_label(period_type: str, start: dt.date) -> str:
    if period_type == PeriodType.YEAR:
        return str(start.year)
    if period_type == PeriodType.QUARTER:
        return f"{start.year} K{(start.month - 1) // 3 + 1}"
    return date_format(start, "F Y")
