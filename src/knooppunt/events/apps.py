from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "knooppunt.events"
    label = "events"
    verbose_name = _("Politie-incidenten")

    def ready(self) -> None:
        # The hotspot service's `points=events` (decision 0038, amendment).
        from .hotspot_points import register

        register()
