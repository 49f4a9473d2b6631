"""The persons, companies, addresses and vehicles a case concerns, with provenance.

A subject records who supplied it (organisation and date): partners supply what they know
under their own legal basis. Persons are personal data: every read goes through
`organisations.scope.subjects_for` and is written to the processing log. The dated links
between subjects and cases live in `cases.CaseSubject` (cases sit above subjects).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.organisations.models import Confidentiality, Organisation


class SubjectKind(models.TextChoices):
    PERSON = "persoon", _("Persoon")
    COMPANY = "bedrijf", _("Bedrijf")
    ADDRESS = "adres", _("Adres")
    VEHICLE = "voertuig", _("Voertuig")


class Subject(models.Model):
    kind = models.CharField(_("soort"), max_length=10, choices=SubjectKind.choices)
    name = models.CharField(
        _("naam"), max_length=200,
        help_text=_("Naam van de persoon of het bedrijf, het adres als tekst, of het kenteken."),
    )
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True, db_index=True)
    address_register_id = models.CharField(
        _("adres-id (BAG nummeraanduiding)"), max_length=16, blank=True, db_index=True
    )
    licence_plate = models.CharField(_("kenteken"), max_length=10, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    confidentiality = models.PositiveSmallIntegerField(
        _("vertrouwelijkheid"), choices=Confidentiality.choices,
        default=Confidentiality.VERTROUWELIJK,
    )
    supplied_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="supplied_subjects",
        verbose_name=_("aangeleverd door"),
    )
    supplied_on = models.DateField(_("aangeleverd op"))
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjecten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def identifier(self) -> str:
        """The register key that identifies the subject, if any."""
        if self.kvk_number:
            return f"KvK {self.kvk_number}"
        if self.address_register_id:
            return f"BAG {self.address_register_id}"
        if self.licence_plate:
            return self.licence_plate
        return ""
