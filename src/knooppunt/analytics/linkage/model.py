"""The Splink model for person records: comparisons, blocking rules, training rules.

Everything here is data for Splink (a settings object); nothing runs. A comparison is only
included for a field that has values in the data, so one model serves Dutch partner files
(BSN, postcode + house number) and foreign test sets (FEBRL: no BSN, other ids).

Levels, best first; each gets its own m and u from training, so their weights are learnt,
not set by hand:
- names: exact, reversed (first name and surname swapped), Jaro-Winkler >= 0.92 / >= 0.80,
  and for first names "only initials known and the first initial agrees";
- date of birth: exact, day and month swapped, one typo (Damerau-Levenshtein 1), same year;
- postcode: exact, same four digits (the PC4 area), one typo; house number: exact;
- BSN and KvK: exact only, and only ever valid numbers reach them (see `records`).
"""

from __future__ import annotations

from collections.abc import Iterable

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

COMPARED_FIELDS: tuple[str, ...] = (
    "first_name", "surname", "dob", "postcode", "house_number", "street", "city", "bsn",
    "kvk", "other_id",
)


def _first_name() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="first_name", comparison_levels=[
        cll.CustomLevel("(first_name_l IS NULL AND initials_l IS NULL) OR "
                        "(first_name_r IS NULL AND initials_r IS NULL)",
                        label_for_charts="first name unknown").configure(is_null_level=True),
        cll.ExactMatchLevel("first_name"),
        cll.ColumnsReversedLevel("first_name", "surname").configure(
            label_for_charts="first name and surname swapped"),
        cll.JaroWinklerLevel("first_name", 0.92),
        cll.JaroWinklerLevel("first_name", 0.80),
        cll.CustomLevel("(first_name_l IS NULL OR first_name_r IS NULL) AND "
                        "substr(initials_l, 1, 1) = substr(initials_r, 1, 1)",
                        label_for_charts="only initials known, first initial agrees"),
        cll.ElseLevel(),
    ])


def _surname() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="surname", comparison_levels=[
        cll.NullLevel("surname"),
        cll.ExactMatchLevel("surname"),
        cll.ColumnsReversedLevel("first_name", "surname").configure(
            label_for_charts="first name and surname swapped"),
        cll.JaroWinklerLevel("surname", 0.92),
        cll.JaroWinklerLevel("surname", 0.80),
        cll.ElseLevel(),
    ])


def _dob() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="dob", comparison_levels=[
        cll.NullLevel("dob"),
        cll.ExactMatchLevel("dob"),
        cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND "
                        "substr(dob_l, 6, 2) = substr(dob_r, 9, 2) AND "
                        "substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                        label_for_charts="day and month swapped"),
        cll.DamerauLevenshteinLevel("dob", 1),
        cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)",
                        label_for_charts="same year of birth"),
        cll.ElseLevel(),
    ])


def _postcode() -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="postcode", comparison_levels=[
        cll.NullLevel("postcode"),
        cll.ExactMatchLevel("postcode"),
        cll.CustomLevel("length(postcode_l) = 6 AND substr(postcode_l, 1, 4) = "
                        "substr(postcode_r, 1, 4)", label_for_charts="same PC4 area"),
        cll.DamerauLevenshteinLevel("postcode", 1),
        cll.ElseLevel(),
    ])


def _text(field: str, threshold: float = 0.90) -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name=field, comparison_levels=[
        cll.NullLevel(field), cll.ExactMatchLevel(field),
        cll.JaroWinklerLevel(field, threshold), cll.ElseLevel(),
    ])


def _identifier(field: str, allow_typo: bool) -> cl.CustomComparison:
    levels = [cll.NullLevel(field), cll.ExactMatchLevel(field)]
    if allow_typo:
        levels.append(cll.DamerauLevenshteinLevel(field, 1))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(output_column_name=field, comparison_levels=levels)


_COMPARISONS = {
    "first_name": _first_name, "surname": _surname, "dob": _dob, "postcode": _postcode,
    "house_number": lambda: _identifier("house_number", allow_typo=False),
    "street": lambda: _text("street"), "city": lambda: _text("city"),
    # A checked BSN or KvK number that differs by one digit is another number, not a typo.
    "bsn": lambda: _identifier("bsn", allow_typo=False),
    "kvk": lambda: _identifier("kvk", allow_typo=False),
    "other_id": lambda: _identifier("other_id", allow_typo=True),
}

# Pairs are only scored when they share one of these; each rule is used if all its fields
# are present. Wide enough that a typo in any one field still leaves another way in.
_PREDICTION_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("first_name", "surname"), ("surname", "dob"), ("first_name", "dob"),
    ("dob", "postcode"), ("postcode", "house_number"), ("surname", "postcode"),
    ("first_name", "postcode"), ("street", "house_number"), ("bsn",), ("other_id",),
    ("kvk",),
)

# Expectation-maximisation runs once per rule; a field in the rule is not trained by it.
TRAINING_BLOCKS: tuple[tuple[str, ...], ...] = (("dob",), ("first_name", "surname"))


def fields_in_use(present: Iterable[str]) -> list[str]:
    """The compared fields that have values, in the model's order."""
    present_set = set(present)
    return [f for f in COMPARED_FIELDS if f in present_set]


def blocking_rules(fields: list[str]) -> list:
    """Prediction blocking rules usable with these fields."""
    return [block_on(*rule) for rule in _PREDICTION_BLOCKS if set(rule) <= set(fields)]


def training_rules(fields: list[str]) -> list:
    """EM blocking rules usable with these fields."""
    return [block_on(*rule) for rule in TRAINING_BLOCKS if set(rule) <= set(fields)]


def person_settings(fields: list[str], link_type: str) -> SettingsCreator:
    """The Splink settings for person records with these fields.

    `link_type` is "dedupe_only" (one source) or "link_only" (across two sources).
    """
    if link_type not in ("dedupe_only", "link_only", "link_and_dedupe"):
        raise ValueError(f"unknown link type {link_type!r}")
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[_COMPARISONS[f]() for f in fields],
        blocking_rules_to_generate_predictions=blocking_rules(fields),
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )
