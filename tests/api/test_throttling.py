"""Rate limiting: past the rate the API answers 429 problem+json with Retry-After."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from .helpers import SIGNALS, assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_rate(settings):
    # tests/conftest.py switches throttling off for every test; switch it back on here.
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": ["knooppunt.api.throttling.ApiRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"user": "2/minute"},
    }
    yield
    cache.clear()


def test_third_request_in_a_minute_is_429(api, tiny_rate):
    assert api.get(SIGNALS).status_code == 200
    assert api.get(SIGNALS).status_code == 200

    response = api.get(SIGNALS)

    body = assert_problem(response, 429)
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert f"over {wait} seconden" in body["detail"]


def test_rate_is_per_user(api, tiny_rate, partner):
    from tests.factories import member

    from .conftest import token_client

    for _ in range(2):
        api.get(SIGNALS)
    assert api.get(SIGNALS).status_code == 429

    other = token_client(member(organisation=partner.organisation))
    assert other.get(SIGNALS).status_code == 200

