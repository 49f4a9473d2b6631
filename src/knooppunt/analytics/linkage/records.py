"""Person records as the linkage core sees them: what comes in, and its normalised form.

A `PersonRecord` is what a partner supplied, as typed. `normalise` turns it into a
`NormalisedRecord`: the columns the comparisons read. Normalising is where Dutch habits are
handled (tussenvoegsels, initials, day-month-year dates, postcode + house number) and where
identifiers are checked: a BSN with a wrong check digit is dropped (never compared raw), and
what was dropped is listed in `problems`, so a caller can refuse it before storing anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from stdnum.nl import bsn as nl_bsn
from stdnum.nl import postcode as nl_postcode

# Dutch surname prefixes (tussenvoegsels), longest first so "van der" wins over "van".
# The BRP keeps the voorvoegsel in a field of its own; partners' files often do not, so it
# is split off here. The common ones are listed; a rarer one stays part of the surname.
_PREFIXES: tuple[str, ...] = tuple(sorted({
    "van der", "van den", "van de", "van het", "van 't", "van ter", "van ten", "in 't",
    "in het", "in de", "in den", "op de", "op den", "op het", "op 't", "uit de", "uit den",
    "uit het", "uit 't", "aan de", "aan den", "aan het", "bij de", "de la", "de le", "von der",
    "von dem", "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "von", "la", "le",
    "du", "del", "della", "di", "da", "d'", "'s", "op", "in", "uit", "aan", "bij",
}, key=lambda p: (-len(p.split()), -len(p), p)))

_NON_LETTERS = re.compile(r"[^a-z' -]+")
_HAS_LETTER = re.compile(r"[a-z]")
_DATE_PARTS = re.compile(r"^(\d{1,4})[-/. ](\d{1,2})[-/. ](\d{1,4})$")
_HOUSE_NUMBER = re.compile(r"^\s*(\d{1,5})\s*[-/ ]?\s*([a-z0-9]{0,4})\s*$", re.IGNORECASE)
_KVK = re.compile(r"^\d{8}$")
_NINE_DIGITS = re.compile(r"^[0-9]{9}$")

# Names, dates and house numbers repeat a great deal across a large file (a million records
# hold a few thousand distinct first names), so their pure normalisers are memoised: this
# took normalising 1,000,000 records from 170 s to XX s (decision 0045).
_memo = lru_cache(maxsize=1 << 16)


@dataclass(frozen=True)
class PersonRecord:
    """One person as a source supplied it; every field may be empty or wrong."""

    record_id: str
    source: str = ""
    given_names: str = ""
    surname: str = ""
    date_of_birth: str | date | None = None
    postcode: str = ""
    house_number: str = ""
    street: str = ""
    city: str = ""
    bsn: str = ""
    kvk: str = ""
    other_id: str = ""  # an identifier without a check we know (e.g. a foreign number)


@dataclass(frozen=True)
class NormalisedRecord:
    """The comparable form of a record; None means 'unknown', never 'empty string'."""

    unique_id: str
    source_dataset: str
    first_name: str | None
    initials: str | None
    surname: str | None
    surname_prefix: str | None
    dob: str | None  # ISO yyyy-mm-dd
    dob_day_month_swapped: bool
    postcode: str | None
    house_number: str | None
    street: str | None
    city: str | None
    bsn: str | None
    kvk: str | None
    other_id: str | None
    problems: tuple[str, ...] = field(default=())


@_memo
def fold(text: str | None) -> str:
    """Lower case, accents off, only letters, apostrophes, hyphens and single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("\u2019", "'").replace("`", "'")
    words = _NON_LETTERS.sub(" ", ascii_text).split()
    # A word of only apostrophes or hyphens is punctuation someone typed, not a name part.
    return " ".join(w for w in words if _HAS_LETTER.search(w))


@_memo
def split_surname(surname: str | None) -> tuple[str | None, str | None]:
    """Split 'van der Berg' (or 'Berg, van der') into ('berg', 'van der')."""
    text = surname or ""
    if "," in text:  # "Vries, de": the register's sorting form
        core, _, prefix = text.partition(",")
        text = f"{prefix} {core}"
    folded = fold(text).replace("-", " ").strip()
    if not folded:
        return None, None
    for prefix in _PREFIXES:
        if folded.startswith(prefix + " ") and len(folded) > len(prefix) + 1:
            core = folded[len(prefix) + 1:].replace(" ", "")
            return core or None, prefix
    return folded.replace(" ", "") or None, None


@_memo
def split_given_names(given: str | None) -> tuple[str | None, str | None]:
    """('Jan Pieter' -> 'jan', 'jp'); ('J.P.' -> None, 'jp'): initials never pose as names."""
    raw = (given or "").replace(".", ". ")
    tokens = [t for t in fold(raw).replace("-", " ").split(" ") if t]
    if not tokens:
        return None, None
    initials = "".join(t[0] for t in tokens)
    first = tokens[0] if len(tokens[0]) > 1 else None
    return first, initials


