"""The network of an area (decision 0055): `/netwerk/gebied/?gebied=<GM- of WK-code>`."""

from django.urls import path

from . import area_pages

app_name = "area_networks"

urlpatterns = [
    path("", area_pages.area_page, name="page"),
    path("netwerk.json", area_pages.area_data, name="data"),
    path("netwerk.svg", area_pages.area_svg, name="svg"),
]
