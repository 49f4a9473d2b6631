"""The ondermijningsbeeld: the strategic picture of undermining crime in a municipality or
safety region, as the RIEC plan describes it (seed 003, "Ontwikkeling ondermijningsbeelden"
and "Analyses": "een strategisch-tactisch onderzoek naar georganiseerde ondermijnende
criminaliteit in een geografisch afgebakend gebied", on a theme or broad; seed 004: it
"benoemt thema's en fenomenen" and is presented to the board and the council).

Chapters, in the order the seeds give them: phenomena and themes; places and hotspots;
real estate and sectors (the gebiedsscan's "vastgoed, ondernemingen"); tendency (trend and
early warning: "rode draden, tendens"); approach and results; administrative resilience and
barriers ("bestuurlijke weerbaarheid", "bestuurlijke barrières"); recommendations. The
last two and an interpretation ("duiding") are the analyst's own words, given when the
report is made (`text_fields`) and printed as given.

No figure is computed here. The signal, case and intervention figures are the
jaarbericht's (`gather.jaarbericht` through `jaarbericht.build`: `monitoring.queries` and
the catalogue, one number per label), the building and company figures are the area
scan's (`analytics.areascan.scan`, the same tables as the page `/gebiedsscan/`), and the
maps are the hotspot service's (`analytics.hotspot_service.compute`, as the hotspot page)
drawn by `charts.hotspot_map`. It is a board report: aggregates only, suppressed.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.analytics import areas, areascan
from knooppunt.analytics import hotspot_service as hotspots
from knooppunt.charts.areascan import section_table
from knooppunt.charts.hotspot_map import hotspot_map_svg

from ..data import Chart, from_table
from ..gather import jaarbericht as gather_jaarbericht
from ..periods import PeriodKind, ReportPeriod
from . import gathered as g
from . import jaarbericht
from .base import Audience, InvalidTexts, ReportBuilder, Subject, SubjectKind

MAX_TEXT = 4000  # characters per text field: a page of prose
MAX_THEME_MAPS = 3  # besides the map of all signals

TEXT_FIELDS = (
    ("duiding", gettext_lazy("Duiding en rode draden")),
    ("weerbaarheid", gettext_lazy("Bestuurlijke weerbaarheid en barrières")),
    ("aanbevelingen", gettext_lazy("Aanbevelingen")),
)

# The area scan's register sections printed here (public registers, exact figures;
# permits and zoning where a planning register adapter provides them).
SCAN_SECTIONS = ("gebruiksdoel", "status", "sbi", "bedrijven", "vergunningen", "bestemming")


class Ondermijningsbeeld(ReportBuilder):
    code = "ondermijningsbeeld"
    title = gettext_lazy("Ondermijningsbeeld")
    audience = Audience.BOARD
    subject_kinds = (SubjectKind.MUNICIPALITY, SubjectKind.REGION)
    period_kinds = (PeriodKind.YEAR,)
    html_template = "reports/chapters.html"
    typst_template = "chapters.typ"
    text_fields = TEXT_FIELDS

    def gather(self, user, subject: Subject, period: ReportPeriod, *,
               texts: dict[str, str] | None = None,
               texts_source: dict[str, str] | None = None) -> g.ChapteredData:
        """`texts_source`: None when the maker gave the texts; for a scheduled report the
        report they were taken from (`services.last_texts`), or {} when there was none."""
        texts = self.check_texts(texts or {})
        found = gather_jaarbericht.gather(user, subject.code, period)
        annual = jaarbericht.build(self.header(user, subject, period), found, period)
        chapters = {c.key: c for c in annual.chapters}
        data = annual  # the jaarbericht's tables and charts, re-arranged in chapters
        data.summary = _summary(annual.summary, subject, period)
        data.chapters = []

        themes = chapters["signalen"]
        themes.title = _("Thema's en fenomenen")
        themes.lead = _("Welke vormen van ondermijning zich in het gebied aftekenen: de "
                        "signalen van het jaar per thema en per bron, met het jaar ervoor.")
        themes.charts = [k for k in themes.charts if k == "themes"]
        data.chapters.append(themes)
        data.chapters.append(_hotspots(user, data, subject, period, found))
        data.chapters.append(_real_estate(user, data, subject, period))
        trend = g.Chapter("tendens", _("Tendens"), _(
            "De ontwikkeling door de tijd: signalen per kwartaal, de vergelijking met "
            "vergelijkbare gemeenten of de gemeenten van de regio, en cijfers die afweken "
            "van wat te verwachten was."),
            charts=[k for k in ("trend",) if k in data.charts],
            tables=chapters["vergelijking"].tables + chapters["signaleringen"].tables)
        data.chapters.append(trend)
        approach = g.Chapter("aanpak", _("Aanpak en resultaten"), _(
            "Wat met de signalen gebeurde: casussen, besluiten, interventies en hun "
            "resultaten, en de indicatoren per thema."),
            tables=(chapters["casussen"].tables + chapters["resultaten"].tables
                    + chapters["meten"].tables))
        data.chapters.append(approach)
        empty = _("(Niet ingevuld bij het maken van dit ondermijningsbeeld.)")
        if texts_source is not None and not any(texts.values()):
            empty = _("(Niet ingevuld: dit ondermijningsbeeld is volgens planning gemaakt en "
                      "er is nog geen eerder opgeslagen ondermijningsbeeld van dit gebied met "
                      "teksten. Maak er een met teksten; de volgende planning neemt ze over.)")
        for key, title in TEXT_FIELDS:
            if key == "duiding":
                continue
            data.chapters.append(g.Chapter(key, str(title), "" if texts.get(key) else empty,
                                           text=texts.get(key, "")))
        if texts.get("duiding"):
            data.chapters.insert(0, g.Chapter("duiding", str(TEXT_FIELDS[0][1]),
                                              text=texts["duiding"]))
        data.notes = list(data.notes) + [_(
            "Cijfers van signalen, casussen en interventies zijn die van het jaarbericht; "
            "vastgoed en ondernemingen die van de gebiedsscan; de kaarten die van de pagina "
            "Hotspots. De teksten van duiding, weerbaarheid en aanbevelingen zijn van wie "
            "het ondermijningsbeeld maakte.")]
        if texts_source:
            data.notes.append(_(
                "Volgens planning gemaakt: de teksten zijn overgenomen uit het "
                "ondermijningsbeeld %(period)s dat %(name)s op %(date)s opsloeg "
                "(rapportage %(id)s).") % texts_source)
        elif texts_source is not None:
            data.notes.append(_("Volgens planning gemaakt: de teksten zijn niet ingevuld."))
        return data

    def check_texts(self, texts: object) -> dict[str, str]:
        """The analyst's texts by field, stripped; InvalidTexts for anything else."""
        if not isinstance(texts, dict):
            raise InvalidTexts(_("Teksten horen bij een veldnaam."))
        known = {key for key, _label in TEXT_FIELDS}
        unknown = sorted(str(k) for k in texts if k not in known)
        if unknown:
            raise InvalidTexts(_("Onbekend tekstveld: %(names)s. Velden: %(known)s.") % {
                "names": ", ".join(unknown), "known": ", ".join(sorted(known))})
        clean: dict[str, str] = {}
        for key, value in texts.items():
            if not isinstance(value, str):
                raise InvalidTexts(_("Het tekstveld %(name)s moet tekst zijn.") % {
                    "name": key})
            value = value.replace("\r\n", "\n").strip()
            if "\x00" in value:
                raise InvalidTexts(_("Het tekstveld %(name)s bevat een ongeldig teken.")
                                   % {"name": key})
            if len(value) > MAX_TEXT:
                raise InvalidTexts(_("Het tekstveld %(name)s is te lang: hoogstens "
                                     "%(max)s tekens.") % {"name": key, "max": MAX_TEXT})
            if value:
                clean[key] = value
        return clean


