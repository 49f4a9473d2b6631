"""Normalising person records: the inputs people get wrong (hypothesis) and Dutch habits."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knooppunt.analytics.linkage import PersonRecord, normalise
from knooppunt.analytics.linkage.records import (
    _PREFIXES,
    check_bsn,
    check_kvk,
    normalise_postcode,
    parse_date_of_birth,
    split_given_names,
    split_surname,
)

TODAY = date(2026, 6, 1)
past_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
future_dates = st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2200, 12, 31))
cores = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12).filter(
    lambda s: s not in {p for p in _PREFIXES})


def _valid_bsn(eight: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(eight, range(9, 1, -1), strict=True))
    last = total % 11
    return eight + str(last) if last <= 9 and eight[0] != "0" else None


bsns = st.text(alphabet="0123456789", min_size=8, max_size=8).map(_valid_bsn).filter(bool)


@given(future_dates, st.sampled_from(["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"]))
def test_a_date_of_birth_in_the_future_is_refused_not_compared(day, form):
    iso, swapped, problem = parse_date_of_birth(day.strftime(form), today=TODAY)
    assert iso is None and problem == "date_of_birth_in_future"
    record = normalise(PersonRecord("r", surname="Jansen", date_of_birth=day.strftime(form)),
                       today=TODAY)
    assert record.dob is None and "date_of_birth_in_future" in record.problems


@given(past_dates.filter(lambda d: d.year >= 1890))
def test_dutch_day_month_year_reads_as_written(day):
    assert parse_date_of_birth(day.strftime("%d-%m-%Y"), today=TODAY) == (
        day.isoformat(), False, None)
    assert parse_date_of_birth(day.strftime("%Y-%m-%d"), today=TODAY)[0] == day.isoformat()
    assert parse_date_of_birth(day, today=TODAY)[0] == day.isoformat()


@given(past_dates.filter(lambda d: d.day > 12 and d.year >= 1890))
def test_month_day_year_is_read_swapped_when_only_that_is_possible(day):
    iso, swapped, problem = parse_date_of_birth(day.strftime("%m-%d-%Y"), today=TODAY)
    assert (iso, swapped, problem) == (day.isoformat(), True, None)


@pytest.mark.parametrize("text", ["31-31-1980", "abc", "12-03", "00-00-0000", "1980-13-45"])
def test_unreadable_dates_are_unknown(text):
    iso, _, problem = parse_date_of_birth(text, today=TODAY)
    assert iso is None and problem == "date_of_birth_unreadable"


@given(bsns)
def test_a_valid_bsn_is_kept(number):
    assert check_bsn(number) == (number, None)


@given(bsns, st.integers(0, 8), st.integers(1, 9))
def test_one_wrong_digit_fails_the_elfproef_and_the_bsn_is_never_compared(number, i, delta):
    wrong = number[:i] + str((int(number[i]) + delta) % 10) + number[i + 1:]
    assert check_bsn(wrong) == (None, "bsn_invalid")
    record = normalise(PersonRecord("r", surname="Jansen", bsn=wrong))
    assert record.bsn is None and "bsn_invalid" in record.problems


@given(st.text(max_size=12))
def test_kvk_is_eight_digits_or_refused(text):
    number, problem = check_kvk(text)
    if number is not None:
        assert len(number) == 8 and number.isdigit() and problem is None
    elif text.strip():
        assert problem == "kvk_invalid"


@given(st.text(alphabet=" .,-'\t", max_size=10), st.text(alphabet=" .,-'\t", max_size=10))
def test_empty_names_are_unknown_and_flagged(given_names, surname):
    record = normalise(PersonRecord("r", given_names=given_names, surname=surname))
    assert record.first_name is None and record.initials is None and record.surname is None
    assert "name_missing" in record.problems


@given(st.sampled_from(["van", "de", "van der", "van den", "ter", "in 't"]), cores)
def test_tussenvoegsels_are_split_off_in_every_writing(prefix, core):
    expected = (core, prefix)
    assert split_surname(f"{prefix} {core}") == expected
    assert split_surname(f"{prefix.title()} {core.title()}") == expected
    assert split_surname(f"{core.title()}, {prefix}") == expected


def test_initials_never_pose_as_a_first_name():
    assert split_given_names("J.P.") == (None, "jp")
    assert split_given_names("Jan Pieter") == ("jan", "jp")
    assert split_given_names("Émile") == ("emile", "e")


def test_postcode_is_compacted_or_unknown():
    assert normalise_postcode("1234 ab") == "1234AB"
    assert normalise_postcode("0123AB") is None  # Dutch postcodes do not start with 0
    record = normalise(PersonRecord("r", surname="Jansen", postcode="12345"))
    assert record.postcode is None and "postcode_invalid" in record.problems


@settings(max_examples=200)
@given(st.builds(PersonRecord, record_id=st.text(min_size=1, max_size=5),
                 given_names=st.text(max_size=20), surname=st.text(max_size=20),
                 date_of_birth=st.text(max_size=12), postcode=st.text(max_size=8),
                 house_number=st.text(max_size=6), bsn=st.text(max_size=11),
                 kvk=st.text(max_size=9)))
def test_any_typed_record_normalises_without_error(record):
    result = normalise(record, today=TODAY)
    assert result.bsn is None or check_bsn(result.bsn)[0] == result.bsn
    assert result.dob is None or date.fromisoformat(result.dob) <= TODAY
