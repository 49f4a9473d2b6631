"""Printed numbers round half up, as the templates' `floatformat` does, so a card, a
table, a chart label and a report's sentence show the same figure the same way."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.charts.numbers import half_up, localized
from knooppunt.charts.tables import COUNT, NUMBER, Column, display


@pytest.mark.parametrize(("value", "decimals", "nl", "en"), [
    (92.6, 0, "93", "93"),  # Django's number_format alone would print 92
    (1.5283, 2, "1,53", "1.53"),
    (1.525, 2, "1,53", "1.53"),  # half up from the shortest repr, not the binary value
    (-0.4, 0, "0", "0"),  # never "-0"
    (1234567.891, 1, "1.234.567,9", "1,234,567.9"),
])
def test_rounds_half_up_in_each_language(value, decimals, nl, en):
    with translation.override("nl"):
        assert localized(value, decimals) == nl
    with translation.override("en"):
        assert localized(value, decimals) == en


# Figures, not denormals: floatformat gives up on values below ~1e-200 (prints them raw).
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).filter(
    lambda v: v == 0 or abs(v) >= 1e-9), st.integers(0, 3), st.sampled_from(["nl", "en"]))
def test_equals_the_templates_floatformat(value, decimals, language):
    with translation.override(language):
        assert localized(value, decimals) == floatformat(value, f"{decimals}g")


def test_a_table_cell_prints_what_the_card_prints():
    with translation.override("nl"):
        assert display(Column("index", "Index", NUMBER, decimals=0), 92.6) == "93"
        assert display(Column("n", "Aantal", COUNT), 1999.5) == "2.000"
        assert display(Column("r", "Per 1.000", NUMBER, decimals=2), 1.5283) == "1,53"


def test_half_up_is_a_decimal_of_the_asked_places():
    assert str(half_up(2.5, 0)) == "3" and str(half_up(0.125, 2)) == "0.13"
