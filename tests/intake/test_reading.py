"""Reading any delimiter and encoding; Dutch dates and numbers."""

from __future__ import annotations

from datetime import date

import pytest

from knooppunt.intake.conventions import ConversionError, parse_date, parse_number, safe_value
from knooppunt.intake.reading import UnreadableFile, read_table


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_any_delimiter_and_encoding(delimiter, encoding):
    text = f"Datum{delimiter}Plaats\r\n31-12-2024{delimiter}Súdwest-Fryslân\r\n\r\n"
    table = read_table(text.encode(encoding))
    assert table.header == ["Datum", "Plaats"]
    assert list(table.rows) == [(2, ["31-12-2024", "Súdwest-Fryslân"])]


def test_formula_cells_stay_text():
    table = read_table(b"a;b\n=cmd|' /C calc'!A0;@SUM(1)\n")
    assert list(table.rows)[0][1] == ["=cmd|' /C calc'!A0", "@SUM(1)"]
    assert safe_value("=cmd") == "'=cmd"
    assert safe_value("-12,5") == "-12,5"


def test_empty_file_is_refused():
    with pytest.raises(UnreadableFile):
        read_table(b"\n\n")


@pytest.mark.parametrize("text,expected", [
    ("31-12-2024", date(2024, 12, 31)), ("31-12-2024 14:30", date(2024, 12, 31)),
    ("1/2/2024", date(2024, 2, 1)), ("2024-12-31", date(2024, 12, 31)),
    ("2024-12-31T14:30:00Z", date(2024, 12, 31)),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2024", "morgen", "12-2024"])
def test_bad_dates(text):
    with pytest.raises(ConversionError):
        parse_date(text)


@pytest.mark.parametrize("text,expected", [
    ("1.234,56", 1234.56), ("1234,5", 1234.5), ("1.234", 1234.0), ("12", 12.0),
    ("1.234.567", 1234567.0), ("-3,5", -3.5),
])
def test_dutch_numbers(text, expected):
    assert parse_number(text) == expected


def test_xlsx_gives_values_not_formulas_and_keeps_dates():
    import io
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Datum", "Omschrijving", "Aantal"])
    sheet.append([datetime(2024, 12, 31, 14, 30), "=HYPERLINK(\"http://x\")", 1234.5])
    sheet.append([None, None, None])
    sheet.append(["31-12-2024", "Tekst", "1.234,5"])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "lijst.xlsx")
    rows = list(table.rows)
    assert table.header == ["Datum", "Omschrijving", "Aantal"]
    assert [line for line, _ in rows] == [2, 4]
    assert parse_date(rows[0][1][0]) == date(2024, 12, 31)
    assert rows[0][1][1] is None  # a formula without a stored value is not its text
    assert parse_number(rows[1][1][2]) == 1234.5
