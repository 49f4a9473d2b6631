"""Demo accounts: one or more for every role, all with the same published password.

Accounts whose role must use a second factor (KNOOPPUNT_REQUIRE_2FA_ROLES, and the admin)
get a confirmed TOTP device with one published demo key, so the demo runs the real login
with a code; the login page of a demo shows the current code (decision 0029).

`demo_users()` needs no database, so the README, the command and the tests read the same
list. Organisation keys are resolved per region by `demo.organisations`.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from knooppunt.organisations.api_keys import revoke
from knooppunt.organisations.models import (
    ApiToken,
    Membership,
    Organisation,
    Role,
    SystemAccount,
)

from . import calibration as cal
from .organisations import DemoOrganisations

DEMO_PASSWORD = "knooppunt-demo"  # noqa: S105 - published on purpose, demo only
# The demo's TOTP key, published on purpose (README): 20 bytes, as django-otp stores it.
DEMO_TOTP_KEY = b"knooppunt-demo-totp!".hex()
DEMO_TOTP_STEP = 30
DEFAULT_MUNICIPALITY = "Enschede"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str  # organisation key; "gemeente" is the region's largest municipality
    first_name: str
    last_name: str
    function: str  # what the person does, Dutch, for the table
    superuser: bool = False


def municipality_slug(name: str) -> str:
    """'Enschede' -> 'enschede', "'s-Hertogenbosch" -> 's-hertogenbosch'."""
    return slugify(name.replace("(", "").replace(")", "").replace(".", ""))


def demo_users(municipality: str = DEFAULT_MUNICIPALITY) -> list[DemoUser]:
    """The demo accounts for a region whose largest municipality is `municipality`."""
    slug = municipality_slug(municipality)
    return [
        DemoUser(f"coordinator.{slug}", Role.COORDINATOR, cal.GEMEENTE, "Sanne", "Oude Egberink",
                 "AOV'er / IVZ-coördinator"),
        DemoUser(f"medewerker.{slug}", Role.MEDEWERKER, cal.GEMEENTE, "Bram", "Nijhuis",
                 "Medewerker openbare orde en veiligheid"),
        DemoUser(f"analist.{slug}", Role.ANALIST, cal.GEMEENTE, "Fatma", "Yilmaz",
                 "Informatieanalist gemeente"),
        DemoUser(f"burgemeester.{slug}", Role.BESTUURDER, cal.GEMEENTE, "Joost", "ter Horst",
                 "Burgemeester"),
        DemoUser("analist.riec", Role.ANALIST, cal.RIEC, "Eva", "Kamphuis",
                 "Analist RIEC"),
        DemoUser("medewerker.politie", Role.MEDEWERKER, cal.POLITIE, "Ruud", "Hofman",
                 "Wijkagent / informatiecoördinator"),
        DemoUser("medewerker.om", Role.MEDEWERKER, cal.OM, "Lotte", "Verbeek",
                 "Parketsecretaris ondermijning"),
        DemoUser("medewerker.belastingdienst", Role.MEDEWERKER, cal.BELASTINGDIENST, "Hans",
                 "Brinkman", "Medewerker Belastingdienst (RIEC-partner)"),
        DemoUser("medewerker.netbeheerder", Role.MEDEWERKER, cal.NETBEHEERDER, "Mark",
                 "Wolters", "Fraudespecialist netbeheerder"),
        DemoUser("medewerker.woningcorporatie", Role.MEDEWERKER, cal.WONINGCORPORATIE,
                 "Ilse", "Pluimers", "Woonconsulent"),
        DemoUser("medewerker.waterbedrijf", Role.MEDEWERKER, cal.WATERBEDRIJF, "Koen",
                 "Bosch", "Medewerker meetdata waterbedrijf"),
        DemoUser("medewerker.zorg", Role.MEDEWERKER, cal.ZORG, "Naima", "El Idrissi",
                 "Fraudeonderzoeker zorgkantoor"),
        DemoUser("beheerder", Role.BEHEERDER, cal.RIEC, "Dirk", "Haverkate",
                 "Functioneel beheerder", superuser=True),
        # The second pair of eyes: a key with access to personal data works only after
        # another beheerder than its issuer approved it.
        DemoUser("beheerder2", Role.BEHEERDER, cal.RIEC, "Yara", "Mulder",
                 "Tweede functioneel beheerder (vier ogen voor API-sleutels)", superuser=True),
    ]


@dataclass(frozen=True)
class DemoSystem:
    """A partner system's account: no password, keys issued in /beheer/."""

    username: str
    organisation: str  # organisation key, as DemoUser
    description: str


DEMO_SYSTEMS: list[DemoSystem] = [
    DemoSystem("systeem.netbeheerder", cal.NETBEHEERDER,
               "Fraudedetectie netbeheerder: levert verbruiksafwijkingen aan"),
    DemoSystem("systeem.woningcorporatie", cal.WONINGCORPORATIE,
               "Huurdersadministratie: levert signalen woonfraude aan"),
    DemoSystem("systeem.waterbedrijf", cal.WATERBEDRIJF, "Meetdata waterbedrijf"),
    DemoSystem("systeem.zaaksysteem", cal.GEMEENTE, "Zaaksysteem van de gemeente"),
]


DEMO_USERS: list[DemoUser] = demo_users()


def _organisation_for(spec: DemoUser, orgs: DemoOrganisations) -> Organisation:
    if spec.organisation == cal.WONINGCORPORATIE:
        return orgs.woningcorporaties[0]
    return orgs.reporter(spec.organisation, orgs.largest)


