"""The network of an area and its patterns (decision 0055): which entities lie in a wijk,
need-to-know on every node and edge, the page, JSON, SVG and API, bad input, the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.analytics.areas import resolve
from knooppunt.analytics.networks import Edge, Network, Node
from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.entities import pseudonyms
from knooppunt.entities.area_networks import (
    AreaNetwork,
    address_ids_in,
    area_network,
    area_patterns,
)
from knooppunt.entities.models import Reveal, Statement
from knooppunt.entities.registers import (
    CompanyExtract,
    Officer,
    Registration,
    add_company,
    person_entity_id,
)
from knooppunt.entities.services import FtmEntity, Provenance, record_entities
from knooppunt.geo.models import District, Municipality
from knooppunt.registers.models import Address

from ..factories import member
from .factories import case_origin, entity
from .test_pseudonyms import _leaks
from .test_registers_network import FakeExtracts

pytestmark = pytest.mark.django_db

BOSS = Officer("Ruud Hendriks", dt.date(1971, 4, 2), "bestuurder", dt.date(2021, 2, 1))
LONE = Officer("Els Alleen", dt.date(1980, 1, 1), "bestuurder", dt.date(2021, 2, 1))
# Every name and number of the world below: none may reach a user outside a case
# (decision 0054: an area gives no need to know).
SECRETS = ("Ruud Hendriks", "Els Alleen", "1971-04-02", "1980-01-01", "Bedrijf 0", "Bedrijf 1",
           "Bedrijf 2", "Kortstondig BV", "Gewoon BV", "Elders BV", "Verhuizer BV",
           "Bewoner (test)", "Geheim Persoon", "10000003", "20000000", "nl-kvk-", "nl-bag-",
           "0153200000", "typed-1", "resident", "Markt 1", "Markt 7", "7511GA", "7511 GA",
           "7522AB", "7522 AB", "10-01-2022", "15-07-2022", "2022-01-10", "2022-07-15")


def _address(number: int, district: District | None, municipality: Municipality | None,
             postcode: str = "7511GA") -> str:
    bag = f"01532000001{number:05d}"
    Address.objects.create(
        nummeraanduiding_id=bag, street="Markt", house_number=number, postcode=postcode,
        city="Enschede", x_rd=258000, y_rd=471000, latitude=52.2, longitude=6.9,
        municipality=municipality, district=district, source="test",
        source_date=dt.date(2024, 1, 1))
    return bag


class World:
    pass


@pytest.fixture
def world(chain, case):
    """In wijk W of Enschede: a hub address with five companies (three directed by one
    person, one short-lived), a mover that ended up in W, a typed address; outside W:
    the mover's earlier addresses and a company of the boss elsewhere."""
    enschede = Municipality.objects.get(code="GM0153")
    wijk, other = District.objects.filter(municipality=enschede).order_by("code")[:2]
    hub = _address(1, wijk, enschede)
    _address(7, wijk, enschede)  # the typed address's register twin
    end = _address(2, wijk, enschede)
    away = [_address(n, other, enschede, "7522AB") for n in (3, 4, 5)]
    elsewhere = _address(6, other, enschede, "7522AB")
    extracts = [CompanyExtract(f"1000000{i}", f"Bedrijf {i}", dt.date(2021, 1, 1), "B.V.",
                               (Registration(hub, dt.date(2021, 2, 1)),), (BOSS,))
                for i in range(3)]
    extracts += [
        CompanyExtract("10000003", "Kortstondig BV", dt.date(2022, 1, 10), "B.V.",
                       (Registration(hub, dt.date(2022, 1, 10)),), (LONE,),
                       dissolved_on=dt.date(2022, 7, 15)),
        CompanyExtract("10000004", "Gewoon BV", dt.date(2015, 1, 1), "B.V.",
                       (Registration(hub, dt.date(2015, 1, 1)),), (LONE,)),
        CompanyExtract("10000005", "Elders BV", dt.date(2019, 1, 1), "B.V.",
                       (Registration(elsewhere, dt.date(2019, 1, 1)),), (BOSS,)),
        CompanyExtract("20000000", "Verhuizer BV", dt.date(2020, 1, 1), "B.V.", tuple(
            Registration(bag, dt.date(2020 + i, 1, 1), dt.date(2020 + i, 12, 31))
            for i, bag in enumerate(away)) + (Registration(end, dt.date(2023, 1, 1)),)),
    ]
    fake = FakeExtracts(extracts)
    for extract in extracts:
        add_company(extract.kvk_number, extracts=fake)
    origin = case_origin(case, chain.gemeente)
    entity("typed-1", "Address", origin, full="Markt 7, 7511 GA Enschede")
    entity("typed-2", "Address", origin, full="Elders 9, 9999 ZZ Nergens")
    entity("resident", "Person", origin, name="Bewoner (test)",
           addressEntity=f"nl-bag-{hub}")
    # A link the coordinator sees to a person they may not see: counted, not shown.
    outsider = member("analist", chain.outsider)
    record_entities([FtmEntity("secret", "Person", {"name": ("Geheim Persoon",)})],
                    Provenance("delivery", "999", "test", chain.outsider.pk,
                               dt.date(2024, 1, 1), dt.date(2024, 1, 1), 1), outsider)
    entity("own-1", "Ownership", origin, owner="secret", asset="nl-kvk-10000000")
    w = World()
    w.wijk, w.other, w.hub, w.end, w.away, w.enschede = wijk, other, hub, end, away, enschede
    return w


