"""Pages of the forecasts: forecast and evaluations, decisions, model card, register entry."""

from django.urls import path

from . import views

app_name = "forecasts"

urlpatterns = [
    path("", views.evaluations, name="evaluations"),
    path("besluit/", views.decide, name="decide"),
    path("modelkaart/", views.card, name="card"),
    path("algoritmeregister.json", views.register_document, name="register_document"),
    path("algoritmeregister.pdf", views.register_pdf_document, name="register_pdf"),
]
