from django.urls import path

from . import network_pages, reveal, views

app_name = "entities"

urlpatterns = [
    path("<str:entity_id>/", views.entity_detail, name="detail"),
    path("<str:entity_id>/netwerk/", network_pages.entity_page, name="network"),
    path("<str:entity_id>/netwerk/netwerk.json", network_pages.entity_data,
         name="network_data"),
    path("<str:entity_id>/netwerk/netwerk.svg", network_pages.entity_svg, name="network_svg"),
    path("<str:entity_id>/toon-naam/", reveal.reveal, name="reveal"),
]
