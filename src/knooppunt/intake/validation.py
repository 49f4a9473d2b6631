"""Turning rows of a delivered file into signal drafts, or Dutch reasons why not.

Every row is checked; nothing is stored here. A draft is a plain dict of Signal field
values (ids for foreign keys) so that many can be written at once by `signals.bulk`.

A CSV record is checked as a record first (`RecordRules`, decision 0031): as many cells
as the header, and no line break inside a cell unless the profile allows one there - both
are what an unclosed quote leaves behind when it swallows the next line. The key that
recognises a re-delivered row is normalised (`normalise_key_text`) so that an invisible
character, a fullwidth digit or (where the profile says) the case does not make a row new.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode

from knooppunt.geo import lookup
from knooppunt.geo.models import Municipality
from knooppunt.geo.projection import rd_to_wgs84, wgs84_to_rd
from knooppunt.organisations.models import Confidentiality
from knooppunt.taxonomy.models import SourceType, Theme

from .conventions import ConversionError, parse_date, parse_int, parse_number, safe_value
from .reading import MAX_CELL_CHARS

EARLIEST = date(2000, 1, 1)
TEXT_LIMITS = {
    "street": 120, "house_letter": 1, "house_number_addition": 4, "city": 80,
    "reporter_name": 120, "reporter_contact": 200,
}
REPORTER_FIELDS = ("reporter_name", "reporter_contact")
CONFIDENTIALITY_WORDS = {
    "normaal": 1, "1": 1, "vertrouwelijk": 2, "2": 2, "riec": 3, "3": 3,
    "geheim": 3, "normal": 1, "confidential": 2,
}
_GM = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)
_PLAIN_POSTCODE = re.compile(r"^([1-9]\d{3}) ?([A-Z]{2})$")


@dataclass
class RowError:
    line: int
    column: str
    value: str
    reason: str


@dataclass
class Draft:
    line: int
    key: str
    values: dict


@dataclass
class Columns:
    """Which position in the row holds each signal field."""

    index: dict[str, int]
    names: dict[str, str]
    details: list[tuple[str, int]]
    reporter_positions: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RecordRules:
    """What every CSV record must look like (decision 0031)."""

    header: tuple[str, ...]
    delimiter: str = ";"
    # Positions whose cells may hold a line break (the profile's `line_break_fields`).
    line_breaks: frozenset[int] = frozenset()

    @property
    def width(self) -> int:
        return len(self.header)

    @property
    def named_width(self) -> int:
        """The header without trailing unnamed columns (`a;b;c;` has three names)."""
        width = len(self.header)
        while width and not self.header[width - 1]:
            width -= 1
        return width


def record_rules(profile, header: list[str], columns: Columns, delimiter: str = ";"
                 ) -> RecordRules:
    allowed = set(profile.line_break_fields or [])
    positions = {pos for name, pos in columns.index.items() if name in allowed}
    if "details" in allowed:
        positions |= {pos for _label, pos in columns.details}
    return RecordRules(tuple(header), delimiter, frozenset(positions))


def record_errors(line: int, cells: list, rules: RecordRules) -> list[RowError]:
    """Why a CSV record cannot be trusted to be one row, or [] when it can.

    A record is as wide as the header (cells past the header's names may be there when
    empty: a trailing delimiter loses nothing). A line break inside a cell is allowed only
    where the profile says so: elsewhere it is what an unclosed quote leaves behind when
    it swallows the next line into this record.
    """
    count = len(cells)
    if count != rules.width:
        named = rules.named_width
        if count < named or any(str(c).strip() for c in cells[named:]):
            if count < named:
                hint = _("Waarschijnlijk ontbreekt een scheidingsteken of is een "
                         "aanhalingsteken niet gesloten.")
            else:
                hint = _("Staat er een scheidingsteken (%(delimiter)s) in een cel zonder "
                         "aanhalingstekens eromheen?") % {"delimiter": rules.delimiter}
            return [RowError(line, "", "", _(
                "Deze regel heeft %(found)d cellen, de kopregel %(expected)d. %(hint)s"
            ) % {"found": count, "expected": rules.width, "hint": hint})]
    errors = []
    for pos, cell in enumerate(cells):
        if pos not in rules.line_breaks and isinstance(cell, str) and (
                "\n" in cell or "\r" in cell):
            column = rules.header[pos] if pos < rules.width else str(pos + 1)
            errors.append(RowError(line, column, "", _(
                "Deze cel loopt over meer regels. Dit aanleverprofiel staat dat in deze kolom "
                "niet toe: meestal is een aanhalingsteken (\") niet gesloten en is de volgende "
                "regel in deze cel beland. Verbeter de regel en lever het hele bestand "
                "opnieuw aan.")))
    return errors


@cache
def _format_characters() -> re.Pattern:
    """Every character of Unicode category Cf (zero-width space, soft hyphen, bidi marks)."""
    found = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    return re.compile("[" + "".join(re.escape(c) for c in found) + "]")


def normalise_key_text(text: str, fold_case: bool = False) -> str:
    """The text a re-delivery key is made of: format characters (Cf) removed, NFKC (so a
    fullwidth digit is a digit), case folded when `fold_case`, outer spaces stripped.

    Plain ASCII is returned as it is (lowered when folding): the common case costs one
    C-level test.
    """
    if text.isascii():
        return text.lower() if fold_case else text
    text = _format_characters().sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if fold_case:
        text = unicodedata.normalize("NFKC", text.casefold())
    return text.strip()


def partner_key(partner_id: object, fold_case: bool) -> str | None:
    """The re-delivery key of a row with the partner's own id; None when nothing is left
    of the id (a cell of invisible characters: the row is known by its content)."""
    text = normalise_key_text(str(partner_id).strip(), fold_case)
    return "id:" + text[:90] if text else None


def normalise_header(name: object) -> str:
    return " ".join(str(name or "").replace("\ufeff", "").strip().lower().split())


def match_columns(profile, header: list[str]) -> Columns:
    """Find each mapped field's column; the first alias present wins."""
    positions = {normalise_header(h): i for i, h in reversed(list(enumerate(header)))}
    mapping = dict(profile.column_mapping or {})
    if profile.partner_id_column:
        mapping["partner_id"] = [profile.partner_id_column, *mapping.get("partner_id", [])]
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    details: list[tuple[str, int]] = []
    for field_name, aliases in mapping.items():
        if field_name == "details":
            for label, detail_aliases in (aliases or {}).items():
                for alias in detail_aliases:
                    if normalise_header(alias) in positions:
                        details.append((label, positions[normalise_header(alias)]))
                        break
            continue
        for alias in aliases if isinstance(aliases, list) else [aliases]:
            pos = positions.get(normalise_header(alias))
            if pos is not None:
                index[field_name] = pos
                names[field_name] = header[pos]
                break
    reporter_positions = [index[f] for f in REPORTER_FIELDS if f in index]
    return Columns(index, names, details, reporter_positions)


