"""Pages: a forecast (its evaluation first, the map after), the evaluations of events
datasets, the model card and the Algoritmeregister entry (also as a JSON document), and
recording a decision taken on a forecast.

The forecast page takes the target (`doel`: a theme, or police incidents of a Dutch dataset
the user reads, all offences or one; `forecasts.targets`), area (region, municipality, wijk
the user's organisations serve), horizon and cell size from the URL, prints the stored
evaluation of that forecast (hit rate and PAI at 1 % and 5 % per month and method, with the
definitions) and then the map, which `static/knooppunt/forecast.js` fills from
`/api/v1/forecasts` (scoped there). Evaluations of events datasets are shown for the
datasets the user may read (`scope.event_datasets_for`); all evaluations hold ratios per
month and method, not records.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knooppunt.analytics.forecasts import METRIC_DEFINITIONS, SHARES, month_index, month_label
from knooppunt.analytics.hotspot_service import HotspotError, resolve_area
from knooppunt.organisations import permissions, scope
from knooppunt.taxonomy.models import Theme

from . import service, targets, visible
from .card import model_card, register_entry, register_pdf
from .chart import evaluation_chart
from .decisions import DecisionRefused, decisions_for, record_decision
from .models import DecisionKind, ForecastEvaluation, latest_area_evaluation

METRICS = ("hit_rate", "pai", "pei")
SIGNAL_METRICS = ("hit_rate", "pai")  # the forecast page: what the issue asks first


def _latest(user) -> list[ForecastEvaluation]:
    return visible.dataset_evaluations(user)


def _register_evaluations(user) -> list[tuple[ForecastEvaluation, str]]:
    """Every evaluation the user sees, with what it is of, for the register entry: the
    forecasts in Dutch areas first, then whole datasets."""
    return ([(e, visible.subject(e, name)) for e, name in visible.area_evaluations(user)]
            + [(e, visible.subject(e)) for e in _latest(user)])


def _language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _shares(evaluation: ForecastEvaluation) -> list[str]:
    """The shares of the area stored (as keys, e.g. "0.01"), in the core's order."""
    if not evaluation.scores:
        return []
    stored = next(iter(evaluation.scores[0]["methods"].values()), {})
    return [f"{share:g}" for share in SHARES if f"{share:g}" in stored]


def _areas(user) -> list[tuple[str, str]]:
    """Regions and municipalities the user serves entirely, then their wijken by name."""
    from knooppunt.dashboards.hotspots import area_choices
    from knooppunt.geo.models import District

    choices = list(area_choices(user))
    wijken = (District.objects.filter(municipality__in=scope.municipalities_for(user))
              .exclude(boundary__isnull=True).select_related("municipality")
              .order_by("municipality__name", "name"))
    return choices + [(d.code, f"{d.municipality.name} – {d.name}") for d in wijken]


