"""Hypothesis: whatever a file holds, an import never crashes and never stores half a file."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.intake.examples import example_rows, to_csv
from knooppunt.intake.models import DeliveryProfile, DeliveryStatus
from knooppunt.intake.submit import submit
from knooppunt.signals.models import Signal

pytestmark = pytest.mark.django_db
NASTY = st.sampled_from([
    "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "<script>alert(1)</script>",
    "x" * 6000, "", "\x00", "31-02-2024", "GM9999", "’“€", "\u202e", "1.2.3,4,5",
])
CELL = st.one_of(NASTY, st.text(max_size=40))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(st.tuples(st.integers(1, 8), st.integers(0, 10), CELL), max_size=6),
    shift=st.booleans(), blank_lines=st.integers(0, 3),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
)
def test_never_crashes_never_half(deliverer, partner, edits, shift, blank_lines, encoding,
                                  delimiter):
    rows = example_rows("politie-hennep", 8, seed=7)
    for row, col, value in edits:
        rows[row][col] = value
    if shift:
        rows[3] = [""] + rows[3]
    rows[4:4] = [[""] * 3] * blank_lines
    data = to_csv(rows, delimiter, encoding)
    before = Signal.objects.count()
    profile = DeliveryProfile.objects.get(code="politie-hennep")
    delivery = submit(profile=profile, organisation=partner, user=deliverer, data=data,
                      filename="x.csv")
    stored = Signal.objects.count() - before
    assert delivery.status in (DeliveryStatus.ACCEPTED, DeliveryStatus.REFUSED)
    if delivery.status == DeliveryStatus.REFUSED:
        assert stored == 0 and delivery.errors.exists()
    else:
        assert stored == delivery.accepted and delivery.accepted + delivery.duplicates == 8


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_cleanly(deliverer, partner, data):
    profile = DeliveryProfile.objects.get(code="generiek")
    delivery = submit(profile=profile, organisation=partner, user=deliverer, data=data,
                      filename="x.xlsx" if data[:1] == b"P" else "x.csv")
    assert delivery.status in (DeliveryStatus.REFUSED, DeliveryStatus.ACCEPTED)
