"""The second factor that roles must use (decision 0029), with the requirement switched on.

A password alone opens nothing for beheerder, coordinator and analist: without a device they
are sent to set one up, with a device they must give its code; the admin and the API's
session authentication are held back the same way.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from knooppunt.organisations.models import Role

from ..factories import PASSWORD, member
from .test_two_factor import code

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor]

PAGES = ["/", "/signalen/", "/kaart/", "/account/wachtwoord/"]


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def login(client, username: str, token: str = "", password: str = PASSWORD, **extra):
    return client.post(reverse("web:login"),
                       {"username": username, "password": password, "otp_token": token}, **extra)


def test_the_default_roles_are_the_beheerder_and_those_who_read_riec_data():
    assert set(django_settings.KNOOPPUNT_REQUIRE_2FA_ROLES) == {
        Role.BEHEERDER, Role.COORDINATOR, Role.ANALIST}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ANALIST, Role.BEHEERDER])
def test_a_required_role_without_device_must_set_one_up_before_anything_else(client, role):
    member(role, username="person")
    response = login(client, "person")
    assert response.status_code == 302  # the password was right: on to the setup
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("web:two_factor"))
    for url in PAGES:
        held = client.get(url)
        assert held.status_code == 302, url
        assert held["Location"].startswith(reverse("web:two_factor")), url
    api = client.get("/api/v1/signals")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"

    setup = client.get(home["Location"])
    assert setup.status_code == 200
    assert "Uw rol vereist tweestapsverificatie" in setup.content.decode()
    device = TOTPDevice.objects.get(user__username="person")
    confirmed = client.post(home["Location"], {"token": code(device)})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/"
    for url in PAGES[:1] + PAGES[3:]:
        assert client.get(url).status_code == 200, url
    # Past the second factor; what the role may read is up to scope (a beheerder: nothing).
    assert "tweede factor" not in client.get("/api/v1/signals").content.decode()


def test_a_role_that_is_not_required_logs_in_with_a_password(client):
    member(Role.MEDEWERKER, username="mw")
    assert login(client, "mw").status_code == 302
    assert client.get("/").status_code == 200


def test_the_roles_are_a_setting(client, settings):
    settings.KNOOPPUNT_REQUIRE_2FA_ROLES = [Role.MEDEWERKER]
    member(Role.MEDEWERKER, username="mw")
    member(Role.COORDINATOR, username="co")
    login(client, "mw")
    assert client.get("/")["Location"].startswith(reverse("web:two_factor"))
    client.post(reverse("web:logout"))
    login(client, "co")
    assert client.get("/").status_code == 200


def test_with_a_device_the_code_is_required(client):
    user = member(Role.ANALIST, username="an")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    assert login(client, "an").status_code == 200
    assert "_auth_user_id" not in client.session
    assert login(client, "an", token=code(device)).status_code == 302
    assert client.get("/").status_code == 200


def test_a_session_without_the_code_gives_it_on_the_code_page(client):
    """Single sign-on and other logins that skip the form land here, not in the pages."""
    user = member(Role.COORDINATOR, username="sso")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    held = client.get("/signalen/?q=x")
    assert held["Location"] == "/account/verificatiecode/?next=%2Fsignalen%2F%3Fq%3Dx"
    wrong = client.post(held["Location"], {"token": "000000" if code(device) != "000000"
                                           else "111111"})
    assert wrong.status_code == 400
    ok = client.post(held["Location"], {"token": code(device)})
    assert ok["Location"] == "/signalen/?q=x"
    assert client.get("/signalen/").status_code == 200


def test_the_code_page_sends_only_to_own_pages(client):
    user = member(Role.COORDINATOR, username="co")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    ok = client.post("/account/verificatiecode/?next=https://evil.example/",
                     {"token": code(device)})
    assert ok["Location"] == "/"


def test_a_required_role_cannot_switch_the_second_factor_off(client):
    user = member(Role.COORDINATOR, username="co")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    login(client, "co", token=code(device))
    page = client.get(reverse("web:two_factor"))
    assert "Uitschakelen" not in page.content.decode()
    refused = client.post(reverse("web:two_factor"), {"token": code(device, 1)})
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_admin_needs_the_second_factor(client):
    boss = member(Role.BEHEERDER, username="boss", is_staff=True, is_superuser=True)
    login(client, "boss")
    held = client.get("/beheer/")
    assert held["Location"].startswith(reverse("web:two_factor"))
    # Also an admin account without the beheerder role (e.g. made by createsuperuser).
    client.post(reverse("web:logout"))
    root = member(Role.BESTUURDER, username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/beheer/")["Location"].startswith(reverse("web:two_factor"))
    device = TOTPDevice.objects.create(user=boss, name="app", confirmed=True)
    client.post(reverse("web:logout"))
    login(client, "boss", token=code(device))
    assert client.get("/beheer/").status_code == 200


def test_api_session_authentication_needs_the_code(client):
    user = member(Role.ANALIST, username="an")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    refused = client.get("/api/v1/signals")
    assert refused.status_code == 403
    assert "tweede factor" in refused.json()["detail"]
    client.post(reverse("web:verify"), {"token": code(device)})
    assert client.get("/api/v1/signals").status_code == 200


def test_healthz_details_only_for_a_verified_beheerder(client):
    user = member(Role.BEHEERDER, username="boss", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    assert set(client.get("/healthz").json()) == {"status"}
    client.post(reverse("web:verify"), {"token": code(device)})
    body = client.get("/healthz").json()
    assert body["database"] == "ok" and body["version"]


def _form_answer(response) -> str:
    import re

    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_one_answer_for_every_failed_login(client):
    """A correct password without (or with a wrong) code answers like a wrong password."""
    with_app = member(Role.MEDEWERKER, username="withapp")
    device = TOTPDevice.objects.create(user=with_app, name="app", confirmed=True)
    member(Role.MEDEWERKER, username="noapp")
    wrong_code = "000000" if code(device) != "000000" else "111111"
    answers = [
        login(client, "withapp"),  # right password, no code
        login(client, "withapp", token=wrong_code),  # right password, wrong code
        login(client, "withapp", password="wrong-password-1"),  # wrong password
        login(client, "withapp", password="wrong-password-1", token=code(device)),
        login(client, "noapp", password="wrong-password-1"),  # no app, wrong password
    ]
    assert {response.status_code for response in answers} == {200}
    assert "_auth_user_id" not in client.session
    bodies = {_form_answer(response) for response in answers}
    # The username field keeps what was typed; otherwise the pages are the same.
    assert len({body.replace("withapp", "noapp") for body in bodies}) == 1
    assert "klopt niet" in answers[0].content.decode()


def test_a_missing_code_counts_towards_the_lockout(client, settings):
    from axes.models import AccessAttempt

    user = member(Role.MEDEWERKER, username="withapp")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "withapp")  # right password, no code
    assert AccessAttempt.objects.get(username="withapp").failures_since_start == \
        settings.AXES_FAILURE_LIMIT
    assert login(client, "withapp", token=code(device)).status_code == 429


def test_the_demo_login_runs_the_real_flow_with_the_published_key(client, settings):
    """Demo accounts of those roles have the published key; the demo login page shows the
    current code, and with it the login passes the second factor like any other."""
    from pathlib import Path

    from knooppunt.demo.users import (
        DEMO_PASSWORD,
        demo_totp_now,
        demo_totp_secret,
        seed_demo_devices,
    )

    settings.DEMO_MODE = True
    co = member(Role.COORDINATOR, username="coordinator.demo", password=DEMO_PASSWORD)
    mw = member(Role.MEDEWERKER, username="medewerker.demo", password=DEMO_PASSWORD)
    assert seed_demo_devices([co, mw]) == 1
    assert not TOTPDevice.objects.filter(user=mw).exists()

    page = client.get(reverse("web:login")).content.decode()
    now = demo_totp_now()
    assert now.code in page and demo_totp_secret() in page
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert demo_totp_secret() in readme

    assert login(client, "coordinator.demo", password=DEMO_PASSWORD).status_code == 200
    ok = login(client, "coordinator.demo", password=DEMO_PASSWORD, token=now.code)
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


def test_outside_the_demo_the_login_page_shows_no_code(client):
    from knooppunt.demo.users import demo_totp_secret

    assert demo_totp_secret() not in client.get(reverse("web:login")).content.decode()
