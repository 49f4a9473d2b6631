"""The network of an area and its place and company patterns (issue 16, decision 0055).

An area is what the area scan and the hotspot pages already let a user pick
(`analytics.areas`: a municipality or a wijk of their own organisations). Its network
starts from the Address entities that lie in it and the user may see, and walks out
`AREA_DEPTH` steps through `entities.network.neighbourhood_of`, so need-to-know applies to
every node and edge there, with the hidden ends counted as on the case and entity pages.

Where an address entity lies:

* a BAG address (`nl-bag-<nummeraanduiding-id>`): the register address's municipality,
  wijk or coordinates (`ScanArea.address_q`), decided in the database;
* any other Address entity (a case subject typed without a BAG id): by the postcode and
  house number the user sees in its statements, matched to a register address in the
  area; with a postcode but no house number, only when every register address of that
  postcode lies in the area. An address that cannot be placed is in no area.

The patterns (`area_patterns`) describe the area's places and companies, each with its
rule: addresses with `CROWDED_AT` or more registrations, companies that moved to
`MOVES_AT` addresses within `MOVE_YEARS` years, companies dissolved within
`SHORT_MONTHS` months of their incorporation, persons who direct `OFFICER_AT` or more
companies registered in the area. They never score a person (AI Act art. 5(1)(d)).

Names reach the pages, the JSON and the SVG through `shown` only: the one call point
where pseudonymisation (helper "pseudo", issue 16 item 4) plugs in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from knooppunt.analytics.areas import ScanArea
from knooppunt.analytics.networks import (
    Network,
    crowded_addresses,
    frequent_movers,
    shared_officers,
    short_lived,
)
from knooppunt.analytics.networks.patterns import (
    CrowdedAddress,
    FrequentMover,
    SharedOfficer,
    ShortLived,
)
from knooppunt.organisations import scope

from . import network as entity_network_module
from .networks import as_network
from .subjects_bridge import bag_entity_id

AREA_DEPTH = 2  # address → registered company → its officers and other addresses
CROWDED_AT = 5
MOVES_AT, MOVE_YEARS = 3, 3
SHORT_MONTHS = 12
OFFICER_AT = 2
BAG_PREFIX = bag_entity_id("")
POSTCODE = re.compile(r"\b(\d{4})\s?([A-Za-z]{2})\b")
NUMBER = re.compile(r"\b(\d{1,5})\b")
CHUNK = 500


@dataclass(frozen=True)
class AreaNetwork:
    """The area, the address entities that lie in it (the seeds) and their network."""

    area: ScanArea
    seeds: tuple[str, ...]
    network: Network


@dataclass(frozen=True)
class AreaPatterns:
    crowded: tuple[CrowdedAddress, ...]
    movers: tuple[FrequentMover, ...]
    short_lived: tuple[ShortLived, ...]
    officers: tuple[SharedOfficer, ...]

    def entity_ids(self) -> list[str]:
        """Every entity the patterns name (for the processing log)."""
        found: set[str] = set()
        for item in self.crowded:
            found |= {item.address, *item.companies, *item.persons}
        found |= {item.company for item in self.movers}
        found |= {a for item in self.movers for _day, a in item.moves}
        found |= {item.company for item in self.short_lived}
        found |= {i for item in self.officers for i in (item.officer, *item.companies)}
        return sorted(found)

    def __bool__(self) -> bool:
        return bool(self.crowded or self.movers or self.short_lived or self.officers)


def _bag_in_area(user, area: ScanArea) -> set[str]:
    from knooppunt.registers.models import Address

    # The visible BAG address entities first (a region holds thousands, the register
    # millions), then which of them lie in the area: two plain queries, where one join
    # through the scope's subqueries took seconds on PostgreSQL.
    visible = list(scope.entities_for(user).filter(schema="Address", id__startswith=BAG_PREFIX)
                   .values_list("pk", flat=True))
    inside: set[str] = set()
    for start in range(0, len(visible), CHUNK):
        numbers = [eid[len(BAG_PREFIX):] for eid in visible[start:start + CHUNK]]
        inside |= {bag_entity_id(n) for n in Address.objects.filter(
            area.address_q(), nummeraanduiding_id__in=numbers).values_list(
            "nummeraanduiding_id", flat=True)}
    return inside


def _typed_places(user) -> dict[str, tuple[str, str]]:
    """(postcode, house number or "") of the visible Address entities without a BAG id."""
    statements = (scope.current_statements_for(user)
                  .filter(schema="Address", prop__in=("postalCode", "street", "full"))
                  .exclude(entity__id__startswith=BAG_PREFIX)
                  .values_list("entity_id", "prop", "value"))
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entity_id, prop, value in statements:
        props[entity_id][prop].append(value)
    places = {}
    for entity_id, found in props.items():
        text = " ".join(found.get("postalCode", []) + found.get("full", []))
        code = POSTCODE.search(text)
        if code is None:
            continue
        postcode = (code.group(1) + code.group(2)).upper()
        # The house number: the last number of the street, or of the full address
        # before its postcode ("Markt 12, 7511 GA Enschede").
        street = (found.get("street") or [""])[0]
        head = street or (found.get("full") or [""])[0].split(code.group(0))[0]
        numbers = NUMBER.findall(head)
        places[entity_id] = (postcode, numbers[-1] if numbers else "")
    return places


def _typed_in_area(user, area: ScanArea) -> set[str]:
    from knooppunt.registers.models import Address

    places = _typed_places(user)
    if not places:
        return set()
    postcodes = sorted({postcode for postcode, _number in places.values()})
    inside: set[tuple[str, str]] = set()
    everywhere: dict[str, int] = defaultdict(int)
    within: dict[str, int] = defaultdict(int)
    for start in range(0, len(postcodes), CHUNK):
        chunk = postcodes[start:start + CHUNK]
        for postcode, number in (Address.objects.filter(area.address_q(), postcode__in=chunk)
                                 .values_list("postcode", "house_number")):
            inside.add((postcode, str(number)))
            within[postcode] += 1
        for postcode in Address.objects.filter(postcode__in=chunk).values_list(
                "postcode", flat=True):
            everywhere[postcode] += 1
    return {entity_id for entity_id, (postcode, number) in places.items()
            if ((postcode, number) in inside if number
                else 0 < within[postcode] == everywhere[postcode])}


def address_ids_in(user, area: ScanArea) -> list[str]:
    """The Address entities the user may see that lie in `area` (the module docstring)."""
    return sorted(_bag_in_area(user, area) | _typed_in_area(user, area))


def area_network(user, area: ScanArea, depth: int = AREA_DEPTH) -> AreaNetwork:
    """The visible network of the area's addresses, `depth` steps out (1-3). The caller
    has resolved `area` for the user (`analytics.areas.resolve`: 403 outside their
    municipalities) and checked that they may read entities."""
    seeds = address_ids_in(user, area)
    found = as_network(entity_network_module.neighbourhood_of(user, seeds, depth))
    return AreaNetwork(area, tuple(seeds), found)


def shown(user, found: AreaNetwork) -> tuple[AreaNetwork, dict[str, str]]:
    """The area network as the user may see it (`scope.shown_network` without a case: an
    area gives no need to know, so names only for what the user revealed, decision 0054),
    and the shown ids mapped back to the real ones for the processing log. Every name of
    the area's page, JSON, SVG and pattern tables passes here; patterns are computed on
    the shown network, so they carry only what it shows (dates to the month)."""
    shown_network = scope.shown_network(user, found.network)
    real_of = {s.id: n.id for s, n in zip(shown_network.nodes, found.network.nodes,
                                          strict=True)}
    shown_of = {real: shown_id for shown_id, real in real_of.items()}
    seeds = tuple(shown_of.get(seed, seed) for seed in found.seeds)
    return AreaNetwork(found.area, seeds, shown_network), real_of


def _registered(network: Network, seeds: Iterable[str]) -> set[str]:
    """Persons and companies with a link to one of the area's addresses."""
    seeds = set(seeds)
    return {end for edge in network.edges for end, other in
            ((edge.source, edge.target), (edge.target, edge.source)) if other in seeds}


def area_patterns(found: AreaNetwork) -> AreaPatterns:
    """The patterns of the area's addresses and of the companies registered there."""
    network, seeds = found.network, set(found.seeds)
    registered = _registered(network, seeds)
    officers = []
    for item in shared_officers(network, OFFICER_AT):
        companies = tuple(c for c in item.companies if c in registered)
        if len(companies) >= OFFICER_AT:
            officers.append(SharedOfficer(item.officer, item.label, companies))
    return AreaPatterns(
        crowded=tuple(p for p in crowded_addresses(network, CROWDED_AT) if p.address in seeds),
        movers=tuple(p for p in frequent_movers(network, MOVES_AT, MOVE_YEARS)
                     if p.company in registered),
        short_lived=tuple(p for p in short_lived(network, SHORT_MONTHS)
                          if p.company in registered),
        officers=tuple(sorted(officers, key=lambda f: (-len(f.companies), f.officer))))
