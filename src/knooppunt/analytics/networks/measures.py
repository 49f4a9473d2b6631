"""Descriptive network measures: degree, betweenness, connected components (networkx).

They describe the shape of what the user may see: who connects what, which parts hang
together. They are not a judgement of a person and are never combined into a score.

Betweenness is exact up to `EXACT_BETWEENNESS_UP_TO` nodes; above it networkx estimates
it from `k` sampled source nodes with a fixed seed (Brandes' pivots), so the same network
gives the same figures. The result says which was used (`BetweennessMethod`).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .graph import to_graph
from .model import Network

EXACT_BETWEENNESS_UP_TO = 1_000
SAMPLES = 200
SEED = 16


@dataclass(frozen=True)
class BetweennessMethod:
    exact: bool
    samples: int | None
    seed: int | None

    def describe(self) -> str:
        if self.exact:
            return "exact (Brandes)"
        return f"geschat uit {self.samples} steekproefknopen (seed {self.seed}) / " \
               f"estimated from {self.samples} sampled nodes (seed {self.seed})"


@dataclass(frozen=True)
class Measures:
    degree: dict[str, int]
    betweenness: dict[str, float]
    betweenness_method: BetweennessMethod
    components: list[list[str]]  # largest first; ids sorted within each


def degree(network: Network) -> dict[str, int]:
    """Distinct neighbours per node (two links between the same pair count once)."""
    graph = nx.Graph(to_graph(network))
    return {node: graph.degree(node) for node in graph.nodes}


def betweenness(network: Network, *, exact_up_to: int = EXACT_BETWEENNESS_UP_TO,
                samples: int = SAMPLES, seed: int = SEED
                ) -> tuple[dict[str, float], BetweennessMethod]:
    """Normalised betweenness centrality on the simple undirected graph."""
    graph = nx.Graph(to_graph(network))
    if graph.number_of_nodes() <= exact_up_to:
        return nx.betweenness_centrality(graph, normalized=True), \
            BetweennessMethod(True, None, None)
    k = min(samples, graph.number_of_nodes())
    return nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed), \
        BetweennessMethod(False, k, seed)


def components(network: Network) -> list[list[str]]:
    """Connected components, largest first, then by their smallest id (deterministic)."""
    found = [sorted(c) for c in nx.connected_components(to_graph(network))]
    return sorted(found, key=lambda c: (-len(c), c[0]))


def describe(network: Network, **betweenness_options) -> Measures:
    values, method = betweenness(network, **betweenness_options)
    return Measures(degree(network), values, method, components(network))
