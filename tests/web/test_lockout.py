"""Lockout (decision 0029): per username and address, per address across accounts, and
never longer than the cool-off, whoever keeps trying."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.organisations.models import Role
from knooppunt.web.lockout import on_axes_scale

from ..factories import PASSWORD, member

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
VICTIM = "198.51.100.7"


def attempt(client, username: str, password: str, ip: str):
    return client.post(reverse("web:login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_spraying_from_one_address_locks_that_address(client, settings):
    """60 passwords over 15 accounts (4 each, under the per-account limit) used to lock
    nobody; now the address is locked after KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT failures."""
    for n in range(15):
        member(Role.MEDEWERKER, username=f"user{n}")
    member(Role.MEDEWERKER, username="bystander")
    statuses = [attempt(client, f"user{n % 15}", f"guess-{n}", ATTACKER).status_code
                for n in range(60)]
    limit = settings.KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT
    assert statuses[:limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit:]) == {429}
    # The address is locked, also for a correct password ...
    assert attempt(client, "bystander", PASSWORD, ATTACKER).status_code == 429
    # ... and only that address.
    assert attempt(client, "bystander", PASSWORD, VICTIM).status_code == 302


def test_a_person_who_mistypes_is_locked_per_username_and_address(client, settings):
    member(Role.MEDEWERKER, username="typist")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "typist", "wrong-password", VICTIM)
    assert attempt(client, "typist", PASSWORD, VICTIM).status_code == 429
    member(Role.MEDEWERKER, username="colleague")  # same office, same address
    assert attempt(client, "colleague", PASSWORD, VICTIM).status_code == 302


def test_an_attacker_elsewhere_cannot_lock_the_victim_out(client, settings):
    member(Role.COORDINATOR, username="victim")
    for _ in range(3 * settings.KNOOPPUNT_LOGIN_IP_FAILURE_LIMIT):
        attempt(client, "victim", "wrong-password", ATTACKER)
    assert attempt(client, "victim", PASSWORD, ATTACKER).status_code == 429
    assert attempt(client, "victim", PASSWORD, VICTIM).status_code == 302


def test_a_lockout_ends_after_the_cool_off_however_long_one_tries(client, settings):
    member(Role.MEDEWERKER, username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "target", "wrong-password", ATTACKER)
    locked = AccessAttempt.objects.get(username="target")
    # Trying on during the lockout neither counts nor moves the end of the lockout.
    for _ in range(20):
        assert attempt(client, "target", "wrong-password", ATTACKER).status_code == 429
    again = AccessAttempt.objects.get(username="target")
    assert (again.attempt_time, again.failures_since_start) == (
        locked.attempt_time, locked.failures_since_start)
    # One cool-off later the address and account are free again.
    AccessAttempt.objects.update(
        attempt_time=again.attempt_time - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert attempt(client, "target", PASSWORD, ATTACKER).status_code == 302
    assert timedelta(hours=1) >= settings.AXES_COOLOFF_TIME


@given(count=st.integers(0, 10_000), limit=st.integers(1, 50), ip_limit=st.integers(1, 500))
def test_the_address_count_reaches_the_account_limit_exactly_at_its_own_limit(
        count, limit, ip_limit):
    assert (on_axes_scale(count, limit, ip_limit) >= limit) == (count >= ip_limit)