def test_the_entities_that_lie_in_the_wijk(chain, world):
    area = resolve(chain.coordinator, area=world.wijk.code)
    seeds = address_ids_in(chain.coordinator, area)
    # BAG addresses by the register's wijk; the typed address by postcode and number.
    assert seeds == sorted([f"nl-bag-{world.hub}", f"nl-bag-{world.end}", "typed-1"])
    whole = address_ids_in(chain.coordinator, resolve(chain.coordinator, area="GM0153"))
    assert set(seeds) < set(whole) and "typed-2" not in whole


def test_the_patterns_of_the_wijk(chain, world):
    found = area_network(chain.coordinator, resolve(chain.coordinator, area=world.wijk.code))
    patterns = area_patterns(found)
    assert [p.address for p in patterns.crowded] == [f"nl-bag-{world.hub}"]
    assert patterns.crowded[0].registered == 6  # five companies and the resident
    assert [p.company for p in patterns.movers] == ["nl-kvk-20000000"]
    assert [p.company for p in patterns.short_lived] == ["nl-kvk-10000003"]
    assert patterns.short_lived[0].days == 186
    boss = person_entity_id(BOSS.name, BOSS.birth_date)
    lone = person_entity_id(LONE.name, LONE.birth_date)
    # The boss's company elsewhere is not registered in the area: three, not four.
    assert [(p.officer, len(p.companies)) for p in patterns.officers] == [(boss, 3), (lone, 2)]
    # The link to a person the coordinator may not see is counted at the company.
    assert found.network.hidden_count == {"nl-kvk-10000000": 1}
    assert "secret" not in {n.id for n in found.network.nodes}


def _node(node_id: str, schema: str, **attributes) -> Node:
    return Node(node_id, schema, node_id.upper(), attributes=attributes)


def test_patterns_count_only_what_is_in_the_area():
    """A crafted network: a crowded address outside the area, a short-lived company
    registered only outside, an officer with one company in and one outside."""
    nodes = [_node("a-in", "Address"), _node("a-out", "Address"), _node("p", "Person")]
    nodes += [_node(f"c{i}", "Company", incorporationDate="2022-01-01",
                    dissolutionDate="2022-03-01") for i in range(7)]
    edges = [Edge(f"r{i}", f"c{i}", "a-out", "UnknownLink") for i in range(6)]
    edges += [Edge("r-in", "c6", "a-in", "UnknownLink"), Edge("r-p", "p", "a-in", "Occupancy"),
              Edge("d6", "p", "c6", "Directorship"), Edge("d0", "p", "c0", "Directorship")]
    found = AreaNetwork(None, ("a-in",), Network.of(nodes, edges))
    patterns = area_patterns(found)
    assert patterns.crowded == () and patterns.officers == () and patterns.movers == ()
    assert [p.company for p in patterns.short_lived] == ["c6"]
    assert patterns.entity_ids() == ["c6"] and bool(patterns)
    edges.append(Edge("r0-in", "c0", "a-in", "UnknownLink"))
    again = area_patterns(AreaNetwork(None, ("a-in",), Network.of(nodes, edges)))
    assert [(p.officer, p.companies) for p in again.officers] == [("p", ("c0", "c6"))]


