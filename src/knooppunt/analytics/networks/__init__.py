"""Networks: the pure core of Knooppunt's network view (networkx, no Django).

- `model`: the plain interface the entity model feeds (`Node`, `Edge`, `Provenance`,
  `Network` with a hidden count per node) and its JSON for the browser;
- `graph`: a network as a networkx multigraph, filtered by link type and date window;
- `measures`: degree, betweenness (exact up to 1,000 nodes, sampled above, stated),
  connected components;
- `expansion`: the neighbours of nodes up to a depth, through filtered links only;
- `patterns`: addresses with many registrations, companies that move often or live
  briefly, persons who direct several companies;
- `layout`: a seeded spring layout for the SVG of reports (`charts.network_svg`);
- `synthetic`: a generated network for the example page, tests and benchmark.

These describe networks. Nothing here scores, ranks or predicts a person: no person-level
risk score, because assessing the risk that a natural person commits an offence from
profiling or personal traits is prohibited (AI Act art. 5(1)(d)); decision 0049. Who may
see which node and edge is decided before a `Network` is made (need-to-know), not here.
"""

from .expansion import MAX_DEPTH, UnknownNode, neighbourhood
from .graph import kept, to_graph
from .measures import BetweennessMethod, Measures, betweenness, components, degree, describe
from .model import (
    LINK_TYPES,
    NODE_SCHEMATA,
    Edge,
    InvalidNetwork,
    Network,
    Node,
    Provenance,
)
from .patterns import crowded_addresses, frequent_movers, shared_officers, short_lived

__all__ = [
    "LINK_TYPES", "MAX_DEPTH", "NODE_SCHEMATA", "BetweennessMethod", "Edge", "InvalidNetwork",
    "Measures", "Network", "Node", "Provenance", "UnknownNode", "betweenness", "components",
    "crowded_addresses", "degree", "describe", "frequent_movers", "kept", "neighbourhood",
    "shared_officers", "short_lived", "to_graph",
]
