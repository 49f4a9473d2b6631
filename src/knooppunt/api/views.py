"""Fallbacks so unknown API paths answer in problem+json too."""

from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from .problems import problem_response


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def api_not_found(request, rest: str = ""):
    return problem_response(404, "Dit API-pad bestaat niet. / No such API path.", request)
