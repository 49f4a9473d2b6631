"""Setting up TOTP two-step verification and logging in with it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or a later one: codes may not be reused)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{totp.token():0{device.digits}d}"


def login(client, username: str, token: str = "", password: str = PASSWORD):
    return client.post(
        reverse("web:login"), {"username": username, "password": password, "otp_token": token}
    )


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_user_without_device_logs_in_with_password_only(client, coordinator):
    response = login(client, "coordinator")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_setup_shows_qr_and_key_of_an_unconfirmed_device(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("web:two_factor"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]  # the page shows a secret
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.confirmed is False
    html = response.content.decode()
    assert '<svg role="img" aria-label="QR-code' in html and "<path" in html
    assert response.context["secret"].replace(" ", "") in device.config_url
    # Reloading keeps the same key, so a scanned code stays valid.
    client.get(reverse("web:two_factor"))
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_a_wrong_code_does_not_confirm(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("web:two_factor"))
    device = TOTPDevice.objects.get(user=coordinator)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("web:two_factor"), {"token": wrong})
    assert response.status_code == 400
    assert 'href="#id_token"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False


def test_setup_confirm_and_then_login_needs_the_code(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("web:two_factor"))
    device = TOTPDevice.objects.get(user=coordinator)

    response = client.post(reverse("web:two_factor"), {"token": code(device)}, follow=True)
    device.refresh_from_db()
    assert device.confirmed is True
    html = response.content.decode()
    assert "Tweestapsverificatie staat aan" in html
    assert "Uitschakelen" in html  # the page now manages the active device

    client.logout()
    without = login(client, "coordinator")
    assert without.status_code == 200  # not logged in
    assert "wachtwoord en verificatiecode klopt niet" in without.content.decode()
    assert "_auth_user_id" not in client.session

    wrong_code = "000000" if code(device, 1) != "000000" else "111111"
    wrong = login(client, "coordinator", token=wrong_code)
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    # The code of the next time step: the one used to confirm may not be used again.
    ok = login(client, "coordinator", token=code(device, 1))
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    assert client.session["otp_device_id"] == device.persistent_id


def test_switching_off_needs_a_valid_code(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="Knooppunt", confirmed=True)
    client.force_login(coordinator)  # logged in, but the code not yet given
    assert client.get(reverse("web:two_factor"))["Location"] == reverse("web:verify")
    client.post(reverse("web:verify"), {"token": code(device)})
    refused = client.post(reverse("web:two_factor"), {"token": "12345"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()

    response = client.post(reverse("web:two_factor"), {"token": code(device, 1)}, follow=True)
    assert "Tweestapsverificatie staat uit" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    client.logout()
    assert login(client, "coordinator").status_code == 302


def test_setup_form_posts_need_csrf(coordinator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    page = client.get(reverse("web:two_factor")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    response = client.post(reverse("web:two_factor"), {"token": "123456"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Het formulier is verlopen" in html and "The form has expired" in html