def _config(page) -> dict:
    import json

    html = page.content.decode()
    start = html.index('id="network-config"')
    return json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])


def _token(chain, entity_id: str) -> str:
    return pseudonyms.token(chain.gemeente.pk, entity_id)


def _label(chain, entity_id: str, schema: str = "Company") -> str:
    return pseudonyms.label(chain.gemeente.pk, entity_id, schema)


def test_the_area_page_json_and_svg_show_pseudonyms(client, chain, world):
    """Outside a case the coordinator sees the area's patterns and network under
    pseudonyms (decision 0054), with dates to the month; the log has the real ids."""
    client.force_login(chain.coordinator)
    form = client.get(reverse("area_networks:page"))
    assert form.status_code == 200 and world.wijk.code in form.content.decode()
    page = client.get(reverse("area_networks:page"), {"gebied": world.wijk.code})
    assert page.status_code == 200
    html = page.content.decode()
    boss = person_entity_id(BOSS.name, BOSS.birth_date)
    short = _token(chain, "nl-kvk-10000003")
    for text in ("Adressen met veel inschrijvingen", "5 of meer inschrijvingen",
                 "opgeheven binnen 12 maanden", "risicoscore", "art. 5 lid 1 onder d",
                 "U ziet pseudoniemen", "Toon naam", _label(chain, "nl-kvk-10000003"),
                 _label(chain, "nl-kvk-20000000"), _label(chain, boss, "Person")):
        assert text in html, text
    # The patterns are found on the shown network: six registrations at the hub, the boss
    # directs three companies in the wijk, the short-lived one as months.
    assert '<td class="num">6</td>' in html and '<td class="num">3</td>' in html
    assert "<td>01-2022</td><td>07-2022</td>" in html and "ca. 181" in html
    assert _leaks(html, SECRETS) == []
    link = reverse("entities:detail", args=[short])
    assert link in html
    opened = client.get(link)
    assert opened.status_code == 200 and _label(chain, "nl-kvk-10000003") in opened \
        .content.decode()
    logged = ProcessingLogEntry.objects.filter(
        detail__startswith=f"patronen gebied {world.wijk.code}").last()
    assert logged is not None and {"nl-kvk-10000003", boss} <= set(logged.object_ids)
    config = _config(page)
    answer = client.get(config["data"])
    assert _leaks(answer.content.decode(), SECRETS) == []
    data = answer.json()
    ids = {n["id"] for n in data["nodes"]}
    assert {_token(chain, f"nl-bag-{world.hub}"), short, _token(chain, "resident")} <= ids
    assert all(i.startswith("psn-") for i in ids) and _token(chain, "secret") not in ids
    hidden = {n["id"]: n["hiddenCount"] for n in data["nodes"] if n["hiddenCount"]}
    assert hidden == {_token(chain, "nl-kvk-10000000"): 1}
    logged = ProcessingLogEntry.objects.filter(
        detail=f"netwerk gebied {world.wijk.code}").last()
    assert logged is not None and {_token(chain, i) for i in logged.object_ids} == ids
    node = next(n for n in data["nodes"] if n["id"] == short)
    assert node["attributes"] == {"incorporationDate": "2022-01-01",
                                  "dissolutionDate": "2022-07-01", "pseudonymised": True}
    # The script appends its parameters to the URL, which carries the area already.
    expanded = client.get(config["expand"] + "&knoop=" + _token(chain, "nl-kvk-10000005"))
    assert expanded.status_code == 200  # the boss's company elsewhere, one step out
    assert _leaks(expanded.content.decode(), SECRETS) == []
    directed = client.get(config["data"] + "&soort=Directorship").json()
    assert {e["linkType"] for e in directed["edges"]} == set()  # no path from an address
    svg = client.get(reverse("area_networks:svg"), {"gebied": world.wijk.code})
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    assert _label(chain, "nl-kvk-10000003") in svg.content.decode()
    assert _leaks(svg.content.decode(), SECRETS) == []
    assert ProcessingLogEntry.objects.filter(
        detail=f"netwerk-svg gebied {world.wijk.code}").exists()


