"""Validating a batch of rows column by column; rows it is unsure of go to the row validator.

A delivery of a million rows has few distinct dates, municipalities, themes, streets and
house numbers. The cells of a batch are turned into columns (C-level `itemgetter` and
`zip`), each column is converted once per distinct value, and rows are assembled with
`map`/`zip` rather than by per-row Python code. A row is accepted here only when every one
of its cells is a plain, known-good value: then its draft is exactly what
`RowValidator.validate` would make. Anything else — an empty required cell, an unknown
municipality, a date out of range, a postcode or house number in an unusual spelling, a
point, a too-long cell, a record not as wide as the header or a cell with a line break
(decision 0031) — is handed to `RowValidator.validate` itself, so every rejection,
its message and its line number come from the one validator (tests/intake/test_fastpath.py
checks that both paths give the same result, row for row). Only text rows (CSV) take the
fast path; spreadsheet cells can be numbers or dates and always go row by row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from itertools import chain, compress, repeat

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
    fingerprints,
    normalise_key_text,
)

_CELLS = operator.itemgetter(1)  # (line, cells) -> cells
_LINE = operator.itemgetter(0)
_MISS = object()  # "not a plain good value": the row goes to the row validator
_POINT_FIELDS = ("x_rd", "y_rd", "latitude", "longitude")
MEMO_LIMIT = 200_000
# The draft's fields, in the order the columns are assembled.
_KEYS = ("received_on", "theme_id", "source_type_id", "confidentiality", "municipality_id",
         "x_rd", "y_rd", "latitude", "longitude", "street", "house_letter",
         "house_number_addition", "city", "house_number", "postcode", "description",
         "is_anonymous", "reporter_name", "reporter_contact")


def _has_line_break(cells) -> bool:
    """Whether any of the text cells holds a line break (one C-level join and search)."""
    joined = "\x1f".join(cells)
    return "\n" in joined or "\r" in joined


class _Memo(dict):
    """A conversion remembered per distinct stripped cell ('' for an empty one)."""

    def __init__(self, convert: Callable[[str | None], object]):
        super().__init__()
        self.convert = convert

    def column(self, cells: Sequence[str]) -> list:
        try:  # once a few batches are in, most columns hold only values seen before
            return list(map(self.__getitem__, cells))
        except KeyError:
            pass
        for value in set(cells).difference(self):
            if len(self) >= MEMO_LIMIT:  # a column of all-different values: no memo
                return [self.convert(v or None) for v in cells]
            self[value] = self.convert(value or None)
        return list(map(self.__getitem__, cells))


def _text(limit: int, upper: bool = False) -> Callable[[str | None], object]:
    def convert(raw: str | None) -> object:
        text = raw or ""
        if len(text) > limit:
            return _MISS
        return text.upper() if upper else text
    return convert


class BatchValidator:
    """Column-wise fast path in front of one delivery's `RowValidator`."""

    def __init__(self, validator: RowValidator, *, text_cells: bool = True,
                 multiline: set[int] | None = None):
        """`multiline`: the lines of records that hold a line break, as the reader finds
        them (`Table.multiline`); without it every cell is searched for one."""
        self.validator = validator
        self.text_cells = text_cells
        self.multiline = multiline
        v = validator
        profile = v.profile
        index = v.columns.index
        self.details = list(v.columns.details)
        # A row with a point needs the geometry look-up: it takes the row validator.
        self.point_positions = [index[name] for name in _POINT_FIELDS if name in index]
        self.width = max([*index.values(), *(p for _l, p in self.details)], default=-1) + 1
        self.fields = [name for name in index if name not in _POINT_FIELDS]
        # Twice the first position: itemgetter then always returns a tuple.
        positions = [index[name] for name in self.fields] + [p for _l, p in self.details]
        self.pick = operator.itemgetter(*positions, *positions[:1]) if positions else None
        self.memo = {
            "received_on": _Memo(self._date),
            "theme": _Memo(lambda raw: (profile.default_theme_id or _MISS) if raw is None
                           else v.themes.get(raw.lower(), _MISS)),
            "source_type": _Memo(lambda raw: profile.source_type_id if raw is None
                                 else v.sources.get(raw.lower(), _MISS)),
            "confidentiality": _Memo(self._confidentiality),
            "municipality": _Memo(lambda raw: _MISS if raw is None
                                  else (v._municipality(raw) or _MISS)),
            "house_number": _Memo(self._house_number),
            "postcode": _Memo(self._postcode),
            "street": _Memo(_text(TEXT_LIMITS["street"])),
            "house_letter": _Memo(_text(TEXT_LIMITS["house_letter"], upper=True)),
            "house_number_addition": _Memo(_text(TEXT_LIMITS["house_number_addition"])),
            "city": _Memo(_text(TEXT_LIMITS["city"])),
            "reporter_name": _Memo(_text(TEXT_LIMITS["reporter_name"])),
            "reporter_contact": _Memo(_text(TEXT_LIMITS["reporter_contact"])),
        }
        self.anonymous_of: dict[object, bool] = {}
        # CSV records: exactly as wide as the header, no line break in any cell (anything
        # else goes to the row validator, which applies `RecordRules`).
        self.record_width = None if v.rules is None else v.rules.width

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

    def _is_anonymous(self, source_id: object) -> bool:
        try:
            return self.anonymous_of[source_id]
        except KeyError:
            found = self.validator.anonymous or source_id in self.validator.anonymous_sources
            self.anonymous_of[source_id] = found
            return found

    def _plain(self, rows: Sequence[tuple[int, list]]) -> list[int]:
        """Positions of the rows with every mapped cell, none too long, no point; for CSV
        records also exactly as wide as the header, without a line break in any cell."""
        width, points, exact = self.width, self.point_positions, self.record_width
        cells = list(map(_CELLS, rows))
        lengths = list(map(len, cells))
        breaks = self.multiline
        if (not points and min(lengths) >= width
                and (exact is None or (min(lengths) == max(lengths) == exact
                                       and (breaks.isdisjoint(map(_LINE, rows))
                                            if breaks is not None else
                                            not _has_line_break(chain.from_iterable(cells)))))
                and max(map(len, chain.from_iterable(cells))) <= MAX_CELL_CHARS):
            return list(range(len(rows)))  # the common case, checked for the whole batch
        return [i for i, (line, row) in enumerate(rows)
                if len(row) >= width and max(map(len, row)) <= MAX_CELL_CHARS
                and (exact is None or (len(row) == exact and (
                    line not in breaks if breaks is not None else not _has_line_break(row))))
                and not (points and any(row[p].strip() for p in points))]

    def _columns(self, batch: list[list]) -> tuple[list[bool], dict[str, list]]:
        """Which rows of the batch are good, and their values as columns (`_KEYS` order).

        A row that is not good needs the row validator; the columns hold the good rows only.
        """
        count = len(batch)
        transposed = list(zip(*map(self.pick, batch), strict=True))
        stripped = {name: list(map(str.strip, cells))
                    for name, cells in zip(self.fields, transposed, strict=False)}
        empty = [""] * count

        def converted(name: str) -> list:
            return self.memo[name].column(stripped.get(name, empty))

        source = converted("source_type")
        anonymous_of = {value: self._is_anonymous(value) for value in set(source)}
        anonymous = list(map(anonymous_of.__getitem__, source))
        description = stripped.get("description", empty)
        checked = [converted("received_on"), converted("theme"), source,
                   converted("confidentiality"), converted("municipality"),
                   converted("street"), converted("house_letter"),
                   converted("house_number_addition"), converted("city"),
                   converted("house_number"), converted("postcode"),
                   description if all(description) else [d or _MISS for d in description]]
        reporters = []
        for name in REPORTER_FIELDS:
            if self.validator.anonymous:
                reporters.append(empty)
                continue
            values = converted(name)
            if any(anonymous):  # an anonymous row keeps no reporter
                values = [("" if anon else value)
                          for anon, value in zip(anonymous, values, strict=True)]
            reporters.append(values)
        checked += reporters
        rows = zip(*checked, strict=True)
        bad = list(map(operator.contains, rows, repeat(_MISS)))
        good = list(map(operator.not_, bad))
        if all(bad):
            return good, {}
        # Details are appended to the description, as the row validator does.
        for k, (label, _pos) in enumerate(self.details):
            cells = list(map(str.strip, transposed[len(self.fields) + k]))
            if all(cells):  # every row has it: joined in C
                description = list(map(str.__add__, description,
                                       map(f"\n{label}: ".__add__, cells)))
            else:
                description = [f"{d}\n{label}: {x}" if x else d
                               for d, x in zip(description, cells, strict=True)]
        none = [None] * count
        assembled = [*checked[:5], none, none, none, none, *checked[5:11], description,
                     anonymous, *reporters]
        partner = stripped.get("partner_id")
        if partner is not None and not (all(map(str.isascii, partner))
                                        and not self.validator.fold_case):
            # The key's text as `partner_key` makes it (ASCII: as is, or lowered).
            fold = self.validator.fold_case
            partner = (list(map(str.lower, partner)) if all(map(str.isascii, partner))
                       else [normalise_key_text(p, fold) for p in partner])
        if not all(good):
            assembled = [list(compress(column, good)) for column in assembled]
            partner = None if partner is None else list(compress(partner, good))
        columns = dict(zip(_KEYS, assembled, strict=True))
        prints = None
        if partner is None or not all(partner):
            prints = fingerprints(columns)
        if partner is None:
            columns["key"] = ["fp:" + p for p in prints]
        elif prints is None:
            columns["key"] = (list(map("id:".__add__, partner))
                              if max(map(len, partner)) <= 90
                              else ["id:" + p[:90] for p in partner])
        else:
            columns["key"] = [("id:" + p[:90]) if p else "fp:" + f
                              for p, f in zip(partner, prints, strict=True)]
        return good, columns

    def _drafts(self, lines: list[int], batch: list[list]) -> list[Draft | None]:
        """A draft for each row of the batch, or None where the row validator must look."""
        good, columns = self._columns(batch)
        if not columns:
            return [None] * len(batch)
        keys = columns.pop("key")
        values = list(map(dict, map(zip, repeat(_KEYS), zip(*columns.values(), strict=True))))
        drafts = list(map(Draft, compress(lines, good), keys, values))
        if len(drafts) == len(batch):
            return drafts
        found = iter(drafts)
        return [next(found) if ok else None for ok in good]

    def validate_columns(self, rows: Sequence[tuple[int, list]]
                         ) -> tuple[dict[str, list], list[list[RowError]]]:
        """The batch's accepted rows as columns (`_KEYS` and "key"; file order), and
        the row validator's errors of each rejected row (then the columns are incomplete:
        a delivery with errors stores nothing)."""
        count = len(rows)
        plain: list[int] = []
        if rows and self.text_cells and self.pick is not None:
            try:
                plain = self._plain(rows)
            except (TypeError, AttributeError):  # a cell that is not text after all
                plain = []
        columns: dict[str, list] = {}
        good: list[bool] = []
        if plain:
            whole = len(plain) == count
            good, columns = self._columns(
                list(map(_CELLS, rows)) if whole else [rows[i][1] for i in plain])
            if whole and columns and all(good):  # the common case: nothing else to do
                return columns, []
        fast = [plain[i] for i, ok in enumerate(good) if ok]
        fast_set = set(fast)
        slow = self.validator.validate
        errors: list[list[RowError]] = []
        drafts: dict[int, Draft] = {}
        for i, (line, cells) in enumerate(rows):
            if i not in fast_set:
                result = slow(line, cells)
                if result.__class__ is Draft:
                    drafts[i] = result
                else:
                    errors.append(result)
        if errors:
            return {}, errors
        if not drafts:
            return columns, []
        # Rows of both paths in one batch: merge them in file order.
        merged: dict[str, list] = {name: [None] * count for name in (*_KEYS, "key")}
        for name, column in columns.items():
            target = merged[name]
            for i, value in zip(fast, column, strict=True):
                target[i] = value
        for i, draft in drafts.items():
            for name in _KEYS:
                merged[name][i] = draft.values[name]
            merged["key"][i] = draft.key
        return merged, []

    def validate(self, rows: Sequence[tuple[int, list]]) -> list[Draft | list[RowError]]:
        """The result of `RowValidator.validate` for each row, in order."""
        results: list[Draft | list[RowError] | None] = [None] * len(rows)
        if rows and self.text_cells and self.pick is not None:
            try:
                plain = self._plain(rows)
            except (TypeError, AttributeError):  # a cell that is not text after all
                plain = []
            if plain:
                drafts = self._drafts([rows[i][0] for i in plain], [rows[i][1] for i in plain])
                for i, draft in zip(plain, drafts, strict=True):
                    results[i] = draft
        slow = self.validator.validate
        return [result if result is not None else slow(line, cells)
                for result, (line, cells) in zip(results, rows, strict=True)]
