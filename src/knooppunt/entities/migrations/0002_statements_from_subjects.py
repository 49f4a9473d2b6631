"""Every subject linked to a case becomes an entity with statements (issue 16, item 3).

The provenance is the case (origin) and the organisation that supplied the subject in it;
the mapping is `entities.subjects_bridge`, the same one the case service uses. Subjects
stay where they are.
"""

from django.db import migrations

from knooppunt.entities.subjects_bridge import subject_entity_id, subject_properties

LEGAL_BASIS_CASE = "Convenant casusoverleg; art. 6 lid 1 sub e AVG"


def forwards(apps, schema_editor):
    CaseSubject = apps.get_model("cases", "CaseSubject")
    Entity = apps.get_model("entities", "Entity")
    Statement = apps.get_model("entities", "Statement")
    existing = set(Entity.objects.values_list("pk", flat=True))
    entities, statements = [], []
    links = CaseSubject.objects.select_related("case", "subject").order_by("pk")
    for link in links.iterator(chunk_size=2000):
        subject = link.subject
        entity_id = subject_entity_id(subject)
        schema, props = subject_properties(subject)
        if entity_id not in existing:
            existing.add(entity_id)
            entities.append(Entity(id=entity_id, schema=schema))
        for prop, values in props.items():
            for value in values:
                statements.append(Statement(
                    entity_id=entity_id, schema=schema, prop=prop, value=value,
                    organisation_id=link.supplied_by_id, legal_basis=LEGAL_BASIS_CASE,
                    first_seen=link.valid_from, last_seen=link.valid_until or link.valid_from,
                    origin_kind="case", origin_id=str(link.case_id),
                    confidentiality=link.case.confidentiality,
                    created_by_id=subject.created_by_id))
    Entity.objects.bulk_create(entities, batch_size=1000)
    Statement.objects.bulk_create(statements, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("entities", "0001_entities_and_statements"),
        ("cases", "0004_meeting_attendance"),
        ("subjects", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
