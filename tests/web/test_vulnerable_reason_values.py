"""The reasons of a vulnerable place show each factor's value as the place has it (yes/no,
a count, m², km), not the model's log2 scale ("Vloeroppervlakte 11,22" read as nonsense)."""

from __future__ import annotations

import math

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.analytics.vulnerability.features import FACTOR_KEYS
from knooppunt.web.vulnerable import COUNTS, YES_NO, shown_value


@pytest.mark.parametrize(("key", "value", "shown"), [
    ("storage_use", 1.0, "ja"), ("vacant", 0.0, "nee"),
    ("size", math.log2(2381), "2381 m²"), ("earlier_findings", math.log2(1 + 11), "11"),
    ("companies", 0.0, "0"), ("lab_dump_distance", 2.5, "2,5 km"),
])
def test_values_in_the_units_of_the_place(key, value, shown):
    with translation.override("nl"):
        assert shown_value(key, value) == shown


def test_english_yes_no():
    with translation.override("en"):
        assert shown_value("vacant", 1.0) == "yes"


def test_every_factor_has_a_unit():
    assert set(FACTOR_KEYS) == set(YES_NO) | set(COUNTS) | {"size", "lab_dump_distance"}


@given(st.integers(min_value=0, max_value=10_000))
def test_counts_come_back_whole(count):
    with translation.override("nl"):
        assert shown_value("signals_nearby", math.log2(1 + count)).replace(".", "") == \
            str(count)
