"""Changing and resetting a password, with the NIST 800-63B / BIO policy (decision 0029)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from knooppunt.organisations.models import Role

from ..factories import PASSWORD, member
from .test_two_factor import code

pytestmark = pytest.mark.django_db

NEW = "vier woorden op een rij"


def change(client, new: str, old: str = PASSWORD):
    return client.post(reverse("web:password_change"),
                       {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize("weak", ["kortwoord11", "password1234", "qwertyuiop123"])
def test_short_or_common_passwords_are_refused(client, weak):
    user = member(Role.MEDEWERKER, username="mw")
    client.force_login(user)
    response = change(client, weak)
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_long_password_without_digits_or_symbols_is_fine(client):
    """No composition rules: twelve or more characters and not common is enough."""
    user = member(Role.MEDEWERKER, username="mw")
    client.force_login(user)
    response = change(client, NEW)
    assert response["Location"] == reverse("web:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/").status_code == 200  # the session stays
    assert "Wachtwoord gewijzigd" in client.get(response["Location"]).content.decode()


def test_a_wrong_old_password_changes_nothing(client):
    user = member(Role.MEDEWERKER, username="mw")
    client.force_login(user)
    assert change(client, NEW, old="not-my-password").status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_no_expiry_or_composition_settings():
    from django.conf import settings

    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["UserAttributeSimilarityValidator", "MinimumLengthValidator",
                     "CommonPasswordValidator"]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 12


@pytest.mark.second_factor
def test_reset_by_mail_and_the_second_factor_still_holds(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KNOOPPUNT_BASE_URL = "https://knooppunt.example.nl"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = member(Role.COORDINATOR, username="co", email="co@example.nl")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page = client.get(reverse("web:password_reset"))
    assert page.status_code == 200 and "Wachtwoord vergeten" in page.content.decode()

    unknown = client.post(reverse("web:password_reset"), {"email": "nobody@example.nl"},
                          HTTP_HOST="testserver")
    known = client.post(reverse("web:password_reset"), {"email": "co@example.nl"},
                        HTTP_HOST="testserver")
    assert unknown["Location"] == known["Location"] == reverse("web:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["co@example.nl"]
    assert "nieuw wachtwoord" in message.subject
    # The link points at Knooppunt's own address, not at the host the request named.
    link = re.search(r"https://knooppunt\.example\.nl(/wachtwoord-vergeten/\S+/)", message.body)
    assert link, message.body

    form = client.get(link.group(1), follow=True)
    assert "Nieuw wachtwoord kiezen" in form.content.decode()
    url = form.redirect_chain[-1][0]
    short = client.post(url, {"new_password1": "te kort", "new_password2": "te kort"})
    assert short.status_code == 200
    done = client.post(url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("web:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The link works once.
    assert "werkt niet" in client.get(link.group(1), follow=True).content.decode()
    # The new password alone does not log in a user with a second factor.
    answer = client.post(reverse("web:login"), {"username": "co", "password": NEW})
    assert answer.status_code == 200 and "_auth_user_id" not in client.session
    ok = client.post(reverse("web:login"),
                     {"username": "co", "password": NEW, "otp_token": code(device)})
    assert ok.status_code == 302


def test_password_pages_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("web:password_reset"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Forgot your password" in page.content.decode()
