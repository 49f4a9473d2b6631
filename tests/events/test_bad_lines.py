"""Property test: one bad line among good ones refuses the file, names that line and its
reason, and stores nothing (hypothesis over the kinds of bad input of issue 14)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.events.models import Event
from knooppunt.intake.models import DeliveryStatus
from knooppunt.intake.submit import submit

from .conftest import csv_file

pytestmark = pytest.mark.django_db

GOOD = "2025-03-01;10:15;1.4.5;straat;52.2215;6.8937"


def _bad_date():
    return st.one_of(
        st.text(alphabet="abcxyz/-", min_size=1, max_size=8),
        st.builds(lambda d, m: f"{d}-{m}-2025", st.integers(32, 99), st.integers(1, 12)),
        st.builds(lambda y: f"{y}-01-01", st.integers(2030, 2999)),
    ).map(lambda d: (f"{d};;1.4.5;;52.2215;6.8937", "pleegdatum"))


def _outside():
    # Points well outside the Netherlands' box (lat 50.7-53.6, lon 3.3-7.3).
    return st.tuples(st.floats(-80, 49), st.floats(-170, 170)).map(
        lambda p: (f"2025-03-01;;1.4.5;;{p[0]:.5f};{p[1]:.5f}", "lat/lon"))


def _swapped():
    return st.tuples(st.floats(51.5, 53.0), st.floats(5.0, 7.0)).map(
        lambda p: (f"2025-03-01;;1.4.5;;{p[1]:.5f};{p[0]:.5f}", "lat/lon"))


def _unknown_code():
    return st.text(alphabet="ABCXYZ0123456789", min_size=1, max_size=6).filter(
        lambda c: c.lower() not in {"e33", "e35", "e38"}).map(
        lambda c: (f"2025-03-01;;Q{c};;52.2215;6.8937", "incidentcode"))


def _bad_number():
    return st.text(alphabet="abc;?", min_size=1, max_size=5).filter(
        lambda t: ";" not in t).map(lambda t: (f"2025-03-01;;1.4.5;;{t};6.8937", "lat"))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.one_of(_bad_date(), _outside(), _swapped(), _unknown_code(), _bad_number()),
       before=st.integers(0, 4), after=st.integers(0, 3))
def test_one_bad_line_refuses_all(twente, officer, bad, before, after):
    row, column = bad
    data = csv_file(*([GOOD] * before), row, *([GOOD] * after))
    delivery = submit(profile=twente.profile, organisation=twente.organisation, user=officer,
                      data=data, filename="x.csv", inline=True)
    assert delivery.status == DeliveryStatus.REFUSED
    assert not Event.objects.exists()
    errors = list(delivery.errors.all())
    assert [e.line for e in errors] == [before + 2] and errors[0].column == column
    assert errors[0].reason
