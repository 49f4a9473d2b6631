"""The job: signals become stored indicator values at every level and period."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.geo.models import Neighbourhood
from knooppunt.monitoring.compute import compute_all, compute_indicator
from knooppunt.monitoring.models import Indicator, IndicatorValue
from tests.factories import SignalFactory, municipality

pytestmark = pytest.mark.django_db


def stored(indicator, level, code, period_type, start):
    return IndicatorValue.objects.get(indicator=indicator, area_level=level, area_code=code,
                                      period_type=period_type, period_start=start)


def test_signals_roll_up_to_every_level_and_period():
    enschede = municipality("GM0153")
    buurt = Neighbourhood.objects.filter(municipality=enschede).order_by("code").first()
    for day in (dt.date(2025, 1, 5), dt.date(2025, 1, 20), dt.date(2025, 2, 3)):
        SignalFactory(received_on=day, neighbourhood=buurt, district=buurt.district)
    SignalFactory(received_on=dt.date(2025, 5, 1), municipality=municipality("GM0164"))
    indicator = Indicator.objects.get(code="signalen-hennepteelt")

    result = compute_indicator(indicator)

    assert result.recomputed
    jan = dt.date(2025, 1, 1)
    assert stored(indicator, "buurt", buurt.code, "maand", jan).value == 2
    assert stored(indicator, "wijk", buurt.district.code, "kwartaal", jan).value == 3
    assert stored(indicator, "gemeente", "GM0153", "jaar", jan).value == 3
    assert stored(indicator, "veiligheidsregio", "VR05", "jaar", jan).value == 4
    assert stored(indicator, "politie-eenheid", "PE02", "kwartaal", dt.date(2025, 4, 1)).value == 1
    assert stored(indicator, "provincie", enschede.province.code, "jaar", jan).value == 4
    country = stored(indicator, "land", "NL01", "jaar", jan)
    assert country.value == 4
    expected_rate = round(3 / enschede.population * 1000, 6)
    assert stored(indicator, "gemeente", "GM0153", "jaar", jan).per_1000 == expected_rate
    assert country.population > 17_000_000


def test_recomputes_only_when_the_data_change():
    indicator = Indicator.objects.get(code="signalen-drugsdump")
    assert compute_indicator(indicator).recomputed
    assert not compute_indicator(indicator).recomputed
    from knooppunt.taxonomy.models import Theme

    SignalFactory(theme=Theme.objects.get(code="drugsdump"), received_on=dt.date(2024, 7, 9))
    again = compute_indicator(indicator)
    assert again.recomputed
    assert stored(indicator, "gemeente", "GM0153", "maand", dt.date(2024, 7, 1)).value == 1


def test_compute_all_skips_unchanged_indicators():
    first = compute_all()
    assert all(r.recomputed for r in first)
    assert not any(r.recomputed for r in compute_all())


def test_refresh_recomputes_after_new_signals_only():
    from knooppunt.monitoring.jobs import refresh_once

    refresh_once()
    assert refresh_once() == []
    SignalFactory(received_on=dt.date(2025, 6, 2))
    changed = refresh_once()
    assert "signalen-hennepteelt" in changed and "signalen-totaal" in changed
    assert "misdrijven-brengdelicten" not in changed


def test_a_starting_process_announces_every_active_indicator():
    """The demo's refresh thread warms the dashboards before the first visitor comes."""
    from knooppunt.monitoring.events import figures_computed
    from knooppunt.monitoring.jobs import announce_all
    from knooppunt.monitoring.models import Indicator

    Indicator.objects.filter(code="misdrijven-brengdelicten").update(active=False)
    heard: list[list[str]] = []

    def listener(indicators, **kwargs):
        heard.append(indicators)

    figures_computed.connect(listener, weak=False)
    try:
        announce_all()
    finally:
        figures_computed.disconnect(listener)
    assert len(heard) == 1
    assert "signalen-hennepteelt" in heard[0]
    assert "misdrijven-brengdelicten" not in heard[0]
    assert set(heard[0]) == set(Indicator.objects.filter(active=True)
                                .values_list("code", flat=True))
