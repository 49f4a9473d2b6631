"""The fixed words of the PDF templates, in the active language (typst has no gettext)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from knooppunt.charts.numbers import localized

from .data import ReportData


def typst_labels(data: ReportData) -> dict[str, str]:
    """Words the typst templates print; builders' templates may use any of them."""
    return {
        "period": _("Periode"),
        "made_on": _("Gemaakt op"),
        "made_by": _("door"),
        "page": _("pagina"),
        "of": pgettext("pagina 1 van 2", "van"),
        "synthetic": _("synthetische demogegevens"),
        "running": _("lopende periode: cijfers tot nu toe"),
        "population": _("%(population)s inwoners (1 januari 2024)") % {
            "population": _number(getattr(data, "population", None))},
        "suppression": suppression_note(data.threshold,
                                        shielded=getattr(data, "shielded", False)),
        "no_rows": _("Geen gegevens voor deze periode."),
        "key_figures": _("Kerncijfers"),
        "versus": _("t.o.v."),
        "target": _("Streefcijfer"),
        "index": _("Index vergelijkingsgroep (= 100)"),
        "open_alerts": _("Open signaleringen"),
        "contents": _("Inhoud"),
        "notes": _("Toelichting"),
        "confidential": _("Vertrouwelijk"),
        "confidential_note": confidential_note(),
        "status_on": _("Stand van zaken op"),
        "answer_text": _("Tekst voor de beantwoording"),
        "indicator": _("Gemeten als"),
        "description": _("Omschrijving in het signaal"),
    }


def suppression_note(threshold: int, *, shielded: bool = False) -> str:
    """The footnote on small numbers. `shielded`: hidden cells print as "afgeschermd"
    (the jaarbericht, the voortgangsrapportage), since a cell hidden as the complement of
    a shown total need not be small."""
    if shielded:
        return _("Aantallen van 1 tot %(threshold)s (en bedragen en uren van minder dan "
                 "%(threshold)s dossiers) worden niet getoond en staan als “afgeschermd”; "
                 "waar een totaal getoond wordt, is zo nodig nog een cel afgeschermd, zodat "
                 "niets terug te rekenen is. Bij elk cijfer staan bron en peildatum.") % {
            "threshold": threshold}
    return _("Aantallen van 1 tot %(threshold)s (en bedragen en uren van minder dan "
             "%(threshold)s dossiers) worden niet getoond en staan als “<%(threshold)s”; "
             "waar een totaal getoond wordt, is zo nodig nog een cel afgeschermd, zodat niets "
             "terug te rekenen is. Bij elk cijfer staan bron en peildatum.") % {
        "threshold": threshold}


def confidential_note() -> str:
    return _("Bevat persoonsgegevens. Alleen voor het besluit van de burgemeester; niet "
             "verspreiden. Wie dit maakte, bekeek of downloadde, staat in het "
             "verwerkingslogboek.")


def made_on_label(data: ReportData) -> str:
    from datetime import datetime

    return date_format(datetime.fromisoformat(data.made_at), "j F Y, H:i")


def _number(value) -> str:
    if value is None:
        return "–"
    return localized(value, 0)
