"""A small deterministic layout for networks drawn on the server (SVG in reports).

networkx's spring layout (Fruchterman-Reingold) with a fixed seed: the same network gives
the same picture in every report. Positions are scaled to [0, 1] on both axes. It costs
O(n²) per iteration, so reports draw at most `MAX_NODES` nodes; the browser lays out larger
networks itself.
"""

from __future__ import annotations

import networkx as nx

from .graph import to_graph
from .model import Network

SEED = 16
ITERATIONS = 100
MAX_NODES = 500


class TooLarge(ValueError):
    """More nodes than a drawing on the server can hold legibly."""


def spring_positions(network: Network, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Node id → (x, y) in [0, 1], deterministic for a given network and seed."""
    count = len(network.nodes)
    if count > MAX_NODES:
        raise TooLarge(f"Een netwerk van {count} knopen is te groot voor een afbeelding "
                       f"(hoogstens {MAX_NODES}). / A network of {count} nodes is too "
                       f"large to draw (at most {MAX_NODES}).")
    if count == 0:
        return {}
    # Nodes in id order, so the seed's random start does not depend on input order.
    graph = nx.Graph()
    graph.add_nodes_from(sorted(n.id for n in network.nodes))
    graph.add_edges_from(sorted((min(a, b), max(a, b))
                                for a, b in nx.Graph(to_graph(network)).edges))
    if count == 1:
        return {network.nodes[0].id: (0.5, 0.5)}
    raw = nx.spring_layout(graph, seed=seed, iterations=ITERATIONS)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {node: ((float(p[0]) - min(xs)) / span_x, (float(p[1]) - min(ys)) / span_y)
            for node, p in raw.items()}
