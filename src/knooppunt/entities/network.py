"""What the linkage review queue and the network view read: small, scoped functions.

* `person_records(user)`: the Person entities the user may see as
  `analytics.linkage.records.PersonRecord`s, with the entity id as record id, so the
  Splink core (decision 0045) can propose matches between them.
* `neighbourhood(user, entity_id, depth)`: the nodes and edges around an entity that the
  user may see: an edge is an FtM link entity (Directorship, Ownership, ...) or an
  entity-valued property (`addressEntity`), shown only when both ends are visible; each
  edge carries its provenance (who, which origin, first and last seen).

Neither logs: the caller shows the result and logs the read (as the entity page does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from knooppunt.analytics.linkage.records import PersonRecord
from knooppunt.organisations import scope
from knooppunt.organisations.models import Organisation

from . import ftm
from .services import properties_of

MAX_DEPTH = 3
# A company's lifetime, for the short-lived pattern (`analytics.networks.short_lived`).
COMPANY_DATES = ("incorporationDate", "dissolutionDate")


@dataclass(frozen=True)
class Source:
    supplier: str  # organisation name, or the register's code
    origin_kind: str
    origin_id: str
    first_seen: date
    last_seen: date


@dataclass(frozen=True)
class Node:
    id: str
    schema: str
    label: str
    # The dates a company pattern reads (`COMPANY_DATES`), as the user may see them.
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    id: str  # the link entity's id, or "<entity>:<property>:<target>"
    source: str
    target: str
    type: str  # FtM schema of the link, or the property name
    label: str
    provenance: tuple[Source, ...]
    start: str = ""  # the link entity's startDate / endDate as FtM writes them (2019-03)
    end: str = ""


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    # Links the user sees that point at an entity they may not see: they know the link
    # exists (they read its statement), so the count tells nothing new; links of which
    # they see no statement are not counted at all.
    hidden_ends: int = 0
    # The same links, counted at the visible node they hang from (the network view shows
    # "n afgeschermd" beside that node).
    hidden_per_node: Mapping[str, int] = field(default_factory=dict)


def _entity_props() -> dict[str, set[str]]:
    """Entity-valued property names per schema."""
    return {name: {p.name for p in ftm.properties(name).values() if p.type == ftm.ENTITY}
            for name in ftm.SCHEMATA}


def _sources(statements, names: dict[int, str]) -> tuple[Source, ...]:
    found = {Source(names.get(s.organisation_id, s.origin_id), s.origin_kind, s.origin_id,
                    s.first_seen, s.last_seen) for s in statements}
    return tuple(sorted(found, key=lambda s: (s.first_seen, s.supplier, s.origin_id)))


def neighbourhood(user, entity_id: str, depth: int = 1) -> Network:
    """The visible network up to `depth` steps (1-3) from `entity_id`; empty if hidden."""
    return neighbourhood_of(user, [entity_id], depth)


def neighbourhood_of(user, entity_ids: Iterable[str], depth: int = 1) -> Network:
    """The visible network up to `depth` steps (1-3) from any of `entity_ids` (a case's
    entities); the ids the user may not see are left out, as if they did not exist."""
    depth = max(1, min(depth, MAX_DEPTH))
    visible = scope.current_statements_for(user)
    entity_valued = _entity_props()
    ref_props = sorted({p for props in entity_valued.values() for p in props})
    nodes: dict[str, str] = dict(scope.entities_for(user).filter(pk__in=list(entity_ids))
                                 .values_list("pk", "schema"))
    if not nodes:
        return Network((), ())
    frontier = set(nodes)
    edge_statements: dict[str, list] = defaultdict(list)
    pointers: set[tuple[str, str]] = set()
    for _step in range(depth):
        # Statements that point at the frontier, and the frontier's own pointing ones.
        pointing = list(visible.filter(prop__in=ref_props, value__in=frontier))
        pointing += list(visible.filter(prop__in=ref_props, entity_id__in=frontier))
        link_ids = {s.entity_id for s in pointing}
        # The other end of a link entity: its other entity-valued statements.
        pointing += list(visible.filter(prop__in=ref_props, entity_id__in=link_ids))
        reached = set()
        for statement in pointing:
            edge_statements[statement.entity_id].append(statement)
            pointers.add((statement.entity_id, statement.value))
            reached |= {statement.entity_id, statement.value}
        schemata = dict(scope.entities_for(user).filter(pk__in=reached - set(nodes))
                        .values_list("pk", "schema"))
        nodes.update(schemata)
        frontier = {eid for eid, schema in schemata.items() if not ftm.edge_ends(schema)}
        if not frontier:
            break
    hidden = sum(1 for owner, target in pointers if owner in nodes and target not in nodes)
    return _assemble(user, nodes, edge_statements, hidden,
                     _hidden_per_node(nodes, edge_statements, pointers))


def _hidden_per_node(nodes: dict[str, str], edge_statements: dict[str, list],
                     pointers: set[tuple[str, str]]) -> dict[str, int]:
    """Each counted hidden end at the visible node it hangs from: the node itself for an
    entity-valued property, the link's visible end(s) for a link entity."""
    counts: dict[str, int] = defaultdict(int)
    for owner, target in pointers:
        if owner not in nodes or target in nodes:
            continue
        if not ftm.edge_ends(nodes[owner]):
            counts[owner] += 1
            continue
        for end in {s.value for s in edge_statements.get(owner, ())} & set(nodes):
            if not ftm.edge_ends(nodes[end]):
                counts[end] += 1
    return dict(counts)


