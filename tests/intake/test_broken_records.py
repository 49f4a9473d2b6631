"""Broken files lose no row silently (issue 13, finding 9; decision 0031).

An unclosed quote, a record with more or fewer cells than the header, a line break inside
a cell where the profile allows none, one line in another encoding: each is refused with
its line, in every channel, and nothing is stored. A re-delivery that differs only by an
invisible character, fullwidth digits or case is recognised.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from knooppunt.intake.examples import example_rows, to_csv
from knooppunt.intake.fastpath import BatchValidator
from knooppunt.intake.models import Delivery, DeliveryProfile, DeliveryStatus
from knooppunt.intake.reading import UnreadableFile, read_table
from knooppunt.intake.submit import submit
from knooppunt.intake.validation import (
    Draft,
    RowValidator,
    match_columns,
    normalise_key_text,
    record_rules,
)
from knooppunt.signals.models import Signal
from tests.factories import issue_key, system_like

pytestmark = pytest.mark.django_db
POLICE = "politie-hennep"


def _lines(count: int = 4, seed: int = 21) -> list[list[str]]:
    """Header and rows of the police profile as text, with no ; or quote in any cell."""
    return [[str(c) for c in row] for row in example_rows(POLICE, count, seed=seed)]


def _raw(rows: list[list[str]]) -> bytes:
    """Written by hand, not by a CSV writer: so a damaged cell stays damaged."""
    return "\r\n".join(";".join(row) for row in rows).encode("utf-8") + b"\r\n"


def _deliver(partner, deliverer, data: bytes, code: str = POLICE) -> Delivery:
    return submit(profile=DeliveryProfile.objects.get(code=code), organisation=partner,
                  user=deliverer, data=data, filename="lijst.csv")


def _unclosed_quote() -> bytes:
    """Line 3 (the second row) opens a quote in its description and never closes it."""
    rows = _lines()
    description = rows[0].index("Omschrijving")
    rows[2][description] = '"' + rows[2][description]
    return _raw(rows)


def _swallowed_line() -> bytes:
    """The last cell of line 2 opens a quote that the last cell of line 3 closes: the
    record has as many cells as the header, and line 3's row is inside one cell."""
    rows = _lines()
    rows[1][-1] = '"' + rows[1][-1]
    rows[2][-1] = rows[2][-1] + '"'
    return _raw(rows)


def _assert_refused_at(delivery: Delivery, line: int) -> None:
    assert delivery.status == DeliveryStatus.REFUSED, delivery.message
    assert delivery.accepted == 0
    assert line in {e.line for e in delivery.errors.all()}, list(
        delivery.errors.values_list("line", "reason"))
    assert Signal.objects.count() == 0


@pytest.mark.parametrize(("data", "line"), [(_unclosed_quote, 3), (_swallowed_line, 2)])
def test_a_swallowed_row_is_refused_in_all_three_channels(
        client, deliverer, partner, tmp_path, data, line):
    content = data()
    # The page.
    client.force_login(deliverer)
    client.post(reverse("intake:list"), {
        "profile": DeliveryProfile.objects.get(code=POLICE).pk, "organisation": partner.pk,
        "file": SimpleUploadedFile("lijst.csv", content)})
    _assert_refused_at(Delivery.objects.latest("pk"), line)
    # The API.
    _token, key = issue_key(system_like(deliverer))  # keys belong to system accounts
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = api.post("/api/v1/deliveries", {
        "profile": POLICE, "file": SimpleUploadedFile("lijst.csv", content)},
        format="multipart").json()
    assert body["status"] == "geweigerd" and body["accepted"] == 0
    assert line in {e["line"] for e in body["errors"]}
    # The command line.
    path = tmp_path / "lijst.csv"
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import-signals", str(path), profile=POLICE,
                     organisation=str(partner.pk), stdout=out)
    assert f"regel {line}" in out.getvalue()
    _assert_refused_at(Delivery.objects.latest("pk"), line)


