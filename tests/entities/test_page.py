"""The entity page in Dutch and English, and the link to it from the case page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from knooppunt.cases import services
from knooppunt.subjects.models import SubjectKind

from .factories import case_origin, entity, register_origin

pytestmark = pytest.mark.django_db


def test_the_entity_page_shows_facts_links_and_cases(client, chain, case):
    link = services.add_subject(user=chain.coordinator, case=case, kind=SubjectKind.COMPANY,
                                name="Hennep BV", kvk_number="12345678")
    entity("p1", "Person", register_origin("kvk"), name="Ruud Hendriks")
    entity("d1", "Directorship", register_origin("kvk"), director="p1",
           organization="nl-kvk-12345678", role="bestuurder")
    client.force_login(chain.coordinator)
    page = client.get(reverse("cases:detail", args=[case.reference]))
    url = reverse("entities:detail", args=["nl-kvk-12345678"]) + f"?casus={case.reference}"
    assert url in page.content.decode()
    shown = client.get(url)
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "Hennep BV" in html and chain.gemeente.name in html and "Feiten en hun bron" in html
    assert reverse("entities:detail", args=["p1"]) in html and "Ruud Hendriks" in html
    assert "namen omdat u deze entiteit via casus" in html
    assert case.reference in html
    assert link.subject.name in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Facts and their source" in english and "Company" in english


def test_hidden_entities_are_not_found(client, chain, case):
    entity("p1", "Person", case_origin(case, chain.gemeente), name="Jan")
    client.force_login(chain.partner)
    assert client.get(reverse("entities:detail", args=["p1"])).status_code == 404
    client.force_login(chain.coordinator)
    assert client.get(reverse("entities:detail", args=["nope"])).status_code == 404
