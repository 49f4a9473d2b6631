"""/api/v1: the REST API for partner systems."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from knooppunt.api.views import api_not_found

app_name = "api"

urlpatterns = [
    path("openapi.json", SpectacularAPIView.as_view(), name="openapi"),
    path("", include("knooppunt.signals.api.urls")),
    path("<path:rest>", api_not_found),
]
