"""The network pages of a case and an entity: the view's URLs, expansion, filters,
patterns beside it, scope and the processing log."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.entities import pseudonyms
from knooppunt.entities.registers import person_entity_id

from ..factories import member
from .test_networks_api import filled  # noqa: F401 - fixture
from .test_registers_network import BOSS, hub  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _config(page) -> dict:
    html = page.content.decode()
    start = html.index('id="network-config"')
    body = html[html.index(">", start) + 1:html.index("</script>", start)]
    return json.loads(body)


def test_the_case_page_links_to_its_network_and_expands(client, chain, filled):  # noqa: F811
    client.force_login(chain.coordinator)
    case_page = client.get(reverse("cases:detail", args=[filled.reference])).content.decode()
    url = reverse("cases:network", args=[filled.reference])
    assert url in case_page
    page = client.get(url)
    assert page.status_code == 200
    config = _config(page)
    assert config["data"] == reverse("cases:network_data", args=[filled.reference])
    whole = client.get(config["data"]).json()
    assert {n["id"] for n in whole["nodes"]} == {"p1", "c1", "c2"}
    expanded = client.get(config["expand"], {"knoop": "c1"}).json()
    assert {n["id"] for n in expanded["nodes"]} == {"c1", "p1"}
    owned = client.get(config["expand"], {"knoop": "p1", "soort": "Ownership"}).json()
    assert [e["id"] for e in owned["edges"]] == ["o1"]
    logged = ProcessingLogEntry.objects.filter(object_type="entities.entity",
                                               detail="netwerk van p1").last()
    assert logged is not None and set(logged.object_ids) == {"p1", "c2"}
    bad = client.get(config["expand"], {"knoop": "p1", "van": "gisteren"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    hidden = client.get(config["expand"], {"knoop": "x9"})
    assert hidden.status_code == 404 and hidden["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)


def test_partners_and_strangers_get_no_network(client, chain, filled):  # noqa: F811
    client.force_login(chain.partner)
    for url in (reverse("cases:network", args=[filled.reference]),
                reverse("cases:network_data", args=[filled.reference]),
                reverse("entities:network", args=["p1"]),
                reverse("entities:network_data", args=["p1"])):
        assert client.get(url).status_code == 404, url
    client.force_login(member("analist", chain.outsider))
    assert client.get(reverse("cases:network", args=[filled.reference])).status_code == 404
    assert client.get(reverse("entities:network_data", args=["p1"])).status_code == 404
    own = client.get(reverse("entities:network_data", args=[
        pseudonyms.token(chain.outsider.pk, "x9")])).json()
    assert [n["label"][:10] for n in own["nodes"]] == ["Bedrijf B-"] and own["edges"] == []


def test_the_patterns_beside_the_network(client, chain, hub):  # noqa: F811
    client.force_login(chain.coordinator)
    boss = person_entity_id(BOSS.name, BOSS.birth_date)
    token = pseudonyms.token(chain.gemeente.pk, boss)
    # Asked by its real id outside a case: answered like an unknown id (review finding M1).
    assert client.get(reverse("entities:detail", args=[boss])).status_code == 404
    assert client.get(reverse("entities:network", args=[boss])).status_code == 404
    detail = client.get(reverse("entities:detail", args=[token])).content.decode()
    assert reverse("entities:network", args=[token]) in detail
    html = client.get(reverse("entities:network", args=[token])).content.decode()
    # Register facts outside any case: the patterns stand, on pseudonyms (decision 0054).
    officers = html[html.index("Personen die meerdere bedrijven besturen"):]
    officers = officers.split("</ul>")[0]
    assert "Persoon P-" in officers and officers.count("Bedrijf B-") == 3
    assert BOSS.name not in html and "Bedrijf 0" not in html and boss not in html
    crowded = html[html.index("Adressen met veel inschrijvingen"):]
    assert "3 inschrijvingen" in crowded.split("</ul>")[0]
    assert "risicoscore" in html
    mover = client.get(reverse("entities:network", args=[pseudonyms.token(
        chain.gemeente.pk, "nl-kvk-20000000")])).content.decode()
    movers = mover[mover.index("Bedrijven die vaak verhuizen"):].split("</ul>")[0]
    assert "Bedrijf B-" in movers and "adressen" in movers and "Verhuizer BV" not in mover
    assert ProcessingLogEntry.objects.filter(detail__startswith="patronen entiteit").exists()


def test_the_case_network_as_svg_for_a_report(client, chain, filled):  # noqa: F811
    client.force_login(chain.coordinator)
    page = client.get(reverse("cases:network", args=[filled.reference])).content.decode()
    url = reverse("cases:network_svg", args=[filled.reference])
    assert url in page
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("image/svg+xml")
    svg = answer.content.decode()
    assert svg.startswith("<svg") and "Hennep BV" in svg and "Geheim BV" not in svg
    logged = ProcessingLogEntry.objects.filter(object_type="entities.entity",
                                               detail__startswith="netwerk-svg").last()
    assert logged is not None and set(logged.object_ids) == {"p1", "c1", "c2"}
    client.force_login(chain.partner)
    assert client.get(url).status_code == 404
