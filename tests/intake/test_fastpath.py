"""The column-wise fast path gives exactly what the row validator gives, row for row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.intake.examples import example_rows
from knooppunt.intake.fastpath import BatchValidator
from knooppunt.intake.models import DeliveryProfile
from knooppunt.intake.validation import Draft, RowValidator, match_columns

pytestmark = pytest.mark.django_db
PROFILES = ["politie-hennep", "woningcorporatie", "mma", "gemeente", "generiek",
            "netbeheerder", "waterbedrijf"]
TODAY = date.today()

# Cells people get wrong, next to the plain ones the fast path takes.
VALUES = [
    "", "  ", "31-12-2024", " 1-1-2020 ", "2024-12-31", "31-02-2024", "01-01-1999",
    (TODAY + timedelta(days=1)).strftime("%d-%m-%Y"), TODAY.strftime("%d-%m-%Y"),
    "7511ab", "7511 AB", "7511SA", "0123AB", "7511-AB", " 7511AB ",
    "12", "012", "12a", "0", "99999", "100000", "1.234", "12,0", " 7 ", "١٢",
    "GM0153", "153", "gm0153", "Enschede", "enschede", "Hengelo", "GM9999", "Nergens",
    "hennepteelt", "HENNEPTEELT", "drugslab", "onbekend-thema", "politie", "mma", "x",
    "normaal", "RIEC", "geheim", "vertrouwelijk", "3", "7", "A", "b", "AB", "12345",
    "x" * 121, "x" * 201, "x" * 5001, "=cmd|' /C calc'!A0", "<b>", "155000", "463000",
    "52,2", "6,9",
]
CELL = st.one_of(st.sampled_from(VALUES), st.text(max_size=12))


def validators(code: str, header: list[str], clearance: int):
    profile = DeliveryProfile.objects.get(code=code)
    columns = match_columns(profile, header)
    row = RowValidator(profile, columns, clearance=clearance, today=TODAY)
    return row, BatchValidator(row)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    code=st.sampled_from(PROFILES),
    edits=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 14), CELL), max_size=12),
    cut=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 14)), max_size=2),
    point=st.booleans(),
    clearance=st.integers(1, 3),
)
def test_fast_path_and_row_validator_agree(code, edits, cut, point, clearance):
    header, *rows = example_rows(code, 10, seed=3)
    rows = [[str(c) for c in r] for r in rows]
    if point:  # coordinate columns, mostly empty: a filled one needs the row validator
        header = [*header, "X", "Y"]
        rows = [[*r, "", ""] for r in rows]
    for i, col, value in edits:
        if col < len(rows[i]):
            rows[i][col] = value
    for i, keep in cut:  # short rows (missing trailing cells)
        rows[i] = rows[i][:keep]
    numbered = [(n + 2, cells) for n, cells in enumerate(rows)]
    row_validator, batch_validator = validators(code, header, clearance)
    expected = [row_validator.validate(line, list(cells)) for line, cells in numbered]
    assert batch_validator.validate(numbered) == expected


@pytest.mark.parametrize("code", PROFILES)
def test_every_tricky_value_in_every_column(code):
    """Each of the values above in each column of a plain row (and in the coordinate and
    reporter columns), each at three clearances: both paths agree on every row."""
    header, *rows = example_rows(code, 3, seed=4)
    # Empty coordinates, and reporter columns (the generic profile maps them, and its
    # "Bron" column can make a row anonymous: then the reporter must not be kept).
    header = [*header, "X", "Y", "Naam melder", "Contact melder"]
    plain = [[str(c) for c in r] + ["", "", "Jan Jansen", "06-12345678"] for r in rows]
    numbered = []
    for col in range(len(header)):
        for value in VALUES:
            cells = list(plain[len(numbered) % 3])
            cells[col] = value
            numbered.append((len(numbered) + 2, cells))
    for clearance in (1, 2, 3):
        row_validator, batch_validator = validators(code, header, clearance)
        expected = [row_validator.validate(line, list(cells)) for line, cells in numbered]
        assert batch_validator.validate(numbered) == expected
        assert any(isinstance(e, Draft) for e in expected)


def test_plain_rows_never_reach_the_row_validator(monkeypatch):
    """The fast path is used: a clean file is validated without the row validator, and
    the drafts are the row validator's."""
    header, *rows = example_rows("politie-hennep", 300, seed=5)
    numbered = [(n + 2, [str(c) for c in r]) for n, r in enumerate(rows)]
    row_validator, batch_validator = validators("politie-hennep", header, 3)
    expected = [row_validator.validate(line, cells) for line, cells in numbered]
    assert all(isinstance(e, Draft) for e in expected)
    calls = []
    monkeypatch.setattr(row_validator, "validate", lambda *a: calls.append(a))
    assert batch_validator.validate(numbered) == expected
    assert calls == []


def test_a_bad_row_gets_the_row_validators_reasons(monkeypatch):
    header, *rows = example_rows("politie-hennep", 5, seed=6)
    rows = [[str(c) for c in r] for r in rows]
    rows[2][header.index("Postcode")] = "0000XX"
    rows[3][header.index("Datum melding")] = "31-02-2024"
    numbered = [(n + 2, cells) for n, cells in enumerate(rows)]
    _row, batch = validators("politie-hennep", header, 3)
    results = batch.validate(numbered)
    assert [isinstance(r, Draft) for r in results] == [True, True, False, False, True]
    assert results[2][0].line == 4 and "postcode" in results[2][0].reason
    assert results[3][0].line == 5
    assert results[3][0].reason == "'31-02-2024' is geen bestaande datum."


def test_a_file_of_whole_batches_imports(deliverer, partner, monkeypatch):
    """Rows a multiple of the batch size: the last, empty batch is no error."""
    from knooppunt.intake import importer
    from knooppunt.intake.examples import example_file
    from knooppunt.intake.submit import submit

    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    assert BatchValidator(validators("politie-hennep", ["Datum"], 3)[0]).validate([]) == []
    data, name = example_file("politie-hennep", example_rows("politie-hennep", 20, seed=8))
    delivery = submit(profile=DeliveryProfile.objects.get(code="politie-hennep"),
                      organisation=partner, user=deliverer, data=data, filename=name)
    assert (delivery.status, delivery.accepted) == ("verwerkt", 20)
