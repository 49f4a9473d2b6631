from django.urls import path

from . import views

app_name = "matches"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:match_id>/", views.detail, name="detail"),
    path("<int:match_id>/besluit/", views.decide, name="decide"),
]
