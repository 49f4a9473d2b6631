"""Sessions end after a period without activity, and in any case some hours after login.

Idle limit (KNOOPPUNT_SESSION_IDLE_SECONDS, 30 minutes): a session unused for longer is
ended and the user logs in again. Absolute limit (KNOOPPUNT_SESSION_MAX_SECONDS, 10
hours): counted from the first request of the session, because Django's own expiry
(SESSION_COOKIE_AGE) starts again whenever the session is saved. The time of the last
request is written at most once a minute, so reading pages does not write the session row
on every request (decision 0029).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "knooppunt_last_seen"
STARTED_KEY = "knooppunt_started"
WRITE_EVERY_SECONDS = 60


def start_clock_at_login(sender, request, user, **kwargs) -> None:
    """Start both clocks with the login (saved with it; no extra write later)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[LAST_SEEN_KEY] = now


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            started = request.session.setdefault(STARTED_KEY, now)
            if (last_seen is not None and now - last_seen > settings.KNOOPPUNT_SESSION_IDLE_SECONDS
                    or now - started > settings.KNOOPPUNT_SESSION_MAX_SECONDS):
                logout(request)
                if request.path_info.startswith("/api/"):
                    return self.get_response(request)  # now anonymous: the API says 401/403
                messages.info(request, _("Uw sessie is verlopen (een tijd niet actief, of lang "
                                         "geleden ingelogd). Log opnieuw in."))
                query = ""
                if request.method == "GET":
                    query = "?" + urlencode({"next": request.get_full_path()})
                return redirect(reverse(settings.LOGIN_URL) + query)
            if last_seen is None or now - last_seen >= WRITE_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
