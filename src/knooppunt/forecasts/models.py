"""Stored evaluations of place-based forecasts: what was measured, on which data, when.

A user sees a forecast only beside its evaluation, so the evaluation is stored with the
data version it was made on (`data_version`) and the time (`evaluated_at`); the method
shown (`shown_method`) and the reason are decided by the core's rule
(`analytics.forecasts.backtest.choose`), never by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastEvaluation(models.Model):
    dataset = models.ForeignKey("events.EventDataset", on_delete=models.CASCADE,
                                related_name="forecast_evaluations",
                                verbose_name=_("incidentenbestand"))
    offence = models.ForeignKey("events.OffenceCode", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("delict"),
                                help_text=_("Leeg: alle delicten van het bestand."))
    cell_size = models.PositiveIntegerField(_("celgrootte (m)"), default=250)
    horizon = models.PositiveSmallIntegerField(_("horizon (maanden)"), default=1)
    first_month = models.CharField(_("eerste geteste maand"), max_length=7)
    last_month = models.CharField(_("laatste geteste maand"), max_length=7)
    data_version = models.CharField(_("gegevensversie"), max_length=200)
    evaluated_at = models.DateTimeField(_("geëvalueerd op"), auto_now_add=True)
    shown_method = models.CharField(_("getoonde methode"), max_length=60)
    best_baseline = models.CharField(_("beste basislijn"), max_length=60)
    learned_shown = models.BooleanField(_("geleerd model getoond"), default=False)
    reason_nl = models.TextField(_("reden"))
    reason_en = models.TextField(_("reden (Engels)"))
    features = models.JSONField(_("kenmerken"), default=list)
    scores = models.JSONField(
        _("scores"), default=list,
        help_text=_("Per maand, methode en aandeel van het gebied: trefkans, PAI en PEI."))
    definitions = models.JSONField(_("definities"), default=dict)
    seconds = models.FloatField(_("rekentijd (s)"), default=0)

    class Meta:
        ordering = ["-evaluated_at"]
        verbose_name = _("evaluatie van een voorspelling")
        verbose_name_plural = _("evaluaties van voorspellingen")

    def __str__(self) -> str:
        return f"{self.dataset} {self.first_month}–{self.last_month} ({self.shown_method})"


def latest_evaluations(datasets) -> list[ForecastEvaluation]:
    """The newest evaluation per dataset and offence among `datasets` (a queryset the
    caller took from `scope`)."""
    latest: dict[tuple[int, int | None], ForecastEvaluation] = {}
    for evaluation in (ForecastEvaluation.objects.filter(dataset__in=datasets)
                       .select_related("dataset", "offence").order_by("-evaluated_at", "-pk")):
        latest.setdefault((evaluation.dataset_id, evaluation.offence_id), evaluation)
    return list(latest.values())
