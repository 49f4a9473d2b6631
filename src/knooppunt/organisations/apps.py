from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "knooppunt.organisations"
    label = "organisations"
    verbose_name = _("Organisaties en toegang")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
