"""API keys for partner systems: issue, approve (four eyes), revoke, and the scope a call needs.

A key belongs to a system account of one organisation (`SystemAccount`), never to a
person, so nobody can borrow a colleague's access through the API. The account and
organisation are fixed at issue; revocation is final. Every issue, approval and
revocation is written to the processing log. A key with a scope that opens personal data
and issued by a beheerder waits for a second beheerder's approval before it works.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunt.audit.log import PURPOSE_KEY_MANAGEMENT, Action, record

from .models import (
    PERSONAL_DATA_SCOPES,
    ApiScope,
    ApiToken,
    KeyStatus,
    Membership,
    Role,
    SystemAccount,
    hash_token,
)

# No key lives longer than this; a partner system gets a new one in time.
MAX_LIFETIME = timedelta(days=366)
DEFAULT_LIFETIME = timedelta(days=365)

# The scope every API route needs, by the first path segment after /api/v1/:
# (for reading: GET/HEAD/OPTIONS, for anything else). A segment not named here is
# refused for keys (fail closed); `tests/api/test_key_scopes.py` checks every route is.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SEGMENT_SCOPES: dict[str, tuple[str, str]] = {
    "signals": (ApiScope.SIGNALS_READ, ApiScope.SIGNALS_WRITE),
    # Police incidents are read with the signal scope (decision 0037); the API has no
    # write route for them (they arrive as deliveries).
    "events": (ApiScope.SIGNALS_READ, ApiScope.SIGNALS_WRITE),
    "deliveries": (ApiScope.DELIVER, ApiScope.DELIVER),
    "cases": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    "meetings": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    "interventions": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    "follow-up": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    # Entities and links are case data (persons, companies): the case scopes.
    "entities": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    "links": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    "networks": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    # Candidate matches name persons and their review is case work: the case scopes.
    "matches": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    "indicators": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "targets": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "statistics": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "alerts": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "benchmark": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "ranking": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "displacement": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "reports": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "hotspots": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "areas": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    # The map: areas and grid cells are figures, points and popups are signals.
    "map": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    "map/signals": (ApiScope.SIGNALS_READ, ApiScope.SIGNALS_WRITE),
    "area-scans": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    # Forecast evaluations: ratios per month and method, no records (decision 0043).
    "forecasts": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
    # Vulnerable places name addresses and record visits: like cases (decision 0041);
    # the summary per municipality is a figure.
    "vulnerable-places": (ApiScope.CASES_READ, ApiScope.CASES_WRITE),
    "vulnerable-places/summary": (ApiScope.FIGURES_READ, ApiScope.FIGURES_WRITE),
}
# POSTs that compute an answer and store nothing (a drawn polygon does not fit a query
# string): they need the segment's read scope, not its write scope.
READ_ONLY_POSTS = frozenset({"area-scans/polygon"})
# Routes that answer the same to everyone (no data): no scope needed.
OPEN_ROUTES = frozenset({"openapi", "not-found"})
API_PREFIX = "/api/v1/"


class ScopeUnknown(Exception):
    """A route with no scope in SEGMENT_SCOPES: keys are refused there."""


def required_scope(path: str, method: str, url_name: str | None) -> str | None:
    """The scope a key needs for this call, None when the route shows no data."""
    if url_name in OPEN_ROUTES:
        return None
    rest = path[len(API_PREFIX):] if path.startswith(API_PREFIX) else ""
    parts = rest.split("/", 2)
    segment = parts[0]
    if "/".join(parts[:2]) in SEGMENT_SCOPES:  # a sub-route with a scope of its own
        segment = "/".join(parts[:2])
    if segment not in SEGMENT_SCOPES:
        raise ScopeUnknown(path)
    read, write = SEGMENT_SCOPES[segment]
    if method.upper() == "POST" and "/".join(parts[:2]) in READ_ONLY_POSTS:
        return read
    return read if method.upper() in READ_METHODS else write


def may_manage_keys(user) -> bool:
    """Only a beheerder (or the technical superuser) issues, approves and revokes keys."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Role.BEHEERDER).exists()


def needs_second_approval(scopes: Iterable[str]) -> bool:
    return getattr(settings, "KNOOPPUNT_API_KEY_FOUR_EYES", True) and bool(
        PERSONAL_DATA_SCOPES.intersection(scopes)
    )


def _check_manager(user) -> None:
    if user is not None and not may_manage_keys(user):
        raise PermissionDenied(_("Alleen een beheerder beheert API-sleutels."))


def _describe(token: ApiToken) -> str:
    return (f"{token.name} ({token.prefix}…) voor {token.user.get_username()} "
            f"({token.organisation}); bevoegdheden: {', '.join(token.scopes)}; "
            f"verloopt {token.expires_at:%Y-%m-%d}")


