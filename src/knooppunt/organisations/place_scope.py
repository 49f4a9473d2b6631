"""Who reads the vulnerable-places list and who records a visit (seed 001, module 5).

The list names buildings (addresses) in the buitengebied with the reasons for their score,
so it is for the people who decide where the municipality goes, not for every reader of
aggregates. Per membership (organisation O of kind K, role R):

* read the list of a municipality M: R is coordinator or analist, K is gemeente or RIEC,
  and O serves M (its own territory);
* record a visit (planned, contacted, visited, referred to a coach) at a place in M:
  R is coordinator or analist and K is gemeente, and O serves M — the municipality
  contacts the owner, the RIEC supports with analysis only;
* everyone else with M in their figure scope (bestuurders included) gets aggregates only:
  counts per municipality, suppressed like every other aggregate, never an address.

The score itself is computed from all partner data in M (that is what the module asks:
"door het combineren van data"); the list shows per place factor values (counts nearby,
yes/no facts), never the signals, incidents or companies behind them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Membership, OrganisationKind, Role

READ_ROLES = frozenset({Role.COORDINATOR, Role.ANALIST})
READ_KINDS = frozenset({OrganisationKind.GEMEENTE, OrganisationKind.RIEC})
VISIT_KINDS = frozenset({OrganisationKind.GEMEENTE})


def _memberships(user) -> list[Membership]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return list(Membership.objects.filter(user=user, organisation__active=True)
                .select_related("organisation"))


def _municipalities(user, kinds: frozenset[str]) -> QuerySet:
    from knooppunt.geo.models import Municipality

    org_ids = [m.organisation_id for m in _memberships(user)
               if m.role in READ_ROLES and m.organisation.kind in kinds]
    return Municipality.objects.filter(organisations__pk__in=org_ids).distinct()


def list_municipalities(user) -> QuerySet:
    """Municipalities whose vulnerable-places list `user` may read."""
    return _municipalities(user, READ_KINDS)


def visit_municipalities(user) -> QuerySet:
    """Municipalities where `user` may record visits at places."""
    return _municipalities(user, VISIT_KINDS)


def visit_organisation(user, municipality):
    """The organisation on whose behalf `user` records a visit in `municipality`."""
    for m in _memberships(user):
        if (m.role in READ_ROLES and m.organisation.kind in VISIT_KINDS
                and m.organisation.municipalities.filter(pk=municipality.pk).exists()):
            return m.organisation
    return None