def test_a_revealed_entity_shows_by_name_on_the_area_page(client, chain, world):
    """After "toon naam" the coordinator sees that one company by name, with its exact
    dates; everything else stays a pseudonym; a colleague still sees the pseudonym."""
    client.force_login(chain.coordinator)
    short = _token(chain, "nl-kvk-10000003")
    done = client.post(reverse("entities:reveal", args=[short]),
                       {"reden": "Kortstondig bedrijf op een druk adres"})
    assert done.status_code == 302 and Reveal.objects.filter(
        entity_id="nl-kvk-10000003", user=chain.coordinator).exists()
    html = client.get(reverse("area_networks:page"),
                      {"gebied": world.wijk.code}).content.decode()
    assert "Kortstondig BV" in html and "<td>10-01-2022</td><td>15-07-2022</td>" in html
    assert reverse("entities:detail", args=["nl-kvk-10000003"]) in html
    rest = tuple(s for s in SECRETS if s not in (
        "Kortstondig BV", "10000003", "nl-kvk-", "10-01-2022", "15-07-2022", "2022-01-10",
        "2022-07-15"))
    assert _leaks(html, rest) == [] and "Verhuizer BV" not in html
    data = client.get(reverse("area_networks:data"), {"gebied": world.wijk.code}).json()
    assert "Kortstondig BV" in {n["label"] for n in data["nodes"]}
    client.force_login(chain.analist)
    html = client.get(reverse("area_networks:page"),
                      {"gebied": world.wijk.code}).content.decode()
    assert "Kortstondig BV" not in html and _label(chain, "nl-kvk-10000003") in html


def test_the_area_scan_shows_the_patterns(client, chain, world):
    client.force_login(chain.coordinator)
    html = client.get(reverse("web:area_scan"), {"gebied": world.wijk.code}).content.decode()
    assert "Patronen in dit gebied" in html and _label(chain, "nl-kvk-10000003") in html
    form_example = "bijv. 7511 GA 12"  # the address field's hint, not the world's
    assert "U ziet pseudoniemen" in html
    assert _leaks(html.replace(form_example, ""), SECRETS) == []
    assert reverse("area_networks:page") + f"?gebied={world.wijk.code}" in html
    client.force_login(chain.mayor)
    html = client.get(reverse("web:area_scan"), {"gebied": world.wijk.code}).content.decode()
    assert "Patronen in dit gebied" not in html and "Bedrijf B-" not in html


AREA_VIEWS = {"area_networks:page", "area_networks:data", "area_networks:svg"}


def test_every_area_network_view_is_checked():
    from django.urls import get_resolver

    from ..test_access_paths import _named_patterns

    names = {n for n in _named_patterns(get_resolver()) if n.startswith("area_networks:")}
    assert names == AREA_VIEWS, "add new area network views to the scope matrix below"


def test_the_scope_matrix(client, chain, world):
    """Who sees what of the wijk: coordinator and analist everything they may, the
    medewerker the addresses and the case's facts but no company register officers, the
    rest nothing (404), an organisation without Enschede a 403."""
    url = reverse("area_networks:data")
    code = {"gebied": world.wijk.code}
    for user in (chain.coordinator, chain.analist):
        client.force_login(user)
        ids = {n["id"] for n in client.get(url, code).json()["nodes"]}
        assert _token(chain, person_entity_id(BOSS.name, BOSS.birth_date)) in ids
    client.force_login(chain.medewerker)
    ids = {n["id"] for n in client.get(url, code).json()["nodes"]}
    assert ids == {_token(chain, i) for i in (f"nl-bag-{world.hub}", f"nl-bag-{world.end}",
                                              "typed-1", "resident")}
    for user in (chain.partner, chain.mayor):
        client.force_login(user)
        for name in sorted(AREA_VIEWS):
            answer = client.get(reverse(name), code)
            assert answer.status_code == 404, (user, name)
    client.force_login(member("analist", chain.outsider))
    assert client.get(url, code).status_code == 403
    page = client.get(reverse("area_networks:page"), code)
    assert page.status_code == 403 and "buiten de gemeenten" in page.content.decode()
    assert ProcessingLogEntry.objects.filter(outcome="denied",
                                             detail__startswith="netwerk gebied").exists()


@pytest.mark.parametrize("code, status", [("WK999999", 404), ("GM9999", 404),
                                          ("GM0363", 403), ("Enschede", 400), ("", 400)])
def test_bad_areas(client, chain, world, code, status):
    client.force_login(chain.coordinator)
    page = client.get(reverse("area_networks:page"), {"gebied": code})
    assert page.status_code == status
    data = client.get(reverse("area_networks:data"), {"gebied": code})
    assert data.status_code == status and data["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.one_of(st.text(max_size=30), st.sampled_from(
    ["\x00", "WK\x00", "GM0153\x00", "wk0153\x0001", " GM0153 ", "GM 0153", "%00"])),
       depth=st.one_of(st.none(), st.text(max_size=4)))