def test_the_reasons_say_what_happened(deliverer, partner):
    refused = _deliver(partner, deliverer, _unclosed_quote())
    assert "aanhalingsteken" in refused.errors.get().reason
    swallowed = _deliver(partner, deliverer, _swallowed_line())
    error = swallowed.errors.get()
    assert error.column == "Vertrouwelijkheid" and "meer regels" in error.reason


def test_a_record_with_more_or_fewer_cells_is_refused_with_its_line(deliverer, partner):
    rows = _lines(5)
    description = rows[0].index("Omschrijving")
    rows[2][description] += ";met een puntkomma"  # one cell more
    rows[4] = rows[4][:-1]  # one fewer
    delivery = _deliver(partner, deliverer, _raw(rows))
    width = len(rows[0])
    reasons = {e.line: e.reason for e in delivery.errors.all()}
    assert set(reasons) == {3, 5}
    assert f"{width + 1} cellen, de kopregel {width}" in reasons[3]
    assert f"{width - 1} cellen, de kopregel {width}" in reasons[5]
    assert Signal.objects.count() == 0


def test_a_trailing_delimiter_loses_nothing_and_is_accepted(deliverer, partner):
    rows = _lines(3)
    delivery = _deliver(partner, deliverer, _raw([rows[0], *([*r, ""] for r in rows[1:])]))
    assert delivery.status == DeliveryStatus.ACCEPTED and delivery.accepted == 3


def test_line_breaks_where_the_profile_allows_them(deliverer, partner):
    profile = DeliveryProfile.objects.get(code=POLICE)
    rows = _lines(3)
    description = rows[0].index("Omschrijving")
    rows[1][description] = '"Eerste regel\r\ntweede regel"'
    rows[3][rows[0].index("Postcode")] = "0000XX"  # a bad row after it: its own line
    refused = _deliver(partner, deliverer, _raw(rows))
    assert {(e.line, e.column) for e in refused.errors.all()} == {
        (2, "Omschrijving"), (5, "Postcode")}
    profile.line_break_fields = ["description"]
    profile.save()
    refused = _deliver(partner, deliverer, _raw(rows))
    assert {(e.line, e.column) for e in refused.errors.all()} == {(5, "Postcode")}
    rows[3] = _lines(3)[3]
    accepted = _deliver(partner, deliverer, _raw(rows))
    assert accepted.status == DeliveryStatus.ACCEPTED and accepted.accepted == 3
    assert Signal.objects.filter(description__startswith="Eerste regel\r\ntweede").exists()


def test_one_line_in_another_encoding_is_refused_with_its_line(deliverer, partner):
    rows = _lines(4)
    description = rows[0].index("Omschrijving")
    rows[1][description] = "Café met hennep op zolder"
    rows[3][description] = "Loods bij de Ĳssel, geüpload"
    lines = [";".join(r).encode("utf-8") for r in rows]
    lines[3] = ";".join(rows[3]).replace("Ĳ", "IJ").encode("cp1252")
    delivery = _deliver(partner, deliverer, b"\r\n".join(lines) + b"\r\n")
    assert delivery.status == DeliveryStatus.REFUSED and Signal.objects.count() == 0
    error = delivery.errors.get()
    assert error.line == 4 and "UTF-8" in error.reason and "regel 2" in error.reason
    # The same for a profile whose copy is stripped before it is read (anonymous).
    assert _deliver(partner, deliverer, b"\r\n".join(lines) + b"\r\n",
                    code="mma").errors.get().line == 4
    # A file wholly in Windows-1252 is read as such, as before.
    whole = b"\r\n".join(";".join(r).replace("Ĳ", "IJ").encode("cp1252") for r in rows)
    accepted = _deliver(partner, deliverer, whole + b"\r\n")
    assert accepted.status == DeliveryStatus.ACCEPTED
    assert Signal.objects.filter(description__startswith="Café met hennep").exists()


def test_the_reading_itself_names_the_line():
    with pytest.raises(UnreadableFile) as caught:
        list(read_table(_unclosed_quote(), "x.csv").rows)
    assert caught.value.line == 3
    table = read_table(b"a;b\r\n\r\n1;\"twee\r\nregels\"\r\n3;4\r\n", "x.csv")
    assert [(line, cells) for line, cells in table.rows] == [
        (3, ["1", "twee\r\nregels"]), (5, ["3", "4"])]  # a record's first line


