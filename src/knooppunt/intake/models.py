"""File deliveries from partners: profiles (as data), deliveries, errors, and idempotency."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.organisations.models import Confidentiality, Organisation, OrganisationKind
from knooppunt.taxonomy.models import SourceType, Theme


class DateConvention(models.TextChoices):
    DUTCH = "dd-mm-jjjj", _("Nederlands (31-12-2024), ook ISO geaccepteerd")
    ISO = "iso", _("ISO (2024-12-31), ook Nederlands geaccepteerd")


class NumberConvention(models.TextChoices):
    DUTCH = "nl", _("Nederlands (1.234,56)")
    ENGLISH = "en", _("Engels (1,234.56)")


class ProfileKind(models.TextChoices):
    SIGNALS = "signalen", _("Signalen")
    EVENTS = "incidenten", _("Politie-incidenten (gebeurtenissen)")


class DeliveryProfile(models.Model):
    """How one kind of partner file maps onto signal fields. Edited by a beheerder.

    An events profile (`kind` incidenten, decision 0037) maps onto the fields of an event
    instead and belongs to one `events.EventDataset`.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(
        _("soort gegevens"), max_length=12, choices=ProfileKind.choices,
        default=ProfileKind.SIGNALS,
        help_text=_("Signalen, of politie-incidenten voor een incidentenbestand."),
    )
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)
    source_type = models.ForeignKey(SourceType, on_delete=models.PROTECT, verbose_name=_("bron"))
    default_theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True,
        verbose_name=_("standaardthema"),
        help_text=_("Gebruikt als het bestand geen themakolom heeft of de cel leeg is."),
    )
    default_confidentiality = models.PositiveSmallIntegerField(
        _("standaard vertrouwelijkheid"), choices=Confidentiality.choices,
        default=Confidentiality.NORMAAL,
    )
    organisation_kind = models.CharField(
        _("soort organisatie"), max_length=20, choices=OrganisationKind.choices, blank=True,
        help_text=_("Leeg: elke organisatie mag dit profiel gebruiken."),
    )
    column_mapping = models.JSONField(
        _("kolomindeling"), default=dict,
        help_text=_(
            "Per signaalveld de mogelijke kolomnamen in het bestand, bijv. "
            '{"received_on": ["datum", "meldingsdatum"]}.'
        ),
    )
    date_convention = models.CharField(
        _("datumnotatie"), max_length=12, choices=DateConvention.choices,
        default=DateConvention.DUTCH,
    )
    number_convention = models.CharField(
        _("getalnotatie"), max_length=2, choices=NumberConvention.choices,
        default=NumberConvention.DUTCH,
    )
    partner_id_column = models.CharField(
        _("kolom met eigen kenmerk partner"), max_length=80, blank=True,
        help_text=_("Zonder deze kolom herkent Knooppunt een regel aan zijn inhoud."),
    )
    anonymous = models.BooleanField(
        _("anoniem"), default=False,
        help_text=_("Melderskolommen worden nooit bewaard, ook niet in het bewaarde bestand."),
    )
    line_break_fields = models.JSONField(
        _("velden met regelovergangen"), default=list, blank=True,
        help_text=_(
            'Signaalvelden waarvan een cel over meer regels mag lopen (tussen '
            'aanhalingstekens), bijv. ["description"] of ["details"]. Leeg: in geen enkele '
            'kolom; een regelovergang in een cel wijst dan op een niet gesloten '
            'aanhalingsteken en de regel wordt afgekeurd.'
        ),
    )
    keys_ignore_case = models.BooleanField(
        _("kenmerk zonder onderscheid hoofd-/kleine letters"), default=True,
        help_text=_('Aan: "AB-12" en "ab-12" zijn hetzelfde eigen kenmerk, dus dezelfde regel '
                    'bij een nieuwe aanlevering.'),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanleverprofiel")
        verbose_name_plural = _("aanleverprofielen")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """`line_break_fields` names fields of the column mapping (or "details")."""
        fields = self.line_break_fields
        known = {*(self.column_mapping or {}), "details"}
        if not isinstance(fields, list) or not all(
                isinstance(f, str) and f in known for f in fields):
            raise ValidationError({"line_break_fields": _(
                "Geef een lijst van veldnamen uit de kolomindeling, bijv. "
                '["description"] of ["details"].')})


class DeliveryStatus(models.TextChoices):
    QUEUED = "wachtend", _("Wacht op verwerking")
    RUNNING = "bezig", _("Wordt verwerkt")
    ACCEPTED = "verwerkt", _("Verwerkt")
    REFUSED = "geweigerd", _("Geweigerd: bestand bevat fouten")
    FAILED = "mislukt", _("Mislukt")


class Delivery(models.Model):
    profile = models.ForeignKey(
        DeliveryProfile, on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("profiel"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deliveries",
        verbose_name=_("organisatie"),
    )
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("aangeleverd door"),
    )
    delivered_by_name = models.CharField(_("aangeleverd door (naam)"), max_length=150)
    channel = models.CharField(_("kanaal"), max_length=10, default="web")
    original_name = models.CharField(_("oorspronkelijke bestandsnaam"), max_length=255)
    stored_file = models.CharField(_("bewaard bestand"), max_length=255, blank=True)
    checksum = models.CharField(_("sha256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED, db_index=True,
    )
    rows_total = models.PositiveIntegerField(_("regels"), default=0)
    rows_done = models.PositiveIntegerField(_("regels verwerkt"), default=0)
    accepted = models.PositiveIntegerField(_("opgeslagen"), default=0)
    rejected = models.PositiveIntegerField(_("afgekeurd"), default=0)
    duplicates = models.PositiveIntegerField(_("al ontvangen"), default=0)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("zelfde bestand als"),
    )
    message = models.TextField(_("toelichting"), blank=True)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_at = models.DateTimeField(_("aangeleverd op"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("gestart"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("laatste teken van leven"), null=True, blank=True,
        help_text=_("Bijgewerkt zolang de verwerking loopt; een verlopen teken betekent "
                    "dat de verwerking is afgebroken."),
    )
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("aanlevering")
        verbose_name_plural = _("aanleveringen")

    def __str__(self) -> str:
        return f"{self.profile.code} #{self.pk} ({self.original_name})"

    @property
    def progress(self) -> int:
        """Percentage done, 0-100."""
        if self.status in (DeliveryStatus.ACCEPTED, DeliveryStatus.REFUSED,
                           DeliveryStatus.FAILED):
            return 100
        if not self.rows_total:
            return 0
        # Reading is estimated from the bytes read; storing follows it: never 100 % while
        # the delivery is still being processed.
        return min(99, round(100 * self.rows_done / self.rows_total))

    @property
    def is_finished(self) -> bool:
        return self.status not in (DeliveryStatus.QUEUED, DeliveryStatus.RUNNING)


class DeliveryError(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="errors")
    line = models.PositiveIntegerField(_("regel"))
    column = models.CharField(_("kolom"), max_length=80, blank=True)
    value = models.CharField(_("waarde"), max_length=80, blank=True)
    reason = models.CharField(_("reden"), max_length=300)

    class Meta:
        ordering = ["line", "id"]
        verbose_name = _("fout in aanlevering")
        verbose_name_plural = _("fouten in aanlevering")

    def __str__(self) -> str:
        return f"{self.line}: {self.reason}"


class DeliveryRecord(models.Model):
    """One delivered row that became a signal: recognises the row when it comes again."""

    # No index of its own: the unique constraint (profile, organisation, key) starts with it.
    profile = models.ForeignKey(
        DeliveryProfile, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("kenmerk of vingerafdruk"), max_length=100)
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, related_name="delivery_records"
    )
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="records")

    class Meta:
        verbose_name = _("aangeleverde regel")
        verbose_name_plural = _("aangeleverde regels")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "organisation", "key"], name="unique_delivered_row"
            )
        ]

    def __str__(self) -> str:
        return self.key
