from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartsConfig(AppConfig):
    """No models: installed so its templates and translations are found."""

    name = "knooppunt.charts"
    label = "charts"
    verbose_name = _("Grafieken en kaarten")
