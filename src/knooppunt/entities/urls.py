from django.urls import path

from . import views

app_name = "entities"

urlpatterns = [
    path("<str:entity_id>/", views.entity_detail, name="detail"),
]
