"""Dashboard pages under /dashboard/."""

from django.urls import path

from . import hotspots, views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("gemeente/<str:code>/", views.municipality, name="municipality"),
    path("analyse/", views.analysis, name="analysis"),
    path("hotspots/", hotspots.hotspots, name="hotspots"),
    path("vega.js", views.vega_script, name="vega"),
]
