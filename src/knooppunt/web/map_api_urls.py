"""Routes of the map's layers: /api/v1/map/... (no trailing slash), decision 0036."""

from django.urls import path, re_path

from . import map_api, vulnerable_layer

urlpatterns = [
    path("map/areas", map_api.AreasView.as_view(), name="map-areas"),
    path("map/grid", map_api.GridView.as_view(), name="map-grid"),
    path("map/signals", map_api.SignalPointsView.as_view(), name="map-signals"),
    path("map/signals/<int:id>", map_api.SignalPopupView.as_view(), name="map-signal"),
    re_path(r"^map/points/(?P<layer>signals|events|cases)$", map_api.PointLayerView.as_view(),
            name="map-points"),
    path("map/cases/<int:id>", map_api.CasePopupView.as_view(), name="map-case"),
    path("map/vulnerable-places", vulnerable_layer.VulnerablePlacesLayerView.as_view(),
         name="map-vulnerable-places"),
]
