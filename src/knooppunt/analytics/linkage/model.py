"""The Splink model for person records: comparisons, blocking rules, training rules.

Everything here is data for Splink (a settings object); nothing runs. A comparison is only
included for a field that has values in the data, so one model serves Dutch partner files
(BSN, postcode + house number) and foreign test sets (FEBRL: no BSN, other ids).

Levels, best first; each gets its own m and u from training, so their weights are learnt,
not set by hand:
- names: exact, reversed (first name and surname swapped), Jaro-Winkler >= 0.92 / >= 0.80,
  and for first names "only initials known and the first initial agrees";
- date of birth: exact, day and month swapped, one typo (Damerau-Levenshtein 1), same year;
- address, as one comparison (a move changes all its parts at once): same postcode and
  house number, same street and house number, same postcode, postcode one typo apart,
  same place;
- BSN and KvK: exact only, and only ever valid numbers reach them (see `records`).
"""

from __future__ import annotations

from collections.abc import Iterable

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

# Custom SQL below is written once for both backends; only Jaro-Winkler is spelt differently
# (DuckDB's built-in vs the similarity UDF Splink registers on Spark).
_JARO_WINKLER = {"duckdb": "jaro_winkler_similarity", "spark": "jaro_winkler"}
DIALECTS = tuple(_JARO_WINKLER)


def jaro_winkler_sql(left: str, right: str, dialect: str) -> str:
    """Jaro-Winkler similarity of two columns in the backend's SQL."""
    return f"{_JARO_WINKLER[dialect]}({left}, {right})"


COMPARED_FIELDS: tuple[str, ...] = (
    "first_name", "surname", "dob", "postcode", "house_number", "street", "city", "bsn",
    "kvk", "other_id",
)


def _name_levels(column: str, term_frequencies: bool) -> list:
    """The levels first name and surname share: exact, swapped with each other, similar.

    With `term_frequencies` an exact agreement weighs by how common the name is in the data
    ("de Jong" agreeing says less than a rare surname agreeing).
    """
    return [
        cll.ExactMatchLevel(column, term_frequency_adjustments=term_frequencies),
        cll.ColumnsReversedLevel("first_name", "surname").configure(
            label_for_charts="first name and surname swapped"),
        cll.JaroWinklerLevel(column, 0.92),
        cll.JaroWinklerLevel(column, 0.80),
    ]


def _first_name(term_frequencies: bool = False) -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="first_name", comparison_levels=[
        cll.CustomLevel("(first_name_l IS NULL AND initials_l IS NULL) OR "
                        "(first_name_r IS NULL AND initials_r IS NULL)",
                        label_for_charts="first name unknown").configure(is_null_level=True),
        *_name_levels("first_name", term_frequencies),
        cll.CustomLevel("(first_name_l IS NULL OR first_name_r IS NULL) AND "
                        "substr(initials_l, 1, 1) = substr(initials_r, 1, 1)",
                        label_for_charts="only initials known, first initial agrees"),
        cll.ElseLevel(),
    ])


