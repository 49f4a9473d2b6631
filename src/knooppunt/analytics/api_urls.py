"""Routes of the analyses API (without trailing slash, like the rest of /api/v1)."""

from django.urls import path

from .api import HotspotView
from .vulnerability_api import VisitView, VulnerablePlacesView, VulnerableSummaryView

urlpatterns = [
    path("hotspots", HotspotView.as_view(), name="hotspots"),
    path("vulnerable-places", VulnerablePlacesView.as_view(), name="vulnerable-places"),
    path("vulnerable-places/summary", VulnerableSummaryView.as_view(),
         name="vulnerable-places-summary"),
    path("vulnerable-places/visits", VisitView.as_view(), name="vulnerable-places-visits"),
]
