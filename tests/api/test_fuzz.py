"""Property tests: whatever a partner system sends, the API answers 2xx or a problem, never 500.

Payloads start from a valid signal and get some properties replaced by what people
send by mistake (wrong types, nulls, huge or unicode strings, HTML, nested values) or
dropped, plus unexpected extra properties. On 400 nothing may be stored; on 201 the
stored text is what was sent, returned as JSON data.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.signals.models import Signal, StatusChange

from .helpers import SIGNALS, assert_problem, valid_payload

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

INJECTIONS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "\"><svg/onload=alert(1)>",
    "'; DROP TABLE signals_signal; --",
    "{{ 7*7 }} {% debug %}",
    "${jndi:ldap://example.invalid/a}",
    "Straße café 😀 مرحبا 中文 \u202e",
]

WRITABLE = [
    "theme", "sourceType", "receivedOn", "municipality", "street", "houseNumber",
    "houseLetter", "houseNumberAddition", "postcode", "city", "latitude", "longitude",
    "description", "confidentiality", "reportingOrganisation", "isAnonymous",
    "reporterName", "reporterContact",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(INJECTIONS),
    st.integers(min_value=10_001, max_value=60_000).map(lambda n: "ä" * n),
    st.sampled_from(["", " ", "GM0153", "drugslab", "2025-02-30", "9999-12-31", "1e400", "0"]),
)
garbage = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text(max_size=8), scalars, max_size=3),
)
OPTIONAL = {
    "municipality", "street", "houseNumber", "houseLetter", "houseNumberAddition", "postcode",
    "city", "latitude", "longitude", "confidentiality", "reportingOrganisation", "isAnonymous",
    "reporterName", "reporterContact",
}
# Values that are fine, so that mutated payloads are also accepted now and then.
text = st.text(max_size=40)
PLAUSIBLE = {
    "theme": st.sampled_from(["hennepteelt", "drugslab", "mensenhandel"]),
    "sourceType": st.sampled_from(["politie", "netbeheerder", "bewoner"]),
    "receivedOn": st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2025, 1, 1)).map(str),
    "municipality": st.sampled_from(["GM0153", "gm0153", " GM0153 "]),
    "street": text,
    "houseNumber": st.integers(min_value=1, max_value=99999),
    "houseLetter": st.sampled_from(["", "a", "B"]),
    "houseNumberAddition": st.sampled_from(["", "1", "bis", "A12"]),
    "postcode": st.sampled_from(["", "7511GA", "7511 ga", " 7511 GA "]),
    "city": text,
    "latitude": st.just(52.2215),
    "longitude": st.just(6.8937),
    "description": st.text(min_size=1, max_size=200),
    "confidentiality": st.sampled_from(["normaal", "vertrouwelijk", "RIEC"]),
    "reportingOrganisation": st.none(),
    "isAnonymous": st.sampled_from([False, "false", 0]),
    "reporterName": text,
    "reporterContact": text,
}


@st.composite
def payloads(draw) -> object:
    if draw(st.integers(0, 19)) == 0:
        return draw(garbage)  # not even an object
    payload = valid_payload()
    names = draw(st.permutations(WRITABLE))[: draw(st.integers(min_value=1, max_value=4))]
    for name in names:
        kind = draw(st.sampled_from(["plausible", "garbage", "garbage", "missing"]))
        if kind == "missing":
            payload.pop(name, None)
        else:
            payload[name] = draw(PLAUSIBLE[name] if kind == "plausible" else garbage)
    if draw(st.integers(0, 4)) == 0:
        payload.update(draw(st.dictionaries(st.text(max_size=12), scalars, max_size=2)))
    return payload


def state() -> tuple[int, int, int]:
    return Signal.objects.count(), StatusChange.objects.count(), ProcessingLogEntry.objects.count()


@FUZZ
@given(payload=payloads())
def test_create_answers_201_or_problem_and_400_stores_nothing(api, payload):
    before = state()

    response = api.post(SIGNALS, json.dumps(payload), content_type="application/json")

    assert response.status_code in (201, 400), response.content[:300]
    event(f"status {response.status_code}")
    if response.status_code == 400:
        body = assert_problem(response, 400)
        assert body["invalidParams"]
        assert state() == before
        return
    assert response["Content-Type"] == "application/json"
    signals, changes, log_rows = state()
    assert (signals, changes, log_rows) == (before[0] + 1, before[1] + 1, before[2] + 1)
    stored = Signal.objects.get(reference=response.json()["reference"])
    assert stored.description == str(payload["description"]).strip()
    assert response.json()["description"] == stored.description
    assert set(payload) - OPTIONAL <= {"theme", "sourceType", "receivedOn", "description"}


@FUZZ
@given(
    description=st.one_of(
        st.sampled_from(INJECTIONS),
        st.lists(st.sampled_from(INJECTIONS), min_size=2, max_size=5).map("\n".join),
        st.text(min_size=1, max_size=500),
    )
)
def test_description_is_stored_and_returned_as_text(api, description):
    response = api.post(
        SIGNALS, json.dumps(valid_payload(description=description)),
        content_type="application/json",
    )

    expected = description.strip()
    if not expected or "\x00" in expected:
        assert_problem(response, 400)
        return
    assert response.status_code == 201, response.content[:300]
    reference = response.json()["reference"]
    assert Signal.objects.get(reference=reference).description == expected
    fetched = api.get(f"{SIGNALS}/{reference}")
    # JSON data, never a page a browser would render or sniff as HTML
    assert fetched["Content-Type"] == "application/json"
    assert fetched["X-Content-Type-Options"] == "nosniff"
    assert fetched.json()["description"] == expected


@FUZZ
@given(
    params=st.dictionaries(
        st.one_of(
            st.sampled_from(["q", "theme", "sourceType", "municipality", "status",
                             "confidentiality", "receivedFrom", "receivedUntil", "page",
                             "pageSize"]),
            st.text(min_size=1, max_size=10),
        ),
        st.one_of(scalars.map(str), st.sampled_from(["\x00", "2025-01-01", "GM0153", "1"])),
        max_size=4,
    )
)
def test_list_parameters_never_cause_500(api, params):
    response = api.get(SIGNALS, params)

    if response.status_code == 200:
        assert "results" in response.json()
    else:
        assert_problem(response, response.status_code)
        assert response.status_code in (400, 404)


@FUZZ
@given(reference=st.text(min_size=1, max_size=60))
def test_retrieve_of_any_reference_is_404_not_500(api, reference):
    response = api.get(f"{SIGNALS}/{quote(reference, safe='')}")

    assert_problem(response, 404)
