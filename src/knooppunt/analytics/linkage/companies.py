"""Company records for linkage: what a source supplies, its normalised form, the Splink model.

A company is known by its KvK number (when a partner has it), its trade name and its
address. Trade names are written in many ways ("Bakkerij De Jong B.V.", "bakkerij de jong",
"De Jong Bakkerij BV"), so the legal form is dropped and the words are folded before they
are compared. A KvK number that is not eight digits is not compared, and is named in
`problems` (the caller refuses it before storing anything).

Comparisons, best level first, weights learnt: KvK number exact; trade name exact, same
words in another order, Jaro-Winkler >= 0.92 / >= 0.80; the address as one comparison
(the person model's, see `model.address_comparison`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from .model import address_comparison, identifier_comparison, jaro_winkler_sql, settings_for
from .records import check_kvk, fold, normalise_house_number, normalise_postcode

# Legal forms and their spellings; they say nothing about which company it is. ("cv" is left
# out: in a trade name it is mostly the central heating, "Jansen CV en Sanitair".)
_LEGAL_FORMS = frozenset({
    "bv", "b v", "nv", "n v", "vof", "v o f", "eenmanszaak", "stichting",
    "vereniging", "cooperatie", "ua", "u a", "ba", "b a", "besloten vennootschap",
    "naamloze vennootschap", "vennootschap onder firma", "commanditaire vennootschap",
})
_SPACES = re.compile(r"\s+")

COMPANY_FIELDS: tuple[str, ...] = (
    "trade_name", "kvk", "postcode", "house_number", "street", "city")
_ADDRESS = ("postcode", "house_number", "street", "city")


@dataclass(frozen=True)
class CompanyRecord:
    """One company as a source supplied it; every field may be empty or wrong."""

    record_id: str
    source: str = ""
    trade_name: str = ""
    kvk: str = ""
    postcode: str = ""
    house_number: str = ""
    street: str = ""
    city: str = ""


@dataclass(frozen=True)
class NormalisedCompany:
    """The comparable form of a company record; None means unknown."""

    unique_id: str
    source_dataset: str
    trade_name: str | None
    name_words: str | None  # the trade name's words sorted: "de jong bakkerij" = "bakkerij de jong"
    kvk: str | None
    postcode: str | None
    house_number: str | None
    street: str | None
    city: str | None
    problems: tuple[str, ...] = field(default=())


def normalise_trade_name(name: str | None) -> str | None:
    """'Bakkerij De Jong B.V.' -> 'bakkerij de jong': folded, legal form dropped."""
    text = fold((name or "").replace(".", " ").replace("&", " en "))
    text = _SPACES.sub(" ", text.replace("-", " ")).strip()
    for form in sorted(_LEGAL_FORMS, key=len, reverse=True):
        if text.endswith(" " + form):
            text = text[: -len(form) - 1].strip()
        if text.startswith(form + " "):
            text = text[len(form) + 1:].strip()
    return None if not text or text in _LEGAL_FORMS else text


def normalise_company(record: CompanyRecord) -> NormalisedCompany:
    """The comparable form of one company record; invalid parts become None, named in problems."""
    problems: list[str] = []
    name = normalise_trade_name(record.trade_name)
    kvk, kvk_problem = check_kvk(record.kvk)
    if kvk_problem:
        problems.append(kvk_problem)
    postcode = normalise_postcode(record.postcode)
    if record.postcode and postcode is None:
        problems.append("postcode_invalid")
    if name is None and kvk is None:
        problems.append("name_missing")
    return NormalisedCompany(
        unique_id=str(record.record_id), source_dataset=record.source or "", trade_name=name,
        name_words=" ".join(sorted(name.split())) if name else None, kvk=kvk,
        postcode=postcode, house_number=normalise_house_number(record.house_number),
        street=fold(record.street) or None, city=fold(record.city) or None,
        problems=tuple(problems))


def _trade_name(dialect: str) -> cl.CustomComparison:
    return cl.CustomComparison(output_column_name="trade_name", comparison_levels=[
        cll.NullLevel("trade_name"),
        cll.ExactMatchLevel("trade_name"),
        cll.CustomLevel("name_words_l = name_words_r", "same words in another order"),
        cll.CustomLevel(jaro_winkler_sql("trade_name_l", "trade_name_r", dialect) + " >= 0.92",
                        "Jaro-Winkler >= 0.92"),
        cll.CustomLevel(jaro_winkler_sql("trade_name_l", "trade_name_r", dialect) + " >= 0.8",
                        "Jaro-Winkler >= 0.80"),
        cll.ElseLevel(),
    ])


# Pairs are scored when they share the KvK number, the (reordered) trade name, the address,
# or the start of the name within a place (a typo later in the name).
_BLOCKS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("kvk",), ("kvk",)),
    (("name_words",), ("trade_name",)),
    (("postcode", "house_number"), ("postcode", "house_number")),
    (("street", "house_number", "city"), ("street", "house_number", "city")),
    (("substr(trade_name, 1, 4)", "city"), ("trade_name", "city")),
)
PRIOR_RULES: tuple[tuple[str, ...], ...] = (("kvk",), ("trade_name", "postcode"))
TRAINING_RULES: tuple[tuple[str, ...], ...] = (("postcode", "house_number"), ("trade_name",))


def company_settings(fields: list[str], link_type: str, *, dialect: str = "duckdb",
                     term_frequencies: bool = False) -> SettingsCreator:
    """The Splink settings for company records with these fields (see the module doc)."""
    del term_frequencies  # trade names are nearly all distinct; nothing to weigh
    comparisons = []
    if "kvk" in fields:
        comparisons.append(identifier_comparison("kvk", allow_typo=False))
    if "trade_name" in fields:
        comparisons.append(_trade_name(dialect))
    if set(fields) & set(_ADDRESS):
        comparisons.append(address_comparison(fields, dialect))
    rules = [block_on(*keys) for keys, needs in _BLOCKS if set(needs) <= set(fields)]
    return settings_for(comparisons, rules, link_type)
