"""What the browser walk-through of issue 5 found, kept fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from knooppunt.geo.models import Neighbourhood

pytestmark = pytest.mark.django_db


def test_population_is_written_with_a_thousands_separator(client, world):
    client.force_login(world.mayor)
    response = client.get(reverse("dashboards:municipality", args=["GM0153"]),
                          HTTP_ACCEPT_LANGUAGE="nl")
    assert "161.740 inwoners" in response.content.decode()


def test_target_direction_is_translated(client, world):
    client.force_login(world.mayor)
    url = reverse("dashboards:municipality", args=["GM0153"])
    with translation.override("en"):
        response = client.get(url, {"jaar": world.year}, HTTP_ACCEPT_LANGUAGE="en")
    directions = {r["richting"] for r in response.context["targets"].table.rows}
    assert directions == {"at least (higher is better)"}


def test_a_buurt_has_no_breakdown_panel(client, world):
    client.force_login(world.analyst)
    buurt = Neighbourhood.objects.filter(district__code=world.district_code).first()
    response = client.get(reverse("dashboards:analysis"), {"gebied": buurt.code})
    assert response.status_code == 200
    assert response.context["breakdown"] is None
    assert response.context["trend"] is not None


def test_quarter_labels_follow_the_language():
    import datetime as dt

    from knooppunt.monitoring import periods
    from knooppunt.monitoring.models import PeriodType

    with translation.override("nl"):
        assert periods.label(PeriodType.QUARTER, dt.date(2024, 4, 1)) == "2024 K2"
    with translation.override("en"):
        assert periods.label(PeriodType.QUARTER, dt.date(2024, 4, 1)) == "2024 Q2"
