"""The gebiedsscan as a report: the area scan of a municipality or wijk, printable.

The same `analytics.areascan.scan` as the page and the API, laid out once as the page's
tables (`charts.areascan`) and turned into chapters (`gathered.ChapteredData`), so HTML
and PDF print the page's numbers. It is a board report (aggregates, suppressed): the
lists that name addresses and companies stay on the page, because a stored report is
read by everyone who may make it for the area. The 24 months end on the last day of the
chosen year, or today in the running year.

The ondermijningsbeeld (the RIEC's strategic picture with narrative sections and hotspot
maps) is a report kind of its own (`builders/ondermijningsbeeld.py`); the report says so.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.analytics import areas, areascan
from knooppunt.charts.area_map import area_map_svg
from knooppunt.charts.areascan import grid_table, section_table

from ..data import Chart, from_table
from ..periods import PeriodKind, ReportPeriod
from .base import Audience, ReportBuilder, Subject, SubjectKind
from .gathered import Chapter, ChapteredData

CHAPTERS = (
    ("vastgoed", gettext_lazy("Vastgoed"), ("gebruiksdoel", "bouwjaar", "oppervlakte",
                                             "status")),
    ("ondernemingen", gettext_lazy("Ondernemingen"), ("sbi", "bedrijven")),
    ("signalen", gettext_lazy("Signalen"), ("signalen-thema", "signalen-bron")),
    ("energie", gettext_lazy("Energie-afwijkingen"), ("energie",)),
    ("casussen", gettext_lazy("Casussen en interventies"), ("casussen",)),
)


class Gebiedsscan(ReportBuilder):
    code = "gebiedsscan"
    title = gettext_lazy("Gebiedsscan")
    audience = Audience.BOARD
    subject_kinds = (SubjectKind.AREA,)
    period_kinds = (PeriodKind.YEAR,)
    html_template = "reports/chapters.html"
    typst_template = "chapters.typ"

    def gather(self, user, subject: Subject, period: ReportPeriod) -> ChapteredData:
        area = areas.resolve(user, area=subject.code)
        today = min(period.end, timezone.localdate())
        scan = areascan.scan(user, area, today=today, allow_personal=False, log=False)
        data = ChapteredData(**self.header(user, subject, period), area_level=area.kind,
                             population=scan.population)
        data.summary = [
            _("%(name)s (gemeente %(municipality)s, regio %(region)s): %(n)s adressen in de "
              "basisregistratie.") % {"name": scan.name, "municipality": scan.municipality_name,
                                     "region": scan.region_name, "n": scan.addresses},
            _("Signalen, energie-afwijkingen en casussen: %(since)s tot en met %(end)s. "
              "Vergelijkingen %(basis)s.") % {"since": scan.since.isoformat(),
                                              "end": scan.made_on.isoformat(),
                                              "basis": scan.basis},
        ]
        data.summary.append(_("Cijfers uit de openbare registers (BAG, KvK) zijn exact; "
                              "alleen cijfers uit signalen, meldingen en casussen worden "
                              "afgeschermd."))
        data.notice = _("Het ondermijningsbeeld (strategische hoofdstukken en hotspotkaarten) "
                        "is een eigen rapportage voor een gemeente of regio. Adressen en "
                        "bedrijfsnamen staan alleen op de pagina Gebiedsscan, voor wie ze "
                        "mag zien.")
        svg = area_map_svg(scan)
        if svg:
            data.charts["kaart"] = Chart("kaart", _("Kaart van %(name)s") % {"name": scan.name},
                                         svg)
        data.chapters.append(Chapter("gebied", _("Het gebied"),
                                     charts=list(data.charts)))
        for key, title, section_keys in CHAPTERS:
            chapter = Chapter(key, str(title))
            for section_key in section_keys:
                table = from_table(section_table(scan, scan.section(section_key)))
                data.tables.append(table)
                chapter.tables.append(table.key)
                if any(g.key == section_key for g in scan.grids):
                    grid = from_table(grid_table(scan.grid(section_key)))
                    data.tables.append(grid)
                    chapter.tables.append(grid.key)
            data.chapters.append(chapter)
        data.notes = list(scan.notes)
        return data


GEBIEDSSCAN = Gebiedsscan()
