"""Proposed clusters: records linked by candidate pairs at or above a threshold.

A cluster here is a *proposal* — "these records may be one person" — for a person to review.
It changes no record and merges nothing; every cluster carries status "proposed" and the
pairs that hold it together, so the reviewer sees why. Connected components with a
union-find, in plain Python: fast enough for the pair counts a threshold leaves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .engine import CandidatePair

PROPOSED = "proposed"


@dataclass(frozen=True)
class ProposedCluster:
    """Records that may be one person; nothing about them has been changed."""

    cluster_id: str
    record_ids: tuple[str, ...]
    pairs: tuple[CandidatePair, ...]
    weakest_probability: float
    status: str = PROPOSED


def _find(parent: dict[str, str], item: str) -> str:
    root = item
    while parent[root] != root:
        root = parent[root]
    while parent[item] != root:  # path compression
        parent[item], item = root, parent[item]
    return root


def propose_clusters(pairs: Iterable[CandidatePair], threshold: float) -> list[ProposedCluster]:
    """Connected components of the pairs with probability >= threshold, largest first.

    Singletons are not returned: a record without a candidate has nothing to review.
    """
    parent: dict[str, str] = {}
    kept = [p for p in pairs if p.match_probability >= threshold]
    for pair in kept:
        for node in (pair.left_id, pair.right_id):
            parent.setdefault(node, node)
        left, right = _find(parent, pair.left_id), _find(parent, pair.right_id)
        if left != right:
            parent[max(left, right)] = min(left, right)
    members: dict[str, list[str]] = defaultdict(list)
    for node in parent:
        members[_find(parent, node)].append(node)
    by_root: dict[str, list[CandidatePair]] = defaultdict(list)
    for pair in kept:
        by_root[_find(parent, pair.left_id)].append(pair)
    clusters = [
        ProposedCluster(cluster_id=root, record_ids=tuple(sorted(ids)),
                        pairs=tuple(by_root[root]),
                        weakest_probability=min(p.match_probability for p in by_root[root]))
        for root, ids in members.items()]
    clusters.sort(key=lambda c: (-len(c.record_ids), c.cluster_id))
    return clusters


def pairs_within(clusters: Iterable[ProposedCluster]) -> set[tuple[str, str]]:
    """Every record pair inside the clusters (sorted ids): what a reviewer would be asked."""
    out: set[tuple[str, str]] = set()
    for cluster in clusters:
        ids = cluster.record_ids
        for i, left in enumerate(ids):
            for right in ids[i + 1:]:
                out.add((left, right))
    return out
