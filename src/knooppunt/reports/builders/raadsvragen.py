"""Raadsvragen: the figures an answer to council questions about a theme needs.

Wraps `gather.raadsvragen` (five years, per wijk or per municipality, comparison with
peers and the region, the paragraph for the answer letter) for a municipality or a
safety region, one calendar year and a theme (an option of the report: `theme`, empty
for all signals). The gatherer's cells become the framework's tables and its Vega-Lite
specs the dashboards' SVGs (`charts.render`), so page and PDF print the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.charts.numbers import half_up, localized
from knooppunt.charts.render import chart_svg
from knooppunt.charts.tables import NO_DATA
from knooppunt.monitoring import queries
from knooppunt.monitoring.models import AreaLevel

from ..data import Cell, Chart, ReportColumn, ReportData, ReportTable
from ..gather import common, raadsvragen
from ..gather.errors import ReportInputError
from ..periods import PeriodKind, ReportPeriod
from .base import Audience, InvalidTheme, ReportBuilder, Subject, SubjectKind

CODE = "raadsvragen"


@dataclass
class RaadsvragenData(ReportData):
    theme: str = ""  # theme code; "" = all signals
    indicator: str = ""
    definition: str = ""
    source: str = ""
    answer: str = ""  # the paragraph for the answer letter
    direction: str = ""


def theme_choices(user) -> list[tuple[str, str]]:
    """The themes with a signals indicator, as (code, indicator name); "" = all."""
    found = [(i.theme_code, i.name) for i in queries.indicators(user)
             if i.code.startswith("signalen-") and i.theme_code]
    return [("", _("Alle thema's (signalen totaal)")), *sorted(found, key=lambda t: t[1])]


def _cell(found: common.Cell, *, rate: bool = False) -> Cell:
    """A gatherer cell as printed. A hidden figure may be hidden as the complement of
    another one, so it reads 'afgeschermd', never as a small number. A year before the
    first record reads 'geen gegevens' (decision 0021)."""
    if found.incomplete:
        return Cell(str(NO_DATA), None)
    if found.suppressed:
        return Cell(_("afgeschermd"), None, True)
    value = found.per_1000 if rate else found.value
    if value is None:
        return Cell("–", None)
    decimals = 2 if rate else (0 if float(value).is_integer() else 1)
    text = localized(value, decimals)
    return Cell(f"€ {text}" if found.unit == "euro" and not rate else text, value)


def _plain(value: float | None, decimals: int, suffix: str = "") -> Cell:
    if value is None:
        return Cell("–", None)
    shown = half_up(value, decimals)  # no "-0%" for a change that rounds to nothing
    text = localized(shown, decimals)
    return Cell(f"{'+' if suffix == '%' and shown > 0 else ''}{text}{suffix}", value)


def _change_note(found: raadsvragen.Raadsvragen) -> str:
    """The change over the years that have data: all five, or since the first year with
    data ("sinds 2024") when the earlier ones begin before the first record."""
    first, last = found.years[0].year, found.years[-1].year
    if found.partial_mark:
        # A running year (decision 0025): only the same complete months are compared.
        return _("%(year)s loopt nog (%(mark)s); de verandering van %(year)s vergelijkt "
                 "%(compared)s. Geen verandering over de jaren zolang %(year)s niet "
                 "compleet is.") % {"year": last, "mark": found.partial_mark,
                                    "compared": found.compared_text}
    if found.since_year == first:
        return _("Verandering over vijf jaar (%(first)s–%(last)s): %(change)s.") % {
            "first": first, "last": last,
            "change": _plain(found.five_year_change_percent, 0, "%").text}
    if found.recorded_since is None:
        since = _("Knooppunt heeft nog geen signalen geregistreerd.")
    else:
        since = _("Knooppunt registreert signalen sinds %(date)s; eerdere jaren: geen "
                  "gegevens.") % {"date": date_format(found.recorded_since, "j F Y")}
    if found.since_year is None or found.since_year == last:
        return _("Geen verandering over de jaren te berekenen.") + " " + since
    return _("Verandering sinds %(since)s (%(since)s–%(last)s): %(change)s.") % {
        "since": found.since_year, "last": last,
        "change": _plain(found.change_since_percent, 0, "%").text} + " " + since


def _columns(*columns: tuple[str, str, bool]) -> list[ReportColumn]:
    return [ReportColumn(key, label, numeric) for key, label, numeric in columns]


class Raadsvragen(ReportBuilder):
    code = CODE
    title = gettext_lazy("Raadsvragen")
    audience = Audience.BOARD
    subject_kinds = (SubjectKind.MUNICIPALITY, SubjectKind.REGION)
    period_kinds = (PeriodKind.YEAR,)
    takes_theme = True
    html_template = "reports/raadsvragen.html"
    typst_template = "raadsvragen.typ"

    def check_theme(self, user, theme: str) -> str:
        code = (theme or "").strip().lower()
        known = dict(theme_choices(user))
        if code not in known:
            raise InvalidTheme(_("Onbekend thema %(theme)s; kies uit: %(known)s.") % {
                "theme": repr(code[:40]), "known": ", ".join(c for c in known if c)})
        return code

    def gather(self, user, subject: Subject, period: ReportPeriod,
               theme: str = "") -> RaadsvragenData:
        code = self.check_theme(user, theme)
        try:
            found = raadsvragen.gather(user, subject.code, period,
                                       theme=code or None)
        except ReportInputError as error:
            raise InvalidTheme(str(error)) from error
        data = RaadsvragenData(**self.header(user, subject, period), theme=code,
                               indicator=found.indicator_name, definition=found.definition,
                               source=found.source, answer=found.text,
                               direction=found.direction)
        data.synthetic = data.synthetic or found.header.synthetic
        data.title = f"{data.title}: {found.indicator_name}"
        self._years(data, found)
        self._areas(data, found)
        self._comparison(data, found)
        self._charts(data, found)
        return data

    def _years(self, data: RaadsvragenData, found: raadsvragen.Raadsvragen) -> None:
        last = found.years[-1].year
        rows = [[Cell(f"{r.year} ({found.partial_mark})" if found.partial_mark
                      and r.year == last else str(r.year), r.year),
                 _cell(r.value), _cell(r.value, rate=True),
                 _plain(r.change_percent, 0, "%")] for r in found.years]
        note = _("Bron: %(source)s.") % {"source": found.source} + " " + _change_note(found)
        data.tables.append(ReportTable("jaren", _("Registraties per jaar"), _columns(
            ("jaar", _("Jaar"), False), ("aantal", _("Aantal"), True),
            ("per_1000", _("Per 1.000 inwoners"), True),
            ("verandering", _("t.o.v. vorig jaar"), True)), rows, note, chart="jaren"))

    def _areas(self, data: RaadsvragenData, found: raadsvragen.Raadsvragen) -> None:
        per_wijk = found.area_level == AreaLevel.DISTRICT
        title = (_("Per wijk, %(year)s") if per_wijk else _("Per gemeente, %(year)s")) % {
            "year": found.years[-1].year}
        rows = [[Cell(a.name if a.code[2:] in a.name else f"{a.name} ({a.code})", a.code),
                 Cell(localized(a.population, 0)
                      if a.population else "–", a.population),
                 _cell(a.value), _cell(a.value, rate=True)] for a in found.areas]
        note = _("Afgeschermd: een klein aantal, of een cel die verborgen is zodat het "
                 "totaal min de andere cellen geen klein aantal verraadt.")
        data.tables.append(ReportTable("gebieden", title, _columns(
            ("gebied", _("Wijk") if per_wijk else _("Gemeente"), False),
            ("inwoners", _("Inwoners"), True), ("aantal", _("Aantal"), True),
            ("per_1000", _("Per 1.000 inwoners"), True)), rows, note,
            chart="gebieden"))

    def _comparison(self, data: RaadsvragenData, found: raadsvragen.Raadsvragen) -> None:
        c = found.comparison
        rows = [[Cell(data.subject_name, data.subject_code), _plain(c.own_per_1000, 2),
                 Cell("–", None)]]
        if c.group_name:
            rows.append([Cell(_("Vergelijkingsgroep: %(group)s") % {
                "group": c.group_name}, c.group_name), _plain(c.group_average_per_1000, 2),
                _plain(c.index, 0)])
        if c.region_code and c.region_code != data.subject_code:
            rows.append([Cell(c.region_name, c.region_code), _plain(c.region_per_1000, 2),
                         Cell("–", None)])
        data.tables.append(ReportTable("vergelijking", _("Vergelijking"), _columns(
            ("gebied", _("Gebied"), False), ("per_1000", _("Per 1.000 inwoners"), True),
            ("index", _("Index (groepsgemiddelde = 100)"), True)), rows,
            # Name the group that was used, never a kind of group it is not (issue 12).
            _("Per 1.000 inwoners; de index vergelijkt met het gemiddelde van de "
              "vergelijkingsgroep %(group)s (= 100).") % {"group": c.group_name}
            if c.group_name else _("Per 1.000 inwoners; zonder vergelijkingsgroep is er "
                                   "geen index.")))

    def _charts(self, data: RaadsvragenData, found: raadsvragen.Raadsvragen) -> None:
        titles = {"years": ("jaren", _("Registraties per jaar")),
                  "areas": ("gebieden", data.table("gebieden").title)}
        for name, spec in found.charts.items():
            key, title = titles[name]
            data.charts[key] = Chart(key, title, str(chart_svg(
                spec, title=title, description=_("De cijfers staan in de tabel eronder."),
                css_id=f"raadsvragen-{key}")))
        for table in data.tables:
            if table.chart and table.chart not in data.charts:
                table.chart = ""


RAADSVRAGEN = Raadsvragen()
