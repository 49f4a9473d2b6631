"""Routes of /api/v1/areas (without trailing slash, like the rest of /api/v1)."""

from django.urls import path, re_path

from . import api

urlpatterns = [
    path("areas", api.AreaListView.as_view(), name="area-list"),
    path("areas/boundaries", api.AreaBoundariesView.as_view(), name="area-boundaries"),
    re_path(r"^areas/(?P<code>(?:[Gg][Mm][0-9]{4}|[Ww][Kk][0-9]{4}[0-9A-Za-z]{2}))/boundary$",
            api.AreaBoundaryView.as_view(), name="area-boundary"),
]
