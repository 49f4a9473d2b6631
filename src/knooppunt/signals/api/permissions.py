"""Who may use the signal endpoints at all; which signals they see is `scope`'s business."""

from __future__ import annotations

from rest_framework import permissions

from knooppunt.organisations import permissions as rules
from knooppunt.organisations import scope


class WorksWithSignals(permissions.BasePermission):
    """Reading needs a role that sees personal data; creating needs a role that may report.

    Bestuurders (aggregates only) and beheerders get 403 on every signal endpoint.
    """

    message = "Uw rol geeft geen toegang tot signalen; u ziet alleen geaggregeerde cijfers."

    def has_permission(self, request, view) -> bool:
        if request.method == "POST":
            return rules.may(request.user, rules.Action.SIGNAL_CREATE)
        return scope.sees_personal_data(request.user)
