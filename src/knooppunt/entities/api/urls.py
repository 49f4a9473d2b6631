"""Routes of the entities API, without trailing slash."""

from django.urls import path

from . import networks, views

urlpatterns = [
    path("entities", views.EntityListView.as_view(), name="entities"),
    path("entities/export", views.EntityExportView.as_view(), name="entities-export"),
    path("entities/import", views.EntityImportView.as_view(), name="entities-import"),
    path("entities/<str:id>", views.EntityDetailView.as_view(), name="entity"),
    path("links", views.LinkListView.as_view(), name="links"),
    path("networks", networks.NetworkView.as_view(), name="networks"),
]
