"""A `Network` as a networkx multigraph: one graph node per node, one graph edge per link.

Links are undirected here (a director and the company are neighbours either way); each
graph edge keeps its `Edge` under the key of its id, so two links between one pair stay
two. Filters by link type and date window drop links before the graph is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import networkx as nx

from .model import Edge, Network


def kept(edge: Edge, link_types: Collection[str] | None = None,
         start: dt.date | None = None, end: dt.date | None = None) -> bool:
    """Whether a link passes the filters: one of `link_types` (all when None) and in force
    on some day of [start, end]."""
    return (link_types is None or edge.link_type in link_types) and edge.overlaps(start, end)


def to_graph(network: Network, link_types: Collection[str] | None = None,
             start: dt.date | None = None, end: dt.date | None = None) -> nx.MultiGraph:
    graph = nx.MultiGraph()
    for node in network.nodes:
        graph.add_node(node.id, schema=node.schema)
    for edge in network.edges:
        if kept(edge, link_types, start, end):
            graph.add_edge(edge.source, edge.target, key=edge.id, edge=edge)
    return graph
