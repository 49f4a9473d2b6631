"""Which stored evaluations a user sees: of whole events datasets, and of forecasts in
Dutch areas (decision 0057).

Whole datasets (Toronto): the newest evaluation per dataset and offence of the datasets
the user may read events of (`scope.event_datasets_for`). Dutch areas: the newest per
target, area, horizon and cell size, for a role that may see forecasts per cell
(`scope.sees_personal_data`), in an area the user's organisations serve entirely
(`hotspot_service.resolve_area`) and, for police incidents, of a dataset the user may read.
Evaluations hold ratios per month and method, never records; they are listed on the
forecast page and in the Algoritmeregister entry (page, JSON, PDF).
"""

from __future__ import annotations

from knooppunt.analytics.hotspot_service import HotspotError, resolve_area
from knooppunt.organisations import scope

from . import targets
from .models import ForecastEvaluation, latest_evaluations


def dataset_evaluations(user) -> list[ForecastEvaluation]:
    return latest_evaluations(scope.event_datasets_for(user))


def area_evaluations(user) -> list[tuple[ForecastEvaluation, str]]:
    """(evaluation, area name) of the forecasts in Dutch areas `user` may see, newest
    first per target, area, horizon and cell size."""
    if not scope.sees_personal_data(user):
        return []
    readable = set(scope.event_datasets_for(user).values_list("pk", flat=True))
    newest: dict[tuple, ForecastEvaluation] = {}
    for evaluation in (ForecastEvaluation.objects.exclude(area_code="")
                       .select_related("theme", "dataset", "offence")
                       .order_by("-evaluated_at", "-pk")):
        newest.setdefault((evaluation.theme_id, evaluation.dataset_id, evaluation.offence_id,
                           evaluation.area_code, evaluation.horizon, evaluation.cell_size),
                          evaluation)
    shown, areas = [], {}
    for evaluation in newest.values():
        if evaluation.dataset_id and evaluation.dataset_id not in readable:
            continue
        code = evaluation.area_code
        if code not in areas:
            try:
                areas[code] = resolve_area(user, code).name
            except HotspotError:
                areas[code] = None
        if areas[code] is not None:
            shown.append((evaluation, areas[code]))
    return shown


def subject(evaluation: ForecastEvaluation, area_name: str = "") -> str:
    """What an evaluation is of, in words: "Hennepteelt in Twente", "Toronto MCI: alle"."""
    if evaluation.area_code:
        return f"{targets.of(evaluation).label()} — {area_name or evaluation.area_code}"
    return targets.Target(dataset=evaluation.dataset, offence=evaluation.offence).label()
