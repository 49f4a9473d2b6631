"""The jaarbericht: one uniform annual report per municipality or safety region (seed 000
"Jaarberichten uniform", on the Twente model).

The figures are the jaarbericht gatherer's (`gather.jaarbericht`: `monitoring.queries`
as the dashboards show them, the follow-up's rules for casework); this builder only
puts them in chapters: signals by theme and source; cases and decisions; interventions
and results (13b, Bibob, euros, hours); "Hoe gaan we dat meten?" per theme; comparison
with peers (a municipality) or the region's municipalities; alerts; notes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from knooppunt.cases import followup
from knooppunt.monitoring import catalogue

from ..gather import jaarbericht as gather_jaarbericht
from ..periods import PeriodKind, ReportPeriod
from . import gathered as g
from .base import Audience, ReportBuilder, Subject, SubjectKind


class Jaarbericht(ReportBuilder):
    code = "jaarbericht"
    title = gettext_lazy("Jaarbericht")
    audience = Audience.BOARD
    subject_kinds = (SubjectKind.MUNICIPALITY, SubjectKind.REGION)
    period_kinds = (PeriodKind.YEAR,)
    html_template = "reports/chapters.html"
    typst_template = "chapters.typ"

    def gather(self, user, subject: Subject, period: ReportPeriod) -> g.ChapteredData:
        found = gather_jaarbericht.gather(user, subject.code, period)
        return build(self.header(user, subject, period), found, period)


def build(header: dict, found: gather_jaarbericht.Jaarbericht,
          period: ReportPeriod) -> g.ChapteredData:
    """The chapters of the annual report from the gatherer's data."""
    head = found.header
    year, before = str(period.year), str(period.year - 1)
    data = g.ChapteredData(**header, area_level=head.area_level,
                           population=head.population)
    data.synthetic = data.synthetic or head.synthetic
    data.summary = _summary(found, period)
    data.chapters = [
        _signals(data, found, year, before),
        _cases(data, found, year, before),
        _results(data, found, year, before),
        _measures(data, found, year, before),
        _comparison(data, found, period),
        _alerts(data, found, period),
    ]
    data.notes = list(found.notes)
    g.add_charts(data, found.charts, {
        "trend": _("Signalen per kwartaal, %(before)s en %(year)s") % {
            "before": before, "year": year},
        "themes": _("Signalen per thema, %(year)s") % {"year": year}})
    data.chapters[0].charts = [k for k in ("trend", "themes") if k in data.charts]
    return data


def _summary(found, period: ReportPeriod) -> list[str]:
    """The first page's sentences: the year in three numbers."""
    total = found.signals_total
    lines = []
    if total.current.value is not None and total.part_label:
        # A running year: the same months of both years (decision 0025).
        lines.append(_("In %(year)s kwamen tot nu toe %(n)s signalen van ondermijning binnen; "
                       "%(part)s: %(p)s, %(before)s: %(m)s.") % {
            "year": period.year, "n": g.figure(total.current).text,
            "part": total.part_label, "p": g.figure(total.part).text,
            "before": total.previous_label, "m": g.figure(total.previous).text})
    elif total.current.value is not None:
        lines.append(_("In %(year)s kwamen %(n)s signalen van ondermijning binnen "
                       "(%(before)s: %(m)s).") % {
            "year": period.year, "n": g.figure(total.current).text,
            "before": period.year - 1, "m": g.figure(total.previous).text})
    opened = next((r for r in found.cases if r.code == "casussen-geopend"), None)
    if opened is not None and opened.current.value is not None:
        lines.append(_("Casussen geopend: %(n)s.") % {"n": g.figure(opened.current).text})
    judged = [r.target for b in found.measures for r in b.indicators if r.target]
    if judged and period.running():
        lines.append(ngettext("Streefcijfers: %(n)s, waarvan op koers: %(met)s.",
                              "Streefcijfers: %(n)s, waarvan op koers: %(met)s.",
                              len(judged)) % {
            "n": len(judged), "met": sum(1 for t in judged if t.on_track)})
    elif judged:
        lines.append(ngettext("Streefcijfers: %(n)s, waarvan gehaald: %(met)s.",
                              "Streefcijfers: %(n)s, waarvan gehaald: %(met)s.",
                              len(judged)) % {
            "n": len(judged), "met": sum(1 for t in judged if t.met)})
    return lines