def validate_issue(system_user, scopes: Iterable[str], expires_at: datetime) -> SystemAccount:
    """Why a key may not be issued like this (ValidationError), else the system account."""
    account = SystemAccount.objects.filter(user=system_user).select_related(
        "organisation").first()
    if account is None:
        raise ValidationError(
            _("Een API-sleutel hoort bij een systeemaccount van een organisatie, niet bij "
              "een persoon."), code="not_a_system_account")
    if not Membership.objects.filter(user=system_user,
                                     organisation=account.organisation).exists():
        raise ValidationError(_("Het systeemaccount is geen lid van zijn organisatie."),
                              code="no_membership")
    scopes = set(scopes)
    if not scopes or scopes - set(ApiScope.values):
        raise ValidationError(_("Kies een of meer geldige bevoegdheden."), code="scopes")
    now = timezone.now()
    if not now < expires_at <= now + MAX_LIFETIME:
        raise ValidationError(_("De vervaldatum ligt in de toekomst en hooguit een jaar "
                                "vooruit."), code="expires_at")
    return account


def create_system_account(*, username: str, organisation, role: str, description: str = "",
                          by=None) -> SystemAccount:
    """A user that is a system, not a person: no password, one membership, the flag."""
    _check_manager(by)
    if role == Role.BEHEERDER:
        raise ValidationError(_("Een systeemaccount is geen beheerder."), code="role")
    with transaction.atomic():
        user = get_user_model().objects.create(username=username, is_staff=False,
                                               is_superuser=False)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, organisation=organisation, role=role)
        account = SystemAccount.objects.create(user=user, organisation=organisation,
                                               description=description)
        record(user=by, action=Action.CREATE, obj=account, purpose=PURPOSE_KEY_MANAGEMENT,
               detail=f"Systeemaccount {username} aangemaakt voor {organisation} "
                      f"(rol {role})")
    return account


def issue(
    *,
    system_user,
    name: str,
    scopes: Iterable[str] = tuple(ApiScope.values),
    expires_at: datetime | None = None,
    issued_by=None,
) -> tuple[ApiToken, str]:
    """Issue a key for a system account; returns the token and the raw key (shown once).

    `issued_by` is the beheerder; None means code run by the operator (tests, the demo),
    which is not subject to the four-eyes rule.
    """
    _check_manager(issued_by)
    scopes = sorted(set(scopes))
    now = timezone.now()
    expires_at = expires_at or now + DEFAULT_LIFETIME
    account = validate_issue(system_user, scopes, expires_at)
    pending = issued_by is not None and needs_second_approval(scopes)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=system_user, organisation=account.organisation, name=name, scopes=scopes,
            key_hash=hash_token(raw), prefix=raw[:8], expires_at=expires_at,
            status=KeyStatus.PENDING if pending else KeyStatus.ACTIVE, issued_by=issued_by,
        )
        state = "wacht op goedkeuring" if pending else "actief"
        record(user=issued_by, action=Action.CREATE, obj=token,
               purpose=PURPOSE_KEY_MANAGEMENT,
               detail=f"API-sleutel uitgegeven ({state}): {_describe(token)}")
    return token, raw


def approve(token: ApiToken, *, by) -> ApiToken:
    """The second beheerder approves a pending key; the issuer cannot approve their own."""
    _check_manager(by)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.status != KeyStatus.PENDING:
            raise ValidationError(_("Alleen een sleutel die op goedkeuring wacht, kan worden "
                                    "goedgekeurd."), code="not_pending")
        if token.issued_by_id is not None and token.issued_by_id == by.pk:
            raise PermissionDenied(_("Een tweede beheerder keurt de sleutel goed, niet wie "
                                     "hem uitgaf."))
        ApiToken.objects.filter(pk=token.pk).update(
            status=KeyStatus.ACTIVE, approved_by=by, approved_at=timezone.now())
        token.refresh_from_db()
        record(user=by, action=Action.UPDATE, obj=token, purpose=PURPOSE_KEY_MANAGEMENT,
               detail=f"API-sleutel goedgekeurd: {_describe(token)}")
    return token


def revoke(token: ApiToken, *, by, reason: str = "") -> ApiToken:
    """Revoke a key, for good: no path sets it back."""
    _check_manager(by)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.status == KeyStatus.REVOKED:
            return token
        ApiToken.objects.filter(pk=token.pk).update(
            status=KeyStatus.REVOKED, revoked_by=by, revoked_at=timezone.now(),
            revoked_reason=reason[:200])
        token.refresh_from_db()
        record(user=by, action=Action.UPDATE, obj=token, purpose=PURPOSE_KEY_MANAGEMENT,
               detail=f"API-sleutel ingetrokken ({reason or 'geen reden'}): "
                      f"{_describe(token)}")
    return token
