"""Routes of the matches API, without trailing slash."""

from django.urls import path

from . import views

urlpatterns = [
    path("matches", views.MatchListView.as_view(), name="matches"),
    path("matches/<int:id>", views.MatchDetailView.as_view(), name="match"),
    path("matches/<int:id>/confirm", views.MatchConfirmView.as_view(), name="match-confirm"),
    path("matches/<int:id>/reject", views.MatchRejectView.as_view(), name="match-reject"),
    path("matches/<int:id>/undo", views.MatchUndoView.as_view(), name="match-undo"),
]