def _target_choices(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """The page's choice of target, grouped: themes of signals, then police incidents."""
    themes = [(t.code, str(t)) for t in Theme.objects.filter(active=True).order_by("order",
                                                                                   "name")]
    groups = [(_("Signalen per thema"), themes)]
    incidents = targets.incident_choices(user)
    if incidents:
        groups.append((_("Politie-incidenten"), incidents))
    return groups


def _choice(query: service.ForecastQuery) -> str:
    """The page's value of the query's target (as `targets.parse_choice` reads it)."""
    return targets.choice_value(query.theme, query.incidents, query.offence)


def _query(request: HttpRequest) -> service.ForecastQuery | None:
    """The forecast asked in the URL (doel — or thema, as older links and the dashboards
    say —, gebied, horizon, cel), None without a target or area; bad values fall back to
    the defaults (the API checks them again)."""
    choice = request.GET.get("doel", "") or request.GET.get("thema", "")
    area = request.GET.get("gebied", "").upper()
    if not choice or not area:
        return None
    theme, incidents, offence = targets.parse_choice(choice[:100])
    horizon = 3 if request.GET.get("horizon") == "3" else 1
    cell = 250 if request.GET.get("cel") == "250" else service.DEFAULT_CELL_SIZE
    month = None
    chosen = request.GET.get("maand", "")
    if chosen in dict(_past_months(timezone.localdate(), horizon)):
        year, number = chosen.split("-")
        month = month_index(int(year), int(number))
    return service.ForecastQuery(theme[:40], area[:10], horizon, cell, month,
                                 incidents[:40], offence[:40])


def _past_months(today, horizon: int) -> list[tuple[str, str]]:
    """The past periods a forecast can be set beside what happened (newest first)."""
    last = month_index(today.year, today.month) - horizon
    return [(month_label(m), month_label(m)) for m in
            range(last, last - service.COMPARE_MONTHS, -1)]


def _page_url(query: service.ForecastQuery) -> str:
    return reverse("forecasts:evaluations") + "?" + urlencode(
        {"doel": _choice(query), "gebied": query.area, "horizon": query.horizon,
         "cel": query.cell_size})


def _chosen(request: HttpRequest, query: service.ForecastQuery, language: str) -> dict:
    """The evaluation of the chosen forecast and what the map script needs."""
    try:
        target = service.check(query, request.user)
        area = resolve_area(request.user, query.area)
    except HotspotError as error:
        return {"query": query, "error": str(error)}
    evaluation = latest_area_evaluation(target, area.code, query.horizon, query.cell_size)
    tables = ([_table(evaluation, key, metric) for key in _shares(evaluation)
               for metric in SIGNAL_METRICS] if evaluation else [])
    config = {
        "maplibre": static("vendor/maplibre-gl/maplibre-gl.mjs"),
        "api": {"forecast": reverse("api:forecasts"),
                "cell": reverse("api:forecast-cell", kwargs={"cell": "0"})[:-1]},
        "query": {"theme": query.theme, "incidents": query.incidents,
                  "offence": query.offence, "area": area.code, "horizon": query.horizon,
                  "cellSize": query.cell_size,
                  "month": month_label(query.month) if query.month is not None else ""},
        "language": language,
        "personal": scope.sees_personal_data(request.user),
        "text": map_texts(target.is_incidents),
    }
    return {
        "query": query, "target": target, "label": target.label(), "choice": _choice(query),
        "area": area, "evaluation": evaluation,
        "reason": (evaluation.reason_en if language == "en" else evaluation.reason_nl)
        if evaluation else "",
        "tables": tables, "config": config,
        "chart": evaluation_chart(evaluation, f"forecast-chart-{evaluation.pk}")
        if evaluation else None,
        "decisions": decisions_for(target, area.code),
        "may_decide": permissions.may(request.user, permissions.Action.FORECAST_DECIDE, area),
        "decision_kinds": DecisionKind.choices,
    }


def map_texts(incidents: bool = False) -> dict[str, str]:
    """The map script's texts; `incidents`: the target is police incidents."""
    return {
        "loading": _("Voorspelling wordt berekend…"),
        "error": _("De voorspelling kon niet worden gemaakt:"),
        "noLibrary": _("De kaartbibliotheek ontbreekt op de server."),
        "method": _("Getoonde methode:"),
        "period": _("Voorspelde periode:"),
        "data": _("Gegevens:"),
        "evaluation": _("Evaluatie:"),
        "none": _("nog geen"),
        "refused": _("Geweigerd:"),
        "top1": _("bij de 1 % hoogste cellen"),
        "top5": _("bij de 5 % hoogste cellen"),
        "rest": _("overige cellen (kleur naar de voorspelling)"),
        "cell": _("Cel %(id)s"),
        "forecast": _("Voorspelling (getoonde methode)"),
        "baselines": _("Basislijnen en model in deze cel"),
        "contributions": _("Grootste bijdragen aan het geleerde model (weglating)"),
        "learnedNotShown": _("Het geleerde model wordt niet getoond (zie de evaluatie); "
                             "zijn uitleg staat hier ter vergelijking."),
        "noLearned": _("Geen geleerd model voor deze cel (te weinig geschiedenis)."),
        "value": _("waarde"),
        "wijk": _("Wijk"),
        "share": _("Aandeel van de voorspelling"),
        "cells": _("%(n)s cellen op de kaart."),
        "clickCell": _("Klik op een cel voor de uitleg."),
        "actual": _("cel met incidenten in die periode (wat er gebeurde)") if incidents
        else _("cel met signalen in die periode (wat er gebeurde)"),
        "compared": (_("Vergeleken met wat er gebeurde (%(events)s incidenten die u mag zien): "
                       "trefkans %(hit5)s en PAI %(pai5)s bij 5 %% van het gebied.")
                     if incidents else
                     _("Vergeleken met wat er gebeurde (%(events)s signalen die u mag zien): "
                       "trefkans %(hit5)s en PAI %(pai5)s bij 5 %% van het gebied.")),
        "wijkLow": _("wijk met een klein aandeel"),
        "wijkHigh": _("wijk met het grootste aandeel (%(share)s)"),
        "outside": _("Buiten de wijken: %(cells)s cellen met samen %(forecast)s van het "
                     "totaal %(total)s."),
    }


def _table(evaluation: ForecastEvaluation, key: str, metric: str) -> dict:
    methods = list(evaluation.scores[0]["methods"]) if evaluation.scores else []
    rows = []
    for method in methods:
        values = [m["methods"][method][key][metric] for m in evaluation.scores]
        known = [v for v in values if v is not None]
        rows.append({"method": method, "values": values,
                     "mean": sum(known) / len(known) if known else None,
                     "shown": method == evaluation.shown_method})
    return {"share": float(key), "metric": metric, "rows": rows,
            "months": [m["month"] for m in evaluation.scores]}


@login_required
@permissions.read_only
def evaluations(request: HttpRequest) -> HttpResponse:
    language = _language()
    shown = [{"evaluation": e,
              "reason": e.reason_en if language == "en" else e.reason_nl,
              "tables": [_table(e, key, metric) for key in _shares(e) for metric in METRICS],
              "chart": evaluation_chart(e, f"forecast-chart-{e.pk}")}
             for e in _latest(request.user)]
    definitions = [text[language] for text in METRIC_DEFINITIONS.values()]
    query = _query(request)
    tested = [{"evaluation": e, "subject": targets.of(e).label(), "area": name,
               "url": _page_url(service.ForecastQuery(
                   e.theme.code if e.theme else "", e.area_code, e.horizon, e.cell_size,
                   incidents=e.dataset.code if e.dataset else "",
                   offence=e.offence.code if e.offence else ""))}
              for e, name in visible.area_evaluations(request.user)]
    return render(request, "forecasts/evaluations.html", {
        "evaluations": shown, "definitions": definitions, "tested": tested,
        "choices": _target_choices(request.user),
        "areas": _areas(request.user), "chosen": _chosen(request, query, language)
        if query else None,
        "months": _past_months(timezone.localdate(), query.horizon if query else 1),
        "form": {"maand": month_label(query.month) if query and query.month is not None
                 else "",
                 "doel": _choice(query) if query else "hennepteelt",
                 "gebied": query.area if query else "",
                 "horizon": query.horizon if query else 1,
                 "cel": query.cell_size if query else service.DEFAULT_CELL_SIZE},
    })


@login_required
@require_POST
@permissions.guards(permissions.Action.FORECAST_DECIDE)
def decide(request: HttpRequest) -> HttpResponse:
    """Record a decision on the forecast named in the form; back to the forecast page."""
    post = request.POST
    theme, incidents, offence = targets.parse_choice(
        (post.get("doel", "") or post.get("thema", ""))[:100])
    query = service.ForecastQuery(
        theme[:40], post.get("gebied", "").upper()[:10],
        3 if post.get("horizon") == "3" else 1,
        250 if post.get("cel") == "250" else service.DEFAULT_CELL_SIZE,
        incidents=incidents[:40], offence=offence[:40])
    try:
        forecast = service.compute(request.user, query, timezone.localdate())
        record_decision(request.user, forecast, kind=post.get("besluit", ""),
                        note=post.get("toelichting", ""), cell=post.get("celcode", ""))
    except (HotspotError, DecisionRefused) as refused:
        message = refused.message if isinstance(refused, DecisionRefused) else str(refused)
        messages.error(request, _("Niet vastgelegd: %(reason)s") % {"reason": message})
        return redirect(_page_url(query) + "#besluiten")
    messages.success(request, _("Het besluit is vastgelegd."))
    return redirect(_page_url(query) + "#besluiten")


@login_required
@permissions.read_only
def card(request: HttpRequest) -> HttpResponse:
    language = _language()
    return render(request, "forecasts/card.html",
                  {"card": model_card(language),
                   "entry": register_entry(_register_evaluations(request.user), language)})


@login_required
@permissions.read_only
def register_document(request: HttpRequest) -> JsonResponse:
    entry = register_entry(_register_evaluations(request.user), _language())
    response = JsonResponse(entry, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="algoritmeregister.json"'
    return response


@login_required
@permissions.read_only
def register_pdf_document(request: HttpRequest) -> HttpResponse:
    """The same entry and model card as a PDF document."""
    language = _language()
    shown = _register_evaluations(request.user)
    entry = register_entry(shown, language)
    charts = [(_("%(subject)s: PAI bij 5 %% van het gebied per geteste maand en methode")
               % {"subject": subject}, str(chart)) for e, subject in shown
              if (chart := evaluation_chart(e, f"forecast-chart-{e.pk}"))]
    document = register_pdf(entry, language, timezone.localdate().isoformat(), charts)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="algoritmeregister.pdf"'
    return response
