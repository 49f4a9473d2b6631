"""A `Table` as CSV or XLSX, with suppression kept and spreadsheet formulas neutralised.

Both formats write the title, the columns, the rows and the note (source, date, method).
A text cell that a spreadsheet would run as a formula ("=", "+", "-", "@", tab, carriage
return at the start) gets a leading apostrophe in CSV and is stored as text in XLSX.
Suppressed counts are written as "<5" text, never as the number; a period without data
(before the first record, `NO_DATA`) is an empty cell, never 0.
"""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import COUNT, NO_DATA, SUPPRESSED, Column, Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(text: str) -> str:
    """Stop spreadsheet programs from running a text cell as a formula (CSV injection)."""
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _cell(column: Column, value: object) -> object:
    """A value for a spreadsheet cell: numbers stay numbers, everything else is text."""
    if value is SUPPRESSED:
        return str(SUPPRESSED)
    if value is None or value is NO_DATA:
        return ""
    if column.numeric and isinstance(value, int | float) and not isinstance(value, bool):
        if column.kind == COUNT and float(value).is_integer():
            return int(value)  # counts stored as floats are still whole numbers
        return value
    return neutralise(str(value))


def _csv_number(value: float | int) -> str:
    # Dutch spreadsheets read a decimal comma in semicolon-separated files.
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def to_csv(table: Table) -> bytes:
    """Semicolon-separated UTF-8 with BOM (opens correctly in Dutch Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(c.label) for c in table.columns])
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = _cell(column, row.get(column.key))
            cells.append(_csv_number(value) if isinstance(value, int | float) else value)
        writer.writerow(cells)
    if table.note:
        writer.writerow([])
        writer.writerow([neutralise(table.note)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xml_safe(value: object) -> object:
    return _ILLEGAL_XML.sub("", value) if isinstance(value, str) else value


def to_xlsx(table: Table) -> bytes:
    """One sheet: title, header, rows, note; text cells are stored as text, never formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (slugify(table.key) or "tabel")[:31]
    sheet.append([_xml_safe(neutralise(table.title))])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([_xml_safe(neutralise(c.label)) for c in table.columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xml_safe(_cell(c, row.get(c.key))) for c in table.columns])
    if table.note:
        sheet.append([])
        sheet.append([_xml_safe(neutralise(table.note))])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    for index, column in enumerate(table.columns, start=1):
        width = max([len(column.label), *(len(str(r.get(column.key) or "")) for r in table.rows)])
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = min(
            max(width + 2, 10), 60)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_response(table: Table, fmt: str, filename: str | None = None) -> HttpResponse:
    """An attachment download of `table` as "csv" or "xlsx"."""
    name = slugify(filename or table.key) or "tabel"
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(table), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(to_csv(table), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response
