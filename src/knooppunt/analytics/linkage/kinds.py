"""The kinds of record the engine links: persons, companies, vehicles.

Each kind names its normalised record type, the fields it compares, the columns a field
brings along (a comparison may read a second column), its Splink settings, the rules that
estimate the prior (pairs that are almost surely one entity) and the EM training rules.
The engine reads only this, so one training-and-prediction path serves every kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from splink import SettingsCreator

from . import companies, model, vehicles
from .records import NormalisedRecord


@dataclass(frozen=True)
class RecordKind:
    """What the engine needs to know to link records of one kind."""

    name: str
    record_type: type
    fields: tuple[str, ...]
    settings: Callable[..., SettingsCreator]
    prior_rules: tuple[tuple[str, ...], ...]
    training_rules: tuple[tuple[str, ...], ...]
    always: tuple[str, ...] = ()  # columns handed over whatever the fields
    companions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def columns(self, fields: Sequence[str]) -> list[str]:
        """The columns Splink gets for these fields, ids first."""
        out = ["unique_id", "source_dataset", *self.always]
        for name in fields:
            for column in (name, *self.companions.get(name, ())):
                if column not in out:
                    out.append(column)
        return out


PERSON = RecordKind(
    name="person", record_type=NormalisedRecord, fields=model.COMPARED_FIELDS,
    settings=model.person_settings,
    # The prior from rules that rarely join two people.
    prior_rules=(("first_name", "surname", "dob"), ("bsn",)),
    training_rules=model.TRAINING_BLOCKS,
    always=("initials",), companions={"first_name": ("surname",)})

COMPANY = RecordKind(
    name="company", record_type=companies.NormalisedCompany, fields=companies.COMPANY_FIELDS,
    settings=companies.company_settings, prior_rules=companies.PRIOR_RULES,
    training_rules=companies.TRAINING_RULES, companions={"trade_name": ("name_words",)})

VEHICLE = RecordKind(
    name="vehicle", record_type=vehicles.NormalisedVehicle, fields=vehicles.VEHICLE_FIELDS,
    settings=vehicles.vehicle_settings, prior_rules=vehicles.PRIOR_RULES,
    training_rules=vehicles.TRAINING_RULES, companions={"licence_plate": ("plate_letters",)})

KINDS: tuple[RecordKind, ...] = (PERSON, COMPANY, VEHICLE)


def kind_of(records: Sequence[object]) -> RecordKind:
    """The kind of these records; mixing kinds is refused (a person is not a company)."""
    types = {type(r) for r in records}
    for kind in KINDS:
        if types == {kind.record_type}:
            return kind
    raise TypeError("records must all be of one normalised kind (person, company or vehicle), "
                    f"got {sorted(t.__name__ for t in types)}")