def _assemble(user, nodes: dict[str, str], edge_statements: dict[str, list],
              hidden_ends: int = 0, hidden_per_node: dict[str, int] | None = None) -> Network:
    props = properties_of(scope.current_statements_for(user).filter(entity_id__in=nodes))
    org_ids = {s.organisation_id for items in edge_statements.values() for s in items}
    names = dict(Organisation.objects.filter(pk__in=org_ids - {None})
                 .values_list("pk", "name"))
    edges: dict[str, Edge] = {}
    for owner, statements in edge_statements.items():
        schema = nodes.get(owner)
        if schema is None:
            continue
        ends = ftm.edge_ends(schema)
        if ends:  # a link entity: one edge from its source to its target
            by_prop = defaultdict(set)
            for s in statements:
                by_prop[s.prop].add(s.value)
            for source in sorted(by_prop.get(ends[0], ())):
                for target in sorted(by_prop.get(ends[1], ())):
                    if source in nodes and target in nodes:
                        own = props.get(owner, {})
                        edges[f"{owner}:{source}:{target}"] = Edge(
                            owner, source, target, schema, ftm.caption(schema, own),
                            _sources(statements, names), min(own.get("startDate") or [""]),
                            max(own.get("endDate") or [""]))
            continue
        for s in statements:  # an entity-valued property of a node (addressEntity)
            if s.value in nodes and not ftm.edge_ends(nodes[s.value]):
                key = f"{owner}:{s.prop}:{s.value}"
                same = [t for t in statements if t.prop == s.prop and t.value == s.value]
                edges[key] = Edge(key, owner, s.value, s.prop, s.prop, _sources(same, names))
    node_list = tuple(Node(eid, schema, ftm.caption(schema, props.get(eid, {})),
                           _attributes(schema, props.get(eid, {})))
                      for eid, schema in sorted(nodes.items()) if not ftm.edge_ends(schema))
    return Network(node_list, tuple(edges[k] for k in sorted(edges)), hidden_ends,
                   dict(hidden_per_node or {}))


def _attributes(schema: str, props: Mapping[str, list[str]]) -> dict[str, str]:
    """A company's earliest incorporation and latest dissolution date the user sees."""
    if schema != "Company":
        return {}
    found = {"incorporationDate": min(props.get("incorporationDate") or [""]),
             "dissolutionDate": max(props.get("dissolutionDate") or [""])}
    return {k: v for k, v in found.items() if v}


def _split_name(name: str) -> tuple[str, str]:
    """'Jan de Vries' -> ('Jan', 'de Vries'): the first word is taken as the given name."""
    words = name.replace("(fictief)", "").split()
    if len(words) < 2:
        return "", " ".join(words)
    return words[0], " ".join(words[1:])


def person_records(user) -> list[PersonRecord]:
    """The Person entities the user may see, as linkage input (record id = entity id).

    The source is the supplying organisation (or the register) of the entity's first
    statement, so the linkage core can tell partners apart; the address comes from the
    first visible `addressEntity`.
    """
    visible = scope.current_statements_for(user)
    people = list(scope.entities_for(user).filter(schema="Person")
                  .values_list("pk", flat=True))
    return records_from(visible, people)


def records_from(visible, people: list[str]) -> list[PersonRecord]:
    """`people` as PersonRecords, from the statements in `visible` only.

    `person_records` passes what a user may see; the match proposer (decision 0053) passes
    every current statement, as a system job whose output only reviewers who see both
    sides will read.
    """
    props = properties_of(visible.filter(entity_id__in=people))
    first = {}
    for s in visible.filter(entity_id__in=people).order_by("first_seen", "pk"):
        first.setdefault(s.entity_id, f"org-{s.organisation_id}" if s.organisation_id
                         else s.origin_id)
    address_ids = {p["addressEntity"][0] for p in props.values() if p.get("addressEntity")}
    addresses = properties_of(visible.filter(entity_id__in=address_ids))
    records = []
    for eid in sorted(people):
        p = props.get(eid, {})
        given, surname = _split_name((p.get("name") or [""])[0])
        address = addresses.get((p.get("addressEntity") or [""])[0], {})
        street = (address.get("street") or [""])[0]
        house = street.rsplit(" ", 1)[-1] if street else ""
        records.append(PersonRecord(
            record_id=eid, source=first.get(eid, ""),
            given_names=(p.get("firstName") or [given])[0],
            surname=(p.get("lastName") or [surname])[0],
            date_of_birth=(p.get("birthDate") or [None])[0],
            postcode=(address.get("postalCode") or [""])[0], house_number=house,
            street=street.rsplit(" ", 1)[0] if street else "",
            city=(address.get("city") or [""])[0],
            bsn=(p.get("socialSecurityNumber") or [""])[0]))
    return records
