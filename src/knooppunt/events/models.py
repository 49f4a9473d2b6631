"""Police incident registrations (events) beside signals: datasets, code lists, events.

An event is one registered incident (date, hour, offence or incident code, place). Events
arrive as deliveries of an events profile (`intake`, decision 0037) into a dataset; the
dataset names its projected CRS, so analyses work in metres wherever the data lie (RD New
for Dutch data, e.g. MTM zone 10 for Toronto). Who reads them is `organisations.scope`.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.organisations.models import Confidentiality, Organisation


class CodeList(models.Model):
    """A list of offence or incident codes, as data (e.g. the Dutch police's classes)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("codelijst")
        verbose_name_plural = _("codelijsten")

    def __str__(self) -> str:
        return self.name


class OffenceCategory(models.TextChoices):
    CRIME = "misdrijf", _("Misdrijf")
    NUISANCE = "overlast", _("Overlast")
    OTHER = "overig", _("Overig")


class OffenceCode(models.Model):
    """One code of a code list; a delivered cell matches its code or its label."""

    code_list = models.ForeignKey(CodeList, on_delete=models.CASCADE, related_name="codes",
                                  verbose_name=_("codelijst"))
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("omschrijving"), max_length=120)
    label_en = models.CharField(_("omschrijving (Engels)"), max_length=120, blank=True)
    category = models.CharField(_("soort"), max_length=10, choices=OffenceCategory.choices,
                                default=OffenceCategory.CRIME)

    class Meta:
        ordering = ["code_list", "code"]
        verbose_name = _("delict- of incidentcode")
        verbose_name_plural = _("delict- en incidentcodes")
        constraints = [models.UniqueConstraint(fields=["code_list", "code"],
                                               name="unique_offence_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}" if self.code != self.label else self.label


class EventDataset(models.Model):
    """A source of events: who holds it, its code list, its CRS and its declared area."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    source = models.CharField(_("bron"), max_length=300, blank=True,
                              help_text=_("Herkomst en licentie van de gegevens."))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="event_datasets",
        verbose_name=_("houder"),
        help_text=_("De organisatie die de incidenten registreert en aanlevert."))
    profile = models.OneToOneField(
        "intake.DeliveryProfile", on_delete=models.PROTECT, related_name="event_dataset",
        verbose_name=_("aanleverprofiel"))
    code_list = models.ForeignKey(CodeList, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("codelijst"))
    crs = models.PositiveIntegerField(
        _("coördinatenstelsel (EPSG)"), default=28992,
        help_text=_("Een geprojecteerd stelsel in meters: 28992 (RD New) voor Nederland."))
    country = models.CharField(
        _("land"), max_length=2, default="NL",
        help_text=_("NL: elk incident moet in een Nederlandse gemeente liggen."))
    min_latitude = models.FloatField(_("gebied: minimale breedtegraad"), default=50.7,
                                     validators=[MinValueValidator(-90), MaxValueValidator(90)])
    max_latitude = models.FloatField(_("gebied: maximale breedtegraad"), default=53.6,
                                     validators=[MinValueValidator(-90), MaxValueValidator(90)])
    min_longitude = models.FloatField(_("gebied: minimale lengtegraad"), default=3.3,
                                      validators=[MinValueValidator(-180),
                                                  MaxValueValidator(180)])
    max_longitude = models.FloatField(_("gebied: maximale lengtegraad"), default=7.3,
                                      validators=[MinValueValidator(-180),
                                                  MaxValueValidator(180)])
    confidentiality = models.PositiveSmallIntegerField(
        _("vertrouwelijkheid"), choices=Confidentiality.choices,
        default=Confidentiality.VERTROUWELIJK)
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("incidentenbestand")
        verbose_name_plural = _("incidentenbestanden")

    def __str__(self) -> str:
        return self.name

    @property
    def is_dutch(self) -> bool:
        return self.country.upper() == "NL"


class Event(models.Model):
    """One registered incident, placed in the dataset's CRS and in WGS84."""

    dataset = models.ForeignKey(EventDataset, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("incidentenbestand"), db_index=False)
    delivery = models.ForeignKey("intake.Delivery", on_delete=models.CASCADE,
                                 related_name="events", verbose_name=_("aanlevering"))
    # Recognises the row in a re-delivery (decision 0037): the partner's id, or the row's
    # content with its occurrence number in the file.
    key = models.CharField(_("kenmerk of vingerafdruk"), max_length=100)
    occurred_on = models.DateField(_("pleegdatum"))
    hour = models.PositiveSmallIntegerField(_("uur"), null=True, blank=True)
    offence = models.ForeignKey(OffenceCode, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("delict- of incidentcode"))
    premises_type = models.CharField(_("soort locatie"), max_length=60, blank=True)
    area_name = models.CharField(_("gebied volgens de bron"), max_length=120, blank=True)
    x = models.FloatField(_("x (m, stelsel van het bestand)"))
    y = models.FloatField(_("y (m, stelsel van het bestand)"))
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    municipality = models.ForeignKey("geo.Municipality", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("gemeente"))
    district = models.ForeignKey("geo.District", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("wijk"))

    class Meta:
        ordering = ["-occurred_on", "-hour", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidenten")
        constraints = [models.UniqueConstraint(fields=["dataset", "key"],
                                               name="unique_event_key")]
        indexes = [
            models.Index(fields=["dataset", "occurred_on"], name="event_dataset_date"),
            models.Index(fields=["municipality", "occurred_on"], name="event_municipality_date"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.offence_id}"
