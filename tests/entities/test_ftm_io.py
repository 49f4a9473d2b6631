"""FtM JSON lines: export → import → export is identical; bad files are refused whole,
with a Dutch and English reason per line, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.entities import ftm_io
from knooppunt.entities.models import Entity, Statement
from knooppunt.entities.services import FtmEntity

from .factories import case_origin, entity

pytestmark = pytest.mark.django_db

VALID_BSNS = ("111222333", "123456782", "999999990")
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëï' -ABCDEFGHIJ", min_size=1,
                max_size=24).map(str.strip).filter(bool)


@st.composite
def entity_sets(draw) -> list[FtmEntity]:
    """Persons, companies, addresses and directorships with valid values."""
    addresses = [FtmEntity(f"a{i}", "Address", {"full": (draw(WORDS),)})
                 for i in range(draw(st.integers(0, 2)))]
    refs = [a.id for a in addresses]

    def address_prop() -> dict:
        return {"addressEntity": (draw(st.sampled_from(refs)),)} if refs and draw(
            st.booleans()) else {}

    persons = []
    for i in range(draw(st.integers(0, 3))):
        props = {"name": tuple(draw(st.sets(WORDS, min_size=1, max_size=2)))}
        if draw(st.booleans()):
            born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2010, 12, 31)))
            props["birthDate"] = (born.isoformat(),)
        if draw(st.booleans()):
            props["socialSecurityNumber"] = (draw(st.sampled_from(VALID_BSNS)),)
        persons.append(FtmEntity(f"p{i}", "Person", {**props, **address_prop()}))
    companies = [FtmEntity(f"c{i}", "Company", {
        "name": (draw(WORDS),),
        "registrationNumber": (f"{draw(st.integers(0, 10**8 - 1)):08d}",),
        **address_prop()}) for i in range(draw(st.integers(0, 3)))]
    links = []
    if persons and companies:
        for j in range(draw(st.integers(0, 3))):
            links.append(FtmEntity(f"d{j}", "Directorship", {
                "director": (draw(st.sampled_from([p.id for p in persons])),),
                "organization": (draw(st.sampled_from([c.id for c in companies])),),
                "role": (draw(WORDS),)}))
    return [e for e in addresses + persons + companies + links
            if e.properties or e.schema == "Address"]


def _expected(entities: list[FtmEntity]) -> str:
    return ftm_io.dumps(entities)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entities=entity_sets())
def test_export_import_export_is_identical(chain, case, entities):
    with transaction.atomic():
        text = _expected(entities)
        if not entities:
            with pytest.raises(ftm_io.FtmRefused):
                ftm_io.import_case(chain.coordinator, case, text)
        else:
            count, added = ftm_io.import_case(chain.coordinator, case, text)
            assert count == len(entities) and added > 0
            first = ftm_io.export_case(chain.coordinator, case)
            assert first == text
            assert ftm_io.import_case(chain.coordinator, case, first) == (count, 0)
            assert ftm_io.export_case(chain.coordinator, case) == first
        transaction.set_rollback(True)


def _line(eid="p1", schema="Person", **props) -> str:
    return json.dumps({"id": eid, "schema": schema,
                       "properties": {k: v if isinstance(v, list) else [v]
                                      for k, v in props.items()}})


FUTURE = (dt.date.today() + dt.timedelta(days=3)).isoformat()
REFUSALS = [
    ("{not json", "Geen geldige JSON", "Not valid JSON"),
    ("[1, 2]", "één JSON-object", "one JSON object"),
    (_line(schema="Spaceship", name="X"), "Onbekend schema", "Unknown schema"),
    (_line(colour="rood"), "geen eigenschap 'colour'", "no property 'colour'"),
    (_line(eid="bad id!", name="X"), "Id ontbreekt of is ongeldig", "Id missing"),
    (_line(name="Jan", birthDate=FUTURE), "geboortedatum ligt niet in de toekomst",
     "cannot be in the future"),
    (_line(name="Jan", birthDate="12-03-1978"), "geen datum", "not a date"),
    (_line(name="Jan", socialSecurityNumber="123456789"), "elfproef", "eleven test"),
    (_line("c1", "Company", name="BV", registrationNumber="1234567"), "8 cijfers",
     "8 digits"),
    (_line("d1", "Directorship", director="p1", organization="nowhere"),
     "geen entiteit in het bestand of een die u mag zien", "not an entity in the file"),
    (_line("d1", "Directorship", organization="p1") + "\n" + _line(name="Jan"),
     "heeft 'director' nodig", "needs 'director'"),
    (_line("d1", "Directorship", director="p1", organization="p1") + "\n"
     + _line(name="Jan"), "wijst naar een Organization", "points to a Organization"),
    (json.dumps({"id": "p1", "schema": "Person", "properties": {}, "colour": 1}),
     "Onbekend veld", "Unknown field"),
]


@pytest.mark.parametrize(("text", "dutch", "english"), REFUSALS)
def test_bad_files_are_refused_whole(chain, case, text, dutch, english):
    good = _line("ok1", "Person", name="Goed")
    before = Statement.objects.count()
    with pytest.raises(ftm_io.FtmRefused) as refused:
        ftm_io.import_case(chain.coordinator, case, good + "\n" + text)
    reasons = " ".join(p.reason for p in refused.value.problems)
    assert dutch in reasons and english in reasons
    assert Statement.objects.count() == before
    assert not Entity.objects.filter(pk="ok1").exists()


def test_an_empty_file_is_refused(chain, case):
    with pytest.raises(ftm_io.FtmRefused) as refused:
        ftm_io.import_case(chain.coordinator, case, "\n  \n")
    assert "leeg" in refused.value.problems[0].reason


def test_a_link_to_an_entity_the_user_may_not_see_is_refused(chain, case):
    from ..cases.factories import CaseFactory

    hidden_case = CaseFactory()  # another owner's case, not at the user's table
    entity("secret", "Company", case_origin(hidden_case, hidden_case.owner), name="Geheim")
    text = _line(name="Jan") + "\n" + _line("d1", "Directorship", director="p1",
                                            organization="secret")
    with pytest.raises(ftm_io.FtmRefused) as refused:
        ftm_io.import_case(chain.coordinator, case, text)
    assert "die u mag zien" in refused.value.problems[0].reason
    # Re-using the hidden entity's id is refused without saying what it is.
    with pytest.raises(ftm_io.FtmRefused) as reused:
        ftm_io.import_case(chain.coordinator, case, _line("secret", "Company", name="X"))
    assert "al in gebruik" in reused.value.problems[0].reason
    assert not Entity.objects.filter(pk="p1").exists()


def test_fragments_of_one_entity_are_merged(chain, case):
    text = _line(name="Jan") + "\n" + _line(alias="J.")
    assert ftm_io.import_case(chain.coordinator, case, text) == (1, 2)


def test_a_partner_may_not_import(chain, case):
    with pytest.raises(PermissionDenied):
        ftm_io.import_case(chain.partner, case, _line(name="Jan"))
    with pytest.raises(PermissionDenied):
        ftm_io.export_case(chain.partner, case)