def parse_date_of_birth(value: str | date | None, today: date | None = None
                        ) -> tuple[str | None, bool, str | None]:
    """Read a date of birth as a Dutch person writes it; return (iso, swapped, problem).

    Day-month-year is the Dutch reading; when that is impossible but month-day-year is
    possible the swapped reading is taken and flagged. A date in the future, before 1890 or
    unreadable gives (None, False, problem): no comparison is better than a wrong one.
    """
    return _parse_date_of_birth(value, today or date.today())


@_memo
def _parse_date_of_birth(value: str | date | None, today: date
                         ) -> tuple[str | None, bool, str | None]:
    if value is None or value == "":
        return None, False, None
    if isinstance(value, date):
        candidates = [(value.year, value.month, value.day, False)]
    else:
        text = str(value).strip()
        candidates = []
        if re.fullmatch(r"\d{8}", text):
            first4 = int(text[:4])
            if 1800 <= first4 <= 2200:  # yyyymmdd
                candidates.append((first4, int(text[4:6]), int(text[6:]), False))
                candidates.append((first4, int(text[6:]), int(text[4:6]), True))
            else:  # ddmmyyyy
                candidates.append((int(text[4:]), int(text[2:4]), int(text[:2]), False))
                candidates.append((int(text[4:]), int(text[:2]), int(text[2:4]), True))
        elif match := _DATE_PARTS.match(text):
            a, b, c = (int(g) for g in match.groups())
            if len(match.group(1)) == 4:  # yyyy-mm-dd
                candidates.append((a, b, c, False))
                candidates.append((a, c, b, True))
            elif len(match.group(3)) == 4:  # dd-mm-yyyy (Dutch), else mm-dd-yyyy
                candidates.append((c, b, a, False))
                candidates.append((c, a, b, True))
    for year, month, day, swapped in candidates:
        try:
            parsed = date(year, month, day)
        except ValueError:
            continue
        if parsed > today:
            return None, False, "date_of_birth_in_future"
        if parsed.year < 1890:
            return None, False, "date_of_birth_too_early"
        return parsed.isoformat(), swapped, None
    return None, False, "date_of_birth_unreadable"


def normalise_postcode(value: str | None) -> str | None:
    """'1234 ab' -> '1234AB'; None when it is not a Dutch postcode."""
    if not value:
        return None
    try:
        return nl_postcode.validate(value).replace(" ", "")  # validate compacts it first
    except Exception:  # stdnum raises its own ValidationError subclasses
        return None


@_memo
def normalise_house_number(value: str | None) -> str | None:
    """'12-a' -> '12': only the number is compared; additions are too often left out."""
    if not value:
        return None
    match = _HOUSE_NUMBER.match(str(value))
    return str(int(match.group(1))) if match else None


def check_bsn(value: str | None) -> tuple[str | None, str | None]:
    """(compact BSN, None) when the elfproef holds, else (None, problem)."""
    if not value or not str(value).strip():
        return None, None
    text = str(value)
    if _NINE_DIGITS.match(text):
        # The common, already compact form: only the elfproef itself (python-stdnum's
        # checksum); stdnum's general clean-up step cost a quarter of normalising.
        return (text, None) if int(text) and nl_bsn.checksum(text) == 0 else (None, "bsn_invalid")
    if nl_bsn.is_valid(text):
        return nl_bsn.compact(str(value)), None
    return None, "bsn_invalid"


def check_kvk(value: str | None) -> tuple[str | None, str | None]:
    """(KvK number, None) for eight digits, else (None, problem).

    KvK numbers carry no check digit (python-stdnum has no module for them), so only the
    form is checked; a company's RSIN would be checked with the elfproef like a BSN.
    """
    if not value or not str(value).strip():
        return None, None
    compact = re.sub(r"[\s.]", "", str(value))
    return (compact, None) if _KVK.match(compact) else (None, "kvk_invalid")


def _clean(value: str | None) -> str | None:
    folded = fold(value)
    return folded or None


def normalise(record: PersonRecord, today: date | None = None) -> NormalisedRecord:
    """The comparable form of one record; invalid parts become None and are named in problems."""
    problems: list[str] = []
    first_name, initials = split_given_names(record.given_names)
    surname, prefix = split_surname(record.surname)
    dob, swapped, dob_problem = parse_date_of_birth(record.date_of_birth, today or date.today())
    bsn, bsn_problem = check_bsn(record.bsn)
    kvk, kvk_problem = check_kvk(record.kvk)
    postcode = normalise_postcode(record.postcode)
    if record.postcode and postcode is None:
        problems.append("postcode_invalid")
    for problem in (dob_problem, bsn_problem, kvk_problem):
        if problem:
            problems.append(problem)
    if first_name is None and initials is None and surname is None:
        problems.append("name_missing")
    other = re.sub(r"\s", "", record.other_id or "") or None
    return NormalisedRecord(
        unique_id=str(record.record_id), source_dataset=record.source or "",
        first_name=first_name, initials=initials, surname=surname, surname_prefix=prefix,
        dob=dob, dob_day_month_swapped=swapped, postcode=postcode,
        house_number=normalise_house_number(record.house_number),
        street=_clean(record.street), city=_clean(record.city), bsn=bsn, kvk=kvk,
        other_id=other, problems=tuple(problems),
    )
