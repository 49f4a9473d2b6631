"""Placing delivered rows on the address register, many at once.

Same rules as `signals.services.resolve_address`: an address found in the stated
municipality gets the register's id, street, place, wijk, buurt and (unless the row gave a
point) its point; anything else is kept as given and flagged `niet_gevonden` for a person
to fix. Never a reason to reject a row.
"""

from __future__ import annotations

import operator
import re
from functools import partial
from itertools import compress

from django.core.exceptions import ValidationError

from knooppunt.geo.lookup import districts_at
from knooppunt.signals.models import AddressStatus

# What validation already produced for nearly every row: a compact postcode, an upper-case
# letter, a plain addition. Such rows skip the general (slower) normalisation.
_COMPACT_POSTCODE = re.compile(r"[1-9]\d{3}[A-Z]{2}\Z")
_PLAIN_ADDITION = re.compile(r"[A-Z0-9]{1,4}\Z")
_NO_POSTCODE_LETTERS = ("SA", "SD", "SS")


def place(rows: list[dict]) -> int:
    """Update the row dicts in place; returns how many addresses were found. Rows with a
    point but no wijk from the register get the wijk whose boundary holds the point."""
    placed = _place_on_register(rows)
    unplaced = [row for row in rows if row.get("district_id") is None
                and row.get("x_rd") is not None]
    if unplaced:
        found = districts_at([row.get("municipality_id") for row in unplaced],
                             [row["x_rd"] for row in unplaced],
                             [row["y_rd"] for row in unplaced])
        for row, district_id in zip(unplaced, found, strict=True):
            row["district_id"] = district_id
    return placed


def _place_on_register(rows: list[dict]) -> int:
    try:
        from knooppunt.registers import addresses
    except ImportError:  # register app not installed: addresses stay as given
        return 0
    keys: dict[int, object] = {}
    for index, row in enumerate(rows):
        if not (row.get("postcode") and row.get("house_number")):
            row["address_status"] = AddressStatus.NOT_GIVEN if not any(
                row.get(f) for f in ("street", "city", "postcode", "house_number")
            ) else AddressStatus.UNRESOLVED
            continue
        row["address_status"] = AddressStatus.UNRESOLVED
        postcode, number = row["postcode"], row["house_number"]
        letter = row.get("house_letter", "")
        addition = row.get("house_number_addition", "")
        if (
            type(number) is int and 1 <= number <= addresses.MAX_HOUSE_NUMBER
            and _COMPACT_POSTCODE.match(postcode) and postcode[4:] not in _NO_POSTCODE_LETTERS
            and (not letter or (len(letter) == 1 and "A" <= letter <= "Z"))
            and (not addition or _PLAIN_ADDITION.match(addition))
        ):
            keys[index] = addresses.AddressKey(postcode, number, letter, addition)
            continue
        try:
            keys[index] = addresses.normalise_address(postcode, number, letter, addition)
        except ValidationError:
            continue
    if not keys:
        return 0
    found = addresses.resolve_many(set(keys.values()))
    placed = 0
    for index, key in keys.items():
        address = found.get(key)
        row = rows[index]
        if address is None or (
            address.municipality_id is not None
            and address.municipality_id != row["municipality_id"]
        ):
            continue
        row.update(
            address_status=AddressStatus.RESOLVED,
            address_register_id=address.nummeraanduiding_id,
            street=address.street or row.get("street", ""),
            city=address.city or row.get("city", ""),
            district_id=address.district_id,
            neighbourhood_id=address.neighbourhood_id,
        )
        if row.get("x_rd") is None:
            row.update(x_rd=address.x_rd, y_rd=address.y_rd, latitude=address.latitude,
                       longitude=address.longitude)
        placed += 1
    return placed


