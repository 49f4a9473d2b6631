"""/api/v1: the REST API for partner systems."""

from django.urls import include, path, re_path

from knooppunt.analytics.areascan_api import AreaScanView, BufferScanView, PolygonScanView

from .views import NotFoundView, OpenApiView

app_name = "api"

urlpatterns = [
    path("openapi.json", OpenApiView.as_view(), name="openapi"),
    path("", include("knooppunt.signals.api.urls")),
    path("", include("knooppunt.intake.api_urls")),
    path("", include("knooppunt.events.api_urls")),
    path("", include("knooppunt.cases.api.urls")),
    path("", include("knooppunt.entities.api.urls")),
    path("", include("knooppunt.matches.api.urls")),
    path("", include("knooppunt.monitoring.api.urls")),
    path("", include("knooppunt.reports.api_urls")),
    path("", include("knooppunt.analytics.api_urls")),
    path("", include("knooppunt.forecasts.api_urls")),
    path("", include("knooppunt.geo.api_urls")),
    path("", include("knooppunt.web.map_api_urls")),
    path("area-scans", AreaScanView.as_view(), name="area-scans"),
    path("area-scans/buffer", BufferScanView.as_view(), name="area-scans-buffer"),
    path("area-scans/polygon", PolygonScanView.as_view(), name="area-scans-polygon"),
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
