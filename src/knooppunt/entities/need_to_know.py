"""When a user sees names and when pseudonyms: THE one rule (decision 0054), called through
`scope.needs_pseudonyms`, `scope.shown_network` and `permissions` (`entity.reveal`).

Who reads entities at all is decided in `entities.querysets`; this rule only decides how
what they may see is shown. For a user who may see the entity:

1. **Through a case they work on: names.** The case is one they may open
   (`scope.cases_for`) *and* one where an entity-reading organisation of theirs sits at
   the table (owner or forum member, cleared for the case's level), and the
   entity lies within `CASE_REACH` (3) links of the case's entities as the user sees
   them. The case gives the need to know; the switch is logged with the case's purpose
   by the page or API answer that shows the names.
2. **Revealed: names.** An analyst or coordinator revealed the entity with a reason
   (`Reveal`, the action `entity.reveal`, logged) less than `REVEAL_HOURS` ago. A reveal
   is the user's own: colleagues still see the pseudonym.
3. **Otherwise: a pseudonym.** Pattern views (an area's network and its patterns), the
   entity page and its network, `/api/v1/entities`, `/links` and `/networks` reached
   without a case the user works on.

Pseudonyms are keyed per organisation (`pseudonym_organisation`: the user's entity-reading
organisation with the lowest id, so a user in two organisations sees one set). The FtM
export of a case shows real values and therefore requires `works_on` (decision 0047; a
user who may open the case without an entity-reading organisation at its table gets 403).
The review queue of candidate matches shows names (decision 0053) but links to an entity
page only where that page shows the name too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.utils import timezone

from .models import Reveal

CASE_REACH = 3
REVEAL_HOURS = 8
REVEAL_ROLES = frozenset({"analist", "coordinator"})


def pseudonym_organisation(user) -> int | None:
    """The organisation whose key makes this user's pseudonyms (None: reads no entities)."""
    from .querysets import _grants

    ids = sorted(org_id for org_id, _clearance, _role in _grants(user))
    return ids[0] if ids else None


def works_on(user, case) -> bool:
    """Whether the case gives the user the need to know: they may open it and their
    organisation sits at its table."""
    from knooppunt.cases.models import Forum
    from knooppunt.organisations import scope

    from .querysets import _grants

    if case is None:
        return False
    # The organisation at the table must be one that reads entities (and is cleared for
    # the case): a second membership in a partner-kind organisation at the table does not
    # give the need to know for what an entity-reading organisation elsewhere sees.
    readers = {org for org, clearance, _role in _grants(user)
               if clearance >= case.confidentiality}
    if not readers or not scope.cases_for(user).filter(pk=case.pk).exists():
        return False
    return case.owner_id in readers or Forum.members.through.objects.filter(
        forum_id=case.forum_id, organisation_id__in=readers).exists()


def cases_worked_on(user, limit: int = 50) -> list:
    """The most recent cases (at most `limit`) that give the user the need to know: for the
    case a "toon naam" names."""
    from knooppunt.organisations import scope

    recent = scope.cases_for(user).order_by("-opened_on", "-pk")[:limit * 2]
    return [case for case in recent if works_on(user, case)][:limit]


def case_reach(user, case) -> frozenset[str]:
    """The entity ids within `CASE_REACH` links of the case's entities, as the user sees
    them; empty when the case gives the user no need to know. Cached on the user object
    for the request (one walk per case)."""
    if not works_on(user, case):
        return frozenset()
    cache = getattr(user, "_knooppunt_case_reach", None)
    if cache is None:
        cache = user._knooppunt_case_reach = {}
    if case.pk not in cache:
        from .network import neighbourhood_of
        from .networks import case_entity_ids

        found = neighbourhood_of(user, case_entity_ids(user, case), CASE_REACH)
        cache[case.pk] = frozenset(n.id for n in found.nodes) | frozenset(
            e.id for e in found.edges)
    return cache[case.pk]


def revealed(user, entity_ids: Iterable[str] | None = None) -> frozenset[str]:
    """The entities the user revealed less than `REVEAL_HOURS` ago (among `entity_ids`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    found = Reveal.objects.filter(user=user, expires_at__gt=timezone.now())
    if entity_ids is not None:
        found = found.filter(entity_id__in=list(entity_ids))
    return frozenset(found.values_list("entity_id", flat=True))


def needs_pseudonyms(user, entity_id: str | None = None, *, via_case=None) -> bool:
    """Whether `entity_id` is shown to `user` as a pseudonym (rules in the module doc).
    Without an entity: whether anything reached this way (a case, or none) is."""
    if via_case is not None and works_on(user, via_case) and (
            entity_id is None or entity_id in case_reach(user, via_case)):
        return False
    return entity_id is None or entity_id not in revealed(user, [entity_id])


def real_ids(user, entity_ids: Collection[str], *, via_case=None) -> frozenset[str]:
    """Of `entity_ids`, those the user sees by name (the rest: pseudonyms). One query for
    the reveals and one walk for the case, however many ids."""
    ids = frozenset(entity_ids)
    names = ids & case_reach(user, via_case) if via_case is not None else frozenset()
    return names | revealed(user, ids - names)


def may_reveal(user, entity_id: str, case=None) -> bool:
    """`entity.reveal`: an analyst or coordinator of an entity-reading organisation who may
    see the entity; an analyst only for a case they work on (the case gives the need to
    know beyond its reach), a coordinator also without one (to weigh whether a case
    should be opened). The reason is checked by the form."""
    from knooppunt.organisations import scope

    from .querysets import _grants

    roles = {role for _org, _clearance, role in _grants(user)}
    if not roles & REVEAL_ROLES or not scope.entities_for(user).filter(pk=entity_id).exists():
        return False
    if case is not None:
        return works_on(user, case)
    return "coordinator" in roles


def reveal_until() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=REVEAL_HOURS)
