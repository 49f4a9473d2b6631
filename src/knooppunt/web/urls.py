"""Pages of the web interface outside the signal pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import account, areascan, network_view, passwords, views, vulnerable

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", account.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("kaart/", views.region_map, name="map"),
    path("gebiedsscan/", areascan.area_scan, name="area_scan"),
    # Only in DEBUG or the demo (404 otherwise): a generated network (decision 0049).
    path("netwerk/voorbeeld/", network_view.example, name="network_example"),
    path("netwerk/voorbeeld/netwerk.json", network_view.example_data,
         name="network_example_data"),
    path("kwetsbare-plekken/", vulnerable.vulnerable_places, name="vulnerable_places"),
    path("account/tweestapsverificatie/", account.two_factor, name="two_factor"),
    path("account/verificatiecode/", account.verify, name="verify"),
    path("account/wachtwoord/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("account/wachtwoord/gewijzigd/", passwords.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("wachtwoord-vergeten/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", passwords.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("wachtwoord-vergeten/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("wachtwoord-vergeten/klaar/", passwords.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