def _summary(lines: list[str], subject: Subject, period: ReportPeriod) -> list[str]:
    return [_("Het ondermijningsbeeld van %(name)s over %(year)s: een strategisch beeld van "
              "de georganiseerde, ondermijnende criminaliteit in het gebied, uit de signalen, "
              "casussen, registers en hotspots die Knooppunt kent.") % {
                  "name": subject.name, "year": period.year}, *lines]


def _period_days(period: ReportPeriod) -> tuple[date, date]:
    return period.start, min(period.end, timezone.localdate())


def _hotspots(user, data: g.ChapteredData, subject: Subject, period: ReportPeriod,
              found) -> g.Chapter:
    """Gi* maps of all signals and of the largest themes, as the hotspot page draws them."""
    chapter = g.Chapter("hotspots", _("Locaties en hotspots"), _(
        "Waar de signalen van het jaar samenkomen: cellen waar significant meer signalen "
        "liggen dan in hun omgeving (hotspots) of minder (coldspots), volgens Getis-Ord Gi* "
        "met correctie voor meervoudig toetsen. Onder elke kaart staat de methode."))
    start, end = _period_days(period)
    cell = 250 if subject.kind == SubjectKind.MUNICIPALITY else 500
    shown = [r for r in found.signals_by_theme
             if r.theme_code and r.current.value and not r.current.suppressed]
    shown.sort(key=lambda r: (-r.current.value, r.name))
    wanted = [("", _("alle signalen"))] + [(r.theme_code, r.theme_name or r.name)
                                           for r in shown[:MAX_THEME_MAPS]]
    notes = []
    for theme, name in wanted:
        query = hotspots.Query(area=subject.code, start=start, end=end, cell_size=cell,
                               theme=theme)
        try:
            answer = hotspots.compute(user, query)
        except hotspots.HotspotError as error:
            notes.append(_("Kaart van %(what)s niet gemaakt: %(why)s") % {
                "what": name, "why": error})
            continue
        result = answer.result
        x, y = result.grid.corners()
        title = _("Hotspots van %(what)s in %(area)s, %(start)s – %(end)s") % {
            "what": name, "area": answer.area.name, "start": start.strftime("%d-%m-%Y"),
            "end": end.strftime("%d-%m-%Y")}
        key = f"hotspots-{theme or 'alle'}"
        svg = hotspot_map_svg(answer.area.geometry, x, y, result.grid.cell_size,
                              result.gi.classes, title=title, description=answer.method_text)
        data.charts[key] = Chart(key, f"{title}. {answer.method_text}", svg)
        chapter.charts.append(key)
        hot = int((result.gi.classes > 0).sum())
        data.tables.append(g.table(
            f"hotspot-cellen-{theme or 'alle'}",
            _("Hotspotcellen: %(what)s") % {"what": name},
            [("klasse", _("Klasse"), False), ("cellen", _("Cellen"), True)],
            [[g.text(_("hotspot (90 % of meer)")), g.number(hot)],
             [g.text(_("coldspot (90 % of meer)")),
              g.number(int((result.gi.classes < 0).sum()))],
             [g.text(_("cellen in het gebied")), g.number(int(result.grid.n_cells))]],
            _("Bron: Knooppunt, signalen ontvangen %(start)s – %(end)s; cellen van "
              "%(size)s m (RD New).") % {"start": start.isoformat(), "end": end.isoformat(),
                                        "size": cell}))
        chapter.tables.append(f"hotspot-cellen-{theme or 'alle'}")
    data.notes.extend(notes)
    return chapter


