"""Early warning: alerts fire for a reason, stay quiet on ordinary months, and are
reviewed by a named person with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from knooppunt.monitoring import queries
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.digest import digest_for
from knooppunt.monitoring.early_warning import cusum_test, evaluate, poisson_test, review
from knooppunt.monitoring.models import Alert

from .conftest import add_signals

pytestmark = pytest.mark.django_db


def test_poisson_fires_on_a_jump_and_says_why():
    finding = poisson_test(15, [4, 5, 3, 6, 4, 5, 4, 5, 6, 3, 4, 5], "Drugsdumpingen",
                           "Enschede", "maart 2025")
    assert finding is not None
    assert finding.statistic < 0.01
    assert "15" in finding.reason and "4,5 verwacht" in finding.reason
    assert "drempel 0,01" in finding.reason and "Poisson" in finding.reason


@pytest.mark.parametrize("observed", [6, 7])
def test_poisson_is_quiet_on_ordinary_variation(observed):
    assert poisson_test(observed, [4, 5, 3, 6, 4, 5, 4, 5, 6, 3, 4, 5], "x", "y", "z") is None


def test_poisson_needs_history_and_a_count_worth_showing():
    assert poisson_test(30, [1, 1, 1], "x", "y", "z") is None  # too little history
    assert poisson_test(4, [0] * 12, "x", "y", "z") is None  # below the shown threshold


def test_cusum_fires_on_a_sustained_moderate_rise_that_poisson_misses():
    baseline = [10] * 12
    window = [14, 15, 14, 15, 14, 15]
    assert poisson_test(15, baseline, "x", "y", "z") is None
    finding = cusum_test(window, baseline, "Signalen", "Hengelo", "juni 2025")
    assert finding is not None and finding.statistic > 4
    assert "6 maand(en) op rij" in finding.reason and "CUSUM" in finding.reason


def test_evaluate_stores_alerts_visible_only_within_scope(coordinator, hengelo_analyst,
                                                          enschede_org):
    for month in range(1, 13):
        add_signals(5, day=dt.date(2024, month, 3), theme="drugsdump")
    add_signals(20, day=dt.date(2025, 1, 3), theme="drugsdump")
    compute_all()

    fired = evaluate(dt.date(2025, 1, 1))

    poisson_alerts = [a for a in fired if a.method == "poisson" and a.area_code == "GM0153"]
    assert len(poisson_alerts) >= 1
    assert Alert.objects.filter(indicator__code="signalen-drugsdump",
                                area_code="GM0153").exists()
    mine = queries.alerts(coordinator, "gemeente", "GM0153")
    assert mine and all(a.area.code == "GM0153" for a in mine)
    assert "verwacht" in mine[0].reason
    # Hengelo sees no Enschede alert; the safety region's (an aggregate of both) it does.
    theirs = queries.alerts(hengelo_analyst)
    assert theirs and {a.area.code for a in theirs} == {"VR05"}
    assert evaluate(dt.date(2024, 12, 1)) == [] or all(
        a.period_start == dt.date(2024, 12, 1) for a in evaluate(dt.date(2024, 12, 1))
    )

    alert = Alert.objects.filter(area_code="GM0153").first()
    with pytest.raises(ValueError):
        review(alert, coordinator, "bekeken", "  ")
    review(alert, coordinator, "bekeken", "Besproken in het signalenoverleg")
    alert.refresh_from_db()
    assert alert.reviewed_by == coordinator and alert.reviewed_at

    digest = digest_for(coordinator, days=7)
    assert digest is not None and "verwacht" in digest.body


def test_no_alert_on_a_steady_series(coordinator):
    for month in range(1, 13):
        add_signals(6, day=dt.date(2024, month, 3), theme="drugslab")
    add_signals(6, day=dt.date(2025, 1, 3), theme="drugslab")
    compute_all()
    assert not [a for a in evaluate(dt.date(2025, 1, 1))
                if a.indicator.code == "signalen-drugslab"]


def test_digest_command_dry_run(coordinator, capsys):
    call_command("monitoring_digest", "--dry-run")  # nothing to send: no output, no error
    assert "Traceback" not in capsys.readouterr().out


def test_a_raised_threshold_hides_the_count_and_the_sentence(coordinator, settings):
    from knooppunt.monitoring.models import Indicator

    Alert.objects.create(
        indicator=Indicator.objects.get(code="signalen-drugsdump"), area_level="gemeente",
        area_code="GM0153", period_type="maand", period_start=dt.date(2025, 1, 1),
        method="poisson", observed=7, expected=1.5, statistic=0.001, threshold=0.01,
        history_periods=12, reason="Drugsdumpingen in Enschede: 7, verwacht 1,5.")
    settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD = 10
    shown = queries.alerts(coordinator, "gemeente", "GM0153")[0]
    assert shown.observed is None and "7" not in shown.reason
    assert poisson_test(8, [1] * 12, "x", "y", "z") is None  # 8 < 10: no alert at all
