"""Normalising Dutch addresses as people type them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.registers.addresses import AddressKey, normalise_address
from knooppunt.registers.companies import normalise_kvk_number


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        (("7511 ga", 12, "", ""), AddressKey("7511GA", 12, "", "")),
        ((" 7511GA ", "12a", "", ""), AddressKey("7511GA", 12, "A", "")),
        (("7511ga", "12-2", "", ""), AddressKey("7511GA", 12, "", "2")),
        (("7511GA", "12", "b", " -bis "), AddressKey("7511GA", 12, "B", "BIS")),
        (("7511GA", " 7 ", "", "hs"), AddressKey("7511GA", 7, "", "HS")),
    ],
)
def test_common_variants(given_, expected):
    assert normalise_address(*given_) == expected


@pytest.mark.parametrize(
    ("given_", "code"),
    [
        (("", 12, "", ""), "no_postcode"),
        (("0123AB", 12, "", ""), "invalid_postcode"),
        (("7511SA", 12, "", ""), "invalid_postcode"),
        (("7511GA", None, "", ""), "no_house_number"),
        (("7511GA", "twaalf", "", ""), "invalid_house_number"),
        (("7511GA", 0, "", ""), "invalid_house_number"),
        (("7511GA", 100000, "", ""), "invalid_house_number"),
        (("7511GA", 12, "AB", ""), "invalid_house_letter"),
        (("7511GA", 12, "", "TOOLONG"), "invalid_addition"),
        (("7511GA", "12a", "b", ""), "conflicting_letter"),
    ],
)
def test_refused_with_dutch_message(given_, code):
    with pytest.raises(ValidationError) as info:
        normalise_address(*given_)
    assert info.value.code == code
    assert info.value.messages[0]


@given(
    digits=st.integers(1000, 9999),
    letters=st.sampled_from(["AB", "GA", "ZZ", "KL"]),
    spaces=st.sampled_from(["", " ", "  "]),
    lower=st.booleans(),
    number=st.integers(1, 99999),
    letter=st.sampled_from(["", "a", "B", " c "]),
    addition=st.sampled_from(["", "1", " 2 ", "-3", "bis", "HS"]),
)
def test_normalised_is_stable(digits, letters, spaces, lower, number, letter, addition):
    postcode = f"{digits}{spaces}{letters.lower() if lower else letters}"
    key = normalise_address(postcode, str(number), letter, addition)
    assert key.postcode == f"{digits}{letters}"
    assert key.house_number == number
    assert key.house_letter == letter.strip().upper()
    assert normalise_address(*key) == key  # idempotent


@given(
    postcode=st.text(max_size=12),
    number=st.one_of(st.none(), st.integers(-5, 200_000), st.text(max_size=8)),
    letter=st.text(max_size=3),
    addition=st.text(max_size=8),
)
def test_any_input_gives_a_key_or_a_validation_error(postcode, number, letter, addition):
    try:
        key = normalise_address(postcode, number, letter, addition)
    except ValidationError as exc:
        assert exc.messages
    else:
        assert len(key.postcode) == 6 and 1 <= key.house_number <= 99999
        assert len(key.house_letter) <= 1 and len(key.addition) <= 4


def test_kvk_number():
    assert normalise_kvk_number("12 34 56 78") == "12345678"
    for bad in ("1234567", "abcdefgh", "00000000", ""):
        with pytest.raises(ValidationError):
            normalise_kvk_number(bad)
