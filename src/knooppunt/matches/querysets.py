"""Need-to-know for candidate matches: who sees which, and who may review.

* Only analysts and coordinators of an organisation that reads entities
  (`entities.querysets.ENTITY_READER_KINDS`: RIEC, gemeente, politie, OM,
  Belastingdienst) see candidates at all; partners, medewerkers, bestuurders and
  beheerders see none.
* Of those, a user sees a candidate only when they may see BOTH entities
  (`scope.entities_for`): a candidate tells that two records are alike, so showing it to
  someone who sees one side would reveal that the other side exists.
* Reviewing (`match.review`) is allowed on exactly the candidates a user sees.
"""

from __future__ import annotations

from django.db.models import QuerySet

from knooppunt.organisations.models import Role

from .models import CandidateMatch

REVIEW_ROLES = frozenset({Role.ANALIST, Role.COORDINATOR})


def may_review_matches(user) -> bool:
    """Whether the user may see the review queue at all."""
    from knooppunt.entities.querysets import _grants

    return any(role in REVIEW_ROLES for _org, _clearance, role in _grants(user))


def matches_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The candidates whose two entities the user may both see."""
    from knooppunt.organisations import scope

    qs = CandidateMatch.objects.all() if queryset is None else queryset
    if not may_review_matches(user):
        return qs.none()
    visible = scope.entities_for(user).values("pk")
    return qs.filter(left__in=visible, right__in=visible)
