"""Importing registered-crime figures as CBS/Politie publish them (47022NED monthly,
47018NED yearly, and files of the same shape).

What the published CSV files look like, and how each quirk is handled:

* keys carry trailing spaces (``"0.0.0   "``, ``"GM0153  "``): stripped;
* the period column mixes months, quarters and years (``2024MM01``, ``2024KW01``,
  ``2024JJ00``): each row keeps its own period type;
* ``0.0.0`` is the total of all crime types: stored like any type, never added to the
  others (the measures read either the total or one type);
* an empty cell (or ``.``) means the figure is withheld or not available: stored as
  *withheld* (no value), never as 0;
* area levels Knooppunt does not use (e.g. ``LD01`` landsdelen) and codes that no longer
  exist in the 2024 division are skipped and counted, not refused.

Nothing lost: an import is all or nothing, a second delivery of the same file (same
SHA-256) changes nothing, the original is kept, and every refused line is reported with
its number and reason (in Dutch).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from .areas import level_of
from .models import AreaLevel, PeriodType, Statistic, StatisticImport

MAX_BYTES = 200 * 1024 * 1024
PERIOD = re.compile(r"^(\d{4})(MM|KW|JJ)(\d{2})$")
WHOLE_NUMBER = re.compile(r"^(\d{1,12})(?:[.,]0+)?$", re.ASCII)
CRIME_TYPE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,19}$")
CRIME_COLUMNS = ("soortmisdrijf", "soort misdrijf", "misdrijf")
AREA_COLUMNS = ("regios", "regio's", "wijkenenbuurten", "wijken en buurten", "regio")
PERIOD_COLUMNS = ("perioden", "periode")
LABEL_COLUMNS = ("soortmisdrijf_label", "soortmisdrijf_title", "omschrijving")
VALUE_PREFIXES = ("geregistreerdemisdrijven", "totaalgeregistreerdemisdrijven",
                  "geregistreerde misdrijven", "totaal geregistreerde misdrijven", "waarde")
USED_LEVELS = {AreaLevel.COUNTRY, AreaLevel.PROVINCE, AreaLevel.MUNICIPALITY,
               AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD}
TABLE_SOURCES = {
    "47022NED": "CBS/Politie 47022NED, geregistreerde misdrijven per maand",
    "47018NED": "CBS/Politie 47018NED, geregistreerde misdrijven per wijk en buurt, jaar",
}


class _Semicolon(csv.excel):
    delimiter = ";"


class ImportRefused(Exception):
    """The file was not imported; `errors` says why, line by line."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__("; ".join(f"regel {n}: {m}" if n else m for n, m in errors[:5]))
        self.errors = errors


@dataclass
class ImportReport:
    statistic_import: StatisticImport
    already_imported: bool
    rows: int = 0
    withheld: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count


@dataclass(frozen=True)
class ParsedRow:
    line: int
    crime_type: str
    label: str
    area_level: str
    area_code: str
    period_type: str
    period_start: date
    value: int | None


def parse_period(text: str) -> tuple[str, date]:
    """``2024MM03`` → (maand, 2024-03-01); ``2024KW02`` → kwartaal; ``2024JJ00`` → jaar."""
    match = PERIOD.match(text.strip())
    if not match:
        raise ValueError(f"periode {text.strip()!r} is geen CBS-periode (bijv. 2024MM01 of "
                         "2024JJ00)")
    year, kind, number = int(match[1]), match[2], int(match[3])
    if kind == "JJ":
        if number != 0:
            raise ValueError(f"jaarperiode {text.strip()!r} moet op JJ00 eindigen")
        return PeriodType.YEAR, date(year, 1, 1)
    if kind == "KW":
        if not 1 <= number <= 4:
            raise ValueError(f"kwartaal {number} bestaat niet")
        return PeriodType.QUARTER, date(year, 3 * (number - 1) + 1, 1)
    if not 1 <= number <= 12:
        raise ValueError(f"maand {number} bestaat niet")
    return PeriodType.MONTH, date(year, number, 1)


def parse_value(text: str | None) -> int | None:
    """Empty or '.' (withheld) → None; else a whole, non-negative number."""
    cleaned = (text or "").strip()
    if cleaned in ("", ".", "-", "x"):
        return None
    match = WHOLE_NUMBER.match(cleaned)
    if not match:
        raise ValueError(f"waarde {cleaned[:20]!r} is geen geheel aantal van 0 of meer")
    return int(match[1])


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([(0, "Het bestand is geen leesbare tekst (UTF-8 of Windows-1252).")])


def _find(header: list[str], names: tuple[str, ...], prefix: bool = False) -> int | None:
    normal = [h.strip().lower() for h in header]
    for i, name in enumerate(normal):
        if any(name.startswith(n) if prefix else name == n for n in names):
            return i
    return None


def read_rows(data: bytes, known_areas: set[str]) -> tuple[list[ParsedRow], dict[str, int],
                                                           list[tuple[int, str]]]:
    """Parse the file: rows to store, skipped counts per reason, errors per line."""
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return _read(reader, known_areas)
    except csv.Error as error:
        raise ImportRefused([(reader.line_num, f"Het bestand is geen geldige CSV: {error}")]
                            ) from error


