"""The network view's server side: the example page only in DEBUG or the demo, its JSON,
expansion and filters from the query string, and clear refusals of bad parameters."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..factories import member

pytestmark = pytest.mark.django_db

PAGE = "/netwerk/voorbeeld/"
DATA = "/netwerk/voorbeeld/netwerk.json"


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def logged_in(client):
    client.force_login(member())
    return client


def test_outside_debug_and_the_demo_there_is_no_example(logged_in, settings):
    settings.DEMO_MODE, settings.DEBUG = False, False
    assert logged_in.get(PAGE).status_code == 404
    assert logged_in.get(DATA).status_code == 404


def test_the_example_needs_a_login(client, demo):
    assert client.get(PAGE).status_code == 302
    assert client.get(DATA).status_code == 302


def test_the_page_hands_its_script_the_urls_and_no_inline_script(logged_in, demo):
    response = logged_in.get(PAGE + "?knopen=100")
    assert response.status_code == 200
    body = response.content.decode()
    start = body.index('id="network-config"')
    config = json.loads(body[body.index(">", start) + 1:body.index("</script>", start)])
    assert config["data"].endswith("knopen=100&knoop=c1")
    assert config["expand"].endswith("knopen=100")
    assert config["cytoscape"].endswith("vendor/cytoscape/cytoscape.esm.min.mjs")
    assert {s["code"] for s in config["schemata"]} == {"Person", "Company", "Address", "Vehicle"}
    # Every <script> is the JSON block or a file; no inline code.
    tags = re.findall(r"<script[^>]*>", body)
    assert all(" src=" in tag or 'type="application/json"' in tag for tag in tags)
    assert any("knooppunt/network.js" in tag for tag in tags)
    assert 'id="__________cytoscape_stylesheet"' in body


def test_the_whole_network_and_one_node_expanded(logged_in, demo):
    whole = logged_in.get(DATA + "?knopen=60").json()
    assert len(whole["nodes"]) == 60
    edge = whole["edges"][0]
    assert set(edge) == {"id", "source", "target", "linkType", "role", "start", "end",
                         "provenance"}
    assert set(edge["provenance"][0]) == {"organisation", "date", "origin"}
    around = logged_in.get(DATA + "?knopen=60&knoop=c1").json()
    ids = {n["id"] for n in around["nodes"]}
    assert "c1" in ids and "p1" in ids and len(ids) < 60
    directors = logged_in.get(DATA + "?knopen=60&knoop=c1&soort=Directorship").json()
    assert {n["id"] for n in directors["nodes"]} == {"c1", "p1"}
    deeper = logged_in.get(DATA + "?knopen=60&knoop=c1&soort=Directorship&diepte=2").json()
    assert {"c2", "c3"} <= {n["id"] for n in deeper["nodes"]}  # p1's other companies


@pytest.mark.parametrize(("query", "status", "word"), [
    ("knopen=5", 400, "knopen"), ("knopen=abc", 400, "knopen"),
    ("knoop=c1&soort=Vriendschap", 400, "soort"), ("knoop=c1&van=31-12-2024", 400, "van"),
    ("knoop=c1&van=2024-02-01&tot=2024-01-01", 400, "tot"), ("knoop=c1&diepte=9", 400, "diepte"),
    ("knoop=bestaat-niet", 404, "knoop"),
])
def test_bad_parameters_are_refused_in_dutch_and_english(logged_in, demo, query, status, word):
    response = logged_in.get(f"{DATA}?{query}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert word in detail and " / " in detail


def test_a_bad_size_on_the_page_is_a_clear_error(logged_in, demo):
    response = logged_in.get(PAGE + "?knopen=999999")
    assert response.status_code == 400
    assert "knopen: een getal van 12" in response.content.decode()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30), st.text(max_size=12), st.text(max_size=12))
def test_any_filter_text_is_an_answer_or_a_refusal(logged_in, demo, kinds, start, end):
    response = logged_in.get(DATA, {"knopen": "30", "knoop": "c1", "soort": kinds, "van": start,
                                    "tot": end})
    assert response.status_code in (200, 400)