def _surname(term_frequencies: bool = False) -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="surname", comparison_levels=[
        cll.NullLevel("surname"),
        *_name_levels("surname", term_frequencies),
        # "vaanwijk" vs "wijk": a mistyped tussenvoegsel stays glued to the surname.
        cll.CustomLevel("length(surname_l) >= 3 AND length(surname_r) >= 3 AND "
                        "(right(surname_l, length(surname_r)) = surname_r OR "
                        "right(surname_r, length(surname_l)) = surname_l)",
                        label_for_charts="one surname ends with the other"),
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


def address_comparison(fields: list[str], dialect: str = "duckdb") -> cl.CustomComparison:
    """One comparison for the whole address: its parts move together when a person moves,
    so scoring them apart would count one move four times against a match."""
    parts = [f for f in ("postcode", "street", "city") if f in fields]
    unknown = " AND ".join(f"{f}_{{side}} IS NULL" for f in parts)
    levels = [cll.CustomLevel(f"({unknown.format(side='l')}) OR ({unknown.format(side='r')})",
                              label_for_charts="address unknown").configure(is_null_level=True)]
    same = {
        "postcode": "postcode_l = postcode_r",
        "house_number": "house_number_l = house_number_r",
        "street": jaro_winkler_sql("street_l", "street_r", dialect) + " >= 0.9",
        "city": jaro_winkler_sql("city_l", "city_r", dialect) + " >= 0.9",
    }
    # Most specific first; each combination only when its fields are in the data.
    combos = [("postcode", "house_number", "street", "city"),
              ("postcode", "house_number", "street"), ("postcode", "house_number", "city"),
              ("street", "house_number", "city"), ("postcode", "house_number"),
              ("street", "house_number"), ("postcode", "street"), ("postcode",),
              ("street", "city"), ("street",)]
    for combo in combos:
        if set(combo) <= set(fields):
            levels.append(cll.CustomLevel(" AND ".join(same[f] for f in combo),
                                          "same " + " + ".join(combo).replace("_", " ")))
    if "postcode" in fields:
        levels.append(cll.CustomLevel("damerau_levenshtein(postcode_l, postcode_r) <= 1",
                                      "postcode one typo apart"))
    if "city" in fields:
        levels.append(cll.CustomLevel(same["city"], "same place"))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(output_column_name="address", comparison_levels=levels)


def identifier_comparison(field: str, allow_typo: bool) -> cl.CustomComparison:
    """An identifier: exact, optionally one typo apart (Damerau-Levenshtein 1)."""
    levels = [cll.NullLevel(field), cll.ExactMatchLevel(field)]
    if allow_typo:
        levels.append(cll.DamerauLevenshteinLevel(field, 1))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(output_column_name=field, comparison_levels=levels)


_COMPARISONS = {
    "first_name": _first_name, "surname": _surname, "dob": lambda _tf: _dob(),
    # A checked BSN or KvK number that differs by one digit is another number, not a typo.
    "bsn": lambda _tf: identifier_comparison("bsn", allow_typo=False),
    "kvk": lambda _tf: identifier_comparison("kvk", allow_typo=False),
    "other_id": lambda _tf: identifier_comparison("other_id", allow_typo=True),
}

ADDRESS_FIELDS = ("postcode", "house_number", "street", "city")

# Pairs are only scored when they share one of these; each rule is used if all its fields
# are present. Wide enough that a typo in any one field still leaves another way in, and
# no rule so wide that its blocks grow with the square of the file: at 1,000,000 records
# "street + house number" (without the place: Kerkstraat 1 is in hundreds of towns) made
# 107 million pairs and "surname + initials" 34 million, 90 % of all pairs scored, for
# 0.4 % of the true pairs; with the place and the year of birth they make 5.4 million
# (decision 0045 has the counts per rule).
_PREDICTION_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("first_name", "surname"), ("surname", "dob"), ("first_initial", "dob"),
    ("dob", "postcode"), ("postcode", "house_number"), ("surname", "postcode"),
    ("first_name", "postcode"), ("street", "house_number", "city"),
    ("surname", "initials", "birth_year"),
    ("bsn",), ("other_id",),
    ("kvk",),
)

# Blocking keys derived from a field: (SQL expression, the field it needs).
_DERIVED_KEYS: dict[str, tuple[str, str]] = {
    "first_initial": ("substr(initials, 1, 1)", "first_name"),
    "birth_year": ("substr(dob, 1, 4)", "dob"),
    "initials": ("initials", "first_name"),
}

# Expectation-maximisation runs once per rule; a field in the rule is not trained by it.
TRAINING_BLOCKS: tuple[tuple[str, ...], ...] = (("dob",), ("first_name", "surname"))


def fields_in_use(present: Iterable[str]) -> list[str]:
    """The compared fields that have values, in the model's order."""
    present_set = set(present)
    return [f for f in COMPARED_FIELDS if f in present_set]


def _needs(key: str) -> str:
    return _DERIVED_KEYS[key][1] if key in _DERIVED_KEYS else key


def _key_sql(key: str) -> str:
    return _DERIVED_KEYS[key][0] if key in _DERIVED_KEYS else key


def blocking_keys(fields: list[str]) -> list[tuple[str, ...]]:
    """The prediction blocking rules usable with these fields, by key name."""
    return [rule for rule in _PREDICTION_BLOCKS if {_needs(k) for k in rule} <= set(fields)]


def blocking_rules(fields: list[str]) -> list:
    """Prediction blocking rules usable with these fields."""
    return [block_on(*(_key_sql(k) for k in rule)) for rule in blocking_keys(fields)]


def training_rules(fields: list[str]) -> list:
    """EM blocking rules usable with these fields."""
    return [block_on(*rule) for rule in TRAINING_BLOCKS if set(rule) <= set(fields)]


def settings_for(comparisons: list, rules: list, link_type: str) -> SettingsCreator:
    """Splink settings around these comparisons and prediction blocking rules."""
    if link_type not in ("dedupe_only", "link_only", "link_and_dedupe"):
        raise ValueError(f"unknown link type {link_type!r}")
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


def person_settings(fields: list[str], link_type: str, *, dialect: str = "duckdb",
                    term_frequencies: bool = False) -> SettingsCreator:
    """The Splink settings for person records with these fields.

    `link_type` is "dedupe_only" (one source) or "link_only" (across two sources);
    `dialect` the backend ("duckdb" or "spark"); `term_frequencies` weighs exact name
    agreement by how common the name is.
    """
    comparisons = [_COMPARISONS[f](term_frequencies) for f in fields if f in _COMPARISONS]
    if set(fields) & set(ADDRESS_FIELDS):
        comparisons.insert(min(3, len(comparisons)), address_comparison(fields, dialect))
    return settings_for(comparisons, blocking_rules(fields), link_type)