def place_columns(columns: dict[str, list]) -> int:
    """`place` for rows held as columns (a list per field, `fastpath` order): adds the
    columns `address_status`, `address_register_id`, `district_id` and `neighbourhood_id`
    and updates street, city and the point of the rows found. Same rules as `place`.

    Each distinct postcode, number, letter and addition is checked once; the per-row work
    is done by `map`/`zip`/`compress` (C), except for the rows the register finds."""
    placed = _place_columns_on_register(columns)
    # Rows with a point and no wijk from the register: found in C, placed per municipality.
    wanted = list(map(_needs_wijk, columns["district_id"], columns["x_rd"]))
    if any(wanted):
        indexes = list(compress(range(len(wanted)), wanted))
        found = districts_at(list(compress(columns["municipality_id"], wanted)),
                             list(compress(columns["x_rd"], wanted)),
                             list(compress(columns["y_rd"], wanted)))
        district = columns["district_id"]
        for index, district_id in zip(indexes, found, strict=True):
            district[index] = district_id
    return placed


def _needs_wijk(district_id, x) -> bool:
    return district_id is None and x is not None


def _place_columns_on_register(columns: dict[str, list]) -> int:
    count = len(columns["postcode"])
    postcodes, numbers = columns["postcode"], columns["house_number"]
    letters, additions = columns["house_letter"], columns["house_number_addition"]
    given = map(any, zip(columns["street"], columns["city"], postcodes, numbers, strict=True))
    status = list(map([AddressStatus.NOT_GIVEN, AddressStatus.UNRESOLVED].__getitem__, given))
    columns["address_status"] = status
    columns["address_register_id"] = [""] * count
    columns["district_id"] = [None] * count
    columns["neighbourhood_id"] = [None] * count
    try:
        from knooppunt.registers import addresses
    except ImportError:  # register app not installed: addresses stay as given
        return 0
    highest = addresses.MAX_HOUSE_NUMBER
    # Is each distinct value what validation makes of plain input? (None, '' are not.)
    plain = [
        {p: bool(p and _COMPACT_POSTCODE.match(p)) and p[4:] not in _NO_POSTCODE_LETTERS
         for p in set(postcodes)},
        {n: n.__class__ is int and 1 <= n <= highest for n in set(numbers)},
        {v: not v or (len(v) == 1 and "A" <= v <= "Z") for v in set(letters)},
        {v: not v or bool(_PLAIN_ADDITION.match(v)) for v in set(additions)},
    ]
    fields = (postcodes, numbers, letters, additions)
    ok = list(map(all, zip(*(map(memo.__getitem__, column)
                             for memo, column in zip(plain, fields, strict=True)),
                           strict=True)))
    indexes = list(compress(range(count), ok))
    keys = list(compress(zip(*fields, strict=True), ok))
    # The rest with a postcode and a number: the general normalisation, one by one.
    for index in compress(range(count), map(operator.not_, ok)):
        if postcodes[index] and numbers[index]:
            try:
                keys.append(addresses.normalise_address(
                    postcodes[index], numbers[index], letters[index], additions[index]))
                indexes.append(index)
            except ValidationError:
                continue
    if not keys:
        return 0
    # A plain tuple equals (and hashes as) the AddressKey named tuple of the same values;
    # the register reads the named fields, so each distinct key becomes one (in C).
    as_key = partial(tuple.__new__, addresses.AddressKey)
    found = addresses.resolve_many(set(map(as_key, set(keys))))
    if not found:
        return 0
    municipalities = columns["municipality_id"]
    placed = 0
    for index, key in zip(indexes, keys, strict=True):
        address = found.get(key)
        if address is None or (
            address.municipality_id is not None
            and address.municipality_id != municipalities[index]
        ):
            continue
        status[index] = AddressStatus.RESOLVED
        columns["address_register_id"][index] = address.nummeraanduiding_id
        columns["street"][index] = address.street or columns["street"][index]
        columns["city"][index] = address.city or columns["city"][index]
        columns["district_id"][index] = address.district_id
        columns["neighbourhood_id"][index] = address.neighbourhood_id
        if columns["x_rd"][index] is None:
            for name in ("x_rd", "y_rd", "latitude", "longitude"):
                columns[name][index] = getattr(address, name)
        placed += 1
    return placed
