"""Sessions end when idle and some hours after login (decision 0029)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from knooppunt.organisations.models import Role
from knooppunt.web.sessions import LAST_SEEN_KEY, STARTED_KEY

from ..factories import member

pytestmark = pytest.mark.django_db


def _age(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_ends(client, settings):
    client.force_login(member(Role.MEDEWERKER, username="mw"))
    assert client.get("/").status_code == 200
    _age(client, LAST_SEEN_KEY, settings.KNOOPPUNT_SESSION_IDLE_SECONDS - 120)
    assert client.get("/").status_code == 200  # still within the idle limit
    _age(client, LAST_SEEN_KEY, settings.KNOOPPUNT_SESSION_IDLE_SECONDS + 1)
    response = client.get("/signalen/", follow=True)
    assert response.redirect_chain[0][0] == "/inloggen/?next=%2Fsignalen%2F"
    assert "_auth_user_id" not in client.session
    assert "Uw sessie is verlopen" in response.content.decode()


def test_a_busy_session_ends_at_the_absolute_limit(client, settings):
    client.force_login(member(Role.MEDEWERKER, username="mw"))
    client.get("/")
    _age(client, STARTED_KEY, settings.KNOOPPUNT_SESSION_MAX_SECONDS + 1)
    assert client.get("/")["Location"].startswith("/inloggen/")
    assert "_auth_user_id" not in client.session


def test_an_idle_api_session_is_anonymous(client, settings):
    client.force_login(member(Role.MEDEWERKER, username="mw"))
    client.get("/api/v1/signals")
    _age(client, LAST_SEEN_KEY, settings.KNOOPPUNT_SESSION_IDLE_SECONDS + 1)
    assert client.get("/api/v1/signals").status_code in (401, 403)


def test_the_limits_are_short():
    from django.conf import settings

    assert settings.KNOOPPUNT_SESSION_IDLE_SECONDS == 30 * 60
    assert timedelta(hours=12).total_seconds() >= settings.KNOOPPUNT_SESSION_MAX_SECONDS
    assert settings.SESSION_COOKIE_AGE <= settings.KNOOPPUNT_SESSION_MAX_SECONDS
