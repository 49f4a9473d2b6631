"""Rate limiting for the API, read from REST_FRAMEWORK at request time.

DRF copies the throttle classes and rates into class attributes when it is imported,
so changing the settings later (per environment, or in a test) would have no effect.
`SettingsThrottlesMixin` and `ApiRateThrottle` look them up on every request instead.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, UserRateThrottle


class ApiRateThrottle(UserRateThrottle):
    """Requests per user (or per IP address before login), scope `user`."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class SettingsThrottlesMixin:
    """For API views: the throttles are those in the settings now, not at import time."""

    def get_throttles(self) -> list[BaseThrottle]:
        return [throttle() for throttle in api_settings.DEFAULT_THROTTLE_CLASSES]
