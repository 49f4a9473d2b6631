"""The API's own endpoints: the OpenAPI document and the fallback for unknown paths."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .language import DutchResponsesMixin
from .problems import problem_response
from .throttling import SettingsThrottlesMixin


class OpenApiView(DutchResponsesMixin, SettingsThrottlesMixin, SpectacularJSONAPIView):
    """GET /api/v1/openapi.json: the OpenAPI 3 document; public, so partners can read it
    before they have a key."""


@extend_schema(exclude=True)
class NotFoundView(DutchResponsesMixin, SettingsThrottlesMixin, APIView):
    """Any other path under /api/v1/: 404 as problem+json, whatever the method."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    knooppunt_actions = ()  # answers every method with 404 and changes nothing

    def _not_found(self, request: Request, *args, **kwargs) -> Response:
        return problem_response(404, "Dit API-pad bestaat niet.", request)

    get = post = put = patch = delete = head = options = _not_found