VARIANTS = {
    "zero-width space": lambda key: key[:3] + "\u200b" + key[3:],
    "soft hyphen": lambda key: key[:4] + "\u00ad" + key[4:],
    "fullwidth digits": lambda key: key.translate({ord(d): ord(d) + 0xFEE0
                                                   for d in "0123456789"}),
    "case": str.lower,
}


@pytest.mark.parametrize("columnar", [True, False])
def test_a_redelivery_with_invisible_or_wide_characters_or_other_case_is_known(
        deliverer, partner, columnar):
    with override_settings(KNOOPPUNT_IMPORT_COLUMNS=columnar):
        rows = _lines(4)
        assert _deliver(partner, deliverer, to_csv(rows)).accepted == 4
        key = rows[0].index("Registratienummer")
        for name, change in VARIANTS.items():
            varied = [rows[0], *([*r[:key], change(r[key]), *r[key + 1:]] for r in rows[1:])]
            again = _deliver(partner, deliverer, to_csv(varied))
            assert (again.accepted, again.duplicates) == (0, 4), name
        assert Signal.objects.count() == 4
        # Known by content (no id): an invisible character in the description too.
        generic = example_rows("generiek", 2, seed=4)
        first = _deliver(partner, deliverer, to_csv(generic), code="generiek")
        assert first.accepted == 2
        text = generic[0].index("Omschrijving")
        generic[1][text] = generic[1][text][:2] + "\u200b" + generic[1][text][2:]
        again = _deliver(partner, deliverer, to_csv(generic), code="generiek")
        assert (again.accepted, again.duplicates) == (0, 2)


def test_case_counts_where_the_profile_says_so(deliverer, partner):
    profile = DeliveryProfile.objects.get(code=POLICE)
    profile.keys_ignore_case = False
    profile.save()
    rows = _lines(2)
    assert _deliver(partner, deliverer, to_csv(rows)).accepted == 2
    key = rows[0].index("Registratienummer")
    lowered = [rows[0], *([*r[:key], r[key].lower(), *r[key + 1:]] for r in rows[1:])]
    assert _deliver(partner, deliverer, to_csv(lowered)).accepted == 2


def test_normalised_key_text():
    assert normalise_key_text("ＰＯＬ-１２\u200b3\u00ad", fold_case=True) == "pol-123"
    assert normalise_key_text("POL-1", fold_case=False) == "POL-1"
    assert normalise_key_text("Straße", fold_case=True) == "strasse"


DAMAGES = ("open quote", "open quote closed later", "extra cell", "missing cell",
           "quote over two lines")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(damage=st.sampled_from(DAMAGES), row=st.integers(1, 5), column=st.integers(0, 10),
       blank_before=st.integers(0, 2), columnar=st.booleans())
def test_a_broken_file_is_refused_with_the_damaged_line(
        deliverer, partner, damage, row, column, blank_before, columnar):
    """Whatever the damage and wherever it is, nothing is stored and the damaged line is
    named; never "accepted" with a row missing."""
    rows = _lines(6, seed=row)
    width = len(rows[0])
    column = min(column, width - 2)
    cells = rows[row]
    if damage == "open quote":
        cells[column] = '"' + cells[column]
    elif damage == "open quote closed later":
        cells[column] = '"' + cells[column]
        rows[-1][-1] = '"' + rows[-1][-1] + '"' if row != len(rows) - 1 else rows[-1][-1]
    elif damage == "extra cell":
        cells[column] = cells[column] + ";extra"
    elif damage == "missing cell":
        cells[column:column + 2] = [cells[column] + cells[column + 1]]
    else:  # the quote opened here closes at the end of the next record
        cells[-1] = '"' + cells[-1]
        if row + 1 < len(rows):
            rows[row + 1][-1] += '"'
    lines = [";".join(r) for r in rows]
    damaged_line = row + 1 + blank_before  # the header is line 1
    lines[1:1] = [""] * blank_before
    before = Signal.objects.count()
    with override_settings(KNOOPPUNT_IMPORT_COLUMNS=columnar):
        delivery = _deliver(partner, deliverer, ("\r\n".join(lines) + "\r\n").encode())
    assert delivery.status == DeliveryStatus.REFUSED, (damage, delivery.message)
    assert Signal.objects.count() == before
    assert damaged_line in {e.line for e in delivery.errors.all()}, (
        damage, list(delivery.errors.values_list("line", "reason")))


