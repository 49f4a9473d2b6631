"""Administrative areas of the Netherlands (2024 division) and points.

Boundaries are stored as GeoJSON geometry in RD New (EPSG:28992) metres; a bounding box
is kept beside them so candidate areas can be found in SQL before shapely decides.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """Common fields of every area with a CBS-style code."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    boundary = models.JSONField(_("grens (GeoJSON, RD New)"), null=True, blank=True)
    min_x = models.FloatField(null=True, blank=True)
    min_y = models.FloatField(null=True, blank=True)
    max_x = models.FloatField(null=True, blank=True)
    max_y = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PoliceUnit(Area):
    """One of the 10 regional police units; each has one RIEC with the same territory."""

    riec_name = models.CharField(_("RIEC"), max_length=120)

    class Meta(Area.Meta):
        verbose_name = _("politie-eenheid / RIEC-regio")
        verbose_name_plural = _("politie-eenheden / RIEC-regio's")


class Province(Area):
    class Meta(Area.Meta):
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")


class SafetyRegion(Area):
    police_unit = models.ForeignKey(
        PoliceUnit, on_delete=models.PROTECT, related_name="safety_regions", null=True
    )

    class Meta(Area.Meta):
        verbose_name = _("veiligheidsregio")
        verbose_name_plural = _("veiligheidsregio's")


class Municipality(Area):
    population = models.PositiveIntegerField(_("inwoners (1-1-2024)"), default=0)
    registered_crime_2023 = models.PositiveIntegerField(
        _("geregistreerde misdrijven 2023 (brengdelicten)"), default=0
    )
    neighbourhood_count = models.PositiveIntegerField(_("aantal buurten"), default=0)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="municipalities", null=True
    )
    safety_region = models.ForeignKey(
        SafetyRegion, on_delete=models.PROTECT, related_name="municipalities", null=True
    )

    class Meta(Area.Meta):
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    @property
    def crime_per_1000(self) -> float | None:
        if not self.population:
            return None
        return round(self.registered_crime_2023 / self.population * 1000, 1)


class District(Area):
    """A wijk (WK + 6 characters) with its name and 2024 boundary (CBS Wijk- en Buurtkaart,
    simplified; decision 0035). `name` is empty and `boundary` null until loaded."""

    name = models.CharField(_("naam"), max_length=120, blank=True, default="")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts"
    )
    population = models.PositiveIntegerField(_("inwoners"), default=0)

    class Meta(Area.Meta):
        ordering = ["code"]
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code

    @property
    def label(self) -> str:
        """The name users read; the code while no name is loaded."""
        return self.name or self.code


class Neighbourhood(models.Model):
    """A buurt (BU + 8 digits) with its population on 1 January 2024."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="neighbourhoods")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="neighbourhoods"
    )
    population = models.PositiveIntegerField(_("inwoners"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")

    def __str__(self) -> str:
        return self.code
