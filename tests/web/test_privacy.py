"""Aggregate-only roles never see personal data; small numbers are withheld from them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knooppunt.audit.models import ProcessingLogEntry

from ..factories import SignalFactory
from .conftest import personal_data_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["bestuurder", "beheerder"])
def test_aggregate_roles_see_no_personal_data_on_any_page(client, request, role, signals):
    client.force_login(request.getfixturevalue(role))
    for url in (reverse("web:home"), reverse("web:map"), reverse("web:map") + "?punten=1",
                reverse("web:two_factor")):
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
    assert "&lt;5" in html
    assert "te klein om te tonen" in html
    map_html = client.get(reverse("web:map")).content.decode()
    assert "Enschede: &lt;5 signalen" in map_html
    assert "url(#kp-suppressed)" in map_html


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


def test_map_never_has_points_for_bestuurder(client, bestuurder, signals):
    client.force_login(bestuurder)
    html = client.get(reverse("web:map") + "?punten=1").content.decode()
    assert 'class="points"' not in html
    assert 'name="punten"' not in html  # the option is not even offered
    assert not ProcessingLogEntry.objects.filter(user_id=bestuurder.pk).exists()


def test_map_points_for_case_workers_are_opt_in_and_logged(client, coordinator, signals):
    client.force_login(coordinator)
    without = client.get(reverse("web:map")).content.decode()
    assert 'name="punten"' in without
    assert 'class="points"' not in without

    html = client.get(reverse("web:map") + "?punten=1").content.decode()
    assert 'class="points"' in html
    assert html.count('r="2.6"') == len(signals)
    entry = ProcessingLogEntry.objects.filter(user_id=coordinator.pk).latest("pk")
    assert entry.object_count == len(signals)
    assert entry.detail.startswith("kaart")


def test_map_points_only_of_visible_signals(client, coordinator, signals, enschede):
    # A signal of another organisation without a covenant is not visible, so no dot.
    SignalFactory(municipality=enschede, x_rd=258_500.0, y_rd=471_900.0)
    client.force_login(coordinator)
    html = client.get(reverse("web:map") + "?punten=1").content.decode()
    assert html.count('r="2.6"') == len(signals)