def _read(reader, known_areas: set[str]) -> tuple[list[ParsedRow], dict[str, int],
                                                  list[tuple[int, str]]]:
    header = next(reader, None)
    if not header:
        raise ImportRefused([(1, "Het bestand is leeg.")])
    columns = {
        "crime": _find(header, CRIME_COLUMNS),
        "area": _find(header, AREA_COLUMNS),
        "period": _find(header, PERIOD_COLUMNS),
        "value": _find(header, VALUE_PREFIXES, prefix=True),
    }
    missing = [name for name, index in columns.items() if index is None]
    if missing:
        names = {"crime": "SoortMisdrijf", "area": "RegioS of WijkenEnBuurten",
                 "period": "Perioden", "value": "GeregistreerdeMisdrijven_1"}
        raise ImportRefused([(1, "Kolom ontbreekt: " + ", ".join(names[m] for m in missing))])
    label_index = _find(header, LABEL_COLUMNS)
    rows: list[ParsedRow] = []
    skipped: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[str, str, str, date], int] = {}
    width = max(i for i in columns.values() if i is not None) + 1
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width:
            errors.append((line, f"te weinig kolommen ({len(cells)} in plaats van {len(header)})"))
            continue
        crime = cells[columns["crime"]].strip()
        area_code = cells[columns["area"]].strip().upper()
        try:
            if not CRIME_TYPE.match(crime):
                raise ValueError(f"soort misdrijf {crime[:20]!r} is geen code")
            period_type, start = parse_period(cells[columns["period"]])
            value = parse_value(cells[columns["value"]])
        except ValueError as error:
            errors.append((line, str(error)))
            continue
        level = level_of(area_code)
        if level is None or level not in USED_LEVELS:
            reason = f"gebiedsniveau {area_code[:2] or '(leeg)'} niet gebruikt"
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        if area_code not in known_areas:
            reason = "gebiedscode niet in de indeling 2024"
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        key = (crime, area_code, period_type, start)
        if key in seen:
            errors.append((line, f"dubbel: zelfde soort, gebied en periode als regel {seen[key]}"))
            continue
        seen[key] = line
        label = cells[label_index].strip()[:120] if label_index is not None and len(
            cells) > label_index else ""
        rows.append(ParsedRow(line, crime, label, level, area_code, period_type, start, value))
    return rows, skipped, errors


def _known_areas() -> set[str]:
    from knooppunt.geo.models import District, Municipality, Neighbourhood, Province

    codes = {"NL01"}
    for model in (Municipality, Province, District, Neighbourhood):
        codes.update(model.objects.values_list("code", flat=True))
    return codes


def crime_type_labels() -> dict[str, str]:
    """Labels of the crime-type codes, from the shipped national table (47018NED, 2023)."""
    from importlib import resources

    labels = {"0.0.0": "Totaal misdrijven"}
    path = resources.files("knooppunt.geo") / "data" / "nl_misdrijven_2023_per_soort.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, _, label = row["crimetype_lab"].partition(" ")
            labels[code] = label
    return labels


def import_statistics(
    data: bytes, *, file_name: str, table: str, user=None, published_on: date | None = None,
    source: str | None = None, synthetic: bool = False,
) -> ImportReport:
    """Import one file, all or nothing. Raises ImportRefused with every bad line."""
    table = table.strip().upper()
    if not re.fullmatch(r"[0-9]{5}[A-Z]{3}", table):
        raise ImportRefused([(0, f"Tabel {table[:20]!r} is geen CBS-tabelnummer (bijv. "
                                 "47022NED).")])
    if len(data) > MAX_BYTES:
        raise ImportRefused([(0, f"Het bestand is groter dan {MAX_BYTES // 1024 // 1024} MB.")])
    checksum = hashlib.sha256(data).hexdigest()
    existing = StatisticImport.objects.filter(checksum=checksum).first()
    if existing is not None:
        return ImportReport(existing, True, existing.row_count, existing.withheld_count)
    rows, skipped, errors = read_rows(data, _known_areas())
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([(0, "Het bestand bevat geen regels voor gebieden in de "
                                 "indeling 2024.")])
    source = source or TABLE_SOURCES.get(table, f"CBS/Politie {table}")
    labels = crime_type_labels()
    with transaction.atomic():
        record = StatisticImport.objects.create(
            table=table, file_name=file_name[:200], checksum=checksum, original=data,
            source=source, published_on=published_on, imported_by=user,
            row_count=len(rows), withheld_count=sum(1 for r in rows if r.value is None),
        )
        Statistic.objects.bulk_create(
            [
                Statistic(
                    table=table,
                    crime_type_code=r.crime_type,
                    crime_type_label=r.label or labels.get(r.crime_type, ""),
                    area_level=r.area_level,
                    area_code=r.area_code,
                    period_type=r.period_type,
                    period_start=r.period_start,
                    value=r.value,
                    source=source,
                    source_date=published_on,
                    imported=record,
                    is_synthetic=synthetic,
                )
                for r in rows
            ],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["table", "measure", "crime_type_code", "area_code", "period_type",
                           "period_start"],
            update_fields=["value", "crime_type_label", "source", "source_date", "imported",
                           "is_synthetic"],
        )
    return ImportReport(record, False, len(rows), record.withheld_count, skipped)