def build_users(orgs: DemoOrganisations) -> list[tuple[DemoUser, object, Organisation]]:
    """Create or update the demo accounts; returns (spec, user, organisation) rows.

    Each account ends up with exactly its one demo membership, so re-running (also for
    another region) leaves no stale access behind.
    """
    User = get_user_model()
    # One hash for all accounts: hashing is deliberately slow and the password is public.
    password = make_password(DEMO_PASSWORD)
    rows = []
    for spec in demo_users(orgs.largest.name):
        organisation = _organisation_for(spec, orgs)
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.knooppunt.invalid",
                "is_active": True,
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
                "password": password,
            },
        )
        Membership.objects.filter(user=user).exclude(
            organisation=organisation, role=spec.role
        ).delete()
        Membership.objects.get_or_create(user=user, organisation=organisation, role=spec.role)
        rows.append((spec, user, organisation))
    # A demo account locked out by mistyped passwords is usable again after a re-run.
    AccessAttempt.objects.filter(username__in=[spec.username for spec, _, _ in rows]).delete()
    seed_demo_devices(user for _, user, _ in rows)
    return rows


@dataclass(frozen=True)
class DemoCode:
    code: str
    valid_until: datetime
    secret: str  # the key in base32, for an authenticator app


def demo_totp_secret() -> str:
    """The demo key as an authenticator app takes it (base32, grouped by four)."""
    raw = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode("ascii").rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def demo_totp_now() -> DemoCode:
    """The code the demo key gives now, and until when."""
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY), step=DEMO_TOTP_STEP, digits=6)
    now = int(timezone.now().timestamp())
    until = now - now % DEMO_TOTP_STEP + DEMO_TOTP_STEP
    return DemoCode(f"{totp.token():06d}",
                    datetime.fromtimestamp(until, tz=timezone.get_current_timezone()),
                    demo_totp_secret())


def needs_demo_device(user) -> bool:
    required = set(getattr(settings, "KNOOPPUNT_REQUIRE_2FA_ROLES", ()))
    return user.is_staff or user.is_superuser or bool(
        required & set(Membership.objects.filter(user=user).values_list("role", flat=True)))


def seed_demo_devices(users) -> int:
    """A confirmed TOTP device with the published demo key for each account that must use
    a second factor; other demo accounts keep none. Returns the number of devices."""
    users = list(users)
    TOTPDevice.objects.filter(user__in=users).delete()
    devices = [TOTPDevice(user=user, name="Knooppunt demo", key=DEMO_TOTP_KEY,
                          step=DEMO_TOTP_STEP, confirmed=True)
               for user in users if needs_demo_device(user)]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)


def build_system_accounts(orgs: DemoOrganisations) -> list[SystemAccount]:
    """The partner systems' accounts (medewerker role in their organisation), no keys.

    A key is issued by a beheerder in /beheer/, as in production. Re-running for another
    region moves an account to that region's organisation and revokes its old keys.
    """
    User = get_user_model()
    accounts = []
    for spec in DEMO_SYSTEMS:
        organisation = _organisation_for(
            DemoUser(spec.username, Role.MEDEWERKER, spec.organisation, "", "", ""), orgs)
        user, _ = User.objects.update_or_create(username=spec.username, defaults={
            "first_name": "", "last_name": spec.description[:150], "email": "",
            "is_active": True, "is_staff": False, "is_superuser": False,
            "password": make_password(None)})  # unusable: a system never logs in
        Membership.objects.filter(user=user).exclude(
            organisation=organisation, role=Role.MEDEWERKER).delete()
        Membership.objects.get_or_create(user=user, organisation=organisation,
                                         role=Role.MEDEWERKER)
        account, _ = SystemAccount.objects.update_or_create(user=user, defaults={
            "organisation": organisation, "description": spec.description})
        for token in ApiToken.objects.filter(user=user).exclude(organisation=organisation):
            revoke(token, by=None, reason="demo opnieuw opgebouwd voor een andere regio")
        accounts.append(account)
    return accounts


# First names for the made-up coordinators of the region's other municipalities.
FIRST_NAMES = ("Anouk", "Bas", "Eline", "Gerrit", "Iris", "Jeroen", "Karin", "Maarten",
               "Nicole", "Pieter", "Roos", "Stefan", "Tineke", "Wouter", "Yvonne")


def build_municipal_coordinators(orgs: DemoOrganisations, main_coordinator) -> dict[int, object]:
    """A demo coordinator (AOV'er) for every municipality of the region, by municipality pk.

    The largest municipality keeps the main demo account; the others get
    `coordinator.<municipality>` with the published demo password, so each municipality's
    cases are opened and decided by a person of that municipality.
    """
    from .texts import SURNAMES

    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    result = {orgs.largest.pk: main_coordinator}
    for number, municipality in enumerate(orgs.municipalities):
        if municipality.pk == orgs.largest.pk:
            continue
        username = f"coordinator.{municipality_slug(municipality.name)}"
        index = sum(map(ord, municipality.code)) + number
        user, _ = User.objects.update_or_create(username=username, defaults={
            "first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
            "last_name": SURNAMES[index % len(SURNAMES)],
            "email": f"{username}@demo.knooppunt.invalid", "is_active": True,
            "is_staff": False, "is_superuser": False, "password": password})
        organisation = orgs.gemeenten[municipality.pk]
        Membership.objects.filter(user=user).exclude(organisation=organisation,
                                                     role=Role.COORDINATOR).delete()
        Membership.objects.get_or_create(user=user, organisation=organisation,
                                         role=Role.COORDINATOR)
        result[municipality.pk] = user
    AccessAttempt.objects.filter(username__in=[u.username for u in result.values()]).delete()
    seed_demo_devices(user for pk, user in result.items() if pk != orgs.largest.pk)
    return result
