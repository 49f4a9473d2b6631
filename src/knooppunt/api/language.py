"""The API answers in Dutch, whatever Accept-Language asks.

The web interface follows the user's language; a partner system gets one stable
language for its messages (titles of problems also carry English). Without this, DRF's
own messages would follow Accept-Language while Knooppunt's stay Dutch.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class DutchResponsesMixin:
    """For API views: handle the request with the default language (Dutch) active."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            response = super().dispatch(request, *args, **kwargs)
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response
