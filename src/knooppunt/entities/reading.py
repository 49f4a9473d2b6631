"""Reading entities for the API and the entity page: scoped, shaped, and logged once.

Everything starts from `scope.entities_for` / `scope.current_statements_for`; the caller
logs the read with `log_read` (object type `entities.entity`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from knooppunt.audit.log import Action, Outcome, record
from knooppunt.organisations import scope
from knooppunt.organisations.models import Organisation

from . import ftm
from .ftm_io import OBJECT_TYPE, PURPOSE
from .models import Entity, OriginKind
from .services import properties_of


@dataclass(frozen=True)
class StatementView:
    id: int | None  # None when pseudonymised (`shown.entity_view`)
    prop: str
    value: str
    supplier: str
    legal_basis: str
    origin_kind: str
    origin_id: str
    first_seen: date
    last_seen: date
    retracted: bool
    created_at: datetime


@dataclass(frozen=True)
class EntityView:
    id: str
    schema: str
    label: str
    properties: dict[str, list[str]]
    statements: tuple[StatementView, ...] = ()
    # True when shown as a pseudonym (`entities.shown`, decision 0054).
    pseudonymised: bool = False

    @property
    def ends(self) -> tuple[str, str]:
        """(source id, target id) of a link; empty strings for a node."""
        props = ftm.edge_ends(self.schema)
        if not props:
            return "", ""
        return ((self.properties.get(props[0]) or [""])[0],
                (self.properties.get(props[1]) or [""])[0])

    def as_api(self, with_statements: bool = False) -> dict:
        body = {"id": self.id, "schema": self.schema, "label": self.label,
                "properties": self.properties, "pseudonymised": self.pseudonymised}
        if ftm.edge_ends(self.schema):
            body["source"], body["target"] = self.ends
        if with_statements:
            body["statements"] = [{
                "id": s.id, "prop": s.prop, "value": s.value, "supplier": s.supplier,
                "legalBasis": s.legal_basis, "originKind": s.origin_kind,
                "originId": s.origin_id, "firstSeen": s.first_seen, "lastSeen": s.last_seen,
                "retracted": s.retracted, "createdAt": s.created_at,
            } for s in self.statements]
        return body


def _supplier_names(statements) -> dict[int, str]:
    ids = {s.organisation_id for s in statements} - {None}
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


def views_of(user, entities: list[Entity]) -> list[EntityView]:
    """Entities with the properties the user may see (no statement list)."""
    props = properties_of(scope.current_statements_for(user)
                          .filter(entity_id__in=[e.pk for e in entities]))
    return [EntityView(e.pk, e.schema, ftm.caption(e.schema, props.get(e.pk, {})),
                       props.get(e.pk, {})) for e in entities]


def detail(user, entity_id: str) -> EntityView | None:
    """One entity with every statement the user may see (retracted ones marked)."""
    entity = scope.entities_for(user).filter(pk=entity_id).first()
    if entity is None:
        return None
    statements = list(scope.statements_for(user).filter(entity_id=entity_id)
                      .order_by("prop", "first_seen", "pk"))
    retracted = {s.retracts_id for s in statements if s.retracts_id}
    names = _supplier_names(statements)
    current = [s for s in statements if not s.retracts_id and s.pk not in retracted]
    props = properties_of(current).get(entity_id, {})
    views = tuple(StatementView(
        s.pk, s.prop, s.value, names.get(s.organisation_id, s.origin_id.upper()),
        s.legal_basis, s.origin_kind, s.origin_id, s.first_seen, s.last_seen,
        s.pk in retracted, s.created_at) for s in statements if not s.retracts_id)
    return EntityView(entity.pk, entity.schema, ftm.caption(entity.schema, props), props,
                      views)


def touching(user, entity_id: str) -> tuple[QuerySet, QuerySet]:
    """(cases, signals) the user may see that the entity's visible statements come from."""
    origins = scope.current_statements_for(user).filter(entity_id=entity_id)
    case_ids = origins.filter(origin_kind=OriginKind.CASE).values_list("origin_id", flat=True)
    signal_ids = origins.filter(origin_kind=OriginKind.SIGNAL).values_list("origin_id",
                                                                           flat=True)
    cases = scope.cases_for(user).filter(pk__in=[int(i) for i in set(case_ids)])
    signals = scope.signals_for(user).filter(pk__in=[int(i) for i in set(signal_ids)])
    return cases.order_by("opened_on", "pk"), signals.order_by("received_on", "pk")


def log_read(user, entity_ids: list[str], *, action: str = Action.VIEW, channel=None,
             detail: str = "", denied: bool = False) -> None:
    record(user=user, action=action, object_type=OBJECT_TYPE, object_ids=entity_ids,
           purpose=PURPOSE, outcome=Outcome.DENIED if denied else Outcome.SUCCESS,
           detail=detail[:200], channel=channel)