def missing_columns(profile, columns: Columns) -> list[str]:
    """Dutch descriptions of the required columns that the header lacks."""
    mapping = profile.column_mapping or {}
    missing = []

    def first(name: str) -> str:
        aliases = mapping.get(name) or [name]
        return f"'{aliases[0]}'"

    if "received_on" not in columns.index:
        missing.append(f"datum (bijv. {first('received_on')})")
    if "description" not in columns.index:
        missing.append(f"omschrijving (bijv. {first('description')})")
    has_point = {"x_rd", "y_rd"} <= set(columns.index) or {
        "latitude", "longitude"} <= set(columns.index)
    if "municipality" not in columns.index and not has_point:
        missing.append(f"gemeente of coördinaten (bijv. {first('municipality')})")
    if "theme" not in columns.index and profile.default_theme_id is None:
        missing.append(f"thema (bijv. {first('theme')})")
    return missing


class RowValidator:
    """Checks rows for one delivery; keeps lookups in memory so 100,000 rows are quick."""

    def __init__(self, profile, columns: Columns, *, clearance: int, today: date | None = None,
                 rules: RecordRules | None = None):
        self.profile = profile
        self.columns = columns
        # CSV records are checked as records (None: XLSX rows, or a caller's own rows).
        self.rules = rules
        self.fold_case = bool(getattr(profile, "keys_ignore_case", False))
        self.clearance = clearance
        self.today = today or timezone.localdate()
        self.anonymous = profile.anonymous or profile.source_type.anonymous_by_default
        self.themes: dict[str, int] = {}
        for theme in Theme.objects.filter(active=True):
            self.themes[theme.code.lower()] = theme.pk
            self.themes[theme.name.lower()] = theme.pk
        self.sources: dict[str, int] = {}
        for source in SourceType.objects.filter(active=True):
            self.sources[source.code.lower()] = source.pk
        self.anonymous_sources = set(
            SourceType.objects.filter(anonymous_by_default=True).values_list("pk", flat=True)
        )
        self.municipalities: dict[str, int] = {}
        for pk, code, name in Municipality.objects.values_list("pk", "code", "name"):
            self.municipalities[code.upper()] = pk
            self.municipalities[name.lower()] = pk
            # 'Hengelo (O.)' is also found as 'Hengelo'.
            self.municipalities.setdefault(name.split(" (")[0].lower(), pk)
        self.number_convention = profile.number_convention
        self._positions = list(columns.index.items())
        self._dates: dict[str, object] = {}

    def _present(self, cells: list[object]) -> dict[str, object]:
        """The mapped fields of one row: stripped text, or None for an empty or absent cell."""
        got: dict[str, object] = {}
        count = len(cells)
        for name, pos in self._positions:
            if pos < count:
                value = cells[pos]
                if value.__class__ is str:
                    value = value.strip() or None
                elif isinstance(value, str):
                    value = str(value).strip() or None
                got[name] = value
        return got

    def _date(self, raw: object) -> date:
        """parse_date, remembered per distinct cell text (a file has few distinct dates)."""
        if raw.__class__ is not str:
            return parse_date(raw)
        try:
            found = self._dates[raw]
        except KeyError:
            try:
                found = parse_date(raw)
            except ConversionError as exc:
                found = exc
            if len(self._dates) < 100_000:
                self._dates[raw] = found
        if isinstance(found, ConversionError):
            raise ConversionError(str(found))
        return found

    def _municipality(self, value: object) -> int | None:
        text = str(value).strip()
        match = _GM.match(text)
        if match:
            return self.municipalities.get(f"GM{int(match[1]):04d}")
        return self.municipalities.get(text.lower())

    def validate(self, line: int, cells: list[object]) -> Draft | list[RowError]:
        if self.rules is not None:
            broken = record_errors(line, cells, self.rules)
            if broken:
                return broken
        errors: list[RowError] = []
        names = self.columns.names

        def fail(field_name: str, value: object, reason: str) -> None:
            shown = "" if field_name in REPORTER_FIELDS else safe_value(value)
            errors.append(RowError(line, names.get(field_name, ""), shown, reason))

        try:
            # CSV rows are all text: one C-level pass finds whether any cell is too long.
            too_long = max(map(len, cells), default=0) > MAX_CELL_CHARS
        except TypeError:  # XLSX numbers and dates have no length
            too_long = True
        if too_long:
            too_long = [(i, cell) for i, cell in enumerate(cells)
                        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS]
        if too_long:
            return [RowError(line, "", "", f"Kolom {i + 1} bevat {len(cell)} tekens; "
                             f"het maximum is {MAX_CELL_CHARS}.") for i, cell in too_long]
        values: dict = {}
        got = self._present(cells)

        raw = got.get("received_on")
        if raw is None:
            fail("received_on", raw, "De datum ontbreekt.")
        else:
            try:
                received_on = self._date(raw)
                if received_on < EARLIEST:
                    fail("received_on", raw, "De datum ligt vóór 01-01-2000.")
                elif received_on > self.today:
                    fail("received_on", raw, "De datum ligt in de toekomst.")
                values["received_on"] = received_on
            except ConversionError as exc:
                fail("received_on", raw, str(exc))

        raw = got.get("theme")
        if raw is None:
            if self.profile.default_theme_id is None:
                fail("theme", raw, "Het thema ontbreekt.")
            values["theme_id"] = self.profile.default_theme_id
        else:
            theme_id = self.themes.get(str(raw).strip().lower())
            if theme_id is None:
                fail("theme", raw, "Onbekend thema; gebruik een themacode, bijv. hennepteelt.")
            values["theme_id"] = theme_id

        raw = got.get("source_type")
        source_id = self.profile.source_type_id
        if raw is not None:
            source_id = self.sources.get(str(raw).strip().lower())
            if source_id is None:
                fail("source_type", raw, "Onbekende bron; gebruik een broncode, bijv. politie.")
        values["source_type_id"] = source_id

        raw = got.get("description")
        if raw is None:
            fail("description", raw, "De omschrijving ontbreekt.")
        description = "" if raw is None else str(raw)

        raw = got.get("confidentiality")
        level = self.profile.default_confidentiality
        if raw is not None:
            level = CONFIDENTIALITY_WORDS.get(str(raw).strip().lower())
            if level is None:
                fail("confidentiality", raw,
                     "Onbekende vertrouwelijkheid; gebruik normaal, vertrouwelijk of RIEC.")
                level = self.profile.default_confidentiality
        if level > self.clearance:
            fail("confidentiality", raw or "",
                 f"U mag geen signalen met vertrouwelijkheid "
                 f"'{Confidentiality(level).label}' aanleveren.")
        values["confidentiality"] = level

        self._location(got, values, fail)
        self._address(got, values, fail)

        details = []
        for label, pos in self.columns.details:
            cell = cells[pos] if pos < len(cells) else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            details.append(f"{label}: {str(cell).strip()}")
        if details:
            description = f"{description}\n" + "\n".join(details) if description else "\n".join(
                details)
        values["description"] = description

        anonymous = self.anonymous or source_id in self.anonymous_sources
        values["is_anonymous"] = anonymous
        for name in REPORTER_FIELDS:
            raw = None if anonymous else got.get(name)
            text = "" if raw is None else str(raw)
            if len(text) > TEXT_LIMITS[name]:
                fail(name, "", f"Te lang: hoogstens {TEXT_LIMITS[name]} tekens.")
            values[name] = text
        if errors:
            return errors
        partner_id = got.get("partner_id")
        key = None if partner_id is None else partner_key(partner_id, self.fold_case)
        if key is None:
            key = "fp:" + fingerprint(values)
        return Draft(line, key, values)

    def _location(self, got, values, fail) -> None:
        raw = got.get("municipality")
        municipality_id = None
        if raw is not None:
            municipality_id = self._municipality(raw)
            if municipality_id is None:
                fail("municipality", raw, "Onbekende gemeente; gebruik de GM-code of de naam.")
        point = {}
        for name in ("x_rd", "y_rd", "latitude", "longitude"):
            raw_point = got.get(name)
            if raw_point is not None:
                try:
                    point[name] = parse_number(raw_point, self.number_convention)
                except ConversionError as exc:
                    fail(name, raw_point, str(exc))
        x = y = lat = lon = None
        if "x_rd" in point and "y_rd" in point:
            x, y = point["x_rd"], point["y_rd"]
            lat, lon = rd_to_wgs84(x, y)
        elif "latitude" in point and "longitude" in point:
            lat, lon = point["latitude"], point["longitude"]
            x, y = wgs84_to_rd(lat, lon)
        if x is not None:
            found = lookup.municipality_at(x, y)
            if found is None:
                fail("x_rd" if "x_rd" in point else "latitude", f"{x}, {y}",
                     "Het punt ligt niet binnen een Nederlandse gemeente.")
            elif municipality_id is not None and found.pk != municipality_id:
                fail("municipality", raw, f"Het punt ligt in {found.name}, niet in deze gemeente.")
            else:
                municipality_id = found.pk
        elif raw is None:
            fail("municipality", None, "Gemeente of punt ontbreekt.")
        values.update(municipality_id=municipality_id, x_rd=x, y_rd=y, latitude=lat,
                      longitude=lon)

    def _address(self, got, values, fail) -> None:
        for name in ("street", "house_letter", "house_number_addition", "city"):
            raw = got.get(name)
            text = "" if raw is None else str(raw).strip()
            if len(text) > TEXT_LIMITS[name]:
                fail(name, raw, f"Te lang: hoogstens {TEXT_LIMITS[name]} tekens.")
            values[name] = text.upper() if name == "house_letter" else text
        raw = got.get("house_number")
        values["house_number"] = None
        if raw is not None:
            try:
                if raw.__class__ is str and raw.isascii() and raw.isdigit():
                    number = int(raw)  # the common case: plain digits
                else:
                    number = parse_int(raw, self.number_convention)
                if not 0 < number < 100000:
                    raise ConversionError("Het huisnummer moet tussen 1 en 99999 liggen.")
                values["house_number"] = number
            except ConversionError as exc:
                fail("house_number", raw, str(exc))
        raw = got.get("postcode")
        values["postcode"] = ""
        if raw is not None:
            match = _PLAIN_POSTCODE.match(str(raw).upper())
            if match and match[2] not in ("SA", "SD", "SS"):
                values["postcode"] = match[1] + match[2]  # the common case, without stdnum
                return
            try:
                values["postcode"] = nl_postcode.validate(str(raw)).replace(" ", "").upper()
            except StdnumError:
                fail("postcode", raw, "Geen geldige Nederlandse postcode (bijv. 7511 AB).")


_FINGERPRINT_FIELDS = ("received_on", "theme_id", "municipality_id", "postcode", "house_number",
                       "house_letter", "house_number_addition", "street", "description")


def fingerprint(values: dict) -> str:
    """Recognises a row delivered again without the partner's own id (texts normalised as
    `normalise_key_text`, without folding case: the same words in other capitals may be
    another report)."""
    parts = [normalise_key_text(str(values.get(k) or "")) for k in _FINGERPRINT_FIELDS]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def fingerprints(columns: dict[str, list]) -> list[str]:
    """`fingerprint` of each row of `columns` (a list per field), without a dict per row.

    Each column is turned into text once per distinct value (dates, ids repeat)."""
    texts = []
    for name in _FINGERPRINT_FIELDS:
        column = columns[name]
        if name == "description" or name == "street":  # already text ("" when empty)
            texts.append(column if all(map(str.isascii, column))
                         else list(map(normalise_key_text, column)))
            continue
        memo = {value: normalise_key_text(str(value or "")) for value in set(column)}
        texts.append(list(map(memo.__getitem__, column)))
    sha = hashlib.sha256
    return [sha(joined.encode()).hexdigest()[:40]
            for joined in map("\x1f".join, zip(*texts, strict=True))]
