"""Writing statements: the one path by which facts about entities are stored.

Callers (the case service, the FtM import, register adapters, the demo and the data
migration's twin `subject_statements`) say what they know and where it came from; this
module makes the entity if it is new and adds one statement per value that its origin did
not state yet, so saying the same thing twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from . import ftm
from .models import Entity, OriginKind, Statement

LEGAL_BASIS_CASE = "Convenant casusoverleg; art. 6 lid 1 sub e AVG"
LEGAL_BASIS_KVK = "Handelsregisterwet 2007 (openbaar register)"
LEGAL_BASIS_BAG = "Wet basisregistratie adressen en gebouwen (openbaar register)"


@dataclass(frozen=True)
class Provenance:
    """Where a statement comes from and under which basis it may be kept."""

    origin_kind: str
    origin_id: str
    legal_basis: str
    organisation_id: int | None = None
    first_seen: date | None = None
    last_seen: date | None = None
    confidentiality: int | None = None


@dataclass(frozen=True)
class FtmEntity:
    """One entity as FtM JSON carries it: id, schema and property values."""

    id: str
    schema: str
    properties: dict[str, tuple[str, ...]]

    def as_json(self) -> dict:
        return {"id": self.id, "schema": self.schema,
                "properties": {k: sorted(v) for k, v in sorted(self.properties.items()) if v}}


def properties_of(statements: Iterable[Statement]) -> dict[str, dict[str, list[str]]]:
    """{entity id: {property: sorted distinct values}} from statements."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for statement in statements:
        found[statement.entity_id][statement.prop].add(statement.value)
    return {eid: {p: sorted(v) for p, v in sorted(props.items())}
            for eid, props in found.items()}


def _statement(entity: FtmEntity, prop: str, value: str, provenance: Provenance,
               user, today: date) -> Statement:
    extra = {} if provenance.confidentiality is None else {
        "confidentiality": provenance.confidentiality}
    return Statement(
        entity_id=entity.id, schema=entity.schema, prop=prop, value=value,
        organisation_id=provenance.organisation_id, legal_basis=provenance.legal_basis,
        first_seen=provenance.first_seen or today, last_seen=provenance.last_seen or today,
        origin_kind=provenance.origin_kind, origin_id=str(provenance.origin_id),
        created_by=user, **extra)


@transaction.atomic
def record_entities(entities: Iterable[FtmEntity], provenance: Provenance, user=None) -> int:
    """Store the entities' values from `provenance`; return how many statements were new.

    An entity that exists keeps its schema (a caller that says otherwise is refused with
    ValueError: FtM ids are stable, a Person never becomes a Company). A value this origin
    already stated is not stated again.
    """
    entities = list(entities)
    if not entities:
        return 0
    today = timezone.localdate()
    known = dict(Entity.objects.filter(pk__in=[e.id for e in entities])
                 .values_list("pk", "schema"))
    new_entities = []
    for entity in entities:
        if entity.schema not in ftm.SCHEMATA:
            raise ValueError(f"unknown schema {entity.schema}")
        if entity.id in known and known[entity.id] != entity.schema:
            raise ValueError(f"{entity.id} is a {known[entity.id]}, not a {entity.schema}")
        if entity.id not in known:
            known[entity.id] = entity.schema
            new_entities.append(Entity(id=entity.id, schema=entity.schema, created_by=user))
    Entity.objects.bulk_create(new_entities)
    stated = set(Statement.objects.filter(
        entity_id__in=[e.id for e in entities], origin_kind=provenance.origin_kind,
        origin_id=str(provenance.origin_id), retracts__isnull=True,
    ).values_list("entity_id", "prop", "value"))
    rows = []
    for entity in entities:
        for prop, values in sorted(entity.properties.items()):
            for value in sorted(set(values)):
                if (entity.id, prop, value) not in stated:
                    stated.add((entity.id, prop, value))
                    rows.append(_statement(entity, prop, value, provenance, user, today))
    Statement.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def retract(statement: Statement, *, user, reason: str) -> Statement:
    """Withdraw a statement: a new statement from the same origin that points at it."""
    return Statement.objects.create(
        entity_id=statement.entity_id, schema=statement.schema, prop=statement.prop,
        value=reason[:500], organisation_id=statement.organisation_id,
        legal_basis=statement.legal_basis, first_seen=timezone.localdate(),
        last_seen=timezone.localdate(), origin_kind=statement.origin_kind,
        origin_id=statement.origin_id, confidentiality=statement.confidentiality,
        retracts=statement, created_by=user)


def case_provenance(case, organisation_id: int | None, when: date | None = None
                    ) -> Provenance:
    """Provenance of what an organisation supplied in a case."""
    return Provenance(origin_kind=OriginKind.CASE, origin_id=str(case.pk),
                      legal_basis=LEGAL_BASIS_CASE, organisation_id=organisation_id,
                      first_seen=when, last_seen=when,
                      confidentiality=case.confidentiality)


def record_case_subjects(links: Iterable, user=None) -> int:
    """Statements for `cases.CaseSubject` links (the case service and the demo call this).

    Links are grouped by their provenance (case, supplier, date), one write per group.
    """
    from .subjects_bridge import subject_entity_id, subject_properties

    groups: dict[tuple, list[FtmEntity]] = defaultdict(list)
    cases = {}
    for link in links:
        schema, props = subject_properties(link.subject)
        key = (link.case_id, link.supplied_by_id, link.valid_from)
        cases[link.case_id] = link.case
        groups[key].append(FtmEntity(subject_entity_id(link.subject), schema, props))
    return sum(record_entities(entities, case_provenance(cases[case_id], supplier, when), user)
               for (case_id, supplier, when), entities in groups.items())
