"""Statements are append-only and the one writer states each value once per origin."""

from __future__ import annotations

import pytest

from knooppunt.entities import ftm
from knooppunt.entities.models import Entity, Statement
from knooppunt.entities.services import FtmEntity, record_entities, retract

from .factories import case_origin, entity

pytestmark = pytest.mark.django_db


def test_the_same_facts_twice_add_nothing(chain, case):
    origin = case_origin(case, chain.gemeente)
    entity("p1", "Person", origin, name="Jan de Vries", birthDate="1978-03-12")
    assert Statement.objects.count() == 2
    assert record_entities([FtmEntity("p1", "Person", {"name": ("Jan de Vries",)})],
                           origin) == 0
    assert record_entities([FtmEntity("p1", "Person", {"alias": ("J. de Vries",)})],
                           origin) == 1


def test_an_entity_keeps_its_schema(chain, case):
    origin = case_origin(case, chain.gemeente)
    entity("p1", "Person", origin, name="Jan")
    with pytest.raises(ValueError, match="is a Person"):
        record_entities([FtmEntity("p1", "Company", {"name": ("Jan BV",)})], origin)
    assert Entity.objects.get().schema == "Person"


def test_statements_cannot_be_changed_or_deleted(chain, case):
    entity("p1", "Person", case_origin(case, chain.gemeente), name="Jan")
    statement = Statement.objects.get()
    with pytest.raises(PermissionError):
        Statement.objects.filter(pk=statement.pk).update(value="Piet")
    with pytest.raises(PermissionError):
        Statement.objects.all().delete()
    with pytest.raises(PermissionError):
        statement.delete()
    statement.value = "Piet"
    with pytest.raises(PermissionError):
        statement.save()
    assert Statement.objects.get().value == "Jan"


def test_a_retraction_is_a_new_statement(chain, case):
    entity("p1", "Person", case_origin(case, chain.gemeente), name="Jan")
    wrong = Statement.objects.get()
    retraction = retract(wrong, user=chain.coordinator, reason="verkeerde persoon")
    assert retraction.retracts == wrong
    assert Statement.objects.count() == 2


def test_schema_helpers_follow_ftm():
    assert ftm.is_a("Company", "LegalEntity") and not ftm.is_a("Address", "LegalEntity")
    assert ftm.edge_ends("Directorship") == ("director", "organization")
    assert "birthDate" in ftm.properties("Person") and "birthDate" not in ftm.properties(
        "Company")
    assert ftm.caption("Address", {"full": ["Markt 1, Enschede"]}) == "Markt 1, Enschede"
