"""Pages: the evaluations of the forecasts (before any map), the model card and the
Algoritmeregister entry (also as a JSON document).

Evaluations are shown for the events datasets the user may read
(`scope.event_datasets_for`); they hold ratios per month and method, not records.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from knooppunt.analytics.forecasts import METRIC_DEFINITIONS, SHARES
from knooppunt.organisations import permissions, scope

from .card import model_card, register_entry
from .models import ForecastEvaluation, latest_evaluations

METRICS = ("hit_rate", "pai", "pei")


def _latest(user) -> list[ForecastEvaluation]:
    return latest_evaluations(scope.event_datasets_for(user))


def _language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _shares(evaluation: ForecastEvaluation) -> list[str]:
    """The shares of the area stored (as keys, e.g. "0.01"), in the core's order."""
    if not evaluation.scores:
        return []
    stored = next(iter(evaluation.scores[0]["methods"].values()), {})
    return [f"{share:g}" for share in SHARES if f"{share:g}" in stored]


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
              "tables": [_table(e, key, metric) for key in _shares(e) for metric in METRICS]}
             for e in _latest(request.user)]
    definitions = [text[language] for text in METRIC_DEFINITIONS.values()]
    return render(request, "forecasts/evaluations.html",
                  {"evaluations": shown, "definitions": definitions})


@login_required
@permissions.read_only
def card(request: HttpRequest) -> HttpResponse:
    language = _language()
    return render(request, "forecasts/card.html",
                  {"card": model_card(language),
                   "entry": register_entry(_latest(request.user), language)})


@login_required
@permissions.read_only
def register_document(request: HttpRequest) -> JsonResponse:
    entry = register_entry(_latest(request.user), _language())
    response = JsonResponse(entry, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="algoritmeregister.json"'
    return response