CELL = st.one_of(st.sampled_from(["", "x", "a\nb", "a\r\nb", "\n", "12", "7511AB"]),
                 st.text(max_size=8))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(code=st.sampled_from(["politie-hennep", "mma", "generiek", "woningcorporatie"]),
       edits=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 12), CELL), max_size=8),
       widths=st.lists(st.tuples(st.integers(0, 9), st.integers(-2, 2)), max_size=3),
       allowed=st.sets(st.sampled_from(["description", "details", "street"])))
def test_both_paths_agree_on_records(code, edits, widths, allowed):
    """The column-wise path and the row validator agree, with the record checks on: rows
    of other widths and cells with line breaks included."""
    profile = DeliveryProfile.objects.get(code=code)
    profile.line_break_fields = sorted(allowed)
    header, *rows = example_rows(code, 10, seed=3)
    rows = [[str(c) for c in r] for r in rows]
    for i, col, value in edits:
        if col < len(rows[i]):
            rows[i][col] = value
    for i, change in widths:
        rows[i] = rows[i][:len(rows[i]) + change] if change < 0 else rows[i] + [""] * change
    columns = match_columns(profile, header)
    rules = record_rules(profile, header, columns)
    row = RowValidator(profile, columns, clearance=3, today=date.today(), rules=rules)
    numbered = [(n + 2, cells) for n, cells in enumerate(rows)]
    expected = [row.validate(line, list(cells)) for line, cells in numbered]
    assert BatchValidator(row).validate(numbered) == expected
    found, refused = BatchValidator(row).validate_columns(numbered)
    assert len(refused) == sum(not isinstance(e, Draft) for e in expected)
    if not refused:
        assert found["key"] == [e.key for e in expected]


def test_the_reasons_are_in_english_for_english_users():
    from django.utils import translation

    with translation.override("en"), pytest.raises(UnreadableFile) as caught:
        list(read_table(_unclosed_quote(), "x.csv").rows)
    assert str(caught.value).startswith("Line 3: a quote")


def test_the_migration_rewrites_stored_ids_into_the_new_form(deliverer, partner):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from knooppunt.intake.models import DeliveryRecord

    migration = importlib.import_module(
        "knooppunt.intake.migrations.0005_profile_line_breaks_and_key_case")
    rows = _lines(4)
    delivery = _deliver(partner, deliverer, to_csv(rows))
    records = list(DeliveryRecord.objects.filter(delivery=delivery).order_by("pk"))
    # As the old code stored them: the id as delivered. Two differ only by case: both
    # were stored as signals; one keeps its old key.
    old = ["id:POL-A-1", "id:ＰＯＬ-Ａ-２\u200b", "id:POL-A-3", "id:pol-a-3"]
    for record, key in zip(records, old, strict=True):
        DeliveryRecord.objects.filter(pk=record.pk).update(key=key)
    # What the function uses of a schema editor (SQLite opens none inside a test's
    # transaction).
    editor = SimpleNamespace(quote_name=connection.ops.quote_name, connection=connection)
    migration.normalise_keys(apps, editor)
    assert list(DeliveryRecord.objects.filter(delivery=delivery).order_by("pk")
                .values_list("key", flat=True)) == [
        "id:pol-a-1", "id:pol-a-2", "id:POL-A-3", "id:pol-a-3"]


def test_a_profile_names_known_fields_for_line_breaks():
    from django.core.exceptions import ValidationError

    profile = DeliveryProfile.objects.get(code=POLICE)
    profile.line_break_fields = ["description", "details"]
    profile.clean()
    for wrong in ("description", ["omschrijving"], [1]):
        profile.line_break_fields = wrong
        with pytest.raises(ValidationError):
            profile.clean()
