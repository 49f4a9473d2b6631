"""Pages of the forecasts: evaluations, model card, Algoritmeregister entry."""

from django.urls import path

from . import views

app_name = "forecasts"

urlpatterns = [
    path("", views.evaluations, name="evaluations"),
    path("modelkaart/", views.card, name="card"),
    path("algoritmeregister.json", views.register_document, name="register_document"),
]
