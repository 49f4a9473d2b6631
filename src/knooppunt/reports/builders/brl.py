"""Bestuurlijke rapportage light: one police cannabis notice on paper for the mayor.

Wraps `gather.brl` (location, what is known, the mayor's options, what was done; it
logs each gather and refuses anyone but a coordinator or case worker of the signal's
municipality) and lays its dataclass out as the report framework's tables, so the HTML
page and the PDF print the same rows. Confidential: the page and every PDF page say
"Vertrouwelijk", and a made report is listed and opened only for the one who made it
(`access.may_read`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.charts.numbers import localized
from knooppunt.signals.models import Signal

from ..data import Cell, ReportColumn, ReportData, ReportTable
from ..gather import brl
from ..gather.errors import ReportNotAllowed
from ..periods import PeriodKind, ReportPeriod
from .base import Audience, ReportBuilder, Subject, SubjectKind

CODE = "bestuurlijke-rapportage-light"


@dataclass
class BrlData(ReportData):
    confidential: bool = True
    confidentiality: str = ""  # the signal's own level (Normaal, Vertrouwelijk, RIEC)
    description: str = ""
    police_cannabis_notice: bool = True
    status_on: str = ""  # "stand van zaken op" (the report shows everything up to today)
    options_note: str = ""
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # title, table keys


def _day(value: date | None) -> str:
    return date_format(value, "j F Y") if value else "–"


def _text(value: object) -> Cell:
    shown = "–" if value in (None, "") else str(value)
    return Cell(shown, None if value in (None, "") else shown)


def _number(value: float | int | None, suffix: str = "") -> Cell:
    if value is None:
        return Cell("–", None)
    return Cell(localized(value, 0) + suffix, float(value))


def _table(key: str, title: str, columns: list[tuple[str, str, bool]],
           rows: list[list[Cell]], note: str = "") -> ReportTable:
    return ReportTable(key, title, [ReportColumn(k, label, numeric, k in WIDE)
                                    for k, label, numeric in columns], rows, note)


WIDE = frozenset({"waarde", "adres", "reden", "resultaat", "grondslag"})


def _facts(key: str, title: str, pairs: list[tuple[str, object]], note: str = "") -> ReportTable:
    return _table(key, title, [("gegeven", _("Gegeven"), False), ("waarde", _("Waarde"), False)],
                  [[Cell(label, label), _text(value)] for label, value in pairs], note)


def _signals(key: str, title: str, found, note: str = "") -> ReportTable:
    return _table(key, title, [
        ("signaal", _("Signaal"), False), ("ontvangen", _("Ontvangen"), False),
        ("thema", _("Thema"), False), ("status", _("Status"), False),
        ("adres", _("Adres"), False), ("afstand", _("Afstand"), True)],
        [[_text(s.reference), _text(_day(s.received_on)), _text(s.theme), _text(s.status),
          _text(s.address), _number(s.distance_m, " m")] for s in found], note)


class BestuurlijkeRapportageLight(ReportBuilder):
    code = CODE
    title = gettext_lazy("Bestuurlijke rapportage light")
    audience = Audience.CONFIDENTIAL
    subject_kinds = (SubjectKind.SIGNAL,)
    period_kinds = (PeriodKind.YEAR,)  # the running year: the state of affairs today
    html_template = "reports/brl.html"
    typst_template = "brl.typ"

    def allowed(self, user, subject: Subject) -> bool:
        """Only a coordinator or case worker of the signal's municipality (the gatherer's
        rule), so a bestuurder or analist is refused before anything is gathered."""
        signal = Signal.objects.filter(pk=int(subject.code)).first()
        return signal is not None and self.allowed_for_signal(user, signal)

    def allowed_for_signal(self, user, signal: Signal) -> bool:
        return brl.may_have(user, signal)

    def gather(self, user, subject: Subject, period: ReportPeriod) -> BrlData:
        try:
            found = brl.gather(user, int(subject.code))
        except ReportNotAllowed as error:  # a case the user may not see: as not found
            from ..access import UnknownSubject

            raise UnknownSubject(subject.code) from error
        data = BrlData(**self.header(user, subject, period),
                       confidentiality=found.confidentiality, description=found.description,
                       police_cannabis_notice=found.is_police_cannabis_notice,
                       status_on=_day(found.generated_at.date()))
        # The report shows everything up to today, whatever year it is filed under.
        data.period_label = _("stand %(day)s") % {"day": data.status_on}
        data.synthetic = data.synthetic or found.synthetic
        self._notice(data, found)
        self._known(data, found)
        self._options(data, found)
        self._cases(data, found)
        return data

    # ------------------------------------------------------------ parts

    def _notice(self, data: BrlData, found: brl.BestuurlijkeRapportage) -> None:
        where = found.location
        building = where.building
        data.tables.append(_facts("melding", _("De melding"), [
            (_("Signaal"), found.signal_reference),
            (_("Ontvangen op"), _day(found.received_on)),
            (_("Thema"), found.theme_name), (_("Bron"), found.source_name),
            (_("Gemeld door"), found.reporting_organisation),
            (_("Status"), found.status),
            (_("Vertrouwelijkheid"), found.confidentiality),
        ]))
        pairs = [(_("Adres"), where.address),
                 (_("Gemeente"), f"{where.municipality_name} ({where.municipality_code})"),
                 (_("Wijk"), f"{where.wijk_name} ({where.wijk_code})" if where.wijk_name
                  else where.wijk_code),
                 (_("Buurt"), where.buurt_code)]
        note = ""
        if building is not None:
            pairs += [(_("Gebruiksdoel"), building.usage),
                      (_("Bouwjaar"), building.construction_year),
                      (_("Oppervlakte"), f"{building.floor_area} m²"
                       if building.floor_area else None),
                      (_("Status gebouw"), building.status)]
            note = _("Bron gebouw: %(source)s, %(day)s") % {
                "source": building.source, "day": _day(building.source_date)}
        else:
            note = _("Geen gebouwgegevens: het adres is niet in het adresregister gevonden.")
        data.tables.append(_facts("locatie", _("De locatie"), pairs, note))
        data.sections.append((_("Melding en locatie"), ["melding", "locatie"]))

    def _known(self, data: BrlData, found: brl.BestuurlijkeRapportage) -> None:
        known = found.known
        source = _("Bron: %(source)s, stand %(day)s") % {"source": known.source,
                                                        "day": _day(known.as_of)}
        keys = ["adres", "nabij"]
        data.tables.append(_signals("adres", _("Eerdere signalen op dit adres"),
                                    known.same_address, source))
        data.tables.append(_signals(
            "nabij", _("Signalen in de buurt (binnen %(m)s m, laatste %(y)s jaar)") % {
                "m": int(known.nearby_metres), "y": known.nearby_years},
            known.nearby,
            _("%(shown)s van %(total)s getoond (alleen wat u mag inzien).") % {
                "shown": len(known.nearby), "total": known.nearby_total}))
        if known.companies:
            keys.append("bedrijven")
            data.tables.append(_table("bedrijven", _("Bedrijven op dit adres"), [
                ("naam", _("Naam"), False), ("kvk", _("KvK-nummer"), False),
                ("activiteit", _("Activiteit (SBI)"), False),
                ("sinds", _("Ingeschreven"), False)],
                [[_text(c.name), _text(c.kvk_number),
                  _text(f"{c.sbi_code} {c.sbi_description}".strip()),
                  _text(_day(c.registered_on))] for c in known.companies],
                _("Bron: %(source)s, %(day)s") % {"source": known.companies[0].source,
                                                  "day": _day(known.companies[0].source_date)}))
        if known.energy is not None:
            energy = known.energy
            keys.append("energie")
            data.tables.append(_facts("energie", _("Afwijkend energieverbruik"), [
                (_("Periode"), f"{_day(energy.period_start)} – {_day(energy.period_end)}"),
                (_("Verwacht"), f"{energy.expected_kwh} kWh"),
                (_("Gemeten"), f"{energy.measured_kwh} kWh"),
                (_("Verhouding"), f"{energy.ratio} ×" if energy.ratio is not None else None),
            ], _("Bron: %(source)s, gemeld %(day)s") % {"source": energy.source,
                                                       "day": _day(energy.reported_on)}))
        if known.organisations:
            keys.append("organisaties")
            data.tables.append(_table("organisaties", _("Betrokken organisaties"), [
                ("organisatie", _("Organisatie"), False), ("rol", _("Rol"), False),
                ("sinds", _("Sinds"), False)],
                [[_text(o.name), _text(o.role), _text(_day(o.since))]
                 for o in known.organisations]))
        data.sections.append((_("Wat bekend is"), keys))

    def _options(self, data: BrlData, found: brl.BestuurlijkeRapportage) -> None:
        rows = [[_text(o.name), _text(o.legal_basis + ("" if o.legal_basis_from_catalogue
                                                          or not o.legal_basis else " *")),
                 _text(_("burgemeester") if o.mayors_power else ", ".join(o.carried_out_by)),
                 _text(_("ja") if o.quick else _("nee")),
                 _text(_("al ingezet") if o.applied else "")] for o in found.options]
        data.tables.append(_table("opties", _("Mogelijkheden van de burgemeester en partners"), [
            ("maatregel", _("Maatregel"), False), ("grondslag", _("Grondslag"), False),
            ("door", _("Door"), False), ("kort", _("Korte klap"), False),
            ("ingezet", _("In deze zaak"), False)], rows,
            _("* Grondslag zoals Knooppunt die standaard noemt; de interventiecatalogus "
              "noemt er (nog) geen. Toets de grondslag voor het besluit.")))
        data.sections.append((_("De keuze van de burgemeester"), ["opties"]))

    def _cases(self, data: BrlData, found: brl.BestuurlijkeRapportage) -> None:
        keys = []
        for case in found.cases:
            prefix = f"casus-{case.reference}"
            keys.append(f"{prefix}-dossier")
            data.tables.append(_facts(f"{prefix}-dossier", _("Casus %(ref)s: %(title)s") % {
                "ref": case.reference, "title": case.title}, [
                (_("Fase"), case.stage), (_("Overleg"), case.forum),
                (_("Geopend op"), _day(case.opened_on)),
                (_("Besluit uiterlijk"), _day(case.decision_due_on)),
                (_("Gesloten op"), _day(case.closed_on))]))
            if case.history:
                keys.append(f"{prefix}-verloop")
                data.tables.append(_table(f"{prefix}-verloop", _("Verloop"), [
                    ("op", _("Op"), False), ("naar", _("Naar fase"), False),
                    ("door", _("Door"), False), ("reden", _("Reden"), False)],
                    [[_text(_day(h.at.date())), _text(h.to_stage), _text(h.by),
                      _text(h.reason)] for h in case.history]))
            if case.decisions:
                keys.append(f"{prefix}-besluiten")
                data.tables.append(_table(f"{prefix}-besluiten", _("Besluiten"), [
                    ("op", _("Op"), False), ("besluit", _("Besluit"), False),
                    ("overleg", _("Overleg"), False), ("door", _("Door"), False),
                    ("reden", _("Reden"), False)],
                    [[_text(_day(d.decided_on)), _text(d.kind), _text(d.forum),
                      _text(d.decided_by), _text(d.reason)] for d in case.decisions]))
            if case.interventions:
                keys.append(f"{prefix}-interventies")
                data.tables.append(_table(f"{prefix}-interventies", _("Interventies"), [
                    ("interventie", _("Interventie"), False),
                    ("organisatie", _("Organisatie"), False),
                    ("status", _("Status"), False), ("gepland", _("Gepland"), False),
                    ("bedrag", _("Teruggehaald"), True), ("uren", _("Uren"), True),
                    ("resultaat", _("Resultaat"), False)],
                    [[_text(i.type_name), _text(i.organisation), _text(i.status),
                      _text(_day(i.planned_on)),
                      _number(i.amount_recovered, "") if i.amount_recovered is None
                      else Cell("€ " + _number(i.amount_recovered).text,
                                float(i.amount_recovered)),
                      _number(i.hours_spent), _text(i.result)] for i in case.interventions]))
        if not keys:
            data.tables.append(_facts("casussen", _("Wat is gedaan"), [
                (_("Casussen"), _("Het signaal zit (nog) niet in een casus."))]))
            keys = ["casussen"]
        data.sections.append((_("Wat is gedaan"), keys))


BRL = BestuurlijkeRapportageLight()
