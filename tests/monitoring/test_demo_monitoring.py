"""The demo's monitoring: real figures for all municipalities, targets set by a named
person, and an alert that fires for the reason the demo put in (a burglary wave)."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.demo.builder import build_demo
from knooppunt.monitoring import queries
from knooppunt.monitoring.demo import build_monitoring
from knooppunt.monitoring.models import Alert, Statistic, Target
from knooppunt.organisations.models import Role

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)


def test_demo_monitoring_is_full_and_its_alert_fires_for_the_wave():
    demo = build_demo("VR05", scale=0.1, years=2.0, today=TODAY)
    coordinator = next(u for spec, u, _ in demo.users if spec.role == Role.COORDINATOR)
    mayor = next(u for spec, u, _ in demo.users if spec.role == Role.BESTUURDER)
    result = build_monitoring(demo.organisations.municipalities, "PE02", user=coordinator,
                              years=2.0, today=TODAY)

    assert Statistic.objects.filter(table="47018NED", crime_type_code="brengdelicten",
                                    area_level="gemeente").count() == 342
    assert Statistic.objects.filter(table="47022NED", value__isnull=True).count() == 1
    assert Target.objects.filter(set_by=coordinator, area_code="PE02").exists()
    # Targets rest on a whole previous year: none for 2025, whose base year 2024 is partial
    # (two years back from mid-June 2026).
    assert Target.objects.filter(year=2026).exists()
    assert not Target.objects.filter(year__lte=2025,
                                     indicator__code="signalen-hennepteelt").exists()
    assert result.wave_month == dt.date(2026, 5, 1)
    wave = Alert.objects.filter(indicator__code="woninginbraak-maand",
                                area_code=result.wave_municipality,
                                period_start=result.wave_month)
    assert wave.exists()
    assert "verwacht" in wave.first().reason

    # Again: nothing duplicated.
    before = (Statistic.objects.count(), Target.objects.count(), Alert.objects.count())
    build_monitoring(demo.organisations.municipalities, "PE02", user=coordinator, years=2.0,
                     today=TODAY)
    assert (Statistic.objects.count(), Target.objects.count(), Alert.objects.count()) == before

    figures = queries.key_figures(mayor, "GM0153", 2025)
    assert figures
    for figure in figures:
        value = figure.current.value
        assert value is None or value == 0 or value >= 5
