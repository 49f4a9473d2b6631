"""Need-to-know for entities: THE one place that decides which statements a user sees.

`organisations.scope.entities_for` / `scope.statements_for` call these functions; views,
the API, the FtM export and the network functions ask `scope`, never filter by hand.

Per membership (organisation O of kind K, role R with clearance C, see `scope`):

* Bestuurders and beheerders see no statements (no clearance). Organisations of a partner
  kind (housing corporation, grid operator, water company, care, other) see none either:
  they have no need to know who is behind a network (issue 16), not even what they
  supplied themselves once it is part of a case file.
* A statement above C is never visible.
* Within C, O sees a statement when
  1. O supplied it, or
  2. its origin is a case the user may open (`scope.cases_for`), or
  3. its origin is a signal the user may see (`scope.signals_for`), or
  4. its origin is a delivery of O, or
  5. its origin is a register that role R may read (`REGISTER_ROLES`): the address
     register for every cleared role, the company register's officers (personal data)
     for analysts and coordinators.
* An entity is visible when at least one of its statements is; the user sees only the
  visible statements of it, so two users may see different facts of the same entity.
"""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from knooppunt.organisations.models import OrganisationKind, Role

from .models import Entity, OriginKind, Statement

ENTITY_READER_KINDS = frozenset({
    OrganisationKind.GEMEENTE, OrganisationKind.POLITIE, OrganisationKind.OM,
    OrganisationKind.RIEC, OrganisationKind.BELASTINGDIENST,
})
REGISTER_ROLES: dict[str, frozenset[str]] = {
    "bag": frozenset({Role.MEDEWERKER, Role.ANALIST, Role.COORDINATOR}),
    "kvk": frozenset({Role.ANALIST, Role.COORDINATOR}),
}


def _grants(user) -> list[tuple[int, int, str]]:
    """(organisation id, clearance, role) of memberships that may read entities."""
    from knooppunt.organisations import scope

    return [(m.organisation_id, scope.CLEARANCE[m.role], m.role)
            for m in scope._memberships(user)
            if m.role in scope.CLEARANCE and m.organisation.kind in ENTITY_READER_KINDS]


def _as_text(queryset: QuerySet) -> QuerySet:
    # origin_id is text (a generic reference); compare the ids as text on every backend.
    return queryset.order_by().annotate(origin_key=Cast("pk", CharField())).values("origin_key")


def statements_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every statement `user` may see (retracted ones and retractions included)."""
    from knooppunt.intake.models import Delivery
    from knooppunt.organisations import scope

    qs = Statement.objects.all() if queryset is None else queryset
    grants = _grants(user)
    if not grants:
        return qs.none()
    cases = _as_text(scope.cases_for(user))
    signals = _as_text(scope.signals_for(user))
    condition = Q(pk__in=[])
    for org_id, clearance, role in grants:
        deliveries = _as_text(Delivery.objects.filter(organisation_id=org_id))
        registers = [code for code, roles in REGISTER_ROLES.items() if role in roles]
        condition |= Q(confidentiality__lte=clearance) & (
            Q(organisation_id=org_id)
            | Q(origin_kind=OriginKind.CASE, origin_id__in=cases)
            | Q(origin_kind=OriginKind.SIGNAL, origin_id__in=signals)
            | Q(origin_kind=OriginKind.DELIVERY, origin_id__in=deliveries)
            | Q(origin_kind=OriginKind.REGISTER, origin_id__in=registers)
        )
    return qs.filter(condition)


def current_statements_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The visible statements that state a value now: not retracted, not a retraction.

    A retraction the user cannot see does not hide the value from them: they see what
    their sources say (the retraction's source may know better, but is not theirs).
    """
    retracted = statements_for(user).filter(retracts__isnull=False).values("retracts_id")
    return statements_for(user, queryset).filter(retracts__isnull=True).exclude(
        pk__in=retracted)


def entities_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The entities of which `user` may see at least one current statement."""
    qs = Entity.objects.all() if queryset is None else queryset
    if not _grants(user):
        return qs.none()
    return qs.filter(pk__in=current_statements_for(user).values("entity_id"))


def may_read_entities(user) -> bool:
    """Whether the user may read entities at all (pages and API answer 403 otherwise)."""
    return bool(_grants(user))
