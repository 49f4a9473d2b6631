"""Shared fixtures: the real geography once per test database, factories for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from knooppunt.geo.loading import load_geography
from tests.shared_demo import (  # noqa: F401 (fixtures)
    group_by_shared_demo,
    small_twente_demo,
    twente_demo,
)


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
def _second_factor_where_tested(request, settings):
    """Most tests log in with `force_login`, which gives no second factor; they test what a
    role may see and do, not how it logged in. The requirement of a second factor per role
    (decision 0029) is on in tests marked `second_factor` (tests/web/test_second_factor.py
    and others), with the roles of the real settings."""
    if request.node.get_closest_marker("second_factor") is None:
        settings.KNOOPPUNT_REQUIRE_2FA_ROLES = []


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


LONG_AGO = __import__("datetime").date(2000, 1, 1)


@pytest.fixture
def records_from_data():
    """Request this (directly or through a fixture such as the dashboards' `world`) to
    let the figures begin where the test's own records begin (decision 0021)."""


@pytest.fixture(autouse=True)
def _records_long_before(request, monkeypatch):
    """The small worlds of most tests start in the middle of a year and test counting,
    suppression and access on it, as if Knooppunt had kept records for years. So by
    default the first record of every own-data source is in 2000; the engine's rule
    (periods before it are no data) still runs, only the MIN query is replaced. Tests of
    that rule ask for `records_from_data` and get the data's own first record."""
    if "records_from_data" in request.fixturenames:
        return
    from dataclasses import replace

    from knooppunt.monitoring.measures import registry

    for name, measure in registry.all_measures().items():
        if measure.recorded_since is not None:
            monkeypatch.setitem(registry._MEASURES, name,
                                replace(measure, recorded_since=lambda: LONG_AGO))


def group_browser_modules(items: list[pytest.Item]) -> None:
    """An xdist group per browser test module that has none (see below)."""
    browser = Path(__file__).with_name("browser")
    for item in items:
        path = Path(str(item.fspath))
        if path.parent == browser and not any(item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(f"browser-{path.stem}"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """`--dist loadgroup` (run.sh): pytest-xdist 3.8 names a test of an `xdist_group` by
    appending "@<group>" to `item._nodeid`, which pytest 9.2 no longer reads (the id is
    `item._id`); the group was lost and the Spark tests ran on both workers, each starting
    its own JVM. Append the group where xdist's suffix did not take.

    The tests that start from one shared demo (tests/shared_demo.py) get a group of their
    own first: one worker builds that demo and copies it, the other does not wait for it.
    So do the tests of each browser module: they share the server of a module fixture,
    which two workers would each start (a migrate or a demo copy, 10-30 s each)."""
    group_by_shared_demo(items)
    group_browser_modules(items)
    if not getattr(config.option, "loadgroup", False):  # set in xdist workers only
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                         for mark in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
