"""Place and company patterns that describe a network: addresses where many persons or
companies are registered, companies that move often or live briefly, and persons who direct
several companies.

Each pattern lists what it found with the facts behind it (counts, addresses, dates); an
analyst judges what it means. They are descriptions of places and companies and of who
directs what, not an assessment of a person: nothing here ranks, scores or predicts a
person (AI Act art. 5(1)(d)).

Registrations at an address are the links between an `Address` node and a person or
company (any link type: FtM's occupancy, or an unknown link with a role such as
"vestigingsadres"). A move is a new address link's start date; links without a start date
are not counted as moves. A company's lifetime comes from its FtM attributes
`incorporationDate` and `dissolutionDate`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from .graph import kept
from .model import Edge, Network, Node

REGISTERED = ("Person", "Company")


@dataclass(frozen=True)
class CrowdedAddress:
    address: str
    label: str
    companies: tuple[str, ...]
    persons: tuple[str, ...]

    @property
    def registered(self) -> int:
        return len(self.companies) + len(self.persons)


@dataclass(frozen=True)
class FrequentMover:
    company: str
    label: str
    moves: tuple[tuple[dt.date, str], ...]  # (start of the address link, address id)
    window_start: dt.date
    window_end: dt.date

    @property
    def addresses(self) -> int:
        return len({address for _day, address in self.moves})


@dataclass(frozen=True)
class ShortLived:
    company: str
    label: str
    incorporated: dt.date
    dissolved: dt.date

    @property
    def days(self) -> int:
        return (self.dissolved - self.incorporated).days


@dataclass(frozen=True)
class SharedOfficer:
    officer: str
    label: str
    companies: tuple[str, ...]


def _address_links(network: Network, start: dt.date | None, end: dt.date | None
                   ) -> list[tuple[Node, Node, Edge]]:
    """(address, registered person or company, link) for every link that passes."""
    nodes = {node.id: node for node in network.nodes}
    found = []
    for edge in network.edges:
        if not kept(edge, None, start, end):
            continue
        a, b = nodes[edge.source], nodes[edge.target]
        if a.schema == "Address" and b.schema in REGISTERED:
            found.append((a, b, edge))
        elif b.schema == "Address" and a.schema in REGISTERED:
            found.append((b, a, edge))
    return found


def crowded_addresses(network: Network, threshold: int = 5, *,
                      start: dt.date | None = None, end: dt.date | None = None
                      ) -> list[CrowdedAddress]:
    """Addresses with at least `threshold` distinct persons and companies registered there
    (in force on some day of [start, end]); most first."""
    at: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"Person": set(), "Company": set()})
    labels = {}
    for address, registered, _edge in _address_links(network, start, end):
        at[address.id][registered.schema].add(registered.id)
        labels[address.id] = address.label
    found = [CrowdedAddress(a, labels[a], tuple(sorted(s["Company"])), tuple(sorted(s["Person"])))
             for a, s in at.items() if len(s["Company"]) + len(s["Person"]) >= threshold]
    return sorted(found, key=lambda f: (-f.registered, f.address))


def frequent_movers(network: Network, addresses: int = 3, years: int = 2
                    ) -> list[FrequentMover]:
    """Companies with at least `addresses` distinct new addresses within `years` years
    (the densest such window, first one on a tie); most moves first."""
    starts: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    labels = {}
    for address, company, edge in _address_links(network, None, None):
        if company.schema == "Company" and edge.start is not None:
            starts[company.id].append((edge.start, address.id))
            labels[company.id] = company.label
    found = []
    for company, moves in starts.items():
        moves.sort()
        best: list[tuple[dt.date, str]] = []
        for i, (first, _address) in enumerate(moves):
            limit = _add_years(first, years)
            window = [m for m in moves[i:] if m[0] < limit]
            if len({a for _d, a in window}) > len({a for _d, a in best}):
                best = window
        if len({a for _d, a in best}) >= addresses:
            found.append(FrequentMover(company, labels[company], tuple(best), best[0][0],
                                       best[-1][0]))
    return sorted(found, key=lambda f: (-f.addresses, f.company))


def short_lived(network: Network, months: int = 12) -> list[ShortLived]:
    """Companies dissolved less than `months` months after they were incorporated;
    shortest first. Companies without both dates are left out."""
    found = []
    for node in network.nodes:
        if node.schema != "Company":
            continue
        born = _day(node.attributes.get("incorporationDate"))
        gone = _day(node.attributes.get("dissolutionDate"))
        if born and gone and gone >= born and gone < _add_months(born, months):
            found.append(ShortLived(node.id, node.label, born, gone))
    return sorted(found, key=lambda f: (f.days, f.company))


def shared_officers(network: Network, at_least: int = 2, *, start: dt.date | None = None,
                    end: dt.date | None = None) -> list[SharedOfficer]:
    """Persons who direct at least `at_least` distinct companies (directorships in force on
    some day of [start, end]); most companies first."""
    nodes = {node.id: node for node in network.nodes}
    directs: dict[str, set[str]] = defaultdict(set)
    for edge in network.edges:
        if not kept(edge, ("Directorship",), start, end):
            continue
        for officer, company in ((edge.source, edge.target), (edge.target, edge.source)):
            if nodes[officer].schema == "Person" and nodes[company].schema == "Company":
                directs[officer].add(company)
    found = [SharedOfficer(p, nodes[p].label, tuple(sorted(c)))
             for p, c in directs.items() if len(c) >= at_least]
    return sorted(found, key=lambda f: (-len(f.companies), f.officer))


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _add_years(day: dt.date, years: int) -> dt.date:
    return _add_months(day, 12 * years)
