from django.urls import path

from . import views

app_name = "signals"

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("nieuw/", views.signal_create, name="create"),
    path("export.csv", views.signal_export, name="export"),
    path("adressen/", views.address_queue, name="addresses"),
    path("<str:reference>/", views.signal_detail, name="detail"),
    path("<str:reference>/status/", views.signal_status, name="status"),
    path("<str:reference>/adres/", views.signal_address, name="address"),
    path("<str:reference>/koppelingen/<int:relation_id>/", views.signal_relation,
         name="relation"),
]
