"""Aggregate-only roles never see personal data; small numbers are withheld from them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ..factories import SignalFactory
from .conftest import personal_data_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["bestuurder", "beheerder"])
def test_aggregate_roles_see_no_personal_data_on_any_page(client, request, role, signals):
    client.force_login(request.getfixturevalue(role))
    for url in (reverse("web:home"), reverse("web:map"), reverse("api:map-areas"),
                reverse("api:map-grid"), reverse("web:two_factor")):
        html = client.get(url).content.decode()
        for value in personal_data_of(signals):
            assert value not in html, (url, value)


def test_bestuurder_sees_the_aggregate_count(client, bestuurder, gemeente, enschede,
                                            monkeypatch):
    # The home page compares complete months (decision 0025): seven signals in June, seen
    # on 5 December, are in the window "1 jan – 30 nov".
    import datetime as dt

    day = dt.date(2026, 12, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    SignalFactory.create_batch(7, reporting_organisation=gemeente, municipality=enschede,
                               received_on=dt.date(2026, 6, 10))
    client.force_login(bestuurder)
    home = client.get(reverse("web:home"))
    assert home.context["area_total"] == 7
    figure = next(f for f in home.context["area_figures"] if f.municipality.code == "GM0153")
    assert figure.shown == 7


def test_small_counts_are_suppressed_for_bestuurder(client, bestuurder, gemeente, enschede,
                                                    monkeypatch):
    import datetime as dt

    day = dt.date(2026, 12, 5)  # the window is 1 jan - 30 nov (decision 0025)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    SignalFactory.create_batch(
        3, reporting_organisation=gemeente, municipality=enschede,
        received_on=dt.date(2026, 11, 20),
    )
    client.force_login(bestuurder)
    home = client.get(reverse("web:home"))
    figure = next(f for f in home.context["area_figures"] if f.municipality.code == "GM0153")
    assert figure.shown is None
    assert home.context["area_total"] is None
    html = home.content.decode()
    assert "afgeschermd" in html  # as the reports print a hidden cell (decision 0026)
    assert "te klein om te tonen" in html
    map_html = client.get(reverse("web:map")).content.decode()
    assert '<th scope="row">Enschede</th><td class="num">&lt;5</td>' in map_html
    areas = client.get(reverse("api:map-areas"), {"from": "2026-01-01", "to": "2026-12-05"})
    enschede_area = next(f for f in areas.json()["features"]
                         if f["properties"]["code"] == "GM0153")
    assert enschede_area["properties"]["signals"] is None


def test_case_workers_see_exact_counts_only_of_what_they_may_open(
    client, coordinator, gemeente, enschede, monkeypatch
):
    import datetime as dt

    day = dt.date(2026, 12, 5)  # the window is 1 jan - 30 nov (decision 0025)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    SignalFactory.create_batch(
        3, reporting_organisation=gemeente, municipality=enschede,
        received_on=dt.date(2026, 11, 20),
    )
    client.force_login(coordinator)
    home = client.get(reverse("web:home"))
    # Area aggregates include signals the user may not open: suppressed for every role.
    assert home.context["area_total"] is None
    assert home.context["visible"]["this_year"] == 3


# The map's points and popups: tests/web/test_map.py (the layers API, decision 0036).
