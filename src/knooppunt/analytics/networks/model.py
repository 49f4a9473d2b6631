"""The plain interface between Knooppunt's entities and its networks.

The entity model (FollowTheMoney-style persons, companies, addresses, vehicles and their
links, stored as statements with provenance) feeds a network as `Node`s and `Edge`s; the
network core, the browser view and the SVG for reports read nothing else. A node or edge
in a `Network` is one the user may see: need-to-know is decided before a network is made.
What the user may not see but may know exists is counted per node (`hidden_count`), never
listed.

`Network.to_json()` is the JSON the browser component (`knooppunt/network.js`) reads, and
`Network.from_json()` reads it back (tests, benchmarks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# FtM schemata a network may hold (nodes) and the FtM interval schemata that link them
# (edges). Other values are refused: a typo would otherwise silently fall out of every
# pattern and filter.
NODE_SCHEMATA = ("Person", "Company", "Address", "Vehicle")
LINK_TYPES = ("Ownership", "Directorship", "Employment", "Family", "Associate", "Occupancy",
              "UnknownLink")


class InvalidNetwork(ValueError):
    """A node or edge that does not fit the interface (unknown schema, dangling edge, …)."""


@dataclass(frozen=True)
class Provenance:
    """Who supplied a fact, when, and from where (a signal, delivery, case or register)."""

    organisation: str
    date: dt.date | None
    origin: str

    def to_json(self) -> dict[str, str | None]:
        return {"organisation": self.organisation,
                "date": self.date.isoformat() if self.date else None, "origin": self.origin}


@dataclass(frozen=True)
class Node:
    """A person, company, address or vehicle. `hidden` marks a node the user may know
    exists but not what it is: its label is a placeholder chosen by the feeding code."""

    id: str
    schema: str
    label: str
    hidden: bool = False
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidNetwork("Een knoop zonder id. / A node without an id.")
        if self.schema not in NODE_SCHEMATA:
            raise InvalidNetwork(f"Onbekend schema {self.schema!r}. / Unknown schema.")


@dataclass(frozen=True)
class Edge:
    """A link between two nodes. Direction follows the FtM roles: owner → asset, director
    → organisation, employer → employee, person → relative/associate, occupant → address.
    Measures and expansion treat links as undirected; the view draws the direction."""

    id: str
    source: str
    target: str
    link_type: str
    start: dt.date | None = None
    end: dt.date | None = None
    provenance: tuple[Provenance, ...] = ()
    role: str = ""

    def __post_init__(self) -> None:
        if self.link_type not in LINK_TYPES:
            raise InvalidNetwork(f"Onbekend soort verband {self.link_type!r}. / "
                                 "Unknown link type.")
        if self.start and self.end and self.end < self.start:
            raise InvalidNetwork("Een verband dat eindigt voor het begint. / "
                                 "A link that ends before it starts.")

    def overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        """Whether the link was in force at some day of [start, end]; an open end is open.
        An empty window (end before start) holds no day."""
        if start is not None and end is not None and end < start:
            return False
        return (end is None or self.start is None or self.start <= end) and \
               (start is None or self.end is None or self.end >= start)


@dataclass(frozen=True)
class Network:
    """Nodes, edges, and per node how many more neighbours exist that are not shown."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    hidden_count: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = {node.id for node in self.nodes}
        if len(ids) != len(self.nodes):
            raise InvalidNetwork("Twee knopen met hetzelfde id. / Two nodes with one id.")
        for edge in self.edges:
            if edge.source not in ids or edge.target not in ids:
                raise InvalidNetwork(f"Verband {edge.id!r} wijst naar een knoop buiten het "
                                     "netwerk. / A link points outside the network.")

    @classmethod
    def of(cls, nodes: Iterable[Node], edges: Iterable[Edge],
           hidden_count: Mapping[str, int] | None = None) -> Network:
        return cls(tuple(nodes), tuple(edges), dict(hidden_count or {}))

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [{"id": n.id, "schema": n.schema, "label": n.label, "hidden": n.hidden,
                       "attributes": dict(n.attributes),
                       "hiddenCount": int(self.hidden_count.get(n.id, 0))}
                      for n in self.nodes],
            "edges": [{"id": e.id, "source": e.source, "target": e.target,
                       "linkType": e.link_type, "role": e.role,
                       "start": e.start.isoformat() if e.start else None,
                       "end": e.end.isoformat() if e.end else None,
                       "provenance": [p.to_json() for p in e.provenance]}
                      for e in self.edges],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Network:
        def day(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        nodes = [Node(n["id"], n["schema"], n["label"], bool(n.get("hidden")),
                      dict(n.get("attributes") or {})) for n in data["nodes"]]
        edges = [Edge(e["id"], e["source"], e["target"], e["linkType"], day(e.get("start")),
                      day(e.get("end")),
                      tuple(Provenance(p["organisation"], day(p.get("date")), p["origin"])
                            for p in e.get("provenance") or ()), e.get("role") or "")
                 for e in data["edges"]]
        hidden = {n["id"]: int(n["hiddenCount"]) for n in data["nodes"] if n.get("hiddenCount")}
        return cls.of(nodes, edges, hidden)
