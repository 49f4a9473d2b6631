"""Report pages under /rapportages/."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/afdrukken/", views.printable, name="print"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("signaal/<int:pk>/", views.for_signal, name="signal"),
    path("planning/", views.schedules, name="schedules"),
    path("planning/<int:pk>/", views.schedule_change, name="schedule-change"),
]
