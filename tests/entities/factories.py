"""Building entities in tests: through the one writer, with a provenance of choice."""

from __future__ import annotations

import datetime as dt

from knooppunt.entities.services import FtmEntity, Provenance, record_entities


def case_origin(case, organisation, when=dt.date(2025, 3, 5)) -> Provenance:
    return Provenance(origin_kind="case", origin_id=str(case.pk), legal_basis="test",
                      organisation_id=organisation.pk, first_seen=when, last_seen=when,
                      confidentiality=case.confidentiality)


def register_origin(code: str = "kvk", when=dt.date(2024, 1, 1)) -> Provenance:
    return Provenance(origin_kind="register", origin_id=code, legal_basis="register",
                      first_seen=when, last_seen=when, confidentiality=1)


def entity(entity_id: str, schema: str, provenance: Provenance, **props) -> FtmEntity:
    """Store one entity: `entity("p1", "Person", origin, name="Jan")`; lists allowed."""
    values = {k: tuple(v) if isinstance(v, list | tuple) else (v,) for k, v in props.items()}
    found = FtmEntity(entity_id, schema, values)
    record_entities([found], provenance)
    return found
