"""Organisations, their members and roles, covenants, and partner API tokens.

Who may see what is decided in `organisations.scope`, from these models; nothing here
filters data itself.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
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

    def clean(self) -> None:
        # A system account's key is bound to its organisation; a membership elsewhere
        # would widen every key it holds without issuing a new one.
        account = SystemAccount.objects.filter(user_id=self.user_id).first()
        if account is not None and (self.organisation_id != account.organisation_id
                                    or self.role == Role.BEHEERDER):
            raise ValidationError(_("Een systeemaccount is alleen lid van zijn eigen "
                                    "organisatie, en nooit beheerder."))
        if account is not None:
            # A wider role would widen every key the account holds without the four eyes
            # a new key needs; a system gets a new account (and key) instead.
            others = Membership.objects.filter(user_id=self.user_id).exclude(pk=self.pk)
            stored = (Membership.objects.filter(pk=self.pk).values_list("role", flat=True)
                      .first() if self.pk else None)
            if others.exists() or (stored is not None and stored != self.role):
                raise ValidationError(_(
                    "De rol van een systeemaccount verandert niet: maak een nieuw "
                    "systeemaccount en geef het een nieuwe sleutel."))


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


class SystemAccount(models.Model):
    """Marks a user account as a partner system's, not a person's.

    Only system accounts hold API keys: a key then acts as the system, and every read it
    makes is logged under the system's name, never under a colleague's. The account has
    no usable password (it cannot log in to the web pages) and one membership in its
    organisation, whose role bounds what the key may see; the key's scopes narrow it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="system_account"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="system_accounts",
        verbose_name=_("organisatie"),
    )
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("systeemaccount")
        verbose_name_plural = _("systeemaccounts")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.organisation})"


class ApiScope(models.TextChoices):
    """What a key may do. Checked on every API call (`organisations.api_keys`)."""

    SIGNALS_READ = "signals:read", _("Signalen lezen")
    SIGNALS_WRITE = "signals:write", _("Signalen registreren en bijwerken")
    DELIVER = "deliveries", _("Bestanden aanleveren")
    CASES_READ = "cases:read", _("Casussen, overleggen en interventies lezen")
    CASES_WRITE = "cases:write", _("Casussen, overleggen en interventies bijwerken")
    FIGURES_READ = "figures:read", _("Cijfers en rapportages lezen")
    FIGURES_WRITE = "figures:write", _("Signaleringen beoordelen en rapportages maken")


# Scopes that open personal data: issuing a key with one of them needs a second beheerder.
PERSONAL_DATA_SCOPES = frozenset({
    ApiScope.SIGNALS_READ, ApiScope.SIGNALS_WRITE, ApiScope.DELIVER,
    ApiScope.CASES_READ, ApiScope.CASES_WRITE,
})


class KeyStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    ACTIVE = "active", _("Actief")
    REVOKED = "revoked", _("Ingetrokken")


class ApiToken(models.Model):
    """A partner system's key. Only its hash is stored; the key is shown once.

    Who holds it (`user`, a system account, and its `organisation`) never changes after
    issue, and revocation is final; `organisations.api_keys` is the only writer.
    """

    name = models.CharField(_("naam"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("systeemaccount"),
        help_text=_("Het systeemaccount waarmee het partnersysteem werkt."),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_tokens", null=True,
        verbose_name=_("organisatie"),
    )
    scopes = models.JSONField(_("bevoegdheden"), default=list)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("uitgegeven op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=KeyStatus.choices, default=KeyStatus.PENDING
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("uitgegeven door"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("goedgekeurd door"),
    )
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("ingetrokken door"),
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_reason = models.CharField(_("reden intrekking"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    # Fixed at issue; `save` refuses to change them (approval and revocation update the
    # status through `api_keys`, which never sets a revoked key back).
    FIXED_FIELDS = ("user_id", "organisation_id", "key_hash", "scopes", "issued_by_id",
                    "expires_at")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = ApiToken.objects.filter(pk=self.pk).values(*self.FIXED_FIELDS,
                                                                "status").first()
            if stored is not None:
                if any(stored[f] != getattr(self, f) for f in self.FIXED_FIELDS):
                    raise ValidationError(_("Houder, organisatie, bevoegdheden en "
                                            "vervaldatum van een sleutel liggen vast."))
                if stored["status"] == KeyStatus.REVOKED and self.status != KeyStatus.REVOKED:
                    raise ValidationError(_("Een ingetrokken sleutel blijft ingetrokken."))
        super().save(*args, **kwargs)

    @property
    def revoked(self) -> bool:
        return self.status == KeyStatus.REVOKED

    @classmethod
    def issue(cls, user, name: str, **kwargs) -> tuple[ApiToken, str]:
        """Shorthand for `api_keys.issue` (kept for callers of the old signature)."""
        from .api_keys import issue

        return issue(system_user=user, name=name, **kwargs)
