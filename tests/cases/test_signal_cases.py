"""The signal page and the signal API show the cases a signal belongs to: only the cases
the reader may open (scope), and the listing is in the processing log."""

from __future__ import annotations

import pytest
from django.utils import timezone

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases.models import CaseSignal

from ..api.conftest import token_client
from ..factories import SignalFactory
from .conftest import open_case
from .factories import CaseFactory, ForumFactory

pytestmark = pytest.mark.django_db


def test_signal_shows_only_the_cases_the_reader_may_open(client, chain):
    mine = open_case(chain)
    signal = chain.signals[0]
    hidden = CaseFactory(owner=chain.outsider, forum=ForumFactory(members=[chain.outsider]),
                         title="Geheime casus")
    CaseSignal.objects.create(case=hidden, signal=signal, linked_at=timezone.now())

    client.force_login(chain.coordinator)
    page = client.get(f"/signalen/{signal.reference}/").content.decode()
    assert "Casussen met dit signaal" in page
    assert f'href="/casussen/{mine.reference}/"' in page
    assert hidden.reference not in page and "Geheime casus" not in page
    api = token_client(chain.coordinator).get(f"/api/v1/signals/{signal.reference}").json()
    assert api["cases"] == [mine.reference]
    listing = token_client(chain.coordinator).get("/api/v1/signals").json()["results"]
    assert {s["cases"] for s in listing} == {None}

    logged = ProcessingLogEntry.objects.filter(object_type="cases.case", action="list",
                                               detail__contains=signal.reference)
    assert {e.channel for e in logged} == {"web", "api"}
    assert [e.object_ids for e in logged] == [[str(mine.pk)]] * 2

    lone = SignalFactory(reporting_organisation=chain.gemeente)
    CaseSignal.objects.create(case=hidden, signal=lone, linked_at=timezone.now())
    page = client.get(f"/signalen/{lone.reference}/")
    assert page.status_code == 200
    assert "Casussen met dit signaal" not in page.content.decode()
    assert hidden.reference not in page.content.decode()
    assert token_client(chain.coordinator).get(
        f"/api/v1/signals/{lone.reference}").json()["cases"] == []
