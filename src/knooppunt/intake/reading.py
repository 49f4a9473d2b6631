"""Reading a delivered file into rows of cells, whatever the delimiter, encoding or format.

Nothing is evaluated: XLSX cells are read as stored values (never formulas), CSV cells are
text, so a cell starting with = + - @ stays text.

A source is the file's bytes (small files, tests) or the path of a file on disk (uploads,
kept originals): a file on disk is read in pieces, never whole into memory.

A broken record is refused, never guessed (decision 0031): a quote that is not closed, or
text after a closing quote, stops the reading with the record's line; a file that mixes
UTF-8 with another encoding is refused with the first line in the other one. A record's
line is the line it starts on, as the partner sees it in an editor.
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

from django.utils.translation import gettext as _

Source = bytes | str | Path
CHUNK_BYTES = 1024 * 1024

# A cell longer than this is refused with a reason, not stored.
MAX_CELL_CHARS = 5000
DELIMITERS = ";,\t|"
csv.field_size_limit(10 * 1024 * 1024)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message is in the active language (Dutch
    unless a user's language says otherwise). `line`: where it went wrong (0: unknown)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[object]]]  # (line number as the partner sees it, cells)
    encoding: str = ""
    delimiter: str = ""
    # Cells a record must have (CSV: the header's); None where rows have no fixed width
    # (XLSX rows are as wide as the sheet).
    width: int | None = None
    # CSV: the first lines of the records read so far that span more than one line, i.e.
    # hold a line break inside a quoted cell (filled while the rows are read).
    multiline: set[int] = field(default_factory=set)
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


def mixed_encoding_line(handle: BinaryIO) -> tuple[int, int] | None:
    """For a file that is not UTF-8 as a whole: (the first line that is not UTF-8, a line
    before or after it that is UTF-8 with characters beyond ASCII), or None when no line
    is such UTF-8 (then the file is in one other encoding, e.g. Windows-1252).

    Decoding such a file as Windows-1252 would turn every accented letter of the UTF-8
    lines into two wrong ones (mojibake), silently: it is refused instead.
    """
    bad = utf8 = 0
    number = 0
    rest = b""
    for chunk in chunks(handle):
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            number += 1
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad = bad or number
            else:
                utf8 = utf8 or number
            if bad and utf8:
                return bad, utf8
    if rest and not rest.isascii():
        number += 1
        try:
            rest.decode("utf-8")
        except UnicodeDecodeError:
            bad = bad or number
        else:
            utf8 = utf8 or number
    return (bad, utf8) if bad and utf8 else None


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


def _csv_error(exc: csv.Error, line: int) -> UnreadableFile:
    """A Dutch (or English) reason for what Python's strict CSV reader refused."""
    text = str(exc)
    if "unexpected end of data" in text:
        return UnreadableFile(_(
            "Regel %(line)d: een aanhalingsteken (\") wordt niet gesloten, zodat de rest van "
            "het bestand in één cel zou komen. Sluit het aanhalingsteken of haal het weg en "
            "lever het hele bestand opnieuw aan."
        ) % {"line": line}, line)
    if "expected after" in text:
        return UnreadableFile(_(
            "Regel %(line)d: na een sluitend aanhalingsteken (\") staat nog tekst in dezelfde "
            "cel. Waarschijnlijk is een aanhalingsteken eerder niet gesloten en zijn regels "
            "samengevoegd. Verbeter de regel en lever het hele bestand opnieuw aan."
        ) % {"line": line}, line)
    return UnreadableFile(_("Regel %(line)d is niet te lezen: %(reason)s.")
                          % {"line": line, "reason": text}, line)


def read_csv(source: Source | BinaryIO) -> Table:
    handle = source if hasattr(source, "read") else open_source(source)
    encoding = detect_encoding(handle)
    if encoding != "utf-8-sig":
        mixed = mixed_encoding_line(handle)
        if mixed:
            handle.close()
            bad, good = mixed
            raise UnreadableFile(_(
                "Regel %(bad)d is niet in UTF-8 opgeslagen, regel %(good)d wel: het bestand "
                "mengt tekensets, en letters als é of ë zouden verminkt worden opgeslagen. "
                "Sla het hele bestand op als UTF-8 en lever het opnieuw aan."
            ) % {"bad": bad, "good": good}, bad)
    handle.seek(0)
    peek = io.TextIOWrapper(handle, encoding=encoding, newline="")
    sample = peek.read(65536)
    peek.detach()  # keep `handle` open for the reader below
    if "\x00" in sample[:4096]:
        handle.close()
        raise UnreadableFile(_(
            "Het bestand bevat binaire gegevens; lever een CSV- of Excelbestand (XLSX) aan."))
    delimiter = sniff_delimiter(sample)
    fraction = _fraction(handle)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    # strict: an unclosed quote or text after a closing quote is an error, not a guess
    # that silently merges the next lines into one cell.
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    try:
        for cells in reader:
            if not _is_blank(cells):
                header = [c.strip() for c in cells]
                break
    except csv.Error as exc:
        text.close()
        raise UnreadableFile(_("De kopregel is niet te lezen: %(reason)s.")
                             % {"reason": exc}, 1) from exc
    if header is None:
        text.close()
        raise UnreadableFile(_("Het bestand is leeg: er is geen kopregel gevonden."))

    multiline: set[int] = set()

    def rows() -> Iterator[tuple[int, list[object]]]:
        ended = reader.line_num  # the last line of the record before
        try:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise _csv_error(exc, ended + 1) from exc
                start, ended = ended + 1, reader.line_num
                if ended != start:
                    multiline.add(start)
                # CSV cells are text: a row is blank when its cells join to whitespace.
                if cells and (cells[0].strip() or "".join(cells).strip()):
                    yield start, cells
        finally:
            text.close()

    return Table(header, rows(), encoding=encoding, delimiter=delimiter,
                 width=len(header), multiline=multiline, fraction_read=fraction)


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
        raise UnreadableFile(_("Het Excelbestand is beschadigd of geen XLSX-bestand.")) from exc
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
        raise UnreadableFile(_("Het Excelbestand is beschadigd of geen XLSX-bestand.")) from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise UnreadableFile(_("Het Excelbestand heeft geen werkblad."))
    iterator = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    line = 0
    for values in iterator:
        line += 1
        if not _is_blank(list(values)):
            header = ["" if v is None else str(v).strip() for v in values]
            break
    if header is None:
        raise UnreadableFile(_("Het werkblad is leeg: er is geen kopregel gevonden."))
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
        raise UnreadableFile(_("Het bestand is leeg."))
    handle.seek(0)
    head = handle.read(4)
    handle.seek(0)
    if is_xlsx(head, filename):
        return read_xlsx(handle)
    return read_csv(handle)
