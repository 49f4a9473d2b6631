"""Shared fixtures: the real geography once per test database, factories for the rest."""

from __future__ import annotations

import pytest

from knooppunt.geo.loading import load_geography


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The real 342 municipalities are loaded once; every test runs in a transaction on top.
    with django_db_blocker.unblock():
        load_geography()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The real hasher costs ~0.4 s per user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


@pytest.fixture(autouse=True)
def _default_language():
    # A request with another language (cookie, Accept-Language) leaves it active in the
    # thread; every test starts from the default (Dutch) so messages do not depend on order.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