def _real_estate(user, data: g.ChapteredData, subject: Subject,
                 period: ReportPeriod) -> g.Chapter:
    """The gebiedsscan's register sections (municipality), compared with the region."""
    chapter = g.Chapter("vastgoed", _("Vastgoed en sectoren"), _(
        "Gebouwen naar gebruik en status en ondernemingen naar sector, uit de openbare "
        "registers (BAG, KvK), naast de gemeente en de regio: zoals de gebiedsscan ze "
        "toont."))
    if subject.kind != SubjectKind.MUNICIPALITY:
        chapter.lead += " " + _("Voor een regio staan deze cijfers per gemeente in de "
                                "gebiedsscan van elke gemeente.")
        return chapter
    try:
        area = areas.resolve(user, area=subject.code)
    except areas.AreaError as error:
        # Figures of the area may be visible where its scan is not (the scan needs a
        # served municipality): the chapter says why it is empty.
        chapter.lead += " " + error.message
        return chapter
    _start, end = _period_days(period)
    scan = areascan.scan(user, area, today=end, allow_personal=False, log=False)
    for key in SCAN_SECTIONS:
        if not any(s.key == key for s in scan.sections):
            continue
        table = from_table(section_table(scan, scan.section(key)))
        data.tables.append(table)
        chapter.tables.append(table.key)
    return chapter


ONDERMIJNINGSBEELD = Ondermijningsbeeld()
__all__ = ["MAX_TEXT", "ONDERMIJNINGSBEELD", "TEXT_FIELDS", "InvalidTexts",
           "Ondermijningsbeeld"]
