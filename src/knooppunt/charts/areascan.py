"""An area scan (`analytics.areascan.Scan`) as `Table`s: the page and the report lay out
the same tables, so they print the same numbers."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from knooppunt.analytics.areascan import Grid, Scan, Section

from .numbers import localized
from .tables import COUNT, NUMBER, SUPPRESSED, Column, Table


def _value(value: int | None, hidden: bool) -> object:
    return SUPPRESSED if hidden else value


def _date(day) -> str:
    return date_format(day, "j F Y") if day else _("onbekend")


def basis_note(scan: Scan) -> str:
    """What the rates are per, with the three denominators."""
    return _("Per 1.000 adressen (BAG): gebied %(area)s, gemeente %(municipality)s, "
             "regio %(region)s adressen.") % {
        "area": localized(scan.addresses, 0),
        "municipality": localized(scan.municipality_addresses, 0),
        "region": localized(scan.region_addresses, 0)}


def section_table(scan: Scan, section: Section) -> Table:
    columns = [
        Column("label", _("Onderdeel")),
        Column("value", _("Aantal in het gebied"), COUNT),
        Column("rate", _("Per 1.000 adressen"), NUMBER, 1),
        Column("municipality", _("Gemeente %(name)s") % {"name": scan.municipality_name},
               NUMBER, 1),
        Column("region", (_("Regio %(name)s") % {"name": scan.region_name})
               if scan.region_name else _("Regio"), NUMBER, 1),
    ]
    rows = [{"label": r.label, "value": _value(r.value, r.hidden),
             "rate": _value(r.rate, r.hidden), "municipality": r.municipality_rate,
             "region": r.region_rate} for r in section.rows]
    note = _("Bron: %(source)s, stand %(date)s.") % {"source": section.source,
                                                     "date": _date(section.source_date)}
    note = " ".join(part for part in (note, basis_note(scan), section.note) if part)
    return Table(f"gebiedsscan-{section.key}", section.title, columns, rows, note)


def grid_table(grid: Grid) -> Table:
    columns = [Column("label", _("Onderdeel"))]
    columns += [Column(f"q{i}", q, COUNT) for i, q in enumerate(grid.quarters)]
    columns.append(Column("total", _("Totaal"), COUNT))

    def row(label, cells, total):
        out = {"label": label, "total": SUPPRESSED if total is None else total}
        out.update({f"q{i}": SUPPRESSED if n is None else n for i, n in enumerate(cells)})
        return out

    rows = [row(label, cells, total) for label, cells, total in grid.rows]
    rows.append(row(_("Totaal"), grid.totals, grid.total))
    note = _("Bron: %(source)s, laatste ontvangen %(date)s. Per kwartaal; kleine aantallen "
             "en wat daaruit volgt zijn afgeschermd.") % {"source": grid.source,
                                                          "date": _date(grid.source_date)}
    return Table(f"gebiedsscan-{grid.key}-kwartalen", grid.title + " – " + _("per kwartaal"),
                 columns, rows, note)


def personal_tables(scan: Scan) -> list[Table]:
    """The lists that name addresses and companies (only in a scan that holds them)."""
    if not scan.personal:
        return []
    crowded = Table(
        "gebiedsscan-adressen", _("Adressen met veel bedrijven"),
        [Column("address", _("Adres")), Column("companies", _("Bedrijven"), COUNT),
         Column("names", _("Handelsnamen"))],
        [{"address": c.address, "companies": c.companies, "names": ", ".join(c.names)}
         for c in scan.crowded],
        _("Bron: KvK-handelsregister. Persoonsgegevens: het inzien staat in het "
          "verwerkingenlog."))
    anomalies = Table(
        "gebiedsscan-energie-adressen", _("Energie-afwijkingen die u mag zien"),
        [Column("address", _("Adres")), Column("reported", _("Gemeld op")),
         Column("ratio", _("Gemeten / verwacht"), NUMBER, 1), Column("source", _("Bron"))],
        [{"address": a.address, "reported": a.reported_on, "ratio": a.ratio,
          "source": a.source} for a in scan.anomalies],
        _("Alleen afwijkingen naast een melding van de netbeheerder op het adres die u "
          "mag openen."))
    return [crowded, anomalies]


def tables(scan: Scan) -> list[Table]:
    """Every table of the scan, in the order of the page and the report."""
    out = [section_table(scan, s) for s in scan.sections]
    grids = [grid_table(g) for g in scan.grids]
    return out + grids + personal_tables(scan)

