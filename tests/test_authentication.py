"""Login: password, lockout after repeated failures (django-axes), OIDC backend claims."""

from __future__ import annotations

import pytest

from knooppunt.organisations.models import Role

from .factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def test_login_with_password_reaches_the_overview(client):
    user = member(Role.COORDINATOR, username="aov")
    response = client.post("/inloggen/", {"username": "aov", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_id"] == str(user.pk)


def test_pages_require_login(client):
    for url in ("/", "/signalen/", "/kaart/", "/signalen/nieuw/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/")


def test_repeated_wrong_passwords_lock_the_account(client, settings):
    member(Role.MEDEWERKER, username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/inloggen/", {"username": "target", "password": "wrong-password"})
    response = client.post("/inloggen/", {"username": "target", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "geblokkeerd" in response.content.decode()


def test_oidc_backend_matches_users_by_email_only():
    from knooppunt.organisations.oidc import KnooppuntOIDCBackend

    user = member(Role.ANALIST, username="sso", email="Analist@Example.nl")
    backend = KnooppuntOIDCBackend.__new__(KnooppuntOIDCBackend)
    backend.UserModel = type(user)
    assert list(backend.filter_users_by_claims({"email": "analist@example.nl"})) == [user]
    assert not backend.filter_users_by_claims({"sub": "123"}).exists()
