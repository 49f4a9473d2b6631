"""The model card and the Algoritmeregister entry, generated from the core's own data.

Everything printed comes from the code that runs (features, settings, definitions, the
rule) and from the stored evaluations, so the card cannot drift from the model. The
fields of the entry follow the Dutch Algoritmeregister's main headings (name, purpose,
legal basis, data, human involvement, risks, evaluation); the legal basis is for the
organisation that uses the forecast to fill in, not for the software to claim.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from knooppunt.analytics.forecasts import METRIC_DEFINITIONS, features, model
from knooppunt.analytics.forecasts.backtest import (
    MIN_EVENTS,
    MIN_HISTORY_MONTHS,
    MIN_RELATIVE_GAIN,
    MIN_WIN_FRACTION,
)
from knooppunt.analytics.forecasts.baselines import BASELINE_DESCRIPTIONS

from .models import ForecastEvaluation


def _lang(text: dict[str, str], language: str) -> str:
    return text.get(language) or text["nl"]


def model_card(language: str = "nl") -> dict:
    """The model card: what the model is, what it uses, how it is judged."""
    return {
        "name": model.LEARNED,
        "description": _lang(model.LEARNED_DESCRIPTION, language),
        "parameters": model.PARAMETERS,
        "features": [{"name": name, "description": _lang(text, language)}
                     for name, text in features.FEATURE_DESCRIPTIONS.items()],
        "never": _("Geen persoonsgegevens: geen nationaliteit, etniciteit, inkomen, "
                   "uitkeringen of andere kenmerken van personen. Alleen plaatsen en tijd."),
        "baselines": [{"name": name, "description": _lang(text, language)}
                      for name, text in BASELINE_DESCRIPTIONS.items()],
        "explanations": _lang(model.EXPLANATION_METHOD, language),
        "metrics": {name: _lang(text, language) for name, text in METRIC_DEFINITIONS.items()},
        "rule": _("Het geleerde model wordt alleen getoond als het de beste basislijn "
                  "verslaat in minstens %(wins)s van de 12 geteste maanden en de gemiddelde "
                  "PAI bij 5 %% minstens %(gain)s %% hoger is; anders de beste basislijn, "
                  "met de reden.") % {"wins": round(MIN_WIN_FRACTION * 12),
                                        "gain": round(MIN_RELATIVE_GAIN * 100)},
        "refusals": [
            _("minder dan %(n)s maanden geschiedenis") % {"n": MIN_HISTORY_MONTHS},
            _("minder dan %(n)s gebeurtenissen in de 12 maanden ervoor")
            % {"n": MIN_EVENTS},
            _("een gebied met meer cellen dan de ingestelde grens"),
            _("een kenmerk dat niet op de toegestane lijst staat"),
        ],
    }


def register_entry(evaluations: Sequence[tuple[ForecastEvaluation, str]],
                   language: str = "nl") -> dict:
    """The Algoritmeregister entry, with the evaluation figures of `evaluations`: (the
    evaluation, what it is of in words; `forecasts.visible.subject`)."""
    card = model_card(language)
    return {
        "naam": _("Knooppunt plaatsgebonden voorspelling"),
        "doel": _("Per cel van 250 of 500 m aangeven waar de volgende maand of het volgende "
                  "kwartaal de meeste signalen van een thema of incidenten van een soort te "
                  "verwachten zijn, als hulpmiddel bij het kiezen van plaatsen voor preventie "
                  "of toezicht. Voorspelt plaatsen, nooit personen."),
        "wettelijke_grondslag": _("In te vullen door de organisatie die de voorspelling "
                                  "gebruikt (haar wettelijke taak); Knooppunt stelt die niet "
                                  "vast."),
        "gegevens": _("Signalen van het gekozen thema of incidentregistraties (datum, "
                      "plaats, soort) van het gekozen incidentenbestand; daarnaast signalen "
                      "van andere thema's, politie-incidenten, het adressen- en "
                      "gebouwenregister (BAG: bouwjaar, oppervlakte, status) en het "
                      "handelsregister (KvK: inschrijvingen), steeds alleen wat vóór de "
                      "voorspelde maand bekend was; geen persoonsgegevens. Kenmerken: "
                      "%(features)s.")
        % {"features": ", ".join(f["name"] for f in card["features"])},
        "menselijke_tussenkomst": _("De voorspelling beslist niets: een medewerker kiest "
                                    "wat er met een kaart gebeurt, en legt een besluit "
                                    "dat erop steunt vast."),
        "risicos": _("Terugkoppeling (meer toezicht, meer registraties op dezelfde plek), "
                     "verschuiving van incidenten, schijnzekerheid. Daarom wordt de "
                     "nauwkeurigheid in het verleden altijd vóór de kaart getoond en wint "
                     "een geleerd model alleen als het aantoonbaar beter is dan eenvoudige "
                     "basislijnen."),
        "evaluatie": [
            {"onderwerp": subject, "gebied": e.area_code,
             "thema": e.theme.code if e.theme else "",
             "incidentenbestand": e.dataset.code if e.dataset else "",
             "delict": e.offence.code if e.offence else (_("alle") if e.dataset else ""),
             "periode": f"{e.first_month} – {e.last_month}",
             "getoonde_methode": e.shown_method,
             "reden": e.reason_nl if language == "nl" else e.reason_en,
             "gegevensversie": e.data_version,
             "geevalueerd_op": e.evaluated_at.isoformat()}
            for e, subject in evaluations
        ],
        "modelkaart": card,
    }


REGISTER_FIELDS = ("doel", "wettelijke_grondslag", "gegevens", "menselijke_tussenkomst",
                   "risicos")


def register_pdf(entry: dict, language: str, made_on: str,
                 charts: Sequence[tuple[str, str]] = ()) -> bytes:
    """The Algoritmeregister entry with its model card as a PDF (typst, as the reports:
    the wheel's compiler and fonts, the data as JSON through sys.inputs, never parsed as
    markup). `charts` are (caption, SVG) of the evaluation charts, drawn after the table
    as the reports draw theirs (an SVG file beside the source)."""
    import json
    import tempfile
    from importlib import resources
    from pathlib import Path

    import typst

    labels = {
        "register": _("Algoritmeregister"), "card": _("Modelkaart"),
        "evaluation": _("Evaluatie"), "no_evaluation": _("Nog geen evaluatie."),
        "subject": _("Voorspelling van"), "period": _("Periode"),
        "shown": _("Getoonde methode"), "reason": _("Reden"),
        "features": _("Kenmerken (de volledige toegestane lijst)"),
        "baselines": _("Basislijnen"), "explanations": _("Uitleg per cel"),
        "metrics": _("Toetsing"), "refusals": _("Weigeringen"), "settings": _("Instellingen"),
        "made_on": _("gemaakt op"), "page": _("pagina"),
    }
    fields = [[key, label] for key, label in zip(REGISTER_FIELDS, (
        _("Doel"), _("Wettelijke grondslag"), _("Gegevens"), _("Menselijke tussenkomst"),
        _("Risico's")), strict=True)]
    payload = json.dumps({"entry": entry, "labels": labels, "fields": fields,
                          "language": language, "made_on": made_on,
                          "charts": [{"caption": caption, "file": f"chart-{n}.svg"}
                                     for n, (caption, _svg) in enumerate(charts)]},
                         ensure_ascii=False, default=str)
    source = resources.files("knooppunt.forecasts").joinpath(
        "typst", "algoritmeregister.typ").read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="knooppunt-register-") as folder:
        main = Path(folder) / "register.typ"
        main.write_text(source, encoding="utf-8")
        for n, (_caption, svg) in enumerate(charts):
            (Path(folder) / f"chart-{n}.svg").write_text(svg, encoding="utf-8")
        return typst.compile(str(main), root=folder, ignore_system_fonts=True,
                             sys_inputs={"data": payload}, format="pdf")
