"""Validating a batch of rows column by column; rows it is unsure of go to the row validator.

A delivery of a million rows has few distinct dates, municipalities, postcodes' shapes and
house numbers. Each column of a batch is converted once per distinct value (a dict look-up
per cell), and a row is accepted here only when every one of its cells is a plain, known
good value: then its draft is exactly what `RowValidator.validate` would make. Anything
else — an empty required cell, an unknown municipality, a date out of range, a postcode or
house number in an unusual spelling, a point, a too-long cell, a non-text (XLSX) cell — is
handed to `RowValidator.validate` itself, so every rejection, its message and its line
number come from the one validator (tests/intake/test_fastpath.py checks that both paths
give the same result for generated rows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .reading import MAX_CELL_CHARS
from .validation import (
    _PLAIN_POSTCODE,
    CONFIDENTIALITY_WORDS,
    EARLIEST,
    REPORTER_FIELDS,
    TEXT_LIMITS,
    Draft,
    RowError,
    RowValidator,
    fingerprint,
)

_MISS = object()  # "not a plain good value": the row goes to the row validator
_POINT_FIELDS = ("x_rd", "y_rd", "latitude", "longitude")
_TEXT_FIELDS = ("street", "house_letter", "house_number_addition", "city")


def _cached(convert: Callable[[str], object]) -> Callable[[str | None], object]:
    """`convert` remembered per distinct stripped cell (bounded, as files repeat values)."""
    memo: dict[str | None, object] = {}

    def get(value: str | None) -> object:
        try:
            return memo[value]
        except KeyError:
            found = convert(value)
            if len(memo) < 200_000:
                memo[value] = found
            return found

    return get


class BatchValidator:
    """Column-wise fast path in front of one delivery's `RowValidator`."""

    def __init__(self, validator: RowValidator):
        self.validator = validator
        profile = validator.profile
        index = validator.columns.index
        self.positions = dict(index)
        self.details = list(validator.columns.details)
        # A row with a point needs the geometry look-up: it takes the row validator.
        self.point_positions = [index[name] for name in _POINT_FIELDS if name in index]
        self.width = max([*index.values(), *(p for _l, p in self.details)], default=-1) + 1
        v = validator
        self.convert = {
            "received_on": _cached(self._date),
            "theme": _cached(lambda raw: (profile.default_theme_id or _MISS) if raw is None
                             else v.themes.get(raw.lower(), _MISS)),
            "source_type": _cached(lambda raw: profile.source_type_id if raw is None
                                   else v.sources.get(raw.lower(), _MISS)),
            "confidentiality": _cached(self._confidentiality),
            "municipality": _cached(lambda raw: _MISS if raw is None
                                    else (v._municipality(raw) or _MISS)),
            "house_number": _cached(self._house_number),
            "postcode": _cached(self._postcode),
        }
        self.anonymous_sources = v.anonymous_sources

    def _date(self, raw: str | None) -> object:
        if raw is None:
            return _MISS
        try:
            found = self.validator._date(raw)
        except ValueError:
            return _MISS
        return found if EARLIEST <= found <= self.validator.today else _MISS

    def _confidentiality(self, raw: str | None) -> object:
        level = (self.validator.profile.default_confidentiality if raw is None
                 else CONFIDENTIALITY_WORDS.get(raw.lower()))
        return _MISS if level is None or level > self.validator.clearance else level

    @staticmethod
    def _house_number(raw: str | None) -> object:
        if raw is None:
            return None
        if raw.isascii() and raw.isdigit():
            number = int(raw)
            if 0 < number < 100000:
                return number
        return _MISS

    @staticmethod
    def _postcode(raw: str | None) -> object:
        if raw is None:
            return ""
        match = _PLAIN_POSTCODE.match(raw.upper())
        if match and match[2] not in ("SA", "SD", "SS"):
            return match[1] + match[2]
        return _MISS

    def _column(self, batch: Sequence[list], name: str) -> list[str | None]:
        """The stripped cells of one mapped field (None: empty or absent)."""
        pos = self.positions.get(name)
        if pos is None:
            return [None] * len(batch)
        return [cells[pos].strip() or None for cells in batch]

    def validate(self, rows: Sequence[tuple[int, list]]) -> list[Draft | list[RowError]]:
        """The result of `RowValidator.validate` for each row, in order."""
        slow = self.validator.validate
        results: list[Draft | list[RowError] | None] = [None] * len(rows)
        plain: list[int] = []
        for i, (_line, cells) in enumerate(rows):
            # Text cells only, none too long, every mapped column present.
            try:
                ok = (len(cells) >= self.width
                      and max(map(len, cells), default=0) <= MAX_CELL_CHARS
                      and all(c.__class__ is str for c in cells)
                      and not any(cells[p].strip() for p in self.point_positions))
            except TypeError:
                ok = False
            if ok:
                plain.append(i)
        batch = [rows[i][1] for i in plain]
        column = {name: self._column(batch, name) for name in (
            "received_on", "theme", "source_type", "confidentiality", "municipality",
            "house_number", "postcode", "description", "partner_id", *_TEXT_FIELDS,
            *REPORTER_FIELDS)}
        converted = {name: list(map(convert, column[name]))
                     for name, convert in self.convert.items()}
        anonymous_profile = self.validator.anonymous
        detail_columns = [(label, [cells[pos].strip() for cells in batch])
                          for label, pos in self.details]
        for j, i in enumerate(plain):
            values = {name: converted[name][j] for name in converted}
            if _MISS in values.values() or column["description"][j] is None:
                continue
            texts = {}
            for name in _TEXT_FIELDS:
                text = column[name][j] or ""
                if len(text) > TEXT_LIMITS[name]:
                    break
                texts[name] = text.upper() if name == "house_letter" else text
            else:
                source_id = values["source_type"]
                anonymous = anonymous_profile or source_id in self.anonymous_sources
                reporter = {}
                for name in REPORTER_FIELDS:
                    text = "" if anonymous else (column[name][j] or "")
                    if len(text) > TEXT_LIMITS[name]:
                        break
                    reporter[name] = text
                else:
                    description = column["description"][j]
                    details = [f"{label}: {cells[j]}" for label, cells in detail_columns
                               if cells[j]]
                    if details:
                        description = f"{description}\n" + "\n".join(details)
                    draft = {
                        "received_on": values["received_on"], "theme_id": values["theme"],
                        "source_type_id": source_id,
                        "confidentiality": values["confidentiality"],
                        "municipality_id": values["municipality"],
                        "x_rd": None, "y_rd": None, "latitude": None, "longitude": None,
                        **texts,
                        "house_number": values["house_number"],
                        "postcode": values["postcode"],
                        "description": description, "is_anonymous": anonymous, **reporter,
                    }
                    partner_id = column["partner_id"][j]
                    key = (f"id:{partner_id[:90]}" if partner_id is not None
                           else "fp:" + fingerprint(draft))
                    results[i] = Draft(rows[i][0], key, draft)
        return [result if result is not None else slow(line, cells)
                for result, (line, cells) in zip(results, rows, strict=True)]