def test_malformed_parameters_are_refused_not_stored(client, chain, world, code, depth):
    client.force_login(chain.coordinator)
    before = Statement.objects.count()
    query = {"gebied": code} if depth is None else {"gebied": code, "diepte": depth}
    for name in ("page", "data", "svg"):
        answer = client.get(reverse(f"area_networks:{name}"), query)
        assert answer.status_code in (200, 400, 403, 404), (name, code, answer.status_code)
    api = client.get("/api/v1/networks", {"area": code})
    assert api.status_code in (200, 400, 403, 404)
    assert Statement.objects.count() == before


def test_the_api(client, chain, world, case):
    client.force_login(chain.coordinator)
    answer = client.get("/api/v1/networks", {"area": world.wijk.code})
    assert answer.status_code == 200
    assert _leaks(answer.content.decode(), SECRETS) == []
    ids = {n["id"] for n in answer.json()["nodes"]}
    assert _token(chain, "nl-kvk-10000003") in ids and _token(chain, "secret") not in ids
    logged = ProcessingLogEntry.objects.filter(channel="api",
                                               detail__startswith="netwerk gebied").last()
    assert logged is not None and "nl-kvk-10000003" in logged.object_ids  # the real ids
    assert {_token(chain, i) for i in logged.object_ids} == ids
    near = client.get("/api/v1/networks", {"area": world.wijk.code, "depth": "1"}).json()
    assert _token(chain, person_entity_id(BOSS.name, BOSS.birth_date)) not in {
        n["id"] for n in near["nodes"]}
    for query, status in (({"area": "WK999999"}, 404), ({"area": "GM0363"}, 403),
                          ({"area": "Enschede"}, 400),
                          ({"area": world.wijk.code, "case": "X"}, 400),
                          ({"area": world.wijk.code, "case": case.reference}, 400),
                          ({"area": world.wijk.code, "entity": "resident"}, 400),
                          ({"area": world.wijk.code, "depth": "9"}, 400)):
        refused = client.get("/api/v1/networks", query)
        assert refused.status_code == status, query
        assert refused["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    # An area with a case is refused by name: an area is not a case (decision 0054).
    both = client.get("/api/v1/networks", {"area": world.wijk.code, "case": case.reference})
    assert "niet samen met case" in both.content.decode() and "not with case" in \
        both.content.decode()
    client.force_login(chain.partner)
    assert client.get("/api/v1/networks", {"area": world.wijk.code}).status_code == 403


def test_the_entity_page_lists_short_lived_companies_too(client, chain, world):
    client.force_login(chain.coordinator)
    hub = pseudonyms.token(chain.gemeente.pk, f"nl-bag-{world.hub}")
    html = client.get(reverse("entities:network", args=[hub])).content.decode()
    brief = html[html.index("Bedrijven die kort bestonden"):].split("</ul>")[0]
    # Outside a case: the pseudonym, the months, the days between the months.
    assert _label(chain, "nl-kvk-10000003") in brief and "01-2022 – 07-2022" in brief
    assert "ca. 181 dagen" in brief and _label(chain, "nl-kvk-10000004") not in brief
    assert _leaks(html, SECRETS) == []


def test_no_patterns_for_a_buffer_or_a_drawn_area(chain, world):
    """Review finding M5: a 25 m buffer or a polygon drawn around one building would show
    the patterns of one door; the area scan shows patterns for a municipality or wijk only,
    as the API does."""
    import dataclasses

    from shapely.geometry import box

    from knooppunt.entities.area_pages import pattern_context

    wijk = resolve(chain.coordinator, area=world.wijk.code)
    assert pattern_context(chain.coordinator, wijk, where="test")["any"]
    drawn = dataclasses.replace(wijk, kind="getekend", code="getekend",
                                polygon=box(0, 0, 300_000, 700_000))
    door = dataclasses.replace(wijk, kind="buffer", code=f"{world.hub}@25m",
                               centre=(258_000.0, 471_000.0), radius=25)
    assert pattern_context(chain.coordinator, drawn, where="test") is None
    assert pattern_context(chain.coordinator, door, where="test") is None
