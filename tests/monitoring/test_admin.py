"""Admin: a beheerder adds an indicator without code; targets record who set them;
computed and imported figures cannot be edited by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.monitoring.models import Alert, Indicator, IndicatorValue, Target

pytestmark = pytest.mark.django_db


def test_beheerder_adds_an_indicator_by_choosing_a_measure(admin_client):
    page = admin_client.get("/beheer/monitoring/indicator/add/")
    assert page.status_code == 200 and b"interventions" in page.content
    form = {"code": "drugsdumps-anoniem", "name": "Anonieme meldingen drugsdump",
            "definition": "Anonieme signalen met thema drugsdump.", "source": "Knooppunt",
            "measure": "signals", "parameters": '{"theme": "drugsdump", "anonymous": true}',
            "unit": "aantal", "per_1000": "on", "position": 100, "active": "on"}
    bad = admin_client.post("/beheer/monitoring/indicator/add/",
                            {**form, "parameters": '{"theme": "bestaat-niet"}'})
    assert bad.status_code == 200 and not Indicator.objects.filter(
        code="drugsdumps-anoniem").exists()
    assert admin_client.post("/beheer/monitoring/indicator/add/", form).status_code == 302
    created = Indicator.objects.get(code="drugsdumps-anoniem")
    assert created.parameters == {"theme": "drugsdump", "anonymous": True}


def test_target_records_who_set_it(admin_client, admin_user):
    indicator = Indicator.objects.get(code="signalen-hennepteelt")
    response = admin_client.post("/beheer/monitoring/target/add/", {
        "indicator": indicator.pk, "area_level": "gemeente", "area_code": "GM0153",
        "year": 2026, "value": 80, "direction": "minstens", "riec_section": "geintegreerd",
        "basis": "Resultaat 2025 plus 5 %"})
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.set_by == admin_user and target.set_on == dt.date.today()


def test_values_cannot_be_edited_and_alert_review_is_recorded(admin_client, admin_user):
    indicator = Indicator.objects.get(code="signalen-totaal")
    value = IndicatorValue.objects.create(
        indicator=indicator, area_level="gemeente", area_code="GM0153", period_type="jaar",
        period_start=dt.date(2025, 1, 1), value=10, source="x",
        computed_at="2026-01-01T00:00:00Z")
    assert admin_client.get("/beheer/monitoring/indicatorvalue/add/").status_code == 403
    page = admin_client.get(f"/beheer/monitoring/indicatorvalue/{value.pk}/change/")
    assert b'name="_save"' not in page.content
    alert = Alert.objects.create(
        indicator=indicator, area_level="gemeente", area_code="GM0153", period_type="maand",
        period_start=dt.date(2025, 1, 1), method="poisson", observed=20, expected=5,
        statistic=0.001, threshold=0.01, history_periods=12, reason="Twintig.")
    response = admin_client.post(f"/beheer/monitoring/alert/{alert.pk}/change/",
                                 {"status": "bekeken", "review_reason": "Besproken"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.reviewed_by == admin_user and alert.reviewed_at is not None


def test_alert_review_in_the_admin_needs_a_reason(admin_client):
    alert = Alert.objects.create(
        indicator=Indicator.objects.get(code="signalen-totaal"), area_level="gemeente",
        area_code="GM0153", period_type="maand", period_start=dt.date(2025, 2, 1),
        method="cusum", observed=20, expected=5, statistic=6, threshold=4,
        history_periods=12, reason="Opgeteld.")
    response = admin_client.post(f"/beheer/monitoring/alert/{alert.pk}/change/",
                                 {"status": "terzijde", "review_reason": " "})
    assert response.status_code == 200
    alert.refresh_from_db()
    assert alert.status == "open" and alert.reviewed_by is None


def test_the_admin_shows_no_figure_of_own_records(admin_client):
    """Issue 13, finding 8: the beheerder may not read signals, so the stored counts of own
    records per buurt (also 1 to 4) are not shown in /beheer/; published statistics are."""
    own = Indicator.objects.get(code="signalen-hennepteelt")
    value = IndicatorValue.objects.create(
        indicator=own, area_level="buurt", area_code="BU01530000", period_type="maand",
        period_start=dt.date(2025, 3, 1), value=3, source="x",
        computed_at="2026-01-01T00:00:00Z")
    listing = admin_client.get("/beheer/monitoring/indicatorvalue/").content.decode()
    assert "BU01530000" in listing and "alleen op het dashboard" in listing
    assert 'field-shown_value">3<' not in listing and 'field-value">3' not in listing
    detail = admin_client.get(f"/beheer/monitoring/indicatorvalue/{value.pk}/change/")
    assert "alleen op het dashboard" in detail.content.decode()
    assert ">3<" not in detail.content.decode().split("shown_value", 1)[-1][:300]

    # Registered crime (CBS/Politie, seeded): published figures stay visible.
    public = Indicator.objects.filter(measure__in=["police_monthly", "police_yearly"]).first()
    IndicatorValue.objects.create(
        indicator=public, area_level="gemeente", area_code="GM0153",
        period_type="jaar", period_start=dt.date(2023, 1, 1), value=4321, source="cbs",
        computed_at="2026-01-01T00:00:00Z")
    listing = admin_client.get("/beheer/monitoring/indicatorvalue/").content.decode()
    assert "4321" in listing


def test_the_alert_admin_shows_no_counts(admin_client):
    alert = Alert.objects.create(
        indicator=Indicator.objects.get(code="signalen-totaal"), area_level="buurt",
        area_code="BU01530000", period_type="maand", period_start=dt.date(2025, 2, 1),
        method="poisson", observed=4, expected=0.5, statistic=0.001, threshold=0.01,
        history_periods=12, reason="Vier signalen waar een half werd verwacht.")
    listing = admin_client.get("/beheer/monitoring/alert/").content.decode()
    assert "BU01530000" in listing and "field-observed" not in listing
    detail = admin_client.get(f"/beheer/monitoring/alert/{alert.pk}/change/").content.decode()
    assert "Vier signalen" not in detail and "field-observed" not in detail
