"""Reading a BAG extract in CSV form into `registers.Address` (idempotent upsert).

Columns (header names, case-insensitive; `;` or `,` delimited, UTF-8 with or without BOM):

required  nummeraanduiding_id, openbareruimte, huisnummer, postcode, woonplaats, x, y
optional  huisletter, toevoeging, verblijfsobject_id, pand_id, gebruiksdoel, oppervlakte,
          status, bouwjaar, buurtcode (BU........), wijkcode (WK......)

x and y are RD New metres. The municipality comes from the point (2024 boundaries); wijk
and buurt from the optional codes, since their boundaries are not in the shipped data.
A row that cannot be used is reported with its line number and skipped; the others are
inserted or, when the nummeraanduiding id is already known, updated.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from knooppunt.geo.models import District, Neighbourhood

from .addresses import normalise_address
from .models import Address
from .placement import BoundaryIndex, municipalities_at, to_wgs84

REQUIRED = ("nummeraanduiding_id", "openbareruimte", "huisnummer", "postcode", "woonplaats",
            "x", "y")
OPTIONAL = ("huisletter", "toevoeging", "verblijfsobject_id", "pand_id", "gebruiksdoel",
            "oppervlakte", "status", "bouwjaar", "buurtcode", "wijkcode")
UPDATE_FIELDS = [
    "street", "house_number", "house_letter", "house_number_addition", "postcode", "city",
    "x_rd", "y_rd", "latitude", "longitude", "municipality", "district", "neighbourhood",
    "verblijfsobject_id", "pand_id", "usage", "construction_year", "floor_area", "status",
    "source", "source_date", "is_synthetic",
]
_ID_RE = re.compile(r"^\d{16}$")
BATCH = 5000


@dataclass
class ImportResult:
    read: int = 0
    stored: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    outside: int = 0  # stored without a municipality: point outside every boundary


def _int(value: str) -> int | None:
    value = (value or "").strip().replace(".", "")
    return int(value) if value.isdigit() else None


def _float(value: str) -> float:
    return float((value or "").strip().replace(",", "."))


def read_rows(text: str) -> tuple[list[str], Iterable[tuple[int, dict]]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]

    def rows():
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            yield number, dict(zip(header, values, strict=False))

    return header, rows()


def import_bag_csv(path: Path, *, source: str = "BAG-extract",
                   source_date: date | None = None) -> ImportResult:
    """Upsert every usable row of the file; raises ValueError when columns are missing."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    header, rows = read_rows(text)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValueError("ontbrekende kolommen: " + ", ".join(missing))
    source_date = source_date or date.today()
    buurten = dict(Neighbourhood.objects.values_list("code", "pk"))
    buurt_district = dict(Neighbourhood.objects.values_list("pk", "district_id"))
    wijken = dict(District.objects.values_list("code", "pk"))
    result = ImportResult()
    index = BoundaryIndex()
    batch: list[Address] = []
    seen: set[str] = set()
    with transaction.atomic():
        for line, row in rows:
            result.read += 1
            try:
                address = _address(row, buurten, buurt_district, wijken, source, source_date)
            except (ValidationError, ValueError) as exc:
                reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                result.rejected.append((line, reason))
                continue
            if address.nummeraanduiding_id in seen:
                result.rejected.append((line, "nummeraanduiding_id komt dubbel voor"))
                continue
            seen.add(address.nummeraanduiding_id)
            batch.append(address)
            if len(batch) >= BATCH:
                _flush(batch, result, index)
                batch = []
        _flush(batch, result, index)
    return result


def _address(row: dict, buurten: dict, buurt_district: dict, wijken: dict, source: str,
             source_date: date) -> Address:
    identifier = (row.get("nummeraanduiding_id") or "").strip()
    if not _ID_RE.match(identifier):
        raise ValueError(f"nummeraanduiding_id '{identifier[:20]}' is geen 16 cijfers")
    key = normalise_address(row.get("postcode", ""), row.get("huisnummer", ""),
                            row.get("huisletter", ""), row.get("toevoeging", ""))
    try:
        x, y = _float(row.get("x", "")), _float(row.get("y", ""))
    except ValueError as exc:
        raise ValueError("x of y is geen getal") from exc
    neighbourhood_id = buurten.get((row.get("buurtcode") or "").strip().upper())
    district_id = wijken.get((row.get("wijkcode") or "").strip().upper())
    if district_id is None and neighbourhood_id is not None:
        district_id = buurt_district.get(neighbourhood_id)
    year = _int(row.get("bouwjaar", ""))
    return Address(
        nummeraanduiding_id=identifier,
        street=(row.get("openbareruimte") or "").strip()[:120],
        house_number=key.house_number, house_letter=key.house_letter,
        house_number_addition=key.addition, postcode=key.postcode,
        city=(row.get("woonplaats") or "").strip()[:80],
        x_rd=x, y_rd=y, latitude=0.0, longitude=0.0,
        district_id=district_id, neighbourhood_id=neighbourhood_id,
        verblijfsobject_id=(row.get("verblijfsobject_id") or "").strip()[:16],
        pand_id=(row.get("pand_id") or "").strip()[:16],
        usage=(row.get("gebruiksdoel") or "").strip()[:200],
        construction_year=year if year and 1000 <= year <= 2100 else None,
        floor_area=_int(row.get("oppervlakte", "")),
        status=(row.get("status") or "").strip()[:60],
        source=source[:80], source_date=source_date,
    )


def _flush(batch: list[Address], result: ImportResult, index: BoundaryIndex) -> None:
    if not batch:
        return
    xs = [a.x_rd for a in batch]
    ys = [a.y_rd for a in batch]
    municipality_ids = municipalities_at(xs, ys, index)
    lats, lons = to_wgs84(xs, ys)
    for address, municipality_id, lat, lon in zip(batch, municipality_ids, lats, lons,
                                                  strict=True):
        address.municipality_id = municipality_id
        address.latitude, address.longitude = lat, lon
        result.outside += municipality_id is None
    upsert(batch)
    result.stored += len(batch)


def upsert(addresses: list[Address]) -> None:
    """Insert, or update by nummeraanduiding id, many rows per statement.

    `INSERT ... VALUES (...), (...) ON CONFLICT DO UPDATE` works on SQLite (3.24+) and
    PostgreSQL alike; it skips the ORM's per-value compilation, which costs more than the
    database itself here.
    """
    if not addresses:
        return
    fields = [Address._meta.get_field(name) for name in ["nummeraanduiding_id", *UPDATE_FIELDS]]
    columns = [f.column for f in fields]
    quote = connection.ops.quote_name
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns[1:])
    per_statement = max(1, (connection.features.max_query_params or 20_000) // len(columns))
    placeholder = f"({', '.join(['%s'] * len(columns))})"
    rows = [
        [f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields]
        for a in addresses
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            # Only quoted model column names are interpolated; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {quote(Address._meta.db_table)} "  # noqa: S608
                f"({', '.join(map(quote, columns))}) "
                f"VALUES {', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({quote('nummeraanduiding_id')}) DO UPDATE SET {updates}",
                [value for row in chunk for value in row],
            )
