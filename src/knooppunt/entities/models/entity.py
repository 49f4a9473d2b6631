"""Entities and the statements that make them up (FollowTheMoney's statement model).

An entity is only an id and a schema; everything known about it is a `Statement`: one
value of one property, supplied by an organisation under a legal basis, seen first and
last on given dates, coming from an origin (a signal, a delivery, a case or a register).
What a user sees of an entity is the union of the statements they may see
(`knooppunt.entities.querysets`). Statements are never changed or deleted: a wrong value
is retracted by a new statement that points at it (`retracts`), so the history stays.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.organisations.models import Confidentiality, Organisation


class OriginKind(models.TextChoices):
    SIGNAL = "signal", _("Signaal")
    DELIVERY = "delivery", _("Aanlevering")
    CASE = "case", _("Casus")
    REGISTER = "register", _("Register")


class Entity(models.Model):
    """A person, company, address, vehicle or link, as FtM names it (id + schema)."""

    id = models.CharField(_("id"), max_length=64, primary_key=True)
    schema = models.CharField(_("schema"), max_length=40, db_index=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("entiteit")
        verbose_name_plural = _("entiteiten")

    def __str__(self) -> str:
        return f"{self.schema} {self.id}"


class StatementQuerySet(models.QuerySet):
    """Statements are append-only: a retraction is a new statement, not an update."""

    def update(self, **kwargs):
        raise PermissionError("Statements are append-only")

    def delete(self):
        raise PermissionError("Statements are append-only")


class Statement(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="statements")
    schema = models.CharField(_("schema"), max_length=40)
    prop = models.CharField(_("eigenschap"), max_length=40)
    value = models.CharField(_("waarde"), max_length=500)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("aangeleverd door"),
        help_text=_("Leeg bij een openbaar register."))
    legal_basis = models.CharField(_("grondslag"), max_length=200)
    first_seen = models.DateField(_("eerst gezien"))
    last_seen = models.DateField(_("laatst gezien"))
    origin_kind = models.CharField(_("herkomst"), max_length=10, choices=OriginKind.choices)
    # A generic reference: a case or signal id, a delivery id, or a register's code.
    origin_id = models.CharField(_("herkomst-id"), max_length=40)
    confidentiality = models.PositiveSmallIntegerField(
        _("vertrouwelijkheid"), choices=Confidentiality.choices,
        default=Confidentiality.VERTROUWELIJK)
    retracts = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="retractions", verbose_name=_("trekt in"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["entity_id", "prop", "value", "pk"]
        verbose_name = _("uitspraak")
        verbose_name_plural = _("uitspraken")
        indexes = [
            models.Index(fields=["origin_kind", "origin_id"], name="entities_stmt_origin"),
            models.Index(fields=["prop", "value"], name="entities_stmt_prop_value"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}.{self.prop} = {self.value}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Statements are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Statements are append-only")
