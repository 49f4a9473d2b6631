from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "knooppunt.web"
    label = "web"
    verbose_name = _("Webinterface")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .second_factor import remember_devices_at_login
        from .sessions import start_clock_at_login

        # Written with the login's own session save, so later requests need not write.
        user_logged_in.connect(start_clock_at_login, dispatch_uid="knooppunt-session-clock")
        user_logged_in.connect(remember_devices_at_login,
                               dispatch_uid="knooppunt-second-factor-devices")
