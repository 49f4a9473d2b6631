from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.delivery_list, name="list"),
    path("<int:pk>/", views.delivery_detail, name="detail"),
    path("<int:pk>/voortgang/", views.delivery_progress, name="progress"),
]
