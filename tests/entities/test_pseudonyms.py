"""Pseudonymisation where it suffices (issue 16 item 4, decision 0054): the need-to-know
matrix over pages, API, JSON and SVG; the reveal; stable, per-organisation pseudonyms; no
real value in any pseudonymised output."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.analytics.networks import Edge, Network, Node, Provenance
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases.services import PURPOSE_CASE
from knooppunt.entities import need_to_know, pseudonyms
from knooppunt.entities.models import Reveal
from knooppunt.organisations import scope

from ..api.conftest import token_client
from ..factories import member
from .factories import case_origin, entity, register_origin

pytestmark = pytest.mark.django_db

# Every value that names or numbers someone in the world below: none may leak.
SECRETS = ("Jan de Vries", "Vries", "1978-03-12", "1978", "Hennep BV", "Wasstraat BV",
           "Kerkstraat 12", "7511 AB", "7511AB", "AB-12-CD", "123456782", "12345678",
           "Ruud Hendriks", "nl-kvk-12345678", "nl-bag-0153200000001234")


@pytest.fixture
def world(chain, case):
    origin = case_origin(case, chain.gemeente)
    entity("p1", "Person", origin, name="Jan de Vries", birthDate="1978-03-12",
           socialSecurityNumber="123456782", addressEntity="nl-bag-0153200000001234")
    entity("nl-kvk-12345678", "Company", origin, name="Hennep BV",
           registrationNumber="12345678", legalForm="BV", incorporationDate="2019-03-14")
    entity("c2", "Company", origin, name="Wasstraat BV")
    entity("nl-bag-0153200000001234", "Address", origin,
           full="Kerkstraat 12, 7511 AB Enschede", street="Kerkstraat 12",
           postalCode="7511 AB", city="Enschede")
    entity("v1", "Vehicle", origin, registrationNumber="AB-12-CD", model="Golf")
    entity("d1", "Directorship", origin, director="p1", organization="nl-kvk-12345678",
           startDate="2019-03-14", role="directeur")
    entity("o1", "Ownership", origin, owner="p1", asset="c2")
    entity("o2", "Ownership", origin, owner="p1", asset="v1")
    # A register officer five links from nothing in the case: outside its reach.
    entity("far", "Person", register_origin("kvk"), name="Ruud Hendriks")
    return case


def _leaks(text: str, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    """The real values of `secrets` found in `text` (also used for the area network)."""
    return [s for s in secrets if s in text]


def _token(user, entity_id: str) -> str:
    return pseudonyms.token(need_to_know.pseudonym_organisation(user), entity_id)


def _outside_outputs(user, client) -> dict[str, str]:
    """Every answer an analyst reaches without a case, by name (by token: a real id is
    answered like an unknown one there)."""
    api = token_client(user)
    p1 = _token(user, "p1")
    out = {
        "api entities": api.get("/api/v1/entities").content.decode(),
        "api entity": api.get(f"/api/v1/entities/{p1}").content.decode(),
        "api links": api.get("/api/v1/links").content.decode(),
        "api network": api.get("/api/v1/networks", {"entity": p1, "depth": "2"})
        .content.decode(),
    }
    client.force_login(user)
    for name in ("p1", "nl-kvk-12345678", "nl-bag-0153200000001234", "v1"):
        page = client.get(reverse("entities:detail", args=[_token(user, name)]))
        assert page.status_code == 200, name
        out[f"page {name}"] = page.content.decode()
    out["network page"] = client.get(reverse("entities:network", args=[p1])).content.decode()
    out["network json"] = client.get(reverse("entities:network_data", args=[p1]),
                                     {"diepte": "2"}).content.decode()
    out["network svg"] = client.get(reverse("entities:network_svg", args=[p1])
                                    ).content.decode()
    return out


def test_an_analyst_outside_a_case_sees_pseudonyms_everywhere(chain, world, client):
    outputs = _outside_outputs(chain.analist, client)
    for name, text in outputs.items():
        assert _leaks(text) == [], name
    body = json.loads(outputs["api entity"])
    assert body["pseudonymised"] is True and body["id"].startswith("psn-")
    assert body["label"].startswith("Persoon P-")
    assert set(body["properties"]) == {"addressEntity"}  # a token, no name or number
    network = json.loads(outputs["api network"])
    labels = sorted(n["label"].split(" ")[0] for n in network["nodes"])
    assert labels == ["Adres", "Bedrijf", "Bedrijf", "Persoon", "Voertuig"]
    assert all(n["attributes"]["pseudonymised"] for n in network["nodes"])
    address = next(n for n in network["nodes"] if n["schema"] == "Address")
    assert address["label"].endswith(", Kerkstraat, 7511 Enschede")  # street, no number
    directorship = next(e for e in network["edges"] if e["linkType"] == "Directorship")
    assert directorship["start"] == "2019-03-01"  # to the month
    assert all(p["origin"] == "case" for e in network["edges"] for p in e["provenance"])
    assert "Persoon P-" in outputs["network svg"] and "U ziet een pseudoniem" in outputs[
        "page p1"]


def test_the_same_analyst_through_the_case_sees_names_and_the_switch_is_logged(
        chain, world, client):
    client.force_login(chain.analist)
    via = {"casus": world.reference}
    page = client.get(reverse("entities:detail", args=["p1"]), via).content.decode()
    assert "Jan de Vries" in page and "1978" in page and "U ziet een pseudoniem" not in page
    case_json = client.get(reverse("cases:network_data", args=[world.reference])).json()
    assert "Jan de Vries" in {n["label"] for n in case_json["nodes"]}
    svg = client.get(reverse("cases:network_svg", args=[world.reference])).content.decode()
    assert "Jan de Vries" in svg and "Hennep BV" in svg
    api = token_client(chain.analist).get("/api/v1/networks", {"case": world.reference}).json()
    assert {n["label"] for n in api["nodes"]} >= {"Jan de Vries", "Hennep BV"}
    switches = ProcessingLogEntry.objects.filter(
        purpose=PURPOSE_CASE, object_type="entities.entity",
        detail__startswith=f"namen getoond via casus {world.reference}")
    assert switches.count() >= 4 and "p1" in switches.last().object_ids
    # Beyond the case's reach the case gives no names.
    far = token_client(chain.analist).get(f"/api/v1/entities/{_token(chain.analist, 'far')}",
                                          {"case": world.reference}).json()
    assert far["pseudonymised"] is True and "Ruud Hendriks" not in str(far)


def test_a_partner_sees_nothing_and_a_stranger_no_case(chain, world, client):
    client.force_login(chain.partner)
    for url in (reverse("entities:detail", args=["p1"]), reverse("entities:network",
                                                                 args=["p1"])):
        assert client.get(url, {"casus": world.reference}).status_code == 404
    assert token_client(chain.partner).get("/api/v1/entities").status_code == 403
    stranger = member("analist", chain.outsider)
    answer = token_client(stranger).get("/api/v1/entities", {"case": world.reference})
    assert answer.status_code == 404  # a case they may not open gives nothing


def test_a_name_filter_does_not_tie_a_pseudonym_to_the_name(chain, world):
    api = token_client(chain.analist)
    assert api.get("/api/v1/entities", {"name": "Vries"}).json()["count"] == 0
    named = api.get("/api/v1/entities", {"name": "Vries", "case": world.reference}).json()
    assert [e["id"] for e in named["results"]] == ["p1"]


def test_pseudonyms_are_stable_within_an_organisation_and_differ_across(chain, world):
    first = _token(chain.analist, "p1")
    again = token_client(chain.analist).get(f"/api/v1/entities/{first}").json()["id"]
    colleague = token_client(chain.coordinator).get(f"/api/v1/entities/{first}").json()["id"]
    officer = member("analist", chain.politie)
    police = token_client(officer).get(f"/api/v1/entities/{_token(officer, 'p1')}").json()
    assert first == again == colleague and first.startswith("psn-")
    assert police["id"] != first and police["label"] != "Jan de Vries"
    # The token leads back for the one who has it: expansion and the entity page.
    around = token_client(chain.analist).get("/api/v1/networks", {"entity": first}).json()
    assert first in {n["id"] for n in around["nodes"]}
    assert token_client(member("analist", chain.politie)).get(
        f"/api/v1/entities/{first}").status_code == 404  # another organisation's token


def test_the_key_comes_from_settings_with_a_purpose():
    with override_settings(SECRET_KEY="a" * 50, KNOOPPUNT_PSEUDONYM_KEY=""):
        one = pseudonyms.token(1, "p1")
        assert one == pseudonyms.token(1, "p1") and one != pseudonyms.token(2, "p1")
    with override_settings(SECRET_KEY="b" * 50, KNOOPPUNT_PSEUDONYM_KEY=""):
        assert pseudonyms.token(1, "p1") != one
    with override_settings(SECRET_KEY="b" * 50, KNOOPPUNT_PSEUDONYM_KEY="dedicated"):
        assert pseudonyms.token(1, "p1") not in (one, pseudonyms.token(2, "p1"))
    assert pseudonyms.is_token(one) and not pseudonyms.is_token("p1")


def test_reveal_needs_post_csrf_a_reason_and_a_case_for_an_analyst(chain, world):
    url = reverse("entities:reveal", args=[_token(chain.analist, "p1")])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(chain.analist)
    assert strict.post(url, {"reden": "Onderzoek"}).status_code == 403  # no CSRF token
    client = Client()
    client.force_login(chain.analist)
    assert client.get(url).status_code == 405
    empty = client.post(url, {"reden": "  ", "casus": world.reference})
    assert empty.status_code == 400 and "Geef een reden" in empty.content.decode()
    nul = client.post(url, {"reden": "a\x00b", "casus": world.reference})
    assert nul.status_code == 400 and "NUL" in nul.content.decode()
    no_case = client.post(url, {"reden": "Patroon in de wijk"})
    assert no_case.status_code == 403 and "U mag deze naam niet tonen" in no_case.content \
        .decode()
    unknown = client.post(url, {"reden": "Patroon", "casus": "CAS-0000-999999"})
    assert unknown.status_code == 400
    assert not Reveal.objects.exists()
    refused = ProcessingLogEntry.objects.filter(outcome="denied",
                                                detail__startswith="toon naam geweigerd")
    assert refused.count() == 4
    done = client.post(url, {"reden": "Zelfde adres als in de casus", "casus": world.reference})
    assert done.status_code == 302
    reveal = Reveal.objects.get()
    assert (reveal.entity_id, reveal.case_id, reveal.user_id) == ("p1", world.pk,
                                                                  chain.analist.pk)
    logged = ProcessingLogEntry.objects.filter(detail__startswith="naam getoond (toon naam)")
    assert logged.get().purpose == PURPOSE_CASE and "Zelfde adres" in logged.get().detail
    # Now the analyst sees the name without the case; a colleague still sees the pseudonym.
    assert "Jan de Vries" in client.get(reverse("entities:detail", args=["p1"])).content \
        .decode()
    assert not scope.needs_pseudonyms(chain.analist, "p1")
    assert scope.needs_pseudonyms(chain.coordinator, "p1")


def test_a_coordinator_may_reveal_without_a_case_a_medewerker_not(chain, world):
    client = Client()
    client.force_login(chain.coordinator)
    page = client.get(reverse("entities:detail", args=[_token(chain.coordinator, "far")])
                      ).content.decode()
    assert "Toon naam" in page and "Ruud Hendriks" not in page
    token = pseudonyms.token(chain.gemeente.pk, "far")
    done = client.post(reverse("entities:reveal", args=[token]), {"reden": "Weging: casus?"})
    assert done.status_code == 302
    assert "Ruud Hendriks" in client.get(reverse("entities:detail", args=[token])).content \
        .decode()
    client.force_login(chain.medewerker)
    refused = client.post(reverse("entities:reveal", args=["p1"]), {"reden": "Nieuwsgierig"})
    assert refused.status_code in (403, 404)
    assert Reveal.objects.filter(user=chain.medewerker).count() == 0


def test_a_reveal_expires(chain, world):
    from django.utils import timezone

    from knooppunt.entities.reveal import reveal_entity

    reveal_entity(chain.coordinator, "far", "Weging")
    assert not scope.needs_pseudonyms(chain.coordinator, "far")
    later = timezone.now() + dt.timedelta(hours=9)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        assert scope.needs_pseudonyms(chain.coordinator, "far")


def test_the_case_export_stays_real(chain, world):
    exported = token_client(chain.analist).get("/api/v1/entities/export",
                                               {"case": world.reference})
    assert exported.status_code == 200 and "Jan de Vries" in exported.content.decode()


def _opens_the_case_without_reading_at_the_table(chain):
    """An analyst of an entity-reading organisation outside the forum who is also a member
    of a partner-kind organisation that sits at the table: may open the case, but the case
    gives no need to know for the entities (review finding H1)."""
    from ..factories import MembershipFactory

    user = member("analist", chain.outsider)
    MembershipFactory(user=user, organisation=chain.corporatie, role="analist")
    chain.forum.members.add(chain.corporatie)
    return user


def test_the_case_export_needs_an_entity_reading_organisation_at_the_table(chain, world):
    user = _opens_the_case_without_reading_at_the_table(chain)
    assert scope.cases_for(user).filter(pk=world.pk).exists()
    assert scope.needs_pseudonyms(user, "p1", via_case=world)  # pages: pseudonyms
    answer = token_client(user).get("/api/v1/entities/export", {"case": world.reference})
    body = answer.content.decode()
    assert answer.status_code == 403 and answer["Content-Type"].startswith(
        "application/problem+json")
    assert "neemt niet deel aan deze casus" in body and "does not take part" in body
    assert _leaks(body) == []
    assert ProcessingLogEntry.objects.filter(
        user_id=user.pk, action="export", outcome="denied",
        detail__startswith=f"FtM-export casus {world.reference} geweigerd").exists()
    assert not ProcessingLogEntry.objects.filter(user_id=user.pk, action="export",
                                                 outcome="success").exists()


def test_the_review_queue_is_in_the_menu_for_reviewers_only(chain, client):
    client.force_login(chain.analist)
    assert reverse("matches:queue") in client.get("/").content.decode()
    client.force_login(chain.medewerker)
    assert reverse("matches:queue") not in client.get("/").content.decode()
    client.force_login(chain.partner)
    assert reverse("matches:queue") not in client.get("/").content.decode()


NAMES = st.text(alphabet="xyzqkw", min_size=6, max_size=30)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(person=NAMES, company=NAMES, number=st.integers(1, 9999),
       day=st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)))
def test_no_label_or_house_number_survives_pseudonymisation(person, company, number, day):
    street = f"Qqstraat {number}"
    found = Network.of(
        [Node("p", "Person", person), Node("c", "Company", company),
         Node("a", "Address", f"{street}, 7511 AB Enschede")],
        [Edge("d", "p", "c", "Directorship", day, None,
              (Provenance("Gemeente", day, "case 12"),), "directeur"),
         Edge("r", "c", "a", "Occupancy", day, None, (), "addressEntity")])
    text = json.dumps(pseudonyms.network(7, found).to_json())
    assert person not in text and company not in text and street not in text
    assert "7511 AB" not in text and "case 12" not in text
    assert day.isoformat() not in text or day.day == 1


def test_an_analyst_reveals_beyond_the_case_reach_by_naming_the_case(chain, world, client):
    client.force_login(chain.analist)
    page = client.get(reverse("entities:detail", args=[_token(chain.coordinator, "far")])
                      ).content.decode()
    assert "Toon naam" in page and f'<option value="{world.reference}">' in page
    token = pseudonyms.token(chain.gemeente.pk, "far")
    done = client.post(reverse("entities:reveal", args=[token]),
                       {"reden": "Bestuurder van een bedrijf in de casus", "casus":
                        world.reference})
    assert done.status_code == 302
    assert "Ruud Hendriks" in client.get(done["Location"]).content.decode()


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(reason=st.text(max_size=600))
def test_any_reason_is_kept_whole_or_refused_with_nothing_stored(chain, world, reason):
    client = Client()
    client.force_login(chain.coordinator)
    before = Reveal.objects.count()
    answer = client.post(reverse("entities:reveal", args=[_token(chain.coordinator, "p1")]),
                         {"reden": reason})
    valid = bool(reason.strip()) and "\x00" not in reason and len(reason.strip()) <= 500
    if valid:
        assert answer.status_code == 302
        assert Reveal.objects.order_by("-pk").first().reason == reason.strip()
    else:
        assert answer.status_code == 400 and Reveal.objects.count() == before


def test_a_real_id_is_answered_like_an_unknown_one_where_a_pseudonym_is_shown(
        chain, world, client):
    """Review finding M1: a known identity (a KvK number, a guessable id) must not map to
    its pseudonym. Outside a case and without a reveal a real id gets the unknown id's 404,
    logged as denied; through a case the user works on, or once revealed, it is accepted."""
    api = token_client(chain.analist)
    client.force_login(chain.analist)
    real, unknown = "nl-kvk-12345678", "nl-kvk-99999999"
    for path in ("/api/v1/entities/{}", "/api/v1/networks?entity={}",
                 "/api/v1/links?entity={}"):
        one, other = api.get(path.format(real)), api.get(path.format(unknown))
        assert one.status_code == other.status_code == 404, path
        # The same body but for the path it names (problem+json's "instance").
        assert one.content.decode().replace(real, unknown) == other.content.decode(), path
        assert "psn-" not in one.content.decode()
    for name in ("entities:detail", "entities:network", "entities:network_data",
                 "entities:network_svg"):
        one = client.get(reverse(name, args=[real]))
        other = client.get(reverse(name, args=[unknown]))
        assert one.status_code == other.status_code == 404, name  # no redirect to a token
        masked = re.compile(r'"X-CSRFToken": "\w+"|name="csrfmiddlewaretoken" value="\w+"')
        assert masked.sub("", one.content.decode().replace(real, unknown)) == masked.sub(
            "", other.content.decode()), name
    network = reverse("cases:network_data", args=[world.reference])
    assert client.get(network, {"knoop": "far"}).status_code == 404  # beyond the reach
    assert ProcessingLogEntry.objects.filter(
        user_id=chain.analist.pk, outcome="denied", detail__contains=real).count() >= 6
    # Through the case the analyst works on: the real id is accepted, with names.
    via = {"casus": world.reference}
    page = client.get(reverse("entities:detail", args=[real]), via)
    assert page.status_code == 200 and "Hennep BV" in page.content.decode()
    assert api.get(f"/api/v1/entities/{real}", {"case": world.reference}).json()[
        "label"] == "Hennep BV"
    assert client.get(network, {"knoop": real}).status_code == 200
    # Tokens keep working without a case.
    token = _token(chain.analist, real)
    assert api.get(f"/api/v1/entities/{token}").json()["id"] == token
    # Revealed: the real id is accepted for this user only.
    from knooppunt.entities.reveal import reveal_entity

    reveal_entity(chain.coordinator, "far", "Weging")
    coordinator = Client()
    coordinator.force_login(chain.coordinator)
    assert "Ruud Hendriks" in coordinator.get(reverse("entities:detail", args=["far"])
                                              ).content.decode()
    assert client.get(reverse("entities:detail", args=["far"])).status_code == 404


def test_case_subjects_link_to_entity_pages_only_for_who_works_on_the_case(chain, case,
                                                                            client):
    """Review finding M2: the case page names its subjects to anyone who may open it (the
    case's own data) but links them to the entity page, by real id, only where that page
    shows the name: for a user the case gives the need to know."""
    from knooppunt.cases import services
    from knooppunt.subjects.models import SubjectKind

    services.add_subject(user=chain.coordinator, case=case, kind=SubjectKind.COMPANY,
                         name="Hennep BV", kvk_number="12345678")
    link = reverse("entities:detail", args=["nl-kvk-12345678"])
    client.force_login(chain.analist)
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Hennep BV" in body and link in body
    assert client.get(link, {"casus": case.reference}).status_code == 200
    client.force_login(_opens_the_case_without_reading_at_the_table(chain))
    body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Hennep BV" in body and link not in body


def test_pseudonymised_statements_carry_no_statement_id(chain, world):
    """Review finding M3: statement ids are global sequential keys, the same for every
    organisation; in a pseudonymised answer they would join pseudonyms across them."""
    api = token_client(chain.analist)
    token = _token(chain.analist, "nl-kvk-12345678")
    hidden = api.get(f"/api/v1/entities/{token}").json()
    assert hidden["pseudonymised"] and hidden["statements"]
    assert all(s["id"] is None for s in hidden["statements"])
    named = api.get("/api/v1/entities/nl-kvk-12345678", {"case": world.reference}).json()
    assert all(isinstance(s["id"], int) for s in named["statements"])


def test_the_api_lists_in_the_order_of_the_pseudonyms_not_of_the_ids(chain, world):
    """Review finding M4: rank by id leaks KvK / BAG order beside a pseudonym."""
    api = token_client(chain.analist)
    for path in ("/api/v1/entities", "/api/v1/links"):
        pages, url = [], path
        while url:
            body = api.get(url, {"pageSize": 2} if url == path else None).json()
            pages += [e["id"] for e in body["results"]]
            url = body["next"]
        assert pages == sorted(pages) and len(pages) == len(set(pages)) > 2, path
        assert all(i.startswith("psn-") for i in pages)
