"""GET /api/v1/forecasts/evaluations: how well forecasts did.

The latest stored evaluation (per offence) of the events datasets the caller may read
(`scope.event_datasets_for`), and (`areaEvaluations`) of the forecasts in Dutch areas the
caller may see (`forecasts.visible`: a theme's signals or police incidents, per area,
horizon and cell size): per held-out month, method and share of the area the hit rate,
PAI and PEI, with their definitions, the method users see and why, the data version and
the time. The monthly event totals of the whole dataset are left out (a user
may see only part of a dataset; the ratios reveal no count). Refusals are problem+json.
The answer holds no records, so it is not written to the processing log.
"""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knooppunt.api.language import DutchResponsesMixin
from knooppunt.api.schema import ApiAutoSchema
from knooppunt.api.throttling import SettingsThrottlesMixin
from knooppunt.organisations import scope

from . import targets, visible
from .models import ForecastEvaluation, latest_evaluations

TAG = "Voorspellingen"
DATASET_PATTERN = r"^[-a-zA-Z0-9_]{1,40}$"


class EvaluationSchema(ApiAutoSchema):
    def problem_status_codes(self) -> list[int]:
        return sorted(set(super().problem_status_codes()) | {400, 404})


def _month(entry: dict) -> dict:
    return {"month": entry["month"], "cells": entry["cells"], "methods": entry["methods"]}


def serialise(evaluation: ForecastEvaluation) -> dict:
    return {
        "dataset": evaluation.dataset.code if evaluation.dataset else None,
        "offence": evaluation.offence.code if evaluation.offence else None,
        "cellSize": evaluation.cell_size, "horizonMonths": evaluation.horizon,
        "firstMonth": evaluation.first_month, "lastMonth": evaluation.last_month,
        "dataVersion": evaluation.data_version,
        "evaluatedAt": evaluation.evaluated_at.isoformat(),
        "shownMethod": evaluation.shown_method, "bestBaseline": evaluation.best_baseline,
        "learnedShown": evaluation.learned_shown,
        "reason": {"nl": evaluation.reason_nl, "en": evaluation.reason_en},
        "features": evaluation.features, "definitions": evaluation.definitions,
        "months": [_month(m) for m in evaluation.scores],
    }


@extend_schema(
    tags=[TAG], summary="Evaluaties van voorspellingen",
    description="Per incidentenbestand dat u mag lezen de laatste evaluatie (per delict) "
                "van de plaatsgebonden voorspellingen en (areaEvaluations, zonder dataset) "
                "die van de voorspellingen per thema of politie-incidenten in de "
                "Nederlandse gebieden die uw organisatie bedient: per geteste maand, methode en "
                "aandeel van het gebied (1 % en 5 %) trefkans, PAI en PEI, met hun "
                "definities; welke methode gebruikers zien en waarom; gegevensversie en "
                "tijdstip. Alleen cijfers over plaatsen, nooit over personen.",
    parameters=[OpenApiParameter("dataset", OpenApiTypes.STR, pattern=DATASET_PATTERN,
                                 description="Code van het incidentenbestand, bijv. "
                                             "toronto-mci.")],
    responses={200: OpenApiTypes.OBJECT},
)
class EvaluationView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]
    schema = EvaluationSchema()

    def get(self, request: Request) -> Response:
        datasets = scope.event_datasets_for(request.user)
        code = request.query_params.get("dataset")
        if code is not None:
            if not re.fullmatch(DATASET_PATTERN, code):
                raise exceptions.ValidationError(
                    {"dataset": ["Ongeldige code van een incidentenbestand."]})
            datasets = datasets.filter(code=code)
            if not datasets.exists():
                raise exceptions.NotFound("Er is geen incidentenbestand met deze code dat u "
                                          "mag lezen.")
        answer = {"evaluations": [serialise(e) for e in latest_evaluations(datasets)]}
        if code is None:
            answer["areaEvaluations"] = [serialise_area(e, name)
                                         for e, name in visible.area_evaluations(request.user)]
        return Response(answer)


def serialise_area(evaluation: ForecastEvaluation, area_name: str) -> dict:
    """An evaluation of a forecast in a Dutch area: its target and area beside the rest."""
    target = targets.of(evaluation)
    return {**serialise(evaluation),
            "target": {"kind": "incidents" if target.is_incidents else "theme",
                       "code": target.code, "label": target.label()},
            "theme": evaluation.theme.code if evaluation.theme else None,
            "area": {"code": evaluation.area_code, "name": area_name}}
