"""Organisations, their members and roles, covenants, and partner API tokens.

Who may see what is decided in `organisations.scope`, from these models; nothing here
filters data itself.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from knooppunt.geo.models import Municipality
from knooppunt.taxonomy.models import SourceType, Theme


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Gemeente")
    POLITIE = "politie", _("Politie")
    OM = "om", _("Openbaar Ministerie")
    RIEC = "riec", _("RIEC")
    NETBEHEERDER = "netbeheerder", _("Netbeheerder")
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
    WATERBEDRIJF = "waterbedrijf", _("Waterbedrijf")
    BELASTINGDIENST = "belastingdienst", _("Belastingdienst")
    ZORG = "zorg", _("Zorg")
    OTHER = "overig", _("Overig")


class Confidentiality(models.IntegerChoices):
    """Ordered: a higher level is more restricted."""

    NORMAAL = 1, _("Normaal")
    VERTROUWELIJK = 2, _("Vertrouwelijk")
    RIEC = 3, _("RIEC")


class Role(models.TextChoices):
    MEDEWERKER = "medewerker", _("Medewerker")
    ANALIST = "analist", _("Analist")
    COORDINATOR = "coordinator", _("Coördinator")
    BESTUURDER = "bestuurder", _("Bestuurder")
    BEHEERDER = "beheerder", _("Beheerder")


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="organisations",
        blank=True,
        verbose_name=_("werkgebied (gemeenten)"),
        help_text=_("De gemeenten waarvoor deze organisatie werkt."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Covenant(models.Model):
    """An agreement under which parties share signals of certain themes and sources.

    A party sees another party's signals only for the covenant's themes *and* source
    types, up to its maximum confidentiality, within the municipalities the party serves,
    while valid. A covenant without source types shares nothing (decision 0027).
    """

    name = models.CharField(_("naam"), max_length=200)
    legal_basis = models.CharField(
        _("grondslag"), max_length=300, help_text=_("Bijv. convenant RIEC, art. 20 Wpg, WGS")
    )
    parties = models.ManyToManyField(Organisation, related_name="covenants")
    themes = models.ManyToManyField(Theme, related_name="covenants")
    source_types = models.ManyToManyField(
        SourceType,
        related_name="covenants",
        blank=True,
        verbose_name=_("brontypen"),
        help_text=_(
            "Alleen signalen uit deze bronnen worden gedeeld (bijv. niet 'Meld Misdaad "
            "Anoniem' of politieberichten als het convenant dat niet uitdrukkelijk regelt)."
        ),
    )
    max_confidentiality = models.PositiveSmallIntegerField(
        _("hoogste vertrouwelijkheid"),
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAAL,
    )
    valid_from = models.DateField(_("geldig vanaf"), default=date(2000, 1, 1))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("convenant")
        verbose_name_plural = _("convenanten")

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A partner system's key. Only its hash is stored; the key is shown once."""

    name = models.CharField(_("naam"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("Het systeemaccount waarmee het partnersysteem werkt."),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(_("ingetrokken"), default=False)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8]
        )
        return token, raw
