"""Routes of the monitoring API (without trailing slash, like the rest of /api/v1)."""

from django.urls import path, re_path

from . import views

CODE = r"(?P<code>[a-z0-9-]{1,60})"

urlpatterns = [
    path("indicators", views.IndicatorListView.as_view(), name="indicator-list"),
    re_path(rf"^indicators/{CODE}$", views.IndicatorDetailView.as_view(),
            name="indicator-detail"),
    re_path(rf"^indicators/{CODE}/values$", views.ValuesView.as_view(),
            name="indicator-values"),
    re_path(rf"^indicators/{CODE}/series$", views.SeriesView.as_view(),
            name="indicator-series"),
    re_path(rf"^indicators/{CODE}/breakdown$", views.BreakdownView.as_view(),
            name="indicator-breakdown"),
    path("targets", views.TargetsView.as_view(), name="targets"),
    path("statistics", views.StatisticsView.as_view(), name="statistics"),
    path("alerts", views.AlertsView.as_view(), name="alerts"),
    path("alerts/<int:id>/review", views.AlertReviewView.as_view(), name="alert-review"),
    path("benchmark", views.BenchmarkView.as_view(), name="benchmark"),
    path("ranking", views.RankingView.as_view(), name="ranking"),
    path("displacement", views.DisplacementView.as_view(), name="displacement"),
]
