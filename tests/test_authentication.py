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


def test_admin_login_goes_through_knooppunt_login(client):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/?next=")
    # A password-only POST to the admin login logs nobody in.
    member(Role.BEHEERDER, username="boss", is_staff=True, is_superuser=True)
    client.post("/beheer/login/", {"username": "boss", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_admin_requires_the_second_factor_when_the_user_has_one(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = member(Role.BEHEERDER, username="boss2", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)  # a session without a verified second factor
    response = client.get("/beheer/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/verificatiecode/?next=%2Fbeheer%2F"
    assert response.status_code == 200
    assert b'name="token"' in response.content
