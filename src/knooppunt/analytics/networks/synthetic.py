"""A generated network for the example page, the browser test and the benchmark.

Synthetic throughout: persons are "Persoon 17", companies "Bedrijf 4 B.V.", addresses
"Voorbeeldstraat 12"; nothing comes from real data. The same size and seed give the same
network. It holds what the patterns look for: one address with many companies, a company
that moved often, a company that lived briefly, a person who directs several companies,
and some nodes with hidden neighbours.
"""

from __future__ import annotations

import datetime as dt
import random

from .model import Edge, Network, Node, Provenance

ORGANISATIONS = ("Politie Oost-Nederland", "Gemeente Enschede", "Kamer van Koophandel",
                 "Woonstichting Enschede (demo)")
ORIGINS = ("signaal", "aanlevering", "casus", "register")
MAX_SIZE = 10_000
START = dt.date(2018, 1, 1)


def _day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange(0, 8 * 365))


def _provenance(rng: random.Random) -> tuple[Provenance, ...]:
    return tuple(Provenance(rng.choice(ORGANISATIONS), _day(rng), rng.choice(ORIGINS))
                 for _ in range(rng.choice((1, 1, 2))))


def generated_network(size: int = 60, seed: int = 16) -> Network:
    """About `size` nodes (at least 12, at most `MAX_SIZE`): a fifth addresses, a quarter
    companies, a tenth vehicles, the rest persons."""
    size = max(12, min(int(size), MAX_SIZE))
    rng = random.Random(seed)
    counts = {"Address": size // 5, "Company": size // 4, "Vehicle": size // 10}
    counts["Person"] = size - sum(counts.values())
    nodes: list[Node] = []
    ids: dict[str, list[str]] = {}
    for schema, count in counts.items():
        ids[schema] = [f"{schema[0].lower()}{i}" for i in range(1, count + 1)]
        for i, node_id in enumerate(ids[schema], start=1):
            attributes: dict[str, str] = {}
            if schema == "Company":
                born = _day(rng)
                attributes["incorporationDate"] = born.isoformat()
                if i == 2:  # one company that lived a few months
                    attributes["dissolutionDate"] = (born + dt.timedelta(days=120)).isoformat()
            nodes.append(Node(node_id, schema, _label(schema, i), hidden=(schema == "Person"
                                                                           and i % 23 == 0),
                              attributes=attributes))
    edges: list[Edge] = []

    def link(a: str, b: str, kind: str, role: str = "", start: dt.date | None = None) -> None:
        begin = start or _day(rng)
        end = begin + dt.timedelta(days=rng.randrange(200, 1500)) if rng.random() < 0.3 \
            else None
        edges.append(Edge(f"e{len(edges) + 1}", a, b, kind, begin, end, _provenance(rng),
                          role))

    addresses, companies = ids["Address"], ids["Company"]
    persons, vehicles = ids["Person"], ids["Vehicle"]
    for i, company in enumerate(companies):
        # The first address holds a quarter of the companies (at least five).
        address = addresses[0] if i < max(5, len(companies) // 4) else rng.choice(addresses)
        link(company, address, "UnknownLink", "vestigingsadres")
    for n, address in enumerate(rng.sample(addresses, min(4, len(addresses)))):
        # The first company moved four times in two and a half years.
        link(companies[0], address, "UnknownLink", "vestigingsadres",
             dt.date(2021, 1, 1) + dt.timedelta(days=200 * n))
    for i, company in enumerate(companies):
        officer = persons[0] if i < 3 else rng.choice(persons)
        link(officer, company, "Directorship", "bestuurder")
        if rng.random() < 0.5:
            link(company, rng.choice(persons), "Employment", "werknemer")
    for person in persons:
        link(person, rng.choice(addresses), "Occupancy", "woont op")
        if rng.random() < 0.3:
            link(person, rng.choice(persons), rng.choice(("Family", "Associate")))
    for vehicle in vehicles:
        link(rng.choice(persons + companies), vehicle, "Ownership", "eigenaar")
    edges = [e for e in edges if e.source != e.target]
    hidden = {node_id: rng.randrange(1, 4) for node_id in rng.sample(persons, len(persons) // 8)}
    return Network.of(nodes, edges, hidden)


def _label(schema: str, i: int) -> str:
    return {"Person": f"Persoon {i}", "Company": f"Bedrijf {i} B.V.",
            "Address": f"Voorbeeldstraat {i}, Enschede", "Vehicle": f"XX-{i:03d}-X"}[schema]
