"""Table exports: formulas neutralised, suppression kept, everything readable back."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from knooppunt.charts.exports import FORMULA_PREFIXES, export_response, neutralise, to_csv, to_xlsx
from knooppunt.charts.tables import COUNT, NUMBER, SUPPRESSED, Column, Table

COLUMNS = [Column("naam", "Gemeente"), Column("aantal", "Aantal", COUNT),
           Column("per1000", "Per 1.000", NUMBER, decimals=1)]


def _table(rows, note="Bron: CBS/Politie, 2024") -> Table:
    return Table(key="test", title="Misdrijven", columns=COLUMNS, rows=rows, note=note)


def _read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_keeps_suppression_and_writes_dutch_decimals():
    rows = [{"naam": "Enschede", "aantal": 120, "per1000": 0.75},
            {"naam": "Losser", "aantal": SUPPRESSED, "per1000": None}]
    parsed = _read_csv(to_csv(_table(rows)))
    assert parsed[0] == ["Gemeente", "Aantal", "Per 1.000"]
    assert parsed[1] == ["Enschede", "120", "0,75"]
    assert parsed[2] == ["Losser", "<5", ""]
    assert parsed[-1] == ["Bron: CBS/Politie, 2024"]


def test_xlsx_stores_formula_text_as_text_and_keeps_numbers():
    rows = [{"naam": "=HYPERLINK(\"http://x\")", "aantal": 7, "per1000": 1.5},
            {"naam": "Losser", "aantal": SUPPRESSED, "per1000": None}]
    sheet = load_workbook(io.BytesIO(to_xlsx(_table(rows)))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Misdrijven"
    assert values[2] == ["Gemeente", "Aantal", "Per 1.000"]
    assert values[3] == ["'=HYPERLINK(\"http://x\")", 7, 1.5]
    assert values[4][:2] == ["Losser", "<5"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_response_is_an_attachment():
    response = export_response(_table([]), "xlsx", filename="Enschede trend")
    assert response["Content-Disposition"] == 'attachment; filename="enschede-trend.xlsx"'
    assert response["Cache-Control"] == "no-store"
    assert export_response(_table([]), "csv")["Content-Type"].startswith("text/csv")


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    result = neutralise(text)
    assert not result.startswith(FORMULA_PREFIXES)
    assert result.endswith(text)


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_any_name_survives_csv_and_xlsx_without_becoming_a_formula(names):
    rows = [{"naam": name, "aantal": index, "per1000": None} for index, name in enumerate(names)]
    parsed = _read_csv(to_csv(_table(rows, note="")))
    assert len(parsed) == len(names) + 1
    for name, row in zip(names, parsed[1:], strict=True):
        assert row[0] == neutralise(name)
    sheet = load_workbook(io.BytesIO(to_xlsx(_table(rows, note="")))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_no_data_is_an_empty_cell_not_zero():
    """A period before the first record (decision 0021): empty in CSV and XLSX, never 0,
    and "geen gegevens" on the page."""
    from knooppunt.charts.tables import NO_DATA, display

    rows = [{"naam": "december 2023", "aantal": NO_DATA, "per1000": None},
            {"naam": "januari 2024", "aantal": 0, "per1000": 0.0}]
    assert display(COLUMNS[1], NO_DATA) == "geen gegevens"
    parsed = _read_csv(to_csv(_table(rows)))
    assert parsed[1] == ["december 2023", "", ""]
    assert parsed[2][1] == "0"
    sheet = load_workbook(io.BytesIO(to_xlsx(_table(rows)))).active
    cells = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert cells[0][1] is None and cells[1][1] == 0
