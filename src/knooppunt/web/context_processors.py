"""Values every page needs: the synthetic-data banner, the user's roles and menu entries."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from knooppunt.organisations import permissions, scope
from knooppunt.organisations.models import Role
from knooppunt.reports.access import area_builders

from .second_factor import owes_second_factor


def knooppunt(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    roles = sorted(scope.roles_of(user)) if authenticated else []
    return {
        "demo_mode": settings.DEMO_MODE,
        # A session that still owes its second factor sees no menu it could not open.
        "owes_second_factor": authenticated and getattr(
            request, "owes_second_factor", None) is not False
        and owes_second_factor(user, getattr(request, "session", None)),
        "small_count_threshold": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD,
        "user_roles": roles,
        "user_role_labels": [Role(code).label for code in roles if code in Role.values],
        "sees_personal_data": scope.sees_personal_data(user) if authenticated else False,
        # The report page lists the kinds about an area the user's role may make.
        "makes_reports": bool(area_builders(user)) if authenticated else False,
        # The area scan is offered in the menu to analysts and coordinators (issue 14).
        "makes_area_scans": authenticated and bool(
            scope.roles_of(user) & {"analist", "coordinator"}),
        # The incident page (decision 0044): rows for readers, counts for bestuurders.
        "offers_incidents": scope.offers_incidents(user) if authenticated else False,
        # The review queue of candidate matches (decision 0053): analysts and coordinators
        # of an organisation that reads entities (`matches.querysets.may_review_matches`).
        "reviews_matches": authenticated and permissions.may(
            user, permissions.Action.MATCH_REVIEW),
        "can_create_signals": (
            scope.organisations_for_create(user).exists() if authenticated else False
        ),
    }
