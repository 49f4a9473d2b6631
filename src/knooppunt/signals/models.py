"""Signals of possible undermining and their append-only status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import District, Municipality, Neighbourhood
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.taxonomy.models import SourceType, Theme


class Status(models.TextChoices):
    RECEIVED = "ontvangen", _("Ontvangen")
    IN_PROGRESS = "in_behandeling", _("In behandeling")
    WEIGHED = "gewogen", _("Gewogen")
    CLOSED = "afgesloten", _("Afgesloten")


class AddressStatus(models.TextChoices):
    """Whether the given address was found in the address register."""

    NOT_GIVEN = "geen", _("Geen adres opgegeven")
    RESOLVED = "gevonden", _("Gevonden in adresregister")
    UNRESOLVED = "niet_gevonden", _("Niet gevonden: controleren")


# Allowed status moves; a closed signal can be reopened with a reason.
TRANSITIONS: dict[str, set[str]] = {
    Status.RECEIVED: {Status.IN_PROGRESS, Status.CLOSED},
    Status.IN_PROGRESS: {Status.WEIGHED, Status.CLOSED},
    Status.WEIGHED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: {Status.IN_PROGRESS},
}


# The note of the registration entry of a signal written in bulk (see Signal.status_history).
BULK_REGISTRATION_NOTE = _("Geregistreerd via aanlevering")


class Signal(models.Model):
    # Unique through Meta.constraints, and the indexes below through Meta.indexes: a field's
    # own unique/db_index also makes a second 'varchar_pattern_ops' index on PostgreSQL
    # (for LIKE 'x%'), which no query here uses (decision 0011).
    reference = models.CharField(_("kenmerk"), max_length=20, editable=False)
    # theme, municipality and reporting_organisation have no index of their own: the
    # composite indexes in Meta start with them and serve the same lookups (fewer indexes
    # to maintain when a delivery writes 1,000,000 rows).
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, verbose_name=_("thema"), db_index=False
    )
    # source_type, district, neighbourhood and created_by have no index either (decision
    # 0011): no page filters on them without a scope filter that a composite index serves;
    # only deleting a source type, wijk, buurt or user would scan (rare beheer actions).
    source_type = models.ForeignKey(
        SourceType, on_delete=models.PROTECT, verbose_name=_("bron"), db_index=False
    )
    received_on = models.DateField(_("datum ontvangen"), db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("gemeente"), related_name="+",
        db_index=False,
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("wijk"),
        related_name="+",
        db_index=False,
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("buurt"),
        related_name="+",
        db_index=False,
    )
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("woonplaats"), max_length=80, blank=True)
    address_status = models.CharField(
        _("adresstatus"),
        max_length=16,
        choices=AddressStatus.choices,
        default=AddressStatus.NOT_GIVEN,
    )
    address_register_id = models.CharField(
        _("adres-id (BAG nummeraanduiding)"), max_length=16, blank=True
    )
    x_rd = models.FloatField(_("x (RD)"), null=True, blank=True)
    y_rd = models.FloatField(_("y (RD)"), null=True, blank=True)
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)
    description = models.TextField(_("omschrijving"))
    confidentiality = models.PositiveSmallIntegerField(
        _("vertrouwelijkheid"),
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAAL,
    )
    reporting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reported_signals",
        verbose_name=_("meldende organisatie"),
        db_index=False,
    )
    involved_organisations = models.ManyToManyField(
        Organisation,
        related_name="involved_signals",
        blank=True,
        verbose_name=_("betrokken organisaties"),
    )
    is_anonymous = models.BooleanField(_("anoniem"), default=False)
    reporter_name = models.CharField(_("naam melder"), max_length=120, blank=True)
    reporter_contact = models.CharField(_("contact melder"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        indexes = [
            models.Index(fields=["municipality", "received_on"]),
            models.Index(fields=["reporting_organisation", "received_on"]),
            models.Index(fields=["theme", "received_on"]),
            # The addresses-to-fix page and the same-address enrichment.
            models.Index(fields=["address_status"], name="signal_address_status_idx"),
            models.Index(fields=["address_register_id"], name="signal_address_register_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="unique_signal_reference"),
            models.CheckConstraint(
                condition=~models.Q(is_anonymous=True)
                | (models.Q(reporter_name="") & models.Q(reporter_contact="")),
                name="anonymous_signal_has_no_reporter",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def status_history(self) -> list[StatusChange]:
        """The stored status changes, oldest first, headed by the registration.

        Signals written in bulk (partner deliveries, `signals.bulk`) have no stored
        "ontvangen" row (decision 0007): their registration is the signal's own
        `created_at` and `created_by`, shown here as the same entry a stored row would be.
        Uses prefetched `history` when the caller prefetched it.
        """
        rows = list(self.history.all())
        if not any(row.from_status == "" for row in rows):
            rows.insert(0, StatusChange(
                signal=self, from_status="", to_status=Status.RECEIVED,
                changed_at=self.created_at, changed_by_id=self.created_by_id,
                note=str(BULK_REGISTRATION_NOTE),
            ))
        return rows

    @property
    def address_line(self) -> str:
        number = ""
        if self.house_number:
            number = f" {self.house_number}{self.house_letter}"
            if self.house_number_addition:
                number += f"-{self.house_number_addition}"
        place = " ".join(p for p in (self.postcode, self.city) if p)
        street = f"{self.street}{number}".strip()
        return ", ".join(p for p in (street, place) if p)


class RelationKind(models.TextChoices):
    POSSIBLE_DUPLICATE = "mogelijk_dubbel", _("Mogelijk dubbel (zelfde adres en thema)")
    RELATED = "gerelateerd", _("Gerelateerd")
    MERGED = "samengevoegd", _("Samengevoegd")


class SignalRelation(models.Model):
    """A link between two signals; never a silent merge. `to_signal` is the earlier one."""

    from_signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="relations_from"
    )
    to_signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(_("soort"), max_length=20, choices=RelationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("signaalrelatie")
        verbose_name_plural = _("signaalrelaties")
        constraints = [
            models.UniqueConstraint(fields=["from_signal", "to_signal"], name="unique_relation"),
            models.CheckConstraint(
                condition=~models.Q(from_signal=models.F("to_signal")), name="no_self_relation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_signal_id} -> {self.to_signal_id} ({self.kind})"


class StatusChange(models.Model):
    """Append-only: rows are added, never changed or removed."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.from_status or '-'} -> {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("StatusChange is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("StatusChange is append-only")
