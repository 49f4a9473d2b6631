"""Companies and vehicles as records of their own kind: normalising, comparing, explaining.

Hand-made pairs whose truth is known sit among invented background records (so training has
non-matches to learn from): a company written with and without its legal form and with its
words reordered; one with a typo in its name and no KvK number; a namesake elsewhere; a
licence plate written with dashes and in lower case; a plate with two neighbouring
characters swapped; a plate two edits away (another vehicle).
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.analytics.linkage import (
    CompanyRecord,
    PersonRecord,
    VehicleRecord,
    find_candidates,
    normalise,
    normalise_company,
    normalise_vehicle,
)
from knooppunt.analytics.linkage.companies import normalise_trade_name
from knooppunt.analytics.linkage.synthetic import generate_companies, generate_vehicles
from knooppunt.analytics.linkage.vehicles import normalise_plate

COMPANIES = [
    CompanyRecord("k1", "kvk", "Bakkerij De Vries B.V.", "12345678", "3511 AB", "12",
                  "Oudegracht", "Utrecht"),
    CompanyRecord("k2", "politie", "de vries bakkerij", "12345678", "3511AB", "12"),
    CompanyRecord("m1", "kvk", "Nagelstudio Lotus", "87654321", "1017 CD", "4",
                  "Kerkstraat", "Amsterdam"),
    CompanyRecord("m2", "gemeente", "Nagelstudoi Lotus", "", "1017CD", "4-A",
                  "Kerkstraat", "Amsterdam"),
    CompanyRecord("n1", "gemeente", "Bakkerij De Vries", "55555555", "9711 ZZ", "1",
                  "Markt", "Groningen"),
]
VEHICLES = [
    VehicleRecord("a1", "rdw", "12-ABC-3", "Volkswagen", "grijs"),
    VehicleRecord("a2", "politie", "12abc3", "Volkswagen", "grijs"),
    VehicleRecord("b1", "rdw", "XR-455-T", "Toyota", "rood"),
    VehicleRecord("b2", "politie", "XR-545-T", "Toyota", "rood"),
    VehicleRecord("c1", "politie", "XR-554-T", "Toyota", "rood"),  # two swaps from b1
]


def _ids(result):
    return {tuple(sorted(p)) for p in result.pair_ids()}


@pytest.fixture(scope="module")
def companies():
    background, _ = generate_companies(600, seed=5)
    records = [normalise_company(r) for r in COMPANIES + background]
    return find_candidates(records, link_type="dedupe_only", threshold=0.5)


@pytest.fixture(scope="module")
def vehicles():
    background, _ = generate_vehicles(600, seed=5)
    records = [normalise_vehicle(r) for r in VEHICLES + background]
    return find_candidates(records, link_type="dedupe_only", threshold=0.5)


def test_trade_names_lose_their_legal_form_and_case():
    assert normalise_trade_name("Bakkerij De Vries B.V.") == "bakkerij de vries"
    assert normalise_trade_name("BV Bakkerij De Vries") == "bakkerij de vries"
    assert normalise_trade_name("Jansen CV en Sanitair") == "jansen cv en sanitair"
    assert normalise_trade_name(" B.V. ") is None
    record = normalise_company(CompanyRecord("x", trade_name="Snackbar Kaya", kvk="1234"))
    assert record.kvk is None and "kvk_invalid" in record.problems
    assert record.name_words == "kaya snackbar"


def test_plates_lose_dashes_and_case_or_are_refused():
    assert normalise_plate("12-abc-3") == normalise_plate("12 ABC 3") == "12ABC3"
    assert normalise_plate("ABCDEF") is None  # a plate has digits and letters
    assert normalise_plate("12-AB-345") is None  # seven characters
    assert normalise_vehicle(VehicleRecord("x", licence_plate="??")).problems == (
        "licence_plate_invalid",)
    assert normalise_vehicle(VehicleRecord("x")).problems == ("licence_plate_missing",)
    swapped = normalise_vehicle(VehicleRecord("y", licence_plate="21-ABC-3"))
    plain = normalise_vehicle(VehicleRecord("x", licence_plate="12ABC3"))
    assert swapped.plate_letters == plain.plate_letters


def test_the_same_company_is_found_however_it_is_written(companies):
    found = _ids(companies)
    assert {("k1", "k2"), ("m1", "m2")} <= found
    assert not {("k1", "n1"), ("k2", "n1")} & found  # same name, other KvK and address
    assert companies.kind == "company"


def test_a_company_candidate_explains_itself_field_by_field(companies):
    pair = next(p for p in companies.pairs if {p.left_id, p.right_id} == {"k1", "k2"})
    evidence = {e.field: e for e in pair.evidence}
    assert set(evidence) == {"kvk", "trade_name", "address"}
    assert evidence["kvk"].level.startswith("Exact match") and evidence["kvk"].match_weight > 0
    assert evidence["trade_name"].level == "same words in another order"
    typo = next(p for p in companies.pairs if {p.left_id, p.right_id} == {"m1", "m2"})
    assert {e.field: e.level for e in typo.evidence}["kvk"] == "kvk is NULL"
    for p in companies.pairs:  # the waterfall adds up
        assert p.prior_weight + sum(e.match_weight for e in p.evidence) == pytest.approx(
            p.match_weight, abs=0.01)


def test_a_plate_matches_exactly_or_by_one_transposition_only(vehicles):
    found = _ids(vehicles)
    assert {("a1", "a2"), ("b1", "b2")} <= found
    assert ("b1", "c1") not in found  # two swaps: another plate
    levels = {tuple(sorted((p.left_id, p.right_id))): {e.field: e.level for e in p.evidence}
              for p in vehicles.pairs}
    assert levels[("b1", "b2")]["licence_plate"] == "one transposition"
    assert levels[("a1", "a2")]["licence_plate"].startswith("Exact match")
    assert vehicles.kind == "vehicle"


def test_kinds_are_never_mixed():
    person = normalise(PersonRecord("p", given_names="Jan", surname="Jansen"))
    vehicle = normalise_vehicle(VEHICLES[0])
    with pytest.raises(TypeError):
        find_candidates([person, vehicle])


@given(st.text(max_size=12))
def test_any_typed_plate_is_six_letters_and_digits_or_unknown(text):
    plate = normalise_plate(text)
    assert plate is None or (len(plate) == 6 and plate.isalnum() and plate == plate.upper())
    record = normalise_vehicle(VehicleRecord("x", licence_plate=text))
    assert (record.licence_plate is None) == bool(record.problems)


@given(st.text(max_size=30), st.text(max_size=10))
def test_any_typed_company_normalises_without_error(name, kvk):
    record = normalise_company(CompanyRecord("x", trade_name=name, kvk=kvk))
    assert record.kvk is None or (len(record.kvk) == 8 and record.kvk.isdigit())
    assert record.trade_name is None or record.trade_name == record.trade_name.strip()
