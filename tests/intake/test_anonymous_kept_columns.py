"""Anonymous keeps only what is mapped (issue 13, finding 7; decision 0031).

The kept copy of a delivery whose rows may be anonymous holds only the columns the profile
maps to a signal field other than a reporter field: an allow-list. A reporter column under
a name nobody foresaw (`Naam tipgever`, `Telefoonnummer melder`, ...) is not kept, and no
unmapped column reaches a stored signal.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.intake.examples import example_rows, to_csv
from knooppunt.intake.models import DeliveryError, DeliveryProfile, DeliveryStatus
from knooppunt.intake.storage import kept_columns, read_kept
from knooppunt.intake.submit import submit
from knooppunt.intake.validation import match_columns, normalise_header
from knooppunt.signals.models import Signal

pytestmark = pytest.mark.django_db
PLANTED = ["Naam tipgever", "Melder naam", "Telefoonnummer melder", "Tipgever"]
TEXT_FIELDS = ("description", "street", "city", "reporter_name", "reporter_contact",
               "house_number_addition")


def _rows(code: str) -> list[list]:
    rows = [[str(c) for c in row] for row in example_rows(code, 4, seed=11)]
    if code == "generiek":  # rows that name their own source: two anonymous MMA tips
        source = rows[0].index("Bron")
        rows[1][source] = rows[2][source] = "mma"
    return rows


def _kept(delivery) -> list[list[str]]:
    return list(csv.reader(io.StringIO(read_kept(delivery).decode("utf-8")), delimiter=";"))


def _stored_text() -> str:
    return "\n".join(str(v) for row in Signal.objects.values_list(*TEXT_FIELDS) for v in row)


@pytest.mark.parametrize("code", ["mma", "generiek"])
def test_reporter_columns_under_other_names_are_not_kept(deliverer, partner, code):
    header, *rows = _rows(code)
    header = [*header, *PLANTED]
    rows = [[*row, *(f"MARKER-{n}-{k}" for k in range(len(PLANTED)))]
            for n, row in enumerate(rows)]
    profile = DeliveryProfile.objects.get(code=code)
    delivery = submit(profile=profile, organisation=partner, user=deliverer,
                      data=to_csv([header, *rows]), filename="tips.csv")
    assert delivery.status == DeliveryStatus.ACCEPTED, list(delivery.errors.values())
    kept = _kept(delivery)
    columns = match_columns(profile, header)
    reporter = {columns.index.get(f) for f in ("reporter_name", "reporter_contact")}
    assert kept[0] == [header[i] for i in sorted(
        set(columns.index.values()) - reporter)]  # exactly the mapped non-reporter columns
    text = read_kept(delivery).decode("utf-8")
    assert "MARKER" not in text
    assert not any(name in text for name in PLANTED)
    assert "MARKER" not in _stored_text()
    assert len(kept) == len(rows) + 1  # every row is there


NAME = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
               max_size=20).filter(lambda n: n.strip() and "\ufeff" not in n)
VALUE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                max_size=20)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(code=st.sampled_from(["mma", "generiek"]),
       extra=st.lists(st.tuples(NAME, VALUE), min_size=1, max_size=4),
       place=st.integers(0, 20))
def test_no_unmapped_column_is_kept_or_stored(deliverer, partner, code, extra, place):
    """Whatever extra columns a file has, wherever they stand: none is in the kept copy,
    none of their values is in a stored signal."""
    profile = DeliveryProfile.objects.get(code=code)
    mapped = {normalise_header(a) for field, aliases in profile.column_mapping.items()
              if field != "details" for a in aliases}
    header, *rows = _rows(code)
    seen = {normalise_header(h) for h in header} | mapped
    unique = []
    for name, value in extra:  # names the profile does not map, each once
        if normalise_header(name) not in seen:
            seen.add(normalise_header(name))
            unique.append((name, value))
    extra = unique
    at = min(place, len(header))
    header = header[:at] + [name for name, _v in extra] + header[at:]
    rows = [row[:at] + [f"GEHEIM{n}{k}x{value}" for k, (_name, value) in enumerate(extra)]
            + row[at:] for n, row in enumerate(rows)]
    before = set(Signal.objects.values_list("pk", flat=True))
    delivery = submit(profile=profile, organisation=partner, user=deliverer,
                      data=to_csv([header, *rows]), filename="tips.csv")
    assert delivery.status in (DeliveryStatus.ACCEPTED, DeliveryStatus.REFUSED)
    if delivery.stored_file:
        kept = _kept(delivery)
        assert kept[0] == [header[i] for i in kept_columns(profile, header)]
        assert not {normalise_header(n) for n, _v in extra} & {
            normalise_header(h) for h in kept[0]}
        assert "GEHEIM" not in read_kept(delivery).decode("utf-8")
    new = Signal.objects.exclude(pk__in=before)
    for row in new.values_list(*TEXT_FIELDS):
        assert not any("GEHEIM" in str(v) for v in row)
    assert not DeliveryError.objects.filter(delivery=delivery, value__contains="GEHEIM")
