"""Stored evaluations of place-based forecasts: what was measured, on which data, when.

A user sees a forecast only beside its evaluation, so the evaluation is stored with the
data version it was made on (`data_version`) and the time (`evaluated_at`); the method
shown (`shown_method`) and the reason are decided by the core's rule
(`analytics.forecasts.backtest.choose`), never by hand.

An evaluation is of a whole events dataset (`dataset`, optionally one `offence`, no
`area_code`), or of a forecast's target in a Dutch area (`area_code`: a region,
municipality or wijk): the signals of a `theme`, or the incidents of a Dutch `dataset`
(optionally one `offence`), see `forecasts.targets`.
`ForecastDecision` records what a person decided on a forecast (the forecast decides
nothing); it is written only by `forecasts.decisions.record_decision`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastEvaluation(models.Model):
    dataset = models.ForeignKey("events.EventDataset", on_delete=models.CASCADE,
                                related_name="forecast_evaluations", null=True, blank=True,
                                verbose_name=_("incidentenbestand"))
    theme = models.ForeignKey("taxonomy.Theme", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("thema"),
                              help_text=_("Voor signalen: het thema (dan geen "
                                          "incidentenbestand)."))
    area_code = models.CharField(_("gebied"), max_length=10, blank=True,
                                 help_text=_("Voor signalen: veiligheidsregio, gemeente of "
                                             "wijk (VR…, GM…, WK…)."))
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
        subject = self.dataset or f"{self.theme} {self.area_code}"
        return f"{subject} {self.first_month}–{self.last_month} ({self.shown_method})"


class DecisionKind(models.TextChoices):
    EXTRA_CONTROL = "extra_controle", _("extra controle")
    PREVENTION = "preventie", _("preventie of voorlichting")
    NO_ACTION = "geen_actie", _("geen actie")
    OTHER = "anders", _("anders (zie toelichting)")


class ForecastDecision(models.Model):
    """What a named person decided on a forecast (a cell, or the whole area): append-only."""

    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+",
                                   verbose_name=_("besloten door"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisatie"))
    decided_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    evaluation = models.ForeignKey(ForecastEvaluation, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="decisions",
                                   verbose_name=_("evaluatie"))
    theme = models.ForeignKey("taxonomy.Theme", on_delete=models.PROTECT, related_name="+",
                              null=True, blank=True, verbose_name=_("thema"),
                              help_text=_("Voor een voorspelling van signalen."))
    dataset = models.ForeignKey("events.EventDataset", on_delete=models.PROTECT,
                                related_name="+", null=True, blank=True,
                                verbose_name=_("incidentenbestand"),
                                help_text=_("Voor een voorspelling van politie-incidenten."))
    offence = models.ForeignKey("events.OffenceCode", on_delete=models.PROTECT,
                                related_name="+", null=True, blank=True,
                                verbose_name=_("delict"),
                                help_text=_("Leeg: alle delicten van het bestand."))
    area_code = models.CharField(_("gebied"), max_length=10)
    municipality = models.ForeignKey("geo.Municipality", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("gemeente"),
                                     help_text=_("De gemeente van de cel; leeg bij een "
                                                 "besluit over een hele regio."))
    horizon = models.PositiveSmallIntegerField(_("horizon (maanden)"), default=1)
    cell_size = models.PositiveIntegerField(_("celgrootte (m)"))
    period = models.CharField(_("voorspelde periode"), max_length=20)
    cell = models.CharField(_("cel"), max_length=40, blank=True,
                            help_text=_("Leeg: het hele gebied."))
    method = models.CharField(_("getoonde methode"), max_length=60)
    forecast = models.FloatField(_("voorspelling van de cel"), null=True, blank=True)
    data_version = models.CharField(_("gegevensversie"), max_length=200)
    kind = models.CharField(_("besluit"), max_length=20, choices=DecisionKind.choices)
    note = models.TextField(_("toelichting"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("besluit op een voorspelling")
        verbose_name_plural = _("besluiten op voorspellingen")
        constraints = [models.CheckConstraint(
            # A decision is on the forecast of a theme or of an incidents dataset.
            condition=models.Q(theme__isnull=False, dataset__isnull=True)
            | models.Q(theme__isnull=True, dataset__isnull=False),
            name="forecast_decision_one_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.area_code} {self.cell} ({self.period})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("a decision on a forecast is recorded once and never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a decision on a forecast is never deleted")


def latest_evaluations(datasets) -> list[ForecastEvaluation]:
    """The newest evaluation per dataset and offence among `datasets` (a queryset the
    caller took from `scope`)."""
    latest: dict[tuple[int, int | None], ForecastEvaluation] = {}
    # Whole datasets only: a dataset's incidents in a Dutch area are a forecast's target
    # (`latest_area_evaluation`), shown with that forecast.
    for evaluation in (ForecastEvaluation.objects.filter(dataset__in=datasets, area_code="")
                       .exclude(dataset__isnull=True)
                       .select_related("dataset", "offence").order_by("-evaluated_at", "-pk")):
        latest.setdefault((evaluation.dataset_id, evaluation.offence_id), evaluation)
    return list(latest.values())


def latest_area_evaluation(target, area_code: str, horizon: int,
                           cell_size: int) -> ForecastEvaluation | None:
    """The newest evaluation of a target (`forecasts.targets.Target`) in a Dutch area at a
    horizon and cell size."""
    return (ForecastEvaluation.objects.filter(**target.lookup(), area_code=area_code,
                                              horizon=horizon, cell_size=cell_size)
            .select_related("theme", "dataset", "offence").order_by("-evaluated_at", "-pk")
            .first())
