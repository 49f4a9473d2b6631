from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "knooppunt.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from . import (
            figures,  # noqa: F401 - connects the cache-invalidation receivers
            warm,  # noqa: F401 - warms the figure cache after the monitoring job
        )
