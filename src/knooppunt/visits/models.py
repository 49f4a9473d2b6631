"""What the municipality did at a vulnerable place, as an append-only history.

Each step (planned, owner contacted, visited, referred to a coach) is a new row with its
date, who recorded it and for which organisation; a row is never changed or removed
through the application (the model, the queryset and the database refuse), so the
history shows who chose to go where and what came of it. A place's state is its latest
row. The rows name a place (a register address), never a person: no owner's name, no
free text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import Municipality
from knooppunt.organisations.models import Organisation
from knooppunt.registers.models import Address


class Step(models.TextChoices):
    PLANNED = "gepland", _("Bezoek gepland")
    CONTACTED = "contact", _("Eigenaar benaderd")
    VISITED = "bezocht", _("Bezocht")
    REFERRED = "doorverwezen", _("Doorverwezen naar (agrarische) coach")


class Outcome(models.TextChoices):
    NONE = "", _("(nog) geen uitkomst")
    NO_FINDINGS = "geen_bevindingen", _("Geen bevindingen")
    COACHING_ACCEPTED = "coaching", _("Coaching aanvaard")
    CONCERNS = "zorgen", _("Zorgen, signaal geregistreerd")
    DECLINED = "geweigerd", _("Eigenaar wilde geen contact")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Visits are append-only")

    def delete(self):
        raise PermissionError("Visits are append-only")


class PlaceVisit(models.Model):
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("plek (adres)"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("gemeente"))
    step = models.CharField(_("stap"), max_length=20, choices=Step.choices)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices,
                               blank=True, default="")
    on = models.DateField(_("datum"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisatie"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    score = models.FloatField(_("score bij de keuze"), null=True, blank=True,
                              help_text=_("De verwachte score van de plek toen deze stap "
                                          "werd vastgelegd."))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("bezoek kwetsbare plek")
        verbose_name_plural = _("bezoeken kwetsbare plekken")
        indexes = [models.Index(fields=["municipality", "on"])]

    def __str__(self) -> str:
        return f"{self.address_id} {self.step} {self.on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Visits are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Visits are append-only")


def clear_synthetic(municipalities) -> int:
    """Remove the visits at the synthetic (demo) addresses of these municipalities, before
    the demo replaces its register; the database allows only that removal."""
    rows = models.QuerySet(PlaceVisit).filter(municipality__in=municipalities,
                                              address__is_synthetic=True)
    deleted, _ = rows.delete()
    return deleted
