"""Expanding a network step by step: the neighbours of a node up to a depth.

The browser asks for one node at a time (depth 1); a report may ask for depth 2 around a
case's entities. Only links that pass the filters (link types, date window) are walked,
so a filtered-out link does not bring its far end in either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from .graph import kept
from .model import Network

MAX_DEPTH = 4


class UnknownNode(KeyError):
    """The node to expand is not in the network (or not one the user may see)."""


def neighbourhood(network: Network, seeds: Iterable[str], depth: int = 1, *,
                  link_types: Collection[str] | None = None, start: dt.date | None = None,
                  end: dt.date | None = None) -> Network:
    """The sub-network of every node within `depth` filtered links of a seed, with the
    filtered links among them. Hidden counts travel with their nodes."""
    if not 0 <= depth <= MAX_DEPTH:
        raise ValueError(f"Diepte {depth} ligt niet tussen 0 en {MAX_DEPTH}. / "
                         f"Depth must be between 0 and {MAX_DEPTH}.")
    known = {node.id for node in network.nodes}
    reached = set()
    for seed in seeds:
        if seed not in known:
            raise UnknownNode(seed)
        reached.add(seed)
    links = [e for e in network.edges if kept(e, link_types, start, end)]
    adjacent: dict[str, set[str]] = {}
    for edge in links:
        adjacent.setdefault(edge.source, set()).add(edge.target)
        adjacent.setdefault(edge.target, set()).add(edge.source)
    frontier = set(reached)
    for _step in range(depth):
        frontier = {n for f in frontier for n in adjacent.get(f, ())} - reached
        if not frontier:
            break
        reached |= frontier
    return Network.of(
        (node for node in network.nodes if node.id in reached),
        (edge for edge in links if edge.source in reached and edge.target in reached),
        {k: v for k, v in network.hidden_count.items() if k in reached})
