"""A reveal: one user saw the name behind a pseudonym, for a reason, for a while.

Append-only like the processing log it goes with (decision 0054): the row is what
`entities.need_to_know` reads to show the name until `expires_at`; the log row written
beside it (`entities.reveal.reveal`) is the account of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.organisations.models import Organisation

from .entity import Entity


class RevealQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Reveals are append-only")

    def delete(self):
        raise PermissionError("Reveals are append-only")


class Reveal(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("gebruiker"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisatie (sleutel van de pseudoniemen)"))
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("entiteit"))
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("casus"))
    reason = models.CharField(_("reden"), max_length=500)
    created_at = models.DateTimeField(_("getoond op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("getoond tot"), db_index=True)

    objects = RevealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("getoonde naam")
        verbose_name_plural = _("getoonde namen")
        indexes = [models.Index(fields=["user", "entity"], name="entities_reveal_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.entity_id} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Reveals are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Reveals are append-only")
