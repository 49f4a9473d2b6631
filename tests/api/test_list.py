"""GET /api/v1/signals: filters, pagination and the errors people make with them."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.organisations.models import Confidentiality
from knooppunt.signals.models import Status
from knooppunt.taxonomy.models import SourceType, Theme
from tests.factories import SignalFactory, municipality

from .helpers import SIGNALS, assert_problem, invalid_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals(partner):
    own = partner.organisation
    return {
        "hennep_maart": SignalFactory(reporting_organisation=own, received_on=dt.date(2025, 3, 1)),
        "drugslab_april": SignalFactory(
            reporting_organisation=own,
            theme=Theme.objects.get(code="drugslab"),
            source_type=SourceType.objects.get(code="netbeheerder"),
            received_on=dt.date(2025, 4, 15),
            description="Onverklaard stroomverbruik, Lipperkerkstraat",
        ),
        "hengelo_mei": SignalFactory(
            reporting_organisation=own,
            municipality=municipality("GM0164"),
            received_on=dt.date(2025, 5, 2),
            status=Status.CLOSED,
            confidentiality=Confidentiality.VERTROUWELIJK,
        ),
    }


def refs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["reference"] for item in response.json()["results"]]


def test_list_is_newest_first_with_count(api, signals):
    response = api.get(SIGNALS)

    assert refs(response) == [
        signals["hengelo_mei"].reference,
        signals["drugslab_april"].reference,
        signals["hennep_maart"].reference,
    ]
    assert response.json()["count"] == 3
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"theme": "drugslab"}, ["drugslab_april"]),
        ({"sourceType": "netbeheerder"}, ["drugslab_april"]),
        ({"municipality": "gm0164"}, ["hengelo_mei"]),
        ({"status": "afgesloten"}, ["hengelo_mei"]),
        ({"confidentiality": "vertrouwelijk"}, ["hengelo_mei"]),
        ({"receivedFrom": "2025-04-01"}, ["hengelo_mei", "drugslab_april"]),
        ({"receivedUntil": "2025-04-15"}, ["drugslab_april", "hennep_maart"]),
        ({"q": "lipperkerk"}, ["drugslab_april"]),
        ({"theme": "hennepteelt", "receivedFrom": "2025-04-01"}, ["hengelo_mei"]),
    ],
)
def test_filters(api, signals, params, expected):
    assert refs(api.get(SIGNALS, params)) == [signals[name].reference for name in expected]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"thema": "hennepteelt"}, "thema"),
        ({"source_type": "politie"}, "source_type"),
        ({"theme": "hennep"}, "theme"),
        ({"municipality": "GM9999"}, "municipality"),
        ({"status": "open"}, "status"),
        ({"confidentiality": "geheim"}, "confidentiality"),
        ({"receivedFrom": "1-3-2025"}, "receivedFrom"),
        ({"receivedFrom": "2025-05-01", "receivedUntil": "2025-04-01"}, "nonFieldErrors"),
        ({"q": "a\x00b"}, "q"),
        ({"theme": "\x00"}, "theme"),
        ({"pageSize": "0"}, "pageSize"),
        ({"pageSize": "101"}, "pageSize"),
        ({"pageSize": "veel"}, "pageSize"),
        ({"page": "-1"}, "page"),
        ({"page": "een"}, "page"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(api, signals, params, field):
    assert field in invalid_names(api.get(SIGNALS, params))


def test_unknown_parameter_lists_the_known_ones(api):
    body = assert_problem(api.get(SIGNALS, {"thema": "x"}), 400)

    assert "theme, sourceType" in body["invalidParams"][0]["reason"]


def test_pages(api, signals):
    first = api.get(SIGNALS, {"pageSize": 2}).json()
    second = api.get(SIGNALS, {"pageSize": 2, "page": 2}).json()

    assert len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"] and "pageSize=2" in first["next"]
    assert [r["reference"] for r in second["results"]] == [signals["hennep_maart"].reference]
    assert second["next"] is None


def test_page_past_the_end_is_404(api, signals):
    body = assert_problem(api.get(SIGNALS, {"page": 9}), 404)

    assert body["detail"].startswith("Pagina 9 bestaat niet")


def test_first_page_of_nothing_is_empty_not_404(api):
    response = api.get(SIGNALS)

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
