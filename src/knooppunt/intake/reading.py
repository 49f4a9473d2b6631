"""Reading a delivered file into rows of cells, whatever the delimiter, encoding or format.

Nothing is evaluated: XLSX cells are read as stored values (never formulas), CSV cells are
text, so a cell starting with = + - @ stays text.

A source is the file's bytes (small files, tests) or the path of a file on disk (uploads,
kept originals): a file on disk is read in pieces, never whole into memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

Source = bytes | str | Path
CHUNK_BYTES = 1024 * 1024

# A cell longer than this is refused with a reason, not stored.
MAX_CELL_CHARS = 5000
DELIMITERS = ";,\t|"
csv.field_size_limit(10 * 1024 * 1024)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message is Dutch."""


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[object]]]  # (line number as the partner sees it, cells)
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    # Share of the file read so far (0-1), for a progress estimate; None when unknown.
    fraction_read: Callable[[], float | None] = lambda: None


def _fraction(handle: BinaryIO) -> Callable[[], float | None]:
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)

    def fraction() -> float | None:
        try:
            return min(1.0, handle.tell() / size) if size else None
        except (ValueError, OSError):  # closed once all rows are read
            return None

    return fraction


def open_source(source: Source) -> BinaryIO:
    """A seekable binary file: the bytes themselves, or the file on disk."""
    return io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115


def chunks(handle: BinaryIO) -> Iterator[bytes]:
    handle.seek(0)
    while chunk := handle.read(CHUNK_BYTES):
        yield chunk


def is_xlsx(head: bytes, filename: str = "") -> bool:
    return head[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm"))


def detect_encoding(handle: BinaryIO) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (never fails).

    Each candidate is tried over the whole file piece by piece, as decoding the whole text
    would, without holding it in memory.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in chunks(handle):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def decode(data: bytes) -> tuple[str, str]:
    """The text of `data` and the encoding found (see detect_encoding)."""
    encoding = detect_encoding(io.BytesIO(data))
    return data.decode(encoding), encoding


def sniff_delimiter(sample: str) -> str:
    first_line = sample.split("\n", 1)[0]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        if found in first_line:
            return found
    except csv.Error:
        pass
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _is_blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_csv(source: Source | BinaryIO) -> Table:
    handle = source if hasattr(source, "read") else open_source(source)
    encoding = detect_encoding(handle)
    handle.seek(0)
    peek = io.TextIOWrapper(handle, encoding=encoding, newline="")
    sample = peek.read(65536)
    peek.detach()  # keep `handle` open for the reader below
    if "\x00" in sample[:4096]:
        handle.close()
        raise UnreadableFile(
            "Het bestand bevat binaire gegevens; lever een CSV- of Excelbestand (XLSX) aan."
        )
    delimiter = sniff_delimiter(sample)
    fraction = _fraction(handle)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    header: list[str] | None = None
    try:
        for cells in reader:
            if not _is_blank(cells):
                header = [c.strip() for c in cells]
                break
    except csv.Error as exc:
        text.close()
        raise UnreadableFile(f"De kopregel is niet te lezen: {exc}.") from exc
    if header is None:
        text.close()
        raise UnreadableFile("Het bestand is leeg: er is geen kopregel gevonden.")

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise UnreadableFile(
                        f"Regel {reader.line_num} is niet te lezen: {exc}."
                    ) from exc
                # CSV cells are text: a row is blank when its cells join to whitespace.
                if cells and (cells[0].strip() or "".join(cells).strip()):
                    yield reader.line_num, cells
        finally:
            text.close()

    return Table(header, rows(), encoding=encoding, delimiter=delimiter,
                 fraction_read=fraction)


# An XLSX is a zip archive; a small upload must not unpack into gigabytes (zip bomb).
MAX_XLSX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200


def _check_unpacked_size(handle: BinaryIO) -> None:
    size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("Het Excelbestand is beschadigd of geen XLSX-bestand.") from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES or unpacked > MAX_XLSX_RATIO * max(size, 1):
        raise UnreadableFile(
            "Het Excelbestand pakt uit tot een onredelijk grote omvang en wordt niet gelezen."
        )


def read_xlsx(source: Source | BinaryIO) -> Table:
    from openpyxl import load_workbook

    handle = source if hasattr(source, "read") else open_source(source)
    _check_unpacked_size(handle)
    handle.seek(0)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnreadableFile("Het Excelbestand is beschadigd of geen XLSX-bestand.") from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise UnreadableFile("Het Excelbestand heeft geen werkblad.")
    iterator = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    line = 0
    for values in iterator:
        line += 1
        if not _is_blank(list(values)):
            header = ["" if v is None else str(v).strip() for v in values]
            break
    if header is None:
        raise UnreadableFile("Het werkblad is leeg: er is geen kopregel gevonden.")
    header_line = line

    def rows() -> Iterator[tuple[int, list[object]]]:
        number = header_line
        try:
            for values in iterator:
                number += 1
                cells = list(values)
                if not _is_blank(cells):
                    yield number, cells
        except UnreadableFile:
            raise
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on broken XML
            # The message names the line only: the library's text could quote a cell.
            raise UnreadableFile(
                f"Regel {number + 1} van het Excelbestand is onleesbaar (beschadigd bestand)."
            ) from exc
        finally:
            workbook.close()
            handle.close()

    return Table(header, rows(), encoding="xlsx")


def _is_empty(handle: BinaryIO) -> bool:
    return not any(chunk.strip() for chunk in chunks(handle))


def read_table(source: Source, filename: str = "") -> Table:
    """The header and the non-empty rows of a CSV or XLSX file (bytes or a path).

    The rows are read lazily from the source while the caller iterates.
    """
    handle = open_source(source)
    if _is_empty(handle):
        handle.close()
        raise UnreadableFile("Het bestand is leeg.")
    handle.seek(0)
    head = handle.read(4)
    handle.seek(0)
    if is_xlsx(head, filename):
        return read_xlsx(handle)
    return read_csv(handle)
