"""Local copies of register data: addresses with their building, companies, energy anomalies.

Each row names its source and the date of that source, so enrichment can show both.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import District, Municipality, Neighbourhood


class Address(models.Model):
    """A BAG nummeraanduiding with the facts of its verblijfsobject and pand."""

    nummeraanduiding_id = models.CharField(
        _("nummeraanduiding-id"), max_length=16, unique=True
    )
    street = models.CharField(_("straat"), max_length=120)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, db_index=True)
    city = models.CharField(_("woonplaats"), max_length=80)
    x_rd = models.FloatField(_("x (RD)"))
    y_rd = models.FloatField(_("y (RD)"))
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("gemeente"),
    )
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("wijk"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("buurt"),
    )
    verblijfsobject_id = models.CharField(_("verblijfsobject-id"), max_length=16, blank=True)
    pand_id = models.CharField(_("pand-id"), max_length=16, blank=True)
    usage = models.CharField(_("gebruiksdoel"), max_length=200, blank=True)
    construction_year = models.PositiveSmallIntegerField(_("bouwjaar"), null=True, blank=True)
    floor_area = models.PositiveIntegerField(_("oppervlakte (m²)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=60, blank=True)
    source = models.CharField(_("bron"), max_length=80)
    source_date = models.DateField(_("datum bron"))
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        ordering = ["postcode", "house_number", "house_letter", "house_number_addition"]
        verbose_name = _("adres (BAG)")
        verbose_name_plural = _("adressen (BAG)")
        indexes = [models.Index(fields=["postcode", "house_number"])]

    def __str__(self) -> str:
        number = f"{self.house_number}{self.house_letter}"
        if self.house_number_addition:
            number += f"-{self.house_number_addition}"
        return f"{self.street} {number}, {self.postcode} {self.city}"


class Company(models.Model):
    """A KvK registration (vestiging) at an address."""

    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, db_index=True)
    branch_number = models.CharField(_("vestigingsnummer"), max_length=12, blank=True)
    name = models.CharField(_("handelsnaam"), max_length=200)
    sbi_code = models.CharField(_("SBI-code"), max_length=6, blank=True)
    sbi_description = models.CharField(_("SBI-omschrijving"), max_length=200, blank=True)
    address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="companies",
        verbose_name=_("adres"),
    )
    registered_on = models.DateField(_("datum inschrijving"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=80)
    source_date = models.DateField(_("datum bron"))
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bedrijf (KvK)")
        verbose_name_plural = _("bedrijven (KvK)")

    def __str__(self) -> str:
        return f"{self.name} ({self.kvk_number})"


class EnergyAnomaly(models.Model):
    """Unexplained energy use at an address, reported by the grid operator."""

    address = models.ForeignKey(
        Address, on_delete=models.CASCADE, related_name="energy_anomalies",
        verbose_name=_("adres"),
    )
    period_start = models.DateField(_("periode vanaf"))
    period_end = models.DateField(_("periode tot en met"))
    expected_kwh = models.PositiveIntegerField(_("verwacht verbruik (kWh)"))
    measured_kwh = models.PositiveIntegerField(_("gemeten verbruik (kWh)"))
    source = models.CharField(_("bron"), max_length=80)
    reported_on = models.DateField(_("datum melding"))
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        ordering = ["-reported_on"]
        verbose_name = _("energie-afwijking")
        verbose_name_plural = _("energie-afwijkingen")

    def __str__(self) -> str:
        return f"{self.address_id}: {self.measured_kwh} / {self.expected_kwh} kWh"

    @property
    def ratio(self) -> float | None:
        if not self.expected_kwh:
            return None
        return round(self.measured_kwh / self.expected_kwh, 1)
