"""Pages of the web interface outside the signal pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import account, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", account.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("kaart/", views.region_map, name="map"),
    path("account/tweestapsverificatie/", account.two_factor, name="two_factor"),
]
