"""The glue between the entity model and the network core (decisions 0047 and 0049).

`entities.network.neighbourhood_of` decides what the user may see (need-to-know on every
node and edge, through `scope`); this module turns that into the plain
`analytics.networks.Network` the browser view, the patterns and the report SVG read:

* `case_network(user, case, depth)`: the case's entities (those with a statement from the
  case that the user may see) and their links, `depth` steps out;
* `entity_network(user, entity_id, depth)`: one entity's neighbourhood;
* `filtered(network, seeds, ...)`: the same walk through only the link types and dates asked;
* `log_network(...)`: every read writes the processing log with the node ids shown.

Position entities are not drawn (the network core knows persons, companies, addresses and
vehicles); a company's address (`addressEntity`) becomes an Occupancy edge with that role.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable

from knooppunt.analytics.networks import LINK_TYPES, NODE_SCHEMATA, Edge, Network, Node
from knooppunt.analytics.networks import Provenance as NetworkProvenance
from knooppunt.analytics.networks import neighbourhood as walk
from knooppunt.audit.log import Action
from knooppunt.organisations import scope

from . import network as entity_network_module
from . import reading
from .models import OriginKind

ADDRESS_ROLE = "addressEntity"


def _ftm_day(value: str, *, last: bool) -> dt.date | None:
    """An FtM date (2019, 2019-03, 2019-03-14) as a day: the first or last it may mean."""
    parts = value.split("-") if value else []
    try:
        numbers = [int(p) for p in parts[:3]]
    except ValueError:
        return None
    if not numbers:
        return None
    year = numbers[0]
    month = numbers[1] if len(numbers) > 1 else (12 if last else 1)
    default_day = calendar.monthrange(year, month)[1] if last else 1
    try:
        return dt.date(year, month, numbers[2] if len(numbers) > 2 else default_day)
    except ValueError:
        return None


def _provenance(edge: entity_network_module.Edge) -> tuple[NetworkProvenance, ...]:
    return tuple(NetworkProvenance(s.supplier, s.first_seen, f"{s.origin_kind} {s.origin_id}")
                 for s in edge.provenance)


def _edge(edge: entity_network_module.Edge, edge_id: str) -> Edge:
    if edge.type in LINK_TYPES:
        start = _ftm_day(edge.start, last=False)
        end = _ftm_day(edge.end, last=True)
        return Edge(edge_id, edge.source, edge.target, edge.type,
                    start, end if not (start and end and end < start) else None,
                    _provenance(edge), edge.label if edge.label != edge.type else "")
    # An entity-valued property (a registration at an address): dated by its statements.
    # A register writes last_seen = first_seen for a registration still in force, so only
    # a later last_seen is an end.
    start = min((s.first_seen for s in edge.provenance), default=None)
    last = max((s.last_seen for s in edge.provenance), default=None)
    link_type = "Occupancy" if edge.type == ADDRESS_ROLE else "UnknownLink"
    return Edge(edge_id, edge.source, edge.target, link_type, start,
                last if start and last and last > start else None, _provenance(edge),
                edge.type)


def as_network(found: entity_network_module.Network) -> Network:
    """The scoped entity network as the network core's `Network`."""
    nodes = [Node(n.id, n.schema, n.label, attributes=dict(n.attributes))
             for n in found.nodes if n.schema in NODE_SCHEMATA]
    ids = {n.id for n in nodes}
    edges, seen = [], set()
    for edge in found.edges:
        if edge.source not in ids or edge.target not in ids:
            continue
        edge_id = edge.id if edge.id not in seen else f"{edge.id}:{edge.source}:{edge.target}"
        seen.add(edge_id)
        edges.append(_edge(edge, edge_id))
    hidden = {k: v for k, v in found.hidden_per_node.items() if k in ids and v}
    return Network.of(nodes, edges, hidden)


def case_entity_ids(user, case) -> list[str]:
    """The entities with a statement from `case` that the user may see."""
    return sorted(set(scope.current_statements_for(user)
                      .filter(origin_kind=OriginKind.CASE, origin_id=str(case.pk))
                      .values_list("entity_id", flat=True)))


def case_network(user, case, depth: int = 1) -> Network:
    """The case's entities and their links, `depth` steps out (1-3). The caller has
    checked that the user may open the case (`scope.cases_for`)."""
    return as_network(entity_network_module.neighbourhood_of(
        user, case_entity_ids(user, case), depth))


def entity_network(user, entity_id: str, depth: int = 1) -> Network:
    """One entity's visible neighbourhood; empty when the user may not see the entity."""
    return as_network(entity_network_module.neighbourhood(user, entity_id, depth))


def filtered(network: Network, seeds: Iterable[str], depth: int, *,
             link_types: Collection[str] | None = None, start: dt.date | None = None,
             end: dt.date | None = None) -> Network:
    """What is reached from `seeds` through the links of the asked types and dates only;
    the seeds the network does not hold are left out."""
    if not link_types and start is None and end is None:
        return network
    known = {n.id for n in network.nodes}
    return walk(network, [s for s in seeds if s in known], depth, link_types=link_types,
                start=start, end=end)


def log_network(user, network: Network, *, detail: str, channel: str | None = None) -> None:
    """The read of a network in the processing log: the ids of every node shown."""
    reading.log_read(user, sorted(n.id for n in network.nodes), action=Action.LIST,
                     channel=channel, detail=detail)
