"""Assertions and payloads shared by the API tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE

SIGNALS = "/api/v1/signals"

# A point in Enschede (GM0153) and one in Hengelo (GM0164), its neighbour.
ENSCHEDE_POINT = {"latitude": 52.2215, "longitude": 6.8937}
HENGELO_POINT = {"latitude": 52.2658, "longitude": 6.7931}


def valid_payload(*, drop: tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
    """A create body that is accepted for a partner in Enschede; `drop` removes keys."""
    payload: dict[str, Any] = {
        "theme": "hennepteelt",
        "sourceType": "politie",
        "receivedOn": "2025-03-01",
        "municipality": "GM0153",
        "street": "Oude Markt",
        "houseNumber": 1,
        "postcode": "7511 GA",
        "city": "Enschede",
        **ENSCHEDE_POINT,
        "description": "Sterke hennepgeur bij woning, ramen afgeplakt.",
    }
    payload.update(overrides)
    return {key: value for key, value in payload.items() if key not in drop}


def future_date() -> str:
    return (dt.date.today() + dt.timedelta(days=2)).isoformat()


def assert_problem(response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status`; returns its body."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    assert response["API-Version"] == settings.API_VERSION
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith(str(status))
    assert " / " in body["title"]  # Dutch / English
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["instance"] == response.wsgi_request.get_full_path()
    text = response.content.decode()
    assert "Traceback" not in text and 'File "' not in text
    return body


def invalid_names(response) -> set[str]:
    body = assert_problem(response, 400)
    params = body["invalidParams"]
    assert params, "a 400 names at least one field"
    for param in params:
        assert set(param) == {"name", "code", "reason"}
        assert param["reason"]
    return {param["name"] for param in params}
