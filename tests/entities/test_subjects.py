"""Subjects of cases become entities: through the case service and by the data migration."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps

from knooppunt.cases import services
from knooppunt.cases.models import CaseSubject
from knooppunt.entities.models import Entity, Statement
from knooppunt.organisations import scope
from knooppunt.subjects.models import Subject, SubjectKind

pytestmark = pytest.mark.django_db


def test_adding_a_subject_states_it_with_the_case_as_origin(chain, case):
    link = services.add_subject(user=chain.coordinator, case=case, kind=SubjectKind.PERSON,
                                name="Jan de Vries", date_of_birth=dt.date(1978, 3, 12),
                                valid_from=dt.date(2025, 3, 6))
    eid = f"knp-subject-{link.subject_id}"
    facts = {(s.prop, s.value, s.origin_kind, s.origin_id, s.organisation_id, s.first_seen)
             for s in Statement.objects.filter(entity_id=eid)}
    assert facts == {
        ("name", "Jan de Vries", "case", str(case.pk), chain.gemeente.pk, dt.date(2025, 3, 6)),
        ("birthDate", "1978-03-12", "case", str(case.pk), chain.gemeente.pk,
         dt.date(2025, 3, 6))}
    assert Entity.objects.get(pk=eid).schema == "Person"
    assert not scope.entities_for(chain.partner).exists()


def test_a_company_with_a_kvk_number_is_the_register_entity(chain, case):
    services.add_subject(user=chain.coordinator, case=case, kind=SubjectKind.COMPANY,
                         name="Hennep BV", kvk_number="12345678")
    assert Entity.objects.get(pk="nl-kvk-12345678").schema == "Company"


def test_the_migration_turns_existing_subjects_into_entities(chain, case):
    made = [Subject.objects.create(kind=kind, name=name, supplied_by=chain.gemeente,
                                   supplied_on=dt.date(2025, 3, 5), **extra)
            for kind, name, extra in (
                (SubjectKind.PERSON, "Piet Jansen", {"date_of_birth": dt.date(1980, 1, 2)}),
                (SubjectKind.ADDRESS, "Markt 1, Enschede",
                 {"address_register_id": "0153200000000001"}),
                (SubjectKind.VEHICLE, "Bestelbus", {"licence_plate": "ab-12-cd"}),
            )]
    for subject in made:
        CaseSubject.objects.create(case=case, subject=subject, valid_from=dt.date(2025, 3, 5),
                                   supplied_by=chain.politie)
    migration = import_module("knooppunt.entities.migrations.0002_statements_from_subjects")
    migration.forwards(apps, None)
    found = {(s.entity_id, s.prop, s.value, s.organisation_id)
             for s in Statement.objects.filter(origin_kind="case", origin_id=str(case.pk))}
    assert found == {
        (f"knp-subject-{made[0].pk}", "name", "Piet Jansen", chain.politie.pk),
        (f"knp-subject-{made[0].pk}", "birthDate", "1980-01-02", chain.politie.pk),
        ("nl-bag-0153200000000001", "full", "Markt 1, Enschede", chain.politie.pk),
        (f"knp-subject-{made[2].pk}", "name", "Bestelbus", chain.politie.pk),
        (f"knp-subject-{made[2].pk}", "registrationNumber", "AB-12-CD", chain.politie.pk),
    }
    assert Subject.objects.count() == 3  # the subjects stay
