"""Routes of the analyses API (without trailing slash, like the rest of /api/v1)."""

from django.urls import path

from .api import HotspotView

urlpatterns = [
    path("hotspots", HotspotView.as_view(), name="hotspots"),
]
