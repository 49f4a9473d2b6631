"""Values every page needs: the synthetic-data banner and the user's roles."""

from django.conf import settings

from knooppunt.organisations import scope


def knooppunt(request):
    user = getattr(request, "user", None)
    return {
        "demo_mode": settings.DEMO_MODE,
        "user_roles": sorted(scope.roles_of(user)) if user and user.is_authenticated else [],
        "sees_personal_data": scope.sees_personal_data(user) if user else False,
        "can_create_signals": (
            scope.organisations_for_create(user).exists()
            if user and user.is_authenticated else False
        ),
    }