def _signals(data, found, year: str, before: str) -> g.Chapter:
    rows = [found.signals_total, *found.signals_by_theme]
    data.tables.append(g.indicator_table(
        "signalen", _("Signalen per thema"), rows, current=year, previous=before,
        per_1000=True,
        note=_("Waar een thema afgeschermd is, is zo nodig nog een thema afgeschermd, zodat "
               "het niet uit het totaal terug te rekenen is.")))
    data.tables.append(g.table(
        "bronnen", _("Signalen per bron, %(year)s") % {"year": year},
        [("bron", _("Bron"), False), ("aantal", _("Aantal"), True)],
        [[g.text(r.label), g.count(r.count)] for r in found.signals_by_source],
        _("Bron: Knooppunt, signalen ontvangen in %(year)s.") % {"year": year}))
    return g.Chapter("signalen", _("Signalen"), _(
        "Alle signalen van ondermijning die in het jaar binnenkwamen, per thema en per "
        "bron, met het jaar ervoor."), tables=["signalen", "bronnen"])


def _cases(data, found, year: str, before: str) -> g.Chapter:
    data.tables.append(g.indicator_table("casussen", _("Casussen"), found.cases,
                                         current=year, previous=before))
    keys = ["casussen"]
    if found.case_figures is not None:
        labels = {key: catalogue.get(code).name for key, code in followup.LABELS.items()
                  if key in ("opened", "weighed", "stopped_quickly", "open")}
        labels["overdue"] = _("Beslistermijn nu verlopen (alle casussen)")
        data.tables.append(g.table(
            "opvolging-casussen", _("Opvolging van casussen, %(year)s") % {"year": year},
            [("wat", _("Casussen"), False), ("aantal", _("Aantal"), True)],
            [[g.text(label), g.count(found.case_figures.get(key))]
             for key, label in labels.items() if key in found.case_figures],
            _("Bron: Knooppunt, opvolging (zoals de pagina Opvolging).")))
        keys.append("opvolging-casussen")
    if found.notices is not None:
        labels = {"received": _("Ontvangen"), "in_case": _("In een casus"),
                  "weighed": _("Gewogen"), "open": _("Nog open")}
        data.tables.append(g.table(
            "hennepberichten", _("Opvolging hennepberichten van de politie, %(year)s") % {
                "year": year},
            [("wat", _("Hennepberichten"), False), ("aantal", _("Aantal"), True)],
            [[g.text(label), g.count(found.notices.get(key))]
             for key, label in labels.items()],
            _("Bron: Knooppunt, opvolging hennepberichten.")))
        keys.append("hennepberichten")
    data.tables.append(g.table(
        "besluiten", _("Besluiten per soort, %(year)s") % {"year": year},
        [("soort", _("Soort besluit"), False), ("aantal", _("Aantal"), True)],
        [[g.text(r.label), g.count(r.count)] for r in found.decisions],
        _("Besluiten geteld op hun datum.")))
    keys.append("besluiten")
    return g.Chapter("casussen", _("Casussen en besluiten"), _(
        "Wat er met de signalen gebeurde: casussen, hun weging en de besluiten in het "
        "jaar."), tables=keys)


def _results(data, found, year: str, before: str) -> g.Chapter:
    data.tables.append(g.table(
        "interventies", _("Interventies per soort, %(year)s") % {"year": year},
        [("soort", _("Soort interventie"), False),
         ("aantal", catalogue.get("interventies-gestart-of-afgerond").name, True),
         ("afgerond", catalogue.get("interventies-afgerond").name, True)],
        [[g.text(r.label), g.count(r.count),
          g.count(r.finished) if r.count is not None else g.shielded()]
         for r in found.interventions],
        _("Interventies die lopen of afgerond zijn, op hun einddatum (anders hun "
          "startdatum); sluitingen (art. 13b Opiumwet) en Bibob-toetsen staan als eigen "
          "soort.")))
    # Amounts and hours are the indicators' (one definition, decision 0024): the
    # follow-up's sums are the same figures, so they are not printed a second time.
    data.tables.append(g.indicator_table("resultaten", _("Resultaten"), found.results,
                                         current=year, previous=before))
    return g.Chapter("resultaten", _("Interventies en resultaten"), _(
        "De interventies van het jaar en wat ze opleverden: sluitingen, Bibob, afgepakte "
        "bedragen en de uren die erin gingen zitten."),
        tables=["interventies", "resultaten"])


