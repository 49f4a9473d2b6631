"""Routes of the forecasts API (without trailing slash, like the rest of /api/v1)."""

from django.urls import path

from .api import EvaluationView

urlpatterns = [
    path("forecasts/evaluations", EvaluationView.as_view(), name="forecast-evaluations"),
]
