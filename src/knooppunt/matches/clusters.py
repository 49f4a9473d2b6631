"""Confirmed clusters: the person as known across partners, from confirmed matches only.

A cluster is a connected component of the confirmed pairs the user may see (the
union-find of `analytics.linkage.clusters`, fed confirmed pairs at probability 1). It is
read, never stored: an undo changes the cluster at once, and no entity is merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from knooppunt.analytics.linkage import CandidatePair, propose_clusters
from knooppunt.organisations import scope

from .models import MatchDecision, State, Verdict


@dataclass(frozen=True)
class ConfirmedLink:
    match_id: int
    left_id: str
    right_id: str
    confirmed_by: str
    confirmed_at: datetime | None
    reason: str


def _confirmed_links(user) -> list[ConfirmedLink]:
    matches = list(scope.matches_for(user).filter(state=State.CONFIRMED))
    last = {}
    for decision in (MatchDecision.objects.filter(match__in=[m.pk for m in matches],
                                                  verdict=Verdict.CONFIRM)
                     .select_related("decided_by").order_by("decided_at", "pk")):
        last[decision.match_id] = decision
    links = []
    for m in matches:
        d = last.get(m.pk)
        links.append(ConfirmedLink(m.pk, m.left_id, m.right_id,
                                   d.decided_by.get_username() if d else "",
                                   d.decided_at if d else None, d.reason if d else ""))
    return links


def _components(links: list[ConfirmedLink]):
    pairs = [CandidatePair(link.left_id, link.right_id, "", "", 1.0, 0.0, 0.0, ())
             for link in links]
    return propose_clusters(pairs, threshold=1.0)


def cluster_of(user, entity_id: str) -> tuple[list[str], list[ConfirmedLink]]:
    """(other entity ids in the entity's confirmed cluster, the links that hold it)."""
    links = _confirmed_links(user)
    for cluster in _components(links):
        if entity_id in cluster.record_ids:
            members = set(cluster.record_ids)
            return ([i for i in cluster.record_ids if i != entity_id],
                    [link for link in links if link.left_id in members])
    return [], []


def clusters(user) -> list[tuple[str, ...]]:
    """Every confirmed cluster the user may see, largest first (entity ids)."""
    return [c.record_ids for c in _components(_confirmed_links(user))]
