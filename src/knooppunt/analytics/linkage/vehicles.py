"""Vehicle records for linkage: Dutch licence plates (kentekens), make and colour.

A kenteken is written "12-ABC-3", "12abc3" or "12 ABC 3": dashes, spaces and case are
dropped before comparing. A plate is six letters and digits with at least one of each (all
Dutch side codes are); anything else is not compared and is named in `problems`.

The plate agrees exactly or by one transposition of neighbouring characters ("12ABC3" vs
"12BAC3", the typo a person makes copying a plate); any other difference is another plate.
A transposition keeps the plate's characters, so a blocking key of its characters sorted
(`plate_letters`) brings those pairs together without comparing every plate with every
other. Make and colour (as the RDW register names them) support or weaken a plate match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from .model import jaro_winkler_sql, settings_for
from .records import fold

_PLATE_SEPARATORS = re.compile(r"[\s\-.]+")
_PLATE = re.compile(r"^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]{6}$")

VEHICLE_FIELDS: tuple[str, ...] = ("licence_plate", "make", "colour")


@dataclass(frozen=True)
class VehicleRecord:
    """One vehicle as a source supplied it; every field may be empty or wrong."""

    record_id: str
    source: str = ""
    licence_plate: str = ""
    make: str = ""
    colour: str = ""


@dataclass(frozen=True)
class NormalisedVehicle:
    """The comparable form of a vehicle record; None means unknown."""

    unique_id: str
    source_dataset: str
    licence_plate: str | None
    plate_letters: str | None  # the plate's characters sorted: the same for a transposition
    make: str | None
    colour: str | None
    problems: tuple[str, ...] = field(default=())


def normalise_plate(value: str | None) -> str | None:
    """'12-abc-3' -> '12ABC3'; None when it is not a Dutch plate's form."""
    compact = _PLATE_SEPARATORS.sub("", (value or "").upper())
    return compact if _PLATE.match(compact) else None


def normalise_vehicle(record: VehicleRecord) -> NormalisedVehicle:
    """The comparable form of one vehicle record; an unreadable plate is named in problems."""
    plate = normalise_plate(record.licence_plate)
    problems = ("licence_plate_invalid",) if record.licence_plate.strip() and not plate else ()
    if not record.licence_plate.strip():
        problems = ("licence_plate_missing",)
    return NormalisedVehicle(
        unique_id=str(record.record_id), source_dataset=record.source or "",
        licence_plate=plate, plate_letters="".join(sorted(plate)) if plate else None,
        make=fold(record.make) or None, colour=fold(record.colour) or None, problems=problems)


def _plate() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="licence_plate", comparison_levels=[
        cll.NullLevel("licence_plate"),
        cll.ExactMatchLevel("licence_plate"),
        # Same characters, one edit apart: only a swap of two neighbours does both.
        cll.CustomLevel("plate_letters_l = plate_letters_r AND "
                        "damerau_levenshtein(licence_plate_l, licence_plate_r) = 1",
                        "one transposition"),
        cll.ElseLevel(),
    ])


def _make(dialect: str) -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="make", comparison_levels=[
        cll.NullLevel("make"),
        cll.ExactMatchLevel("make"),
        cll.CustomLevel(jaro_winkler_sql("make_l", "make_r", dialect) + " >= 0.88",
                        "Jaro-Winkler >= 0.88"),
        cll.ElseLevel(),
    ])


def _colour() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="colour", comparison_levels=[
        cll.NullLevel("colour"), cll.ExactMatchLevel("colour"), cll.ElseLevel()])


PRIOR_RULES: tuple[tuple[str, ...], ...] = (("licence_plate",),)
# Training by EM: pairs sharing a plate teach make and colour; pairs sharing the plate's
# characters (exact plates and transpositions among unrelated plates) teach the plate.
TRAINING_RULES: tuple[tuple[str, ...], ...] = (("licence_plate",), ("plate_letters",))


def vehicle_settings(fields: list[str], link_type: str, *, dialect: str = "duckdb",
                     term_frequencies: bool = False) -> SettingsCreator:
    """The Splink settings for vehicle records with these fields (see the module doc)."""
    del term_frequencies  # plates are unique by law; nothing to weigh
    builders = {"licence_plate": _plate, "make": lambda: _make(dialect), "colour": _colour}
    comparisons = [builders[f]() for f in VEHICLE_FIELDS if f in fields]
    rules = [block_on("plate_letters")] if "licence_plate" in fields else []
    return settings_for(comparisons, rules, link_type)
