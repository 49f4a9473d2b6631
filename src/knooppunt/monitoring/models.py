"""Indicators as data, their stored values, targets, external statistics, peer groups
and early-warning alerts.

Areas are named by level and CBS-style code (``gemeente``/``GM0153``, ``wijk``/
``WK015301``, ``land``/``NL01`` ...) rather than by a foreign key per level: one value
table then holds every level, and the codes are the ones the police and CBS publish.
``knooppunt.monitoring.areas`` turns a (level, code) into a name and population.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import Municipality
from knooppunt.taxonomy.models import Theme


class AreaLevel(models.TextChoices):
    NEIGHBOURHOOD = "buurt", _("Buurt")
    DISTRICT = "wijk", _("Wijk")
    MUNICIPALITY = "gemeente", _("Gemeente")
    SAFETY_REGION = "veiligheidsregio", _("Veiligheidsregio")
    POLICE_UNIT = "politie-eenheid", _("Politie-eenheid / RIEC-regio")
    PROVINCE = "provincie", _("Provincie")
    COUNTRY = "land", _("Nederland")


# Levels below the municipality: figures there go through scope (need to know).
SUB_MUNICIPAL_LEVELS = frozenset({AreaLevel.NEIGHBOURHOOD, AreaLevel.DISTRICT})
COUNTRY_CODE = "NL01"


class PeriodType(models.TextChoices):
    MONTH = "maand", _("Maand")
    QUARTER = "kwartaal", _("Kwartaal")
    YEAR = "jaar", _("Jaar")


class Unit(models.TextChoices):
    COUNT = "aantal", _("aantal")
    EURO = "euro", _("euro")
    HOURS = "uren", _("uren")
    PERCENT = "procent", _("procent")


class Indicator(models.Model):
    """What is measured and how: the measure is a registered function, with parameters.

    A beheerder adds an indicator in the admin by choosing a registered measure (e.g.
    ``signals``) and its parameters (e.g. ``{"theme": "drugsdump"}``): no code needed.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=160)
    name_en = models.CharField(_("naam (Engels)"), max_length=160, blank=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("thema"),
        related_name="+",
    )
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices,
                            default=Unit.COUNT)
    definition = models.TextField(_("definitie"))
    source = models.CharField(_("bron"), max_length=200)
    measure = models.CharField(
        _("meetfunctie"), max_length=60,
        help_text=_("Naam van een geregistreerde meetfunctie (zie documentatie)."),
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    per_1000 = models.BooleanField(
        _("ook per 1.000 inwoners"), default=True,
        help_text=_("Zinvol voor aantallen; niet voor bedragen of percentages."),
    )
    higher_is_better = models.BooleanField(
        _("hoger is beter"), null=True, blank=True,
        help_text=_("Leeg: geen richting (bijv. aantal signalen)."),
    )
    early_warning = models.BooleanField(
        _("vroegsignalering"), default=False,
        help_text=_("Stijgingen van deze indicator worden getoetst en gemeld."),
    )
    reference = models.CharField(
        _("herkomst"), max_length=200, blank=True,
        help_text=_("Waar de indicator om vraagt, bijv. 'Veiligheidsplan hfdst. 2.7'."),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    active = models.BooleanField(_("actief"), default=True)
    # Set by the job: what the source data looked like when the values were computed.
    fingerprint = models.CharField(max_length=120, blank=True, editable=False)
    computed_at = models.DateTimeField(_("berekend op"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from .measures.registry import get_measure

        try:
            measure = get_measure(self.measure)
        except KeyError as error:
            raise ValidationError({"measure": _("Onbekende meetfunctie.")}) from error
        try:
            measure.check_parameters(self.parameters or {})
        except ValueError as error:
            raise ValidationError({"parameters": str(error)}) from error


class IndicatorValue(models.Model):
    """One computed figure: an indicator for one area and one period.

    ``value`` is the count (or amount); ``support`` the number of records behind an
    amount; ``per_1000`` uses the area's population
    (1 January 2024, CBS 85984NED) when the indicator asks for it.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area_level = models.CharField(_("niveau"), max_length=20, choices=AreaLevel.choices)
    area_code = models.CharField(_("gebiedscode"), max_length=12)
    period_type = models.CharField(_("periode"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("begin periode"))
    value = models.FloatField(_("waarde"))
    # How many records make up a sum (euro, hours), so a sum of a few records is hidden
    # like a small count (decision 0013). Empty for counts (the value is the number).
    support = models.PositiveIntegerField(_("aantal onderliggende records"), null=True,
                                          blank=True)
    population = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    per_1000 = models.FloatField(_("per 1.000 inwoners"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=200)
    source_date = models.DateField(_("peildatum bron"), null=True, blank=True)
    computed_at = models.DateTimeField(_("berekend op"))
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_level", "area_code", "period_type", "period_start"],
                name="one_value_per_indicator_area_period",
            )
        ]
        indexes = [
            models.Index(fields=["area_level", "area_code", "period_type", "period_start"]),
            # One period of many areas (a page's prefetch, peers, maps) and the first and
            # last period of an indicator (`queries._data_range`) in a few index steps;
            # the unique constraint's index serves one area's series (decision 0034).
            models.Index(fields=["indicator", "period_type", "period_start", "area_level",
                                 "area_code"], name="value_by_indicator_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.period_start}: {self.value}"


class TargetDirection(models.TextChoices):
    AT_MOST = "hoogstens", _("hoogstens (lager is beter)")
    AT_LEAST = "minstens", _("minstens (hoger is beter)")


class RiecSection(models.TextChoices):
    """The sections of the target-figure format of the Ministry (RIEC annual plan ch. 2)."""

    ADMINISTRATIVE = "bestuurlijk", _("Bestuurlijke aanpak")
    INTEGRATED = "geintegreerd", _("Geïntegreerde aanpak")
    ANALYSES = "analyses", _("Analyses")
    OTHER = "overig", _("Overig")


class Target(models.Model):
    """A streefcijfer: per indicator, area and year, with a named person who set it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    area_level = models.CharField(_("niveau"), max_length=20, choices=AreaLevel.choices)
    area_code = models.CharField(_("gebiedscode"), max_length=12)
    year = models.PositiveSmallIntegerField(_("jaar"))
    value = models.FloatField(_("streefwaarde"))
    direction = models.CharField(
        _("richting"), max_length=10, choices=TargetDirection.choices,
        default=TargetDirection.AT_LEAST,
    )
    riec_section = models.CharField(
        _("onderdeel (format streefcijfers)"), max_length=20, choices=RiecSection.choices,
        default=RiecSection.OTHER,
    )
    basis = models.CharField(
        _("onderbouwing"), max_length=300, blank=True,
        help_text=_("Bijv. 'gebaseerd op de behaalde resultaten in 2023'."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("vastgesteld door"),
    )
    set_on = models.DateField(_("vastgesteld op"), null=True, blank=True)

    class Meta:
        ordering = ["year", "indicator__position"]
        verbose_name = _("streefcijfer")
        verbose_name_plural = _("streefcijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_level", "area_code", "year"], name="one_target"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.year}: {self.value}"


class StatisticImport(models.Model):
    """One imported statistics file (all or nothing), kept with its checksum."""

    table = models.CharField(_("tabel"), max_length=20)  # 47022NED, 47018NED, ...
    file_name = models.CharField(_("bestandsnaam"), max_length=200)
    checksum = models.CharField(_("controlegetal (SHA-256)"), max_length=64, unique=True)
    original = models.BinaryField(_("origineel bestand"))
    source = models.CharField(_("bron"), max_length=200)
    published_on = models.DateField(_("publicatiedatum"), null=True, blank=True)
    imported_at = models.DateTimeField(_("ingelezen op"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(_("regels"), default=0)
    withheld_count = models.PositiveIntegerField(_("niet gepubliceerd (leeg)"), default=0)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("import statistiek")
        verbose_name_plural = _("imports statistieken")

    def __str__(self) -> str:
        return f"{self.table} {self.file_name}"


class Statistic(models.Model):
    """A published figure: registered crime (or population) by type, area and period.

    ``value`` is None when the publisher left the cell empty (withheld / not available).
    """

    table = models.CharField(_("tabel"), max_length=20)
    measure = models.CharField(_("onderwerp"), max_length=60, default="geregistreerde_misdrijven")
    crime_type_code = models.CharField(_("soort misdrijf (code)"), max_length=20)
    crime_type_label = models.CharField(_("soort misdrijf"), max_length=120, blank=True)
    area_level = models.CharField(_("niveau"), max_length=20, choices=AreaLevel.choices)
    area_code = models.CharField(_("gebiedscode"), max_length=12)
    period_type = models.CharField(_("periode"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("begin periode"))
    value = models.BigIntegerField(_("waarde"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=200)
    source_date = models.DateField(_("peildatum / publicatie"), null=True, blank=True)
    imported = models.ForeignKey(
        StatisticImport, on_delete=models.CASCADE, null=True, blank=True,
        related_name="statistics",
    )
    is_synthetic = models.BooleanField(_("synthetisch (demo)"), default=False)

    class Meta:
        verbose_name = _("statistiek")
        verbose_name_plural = _("statistieken")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "measure", "crime_type_code", "area_code", "period_type",
                        "period_start"],
                name="one_statistic",
            )
        ]
        indexes = [models.Index(fields=["area_code", "period_type", "period_start"])]

    def __str__(self) -> str:
        return f"{self.table} {self.crime_type_code} {self.area_code} {self.period_start}"


class PeerKind(models.TextChoices):
    SIZE = "grootte", _("Grootteklasse (inwoners)")
    URBANISATION = "stedelijkheid", _("Stedelijkheid")
    CHOSEN = "gekozen", _("Zelf gekozen")
    REGION = "regio", _("Gemeenten van de veiligheidsregio")


class PeerGroup(models.Model):
    """Municipalities compared with each other (index: group average = 100)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=20, choices=PeerKind.choices)
    description = models.TextField(_("toelichting"), blank=True)
    members = models.ManyToManyField(Municipality, related_name="peer_groups",
                                     verbose_name=_("gemeenten"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("vergelijkingsgroep")
        verbose_name_plural = _("vergelijkingsgroepen")

    def __str__(self) -> str:
        return self.name


class AlertMethod(models.TextChoices):
    POISSON = "poisson", _("Poisson-toets tegen eigen verleden")
    CUSUM = "cusum", _("CUSUM (cumulatieve som)")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SEEN = "bekeken", _("Bekeken")
    DISMISSED = "terzijde", _("Terzijde gelegd")


class Alert(models.Model):
    """An unusual rise of an indicator in an area; it says why it fired.

    A person reviews it (humans decide): status, who, when and the reason are kept.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="alerts")
    area_level = models.CharField(_("niveau"), max_length=20, choices=AreaLevel.choices)
    area_code = models.CharField(_("gebiedscode"), max_length=12)
    period_type = models.CharField(_("periode"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("begin periode"))
    method = models.CharField(_("methode"), max_length=10, choices=AlertMethod.choices)
    observed = models.FloatField(_("waargenomen"))
    expected = models.FloatField(_("verwacht"))
    statistic = models.FloatField(_("toetsgrootheid"))  # p-value or CUSUM sum
    threshold = models.FloatField(_("drempel"))
    history_periods = models.PositiveSmallIntegerField(_("perioden historie"))
    reason = models.TextField(_("waarom"))
    created_at = models.DateTimeField(_("gesignaleerd op"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices,
                              default=AlertStatus.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("beoordeeld door"),
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    review_reason = models.TextField(_("reden beoordeling"), blank=True)

    class Meta:
        ordering = ["-period_start", "-statistic"]
        verbose_name = _("signalering")
        verbose_name_plural = _("signaleringen")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_level", "area_code", "period_type", "period_start",
                        "method"],
                name="one_alert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.period_start}"


class HiddenPattern(models.Model):
    """Which periods of one indicator are hidden from audiences that get suppressed
    figures, for one block of areas and one year (decision 0026): the municipality with
    its wijken and buurten (`block` = GM code), or an area above it (`block` =
    "level:code"). Computed by the monitoring job after the values
    (`monitoring.hidden`), so pages and the API only read it. `signature` names the
    values it was computed from (the fingerprints of the indicators that add up to each
    other, the first record, the threshold); a row whose signature no longer matches is
    ignored and the pattern is computed on the fly."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="hidden_patterns")
    block = models.CharField(_("blok"), max_length=40)
    year = models.PositiveSmallIntegerField(_("jaar"))
    signature = models.CharField(_("berekend uit"), max_length=64)
    # area code -> ["<period type>:<first day>", ...] of the hidden periods
    hidden = models.JSONField(_("afgeschermde perioden"), default=dict)
    computed_at = models.DateTimeField(_("berekend op"))

    class Meta:
        verbose_name = _("afschermingspatroon")
        verbose_name_plural = _("afschermingspatronen")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "block", "year"],
                                    name="one_hidden_pattern_per_block_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.block} {self.year}"
