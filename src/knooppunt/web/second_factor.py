"""Who must use a second factor, and the middleware that holds back sessions that owe one.

A user must use TOTP when one of their roles is in `KNOOPPUNT_REQUIRE_2FA_ROLES` (by
default beheerder, coordinator and analist: the administrator and every role that may read
RIEC-level data). An account that may open the admin (`is_staff`, `is_superuser`) counts as
a beheerder.

A session of such a user that has not passed a code — a password-only login of a user who
has not set up the app yet, a session made another way (single sign-on, a test client) —
may open only the pages to set up or give the code, log out, and change the language.
Every other page sends it there; the API answers 403 in problem+json (decision 0029).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from knooppunt.organisations import scope
from knooppunt.organisations.models import Role


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "KNOOPPUNT_REQUIRE_2FA_ROLES", ()))


def requires_second_factor(user) -> bool:
    """True when this account may not work without a verified second factor.

    An account that may open the admin counts as a beheerder here, whatever its roles.
    """
    if user is None or not user.is_authenticated:
        return False
    roles = set(scope.roles_of(user))
    if user.is_staff or user.is_superuser:
        roles.add(Role.BEHEERDER)
    return bool(roles & required_roles())


# Set at login when the user had no confirmed device: later requests of the session need
# not ask the database again (setting one up verifies the session anyway).
NO_DEVICE_KEY = "knooppunt_no_device"


def remember_devices_at_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[NO_DEVICE_KEY] = not user_has_device(user, confirmed=True)


def owes_second_factor(user, session=None) -> bool:
    """True for a logged-in session that must still set up or give its code."""
    if user is None or not user.is_authenticated or user.is_verified():
        return False
    if requires_second_factor(user):
        return True
    # A user who set up the app always gives its code, whatever the role.
    if session is not None and session.get(NO_DEVICE_KEY):
        return False
    return user_has_device(user, confirmed=True)


# Paths a session that owes its second factor may still open (by URL name).
_OPEN_NAMES = ("web:two_factor", "web:verify", "web:logout", "set_language", "healthz")


def _open_paths() -> tuple[str, ...]:
    return tuple(reverse(name) for name in _OPEN_NAMES)


class SecondFactorMiddleware:
    """Send a session that owes its second factor to set it up or give its code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        owes = owes_second_factor(user, getattr(request, "session", None))
        request.owes_second_factor = owes  # read by the context processor: one query less
        if owes and not self._open(request):
            return self._hold_back(request, user)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        path = request.path_info
        static = settings.STATIC_URL or "/static/"
        return path.startswith(static) or path in _open_paths()

    @staticmethod
    def _hold_back(request: HttpRequest, user) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"type": "about:blank", "title": _("Tweede factor nodig"), "status": 403,
                 "detail": _("Deze sessie heeft de tweede factor (verificatiecode) nog niet "
                             "gegeven. Log in met uw code of gebruik een API-sleutel.")},
                status=403, content_type="application/problem+json",
            )
        target = "web:verify" if user_has_device(user, confirmed=True) else "web:two_factor"
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
