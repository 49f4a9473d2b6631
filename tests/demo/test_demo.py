"""The demo region: idempotent, inside the real boundaries, need-to-know respected."""

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
from knooppunt.geo.models import Municipality
from knooppunt.geo.projection import wgs84_to_rd
from knooppunt.organisations import scope
from knooppunt.organisations.models import Covenant, Membership, Organisation, Role
from knooppunt.signals.models import TRANSITIONS, Signal, Status, StatusChange
from knooppunt.taxonomy.seed import THEMES
from tests.factories import SignalFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
SMALL = {"scale": 0.1, "years": 1.0, "today": TODAY}


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The demo hashes its one password per build; the slow default hasher adds nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def synthetic(region: str = "VR05"):
    return Signal.objects.filter(is_synthetic=True, municipality__safety_region__code=region)


def snapshot() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "covenants": Covenant.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "signals": Signal.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "involved": Signal.involved_organisations.through.objects.count(),
    }


def test_every_role_has_a_demo_user():
    assert {spec.role for spec in DEMO_USERS} == set(Role.values)
    assert len({spec.username for spec in DEMO_USERS}) == len(DEMO_USERS)
    assert "coordinator.enschede" in {spec.username for spec in DEMO_USERS}
    assert "coordinator.s-hertogenbosch" in {s.username for s in demo_users("'s-Hertogenbosch")}


def test_build_twice_gives_the_same_rows():
    first = build_demo("VR05", **SMALL)
    counts = snapshot()
    references = set(synthetic().values_list("reference", flat=True))
    second = build_demo("VR05", **SMALL)
    assert snapshot() == counts
    assert set(synthetic().values_list("reference", flat=True)) == references
    assert second.signals.deleted == first.signals.created > 0
    assert len(second.organisations.all()) == len(first.organisations.all()) == 23


def test_real_signals_survive_a_rebuild():
    real = SignalFactory(municipality=Municipality.objects.get(code="GM0153"))
    build_demo("VR05", **SMALL)
    build_demo("VR05", **SMALL)
    assert Signal.objects.filter(pk=real.pk, is_synthetic=False).exists()


def test_same_seed_same_signals_other_seed_other_signals():
    def rows():
        return list(synthetic().order_by("reference").values_list(
            "reference", "description", "x_rd", "status"))

    build_demo("VR05", seed=7, **SMALL)
    a = rows()
    build_demo("VR05", seed=7, **SMALL)
    assert rows() == a
    build_demo("VR05", seed=8, **SMALL)
    assert rows() != a


def test_users_organisations_and_password():
    result = build_demo("VR05", **SMALL)
    User = get_user_model()
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_active
        assert list(user.memberships.values_list("role", flat=True)) == [spec.role]
    coordinator = User.objects.get(username="coordinator.enschede")
    assert coordinator.memberships.get().organisation.name == "Gemeente Enschede"
    beheerder = User.objects.get(username="beheerder")
    assert beheerder.is_staff and beheerder.is_superuser
    names = {org.name for org in result.organisations.all()}
    assert {"Politie Oost-Nederland", "RIEC Oost-Nederland", "Belastingdienst"} <= names
    for org in result.organisations.all():
        if org.kind not in {"gemeente", "politie", "om", "riec", "belastingdienst"}:
            assert org.name.endswith("(demo)")
        assert org.municipalities.exists()
    enschede = result.organisations.gemeenten[Municipality.objects.get(code="GM0153").pk]
    assert list(enschede.municipalities.values_list("code", flat=True)) == ["GM0153"]


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


def test_anonymous_signals_have_no_reporter():
    build_demo("VR05", **SMALL)
    anonymous = synthetic().filter(is_anonymous=True)
    assert anonymous.exists()
    assert not anonymous.exclude(reporter_name="", reporter_contact="").exists()
    mma = synthetic().filter(source_type__code="mma")
    assert mma.exists() and not mma.filter(is_anonymous=False).exists()


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


def test_need_to_know_for_demo_users():
    build_demo("VR05", **SMALL)
    User = get_user_model()
    assert not scope.signals_for(User.objects.get(username="burgemeester.enschede")).exists()
    assert not scope.signals_for(User.objects.get(username="beheerder")).exists()
    coordinator = scope.signals_for(User.objects.get(username="coordinator.enschede"))
    assert coordinator.exists()
    assert set(coordinator.values_list("municipality__code", flat=True)) == {"GM0153"}
    riec = scope.signals_for(User.objects.get(username="analist.riec"))
    assert riec.count() > coordinator.count()
    grid_user = User.objects.get(username="medewerker.netbeheerder")
    grid = scope.signals_for(grid_user)
    assert grid.exists()
    # Its own reports (or merged into), the partners' hennep/drug findings under the
    # covenant, and the signals of cases where it carries out a measure: no police notice
    # or MMA tip through the covenant (decision 0027).
    grid_org = grid_user.memberships.get().organisation
    for signal in grid.select_related("theme", "source_type"):
        own = signal.reporting_organisation_id == grid_org.pk or \
            signal.involved_organisations.filter(pk=grid_org.pk).exists()
        shared = signal.theme.code in {"hennepteelt", "drugslab", "drugsdump"} and \
            signal.source_type.code in {"netbeheerder", "woningcorporatie", "waterbedrijf"}
        on_case = signal.case_links.filter(case__interventions__organisation=grid_org).exists()
        assert own or shared or on_case, signal.reference


def test_another_region_lives_beside_twente():
    build_demo("VR05", **SMALL)
    twente = synthetic("VR05").count()
    result = build_demo("vr25", scale=0.1, years=0.5, today=TODAY)
    assert result.region.code == "VR25"
    assert result.organisations.largest.name == "Almere"
    assert synthetic("VR05").count() == twente
    flevoland = synthetic("VR25")
    assert flevoland.count() == result.signals.created > 0
    for signal in flevoland.select_related("municipality"):
        assert lookup.contains(signal.municipality, signal.x_rd, signal.y_rd)
    coordinator = get_user_model().objects.get(username="coordinator.almere")
    assert coordinator.memberships.get().organisation.name == "Gemeente Almere"
    assert get_user_model().objects.get(username="analist.riec").memberships.get(
    ).organisation.name == "RIEC Midden-Nederland"


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
