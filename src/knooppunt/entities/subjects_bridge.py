"""Subjects of cases as entities: one mapping, used by the case service, the demo and the
data migration (which passes historical model instances; only plain fields are read).

A subject becomes an entity with a stable id (`subject_entity_id`): Person (name, birth
date), Company (name, KvK number as registrationNumber), Address (full address), Vehicle
(name, licence plate); a person's or company's BAG id becomes `addressEntity` pointing at
the address register's entity (`nl-bag-<id>`). The provenance is the case and the
organisation that supplied the subject in it.
"""

from __future__ import annotations

import re

SCHEMA_OF_KIND = {"persoon": "Person", "bedrijf": "Company", "adres": "Address",
                  "voertuig": "Vehicle"}
_KVK = re.compile(r"^\d{8}$")


def subject_entity_id(subject) -> str:
    """The entity a subject is: the register's entity when it carries a register key (a
    BAG id for an address, a KvK number for a company: identifiers, not a guess), else
    an entity of its own. Persons are never joined here; that is the review queue's."""
    if subject.kind == "adres" and subject.address_register_id:
        return bag_entity_id(subject.address_register_id)
    if subject.kind == "bedrijf" and _KVK.match(subject.kvk_number or ""):
        return kvk_entity_id(subject.kvk_number)
    return f"knp-subject-{subject.pk}"


def bag_entity_id(nummeraanduiding_id: str) -> str:
    return f"nl-bag-{nummeraanduiding_id}"


def kvk_entity_id(kvk_number: str) -> str:
    return f"nl-kvk-{kvk_number}"


def subject_properties(subject) -> tuple[str, dict[str, tuple[str, ...]]]:
    """(schema, properties) of a subject; empty fields give no property."""
    schema = SCHEMA_OF_KIND[subject.kind]
    name_prop = "full" if schema == "Address" else "name"
    props: dict[str, tuple[str, ...]] = {name_prop: (subject.name.strip(),)}
    if schema == "Person" and subject.date_of_birth:
        props["birthDate"] = (subject.date_of_birth.isoformat(),)
    if schema == "Company" and _KVK.match(subject.kvk_number or ""):
        props["registrationNumber"] = (subject.kvk_number,)
    if schema == "Vehicle" and subject.licence_plate:
        props["registrationNumber"] = (subject.licence_plate.upper(),)
    if subject.address_register_id and schema in ("Person", "Company"):
        props["addressEntity"] = (bag_entity_id(subject.address_register_id),)
    return schema, props
