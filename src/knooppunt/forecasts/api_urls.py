"""Routes of the forecasts API (without trailing slash, like the rest of /api/v1)."""

from django.urls import path

from .api import EvaluationView
from .forecast_api import CellView, DecisionView, ForecastView

urlpatterns = [
    path("forecasts", ForecastView.as_view(), name="forecasts"),
    path("forecasts/evaluations", EvaluationView.as_view(), name="forecast-evaluations"),
    path("forecasts/decisions", DecisionView.as_view(), name="forecast-decisions"),
    path("forecasts/cells/<str:cell>", CellView.as_view(), name="forecast-cell"),
]
