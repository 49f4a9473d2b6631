"""The demo region: inside the real boundaries, calibrated, the command's own output.

The tests that start from the session's small Twente demo (idempotence, accounts,
need-to-know) are in test_small_demo.py."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from stdnum.nl import postcode as nl_postcode

from knooppunt.demo.builder import DemoError, build_demo
from knooppunt.demo.calibration import THEME_PROFILES
from knooppunt.demo.users import DEMO_PASSWORD, DEMO_USERS, demo_users
from knooppunt.geo import lookup
from knooppunt.geo.projection import wgs84_to_rd
from knooppunt.organisations.models import Role
from knooppunt.signals.models import TRANSITIONS, Status, StatusChange
from knooppunt.taxonomy.seed import THEMES

from .helpers import synthetic

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def test_every_role_has_a_demo_user():
    assert {spec.role for spec in DEMO_USERS} == set(Role.values)
    assert len({spec.username for spec in DEMO_USERS}) == len(DEMO_USERS)
    assert "coordinator.enschede" in {spec.username for spec in DEMO_USERS}
    assert "coordinator.s-hertogenbosch" in {s.username for s in demo_users("'s-Hertogenbosch")}


def test_points_addresses_and_histories_are_consistent():
    build_demo("VR05", scale=0.25, years=1.5, today=TODAY)
    signals = list(synthetic().select_related("municipality", "neighbourhood"))
    assert len(signals) > 300
    now = timezone.now()
    histories: dict[int, list[StatusChange]] = {}
    for change in StatusChange.objects.filter(signal__in=signals).order_by("changed_at", "id"):
        histories.setdefault(change.signal_id, []).append(change)
    for signal in signals:
        assert lookup.contains(signal.municipality, signal.x_rd, signal.y_rd), signal.reference
        x, y = wgs84_to_rd(signal.latitude, signal.longitude)
        assert abs(x - signal.x_rd) < 1 and abs(y - signal.y_rd) < 1
        assert signal.neighbourhood.municipality_id == signal.municipality_id
        assert signal.city == signal.municipality.name
        assert signal.description
        if signal.postcode:
            assert nl_postcode.is_valid(signal.postcode)
            assert signal.postcode[:2] in {"74", "75", "76"}
        assert signal.reference.startswith(f"KNP-{signal.received_on.year}-D05")
        history = histories[signal.pk]
        assert (history[0].from_status, history[0].to_status) == ("", Status.RECEIVED)
        assert history[-1].to_status == signal.status
        assert timezone.localtime(history[0].changed_at).date() >= signal.received_on
        assert history[-1].changed_at <= now
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.to_status in TRANSITIONS[after.from_status]


def test_volumes_follow_the_calibration():
    result = build_demo("VR05", scale=1.0, years=1.0, today=TODAY)
    assert set(result.signals.per_theme) == {code for code, _, _ in THEMES}
    police_cannabis = synthetic().filter(theme__code="hennepteelt", source_type__code="politie")
    # DESIGN.md §6: about 200 dismantled plantations a year in Twente.
    assert 200 <= police_cannabis.count() <= 300
    per_theme = Counter(synthetic().values_list("theme__code", flat=True))
    assert per_theme["hennepteelt"] > per_theme["drugsdump"] > per_theme["drugslab"]
    levels = Counter(synthetic().values_list("confidentiality", flat=True))
    assert levels[1] > levels[2] > levels[3] > 0
    assert set(THEME_PROFILES) == {code for code, _, _ in THEMES}


def test_unknown_region_is_refused():
    with pytest.raises(DemoError):
        build_demo("VR99")


def test_command_without_server_prints_accounts_and_figures():
    out = io.StringIO()
    call_command("demo", "--no-serve", "--region", "VR13", "--scale", "0.02", "--years", "0.5",
                 stdout=out)
    text = out.getvalue()
    assert "coordinator.amsterdam" in text
    assert DEMO_PASSWORD in text
    assert "Signalen:" in text
    assert synthetic("VR13").exists()
    # The rural municipality's coordinator is named, so a new user finds that list.
    rural = re.search(r"Kwetsbare plekken buitengebied \((.+), vijf jaar\): "
                      r"(coordinator\.[a-z0-9-]+), /kwetsbare-plekken/", text)
    assert rural, text
    assert get_user_model().objects.filter(username=rural.group(2), is_active=True).exists()
