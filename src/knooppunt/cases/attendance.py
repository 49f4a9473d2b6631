"""Who can be present at a forum's meeting, chair it or be named as the decider.

Only people with a membership of one of the forum's member organisations (any role: the
mayor in the triangle is a bestuurder) are eligible; guests from elsewhere are free text on
the meeting and can attend but never be named as the decider ("humans decide": a named
person of a forum organisation, with a reason).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from knooppunt.organisations.models import Membership

from .models import Forum


def eligible_memberships(forum: Forum, extra_organisation_ids: tuple[int, ...] = ()
                         ) -> QuerySet:
    """Memberships of active people in the forum's member organisations."""
    org_ids = {*forum.members.values_list("pk", flat=True), *extra_organisation_ids}
    return (Membership.objects.filter(organisation_id__in=org_ids, user__is_active=True)
            .select_related("user", "organisation")
            .order_by("organisation__name", "user__last_name", "user__username"))


def eligible_people(forum: Forum, extra_organisation_ids: tuple[int, ...] = ()) -> QuerySet:
    """The people (users) who may attend for, chair or decide in this forum."""
    ids = eligible_memberships(forum, extra_organisation_ids).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "username")


def organisation_for(forum: Forum, person, extra_organisation_ids: tuple[int, ...] = ()):
    """The forum organisation `person` belongs to (first by name), or None."""
    membership = eligible_memberships(forum, extra_organisation_ids).filter(user=person).first()
    return membership.organisation if membership else None


def display_name(person) -> str:
    return person.get_full_name() or person.get_username()