def _measures(data, found, year: str, before: str) -> g.Chapter:
    """One table, the theme in its first column: a page, not a table per theme."""
    rows = [r for b in found.measures for r in b.indicators]
    groups = [b.theme_name for b in found.measures for _r in b.indicators]
    data.tables.append(g.indicator_table(
        "meten", _("Indicatoren per thema, %(year)s") % {"year": year}, rows,
        current=year, previous=before, targets=True, groups=groups))
    return g.Chapter("meten", _("Hoe gaan we dat meten?"), _(
        "Per thema de indicatoren van het jaar, het jaar ervoor en de streefcijfers."),
        tables=["meten"])


def _comparison(data, found, period: ReportPeriod) -> g.Chapter:
    year = period.year
    if found.peers:
        data.tables.append(g.table(
            "vergelijking", _("Vergelijkingsgroep, %(year)s") % {"year": year},
            [("indicator", _("Indicator"), False), ("groep", _("Vergelijkingsgroep"), False),
             ("per_1000", _("Per 1.000 inwoners"), True),
             ("gemiddelde", _("Gemiddelde groep"), True), ("index", _("Index"), True)],
            [[g.text(p.indicator_name), g.text(f"{p.group_name} ({p.group_size})"),
              *([g.no_data()] * 3 if p.incomplete else [
                  g.rate(p.per_1000), g.rate(p.group_average),
                  g.number(round(p.index) if p.index is not None else None)])]
             for p in found.peers],
            _("Index: de gemeente tegenover het gemiddelde van haar vergelijkingsgroep "
              "(= 100), per 1.000 inwoners.")))
        # Name the group(s) actually used (issue 12), not a kind of group.
        lead = _("De gemeente naast haar vergelijkingsgroep: %(groups)s.") % {
            "groups": ", ".join(dict.fromkeys(p.group_name for p in found.peers))}
    elif found.ranking:
        names = {r.code: r.name for r in (found.signals_total, *found.signals_by_theme)}
        total = found.ranking_indicators[0] if found.ranking_indicators else ""
        data.tables.append(g.table(
            "vergelijking", _("Gemeenten van %(area)s, %(year)s") % {
                "area": found.header.area_name, "year": year},
            [("gemeente", _("Gemeente"), False),
             ("per_1000", _("%(indicator)s per 1.000 inwoners") % {
                 "indicator": names.get(total, total)}, True),
             ("index", _("Index"), True), ("rang", _("Gemiddelde rang"), True)],
            [[g.text(r.area_name)] + ([g.missing()] * 3 if r.hidden else
                                      [g.no_data()] * 3 if total in found.ranking_incomplete
                                      else [
                g.rate(r.values.get(total)),
                g.number(round(r.indices[total]) if r.indices.get(total) is not None
                         else None),
                g.rate(r.mean_rank)]) for r in found.ranking],
            _("Rang 1 is het gunstigst; de gemiddelde rang is over %(n)s indicatoren. "
              "Gemeenten buiten uw bereik staan zonder cijfers.") % {
                "n": len(found.ranking_indicators)}))
        lead = _("De gemeenten van de regio naast elkaar.")
    else:
        lead = _("Geen vergelijking beschikbaar voor dit jaar.")
    return g.Chapter("vergelijking", _("Vergelijking"), lead,
                     tables=["vergelijking"] if found.peers or found.ranking else [])


def _alerts(data, found, period: ReportPeriod) -> g.Chapter:
    data.tables.append(g.alert_table(
        "signaleringen", _("Signaleringen over %(year)s") % {"year": period.year},
        found.alerts))
    return g.Chapter("signaleringen", _("Vroegsignalering"), _(
        "Cijfers die in het jaar afweken van wat te verwachten was."),
        tables=["signaleringen"])


JAARBERICHT = Jaarbericht()
__all__ = ["JAARBERICHT", "Jaarbericht", "build"]
