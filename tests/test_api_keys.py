"""API keys belong to partner systems: scoped, expiring, fixed holder, final revocation,
four eyes for personal data, and every issue, approval and revocation in the log."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from knooppunt.api.problems import PROBLEM_CONTENT_TYPE
from knooppunt.audit.models import Action, ProcessingLogEntry
from knooppunt.organisations import api_keys
from knooppunt.organisations.models import (
    ApiScope,
    ApiToken,
    KeyStatus,
    Membership,
    Role,
    SystemAccount,
)

from .factories import (
    OrganisationFactory,
    issue_key,
    member,
    municipality,
    system_account,
)

pytestmark = pytest.mark.django_db
SIGNALS = "/api/v1/signals"


@pytest.fixture
def org():
    return OrganisationFactory(name="Gemeente Enschede", municipalities=[municipality()])


@pytest.fixture
def beheerder(org):
    return member(Role.BEHEERDER, org, username="beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def second_beheerder(org):
    return member(Role.BEHEERDER, org, username="beheerder2", is_staff=True, is_superuser=True)


@pytest.fixture
def system(org):
    return system_account(org, Role.MEDEWERKER, "systeem.zaaksysteem")


def key_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_a_key_for_a_person_is_refused(org, beheerder):
    coordinator = member(Role.COORDINATOR, org, username="coordinator.enschede")
    with pytest.raises(ValidationError, match="systeemaccount"):
        api_keys.issue(system_user=coordinator, name="x", scopes=[ApiScope.SIGNALS_READ],
                       issued_by=beheerder)
    assert not ApiToken.objects.exists()


def test_the_admin_offers_only_system_accounts_and_refuses_a_person(client, org, beheerder,
                                                                    system):
    coordinator = member(Role.COORDINATOR, org, username="coordinator.enschede")
    client.force_login(beheerder)
    form = client.get("/beheer/organisations/apitoken/add/").content.decode()
    assert "systeem.zaaksysteem" in form and "coordinator.enschede" not in form
    response = client.post("/beheer/organisations/apitoken/add/", {
        "name": "leesrechten", "user": coordinator.pk, "scopes": [ApiScope.SIGNALS_READ],
        "expires_at_0": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d"),
        "expires_at_1": "12:00:00"})
    assert response.status_code == 200  # the form again, with the error
    assert not ApiToken.objects.exists()


def test_a_legacy_key_of_a_person_no_longer_authenticates(org, system):
    """A key row pointing at a person (from before the change) is refused with 401."""
    person = member(Role.COORDINATOR, org)
    token, raw = issue_key(system)
    ApiToken.objects.filter(pk=token.pk).update(user=person)
    assert key_client(raw).get(SIGNALS).status_code == 401


def issue_in_admin(client, user, system, scopes) -> tuple[ApiToken, str]:
    client.force_login(user)
    response = client.post("/beheer/organisations/apitoken/add/", {
        "name": "zaaksysteem", "user": system.pk, "scopes": scopes,
        "expires_at_0": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d"),
        "expires_at_1": "12:00:00"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown, response.content.decode()[-6000:]
    raw = next(m.split(": ", 1)[1] for m in shown if "eenmaal" in m or "één keer" in m)
    return ApiToken.objects.get(), raw


def test_four_eyes_for_personal_data_then_the_key_works(client, beheerder, second_beheerder,
                                                        system):
    token, raw = issue_in_admin(client, beheerder, system, [ApiScope.SIGNALS_READ])
    assert token.status == KeyStatus.PENDING and token.issued_by == beheerder
    assert token.user == system and token.organisation == system.system_account.organisation
    assert key_client(raw).get(SIGNALS).status_code == 401
    with pytest.raises(PermissionDenied):
        api_keys.approve(token, by=beheerder)
    # The second beheerder approves through the admin action.
    client.force_login(second_beheerder)
    client.post("/beheer/organisations/apitoken/", {
        "action": "approve_keys", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.status == KeyStatus.ACTIVE and token.approved_by == second_beheerder
    assert key_client(raw).get(SIGNALS).status_code == 200


def test_a_figures_only_key_is_active_at_once(client, beheerder, system):
    token, raw = issue_in_admin(client, beheerder, system, [ApiScope.FIGURES_READ])
    assert token.status == KeyStatus.ACTIVE
    assert key_client(raw).get("/api/v1/indicators").status_code == 200


def test_holder_and_organisation_cannot_change_after_issue(client, org, beheerder, system):
    token, _raw = issue_key(system)
    other = system_account(OrganisationFactory(), Role.COORDINATOR)
    client.force_login(beheerder)
    page = client.get(f"/beheer/organisations/apitoken/{token.pk}/change/").content.decode()
    assert 'name="user"' not in page and 'name="revoked"' not in page
    assert 'name="status"' not in page
    client.post(f"/beheer/organisations/apitoken/{token.pk}/change/",
                {"name": "x", "user": other.pk, "status": KeyStatus.ACTIVE})
    token.refresh_from_db()
    assert token.user == system and token.organisation == org
    token.user = other
    with pytest.raises(ValidationError):
        token.save()


def test_revocation_is_final(client, beheerder, system):
    token, raw = issue_key(system)
    assert key_client(raw).get(SIGNALS).status_code == 200
    client.force_login(beheerder)
    client.post("/beheer/organisations/apitoken/", {
        "action": "revoke_keys", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.status == KeyStatus.REVOKED and token.revoked_by == beheerder
    response = key_client(raw).get(SIGNALS)
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM_CONTENT_TYPE
    # No path sets it back: the change form has no status, approve refuses, save refuses.
    client.post(f"/beheer/organisations/apitoken/{token.pk}/change/",
                {"status": KeyStatus.ACTIVE, "revoked": ""})
    client.post("/beheer/organisations/apitoken/", {
        "action": "approve_keys", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.status == KeyStatus.REVOKED
    with pytest.raises(ValidationError):
        api_keys.approve(token, by=beheerder)
    token.status = KeyStatus.ACTIVE
    with pytest.raises(ValidationError):
        token.save()
    assert key_client(raw).get(SIGNALS).status_code == 401
    # Nor can the key be deleted to hide that it existed.
    assert client.post(f"/beheer/organisations/apitoken/{token.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_issue_approve_and_revoke_are_in_the_processing_log(beheerder, second_beheerder,
                                                            system):
    before = ProcessingLogEntry.objects.count()
    token, _ = api_keys.issue(system_user=system, name="k", scopes=[ApiScope.SIGNALS_READ],
                              issued_by=beheerder)
    api_keys.approve(token, by=second_beheerder)
    api_keys.revoke(token, by=beheerder, reason="lek")
    rows = list(ProcessingLogEntry.objects.order_by("id")[before:])
    assert [(r.action, r.username) for r in rows] == [
        (Action.CREATE, "beheerder"), (Action.UPDATE, "beheerder2"),
        (Action.UPDATE, "beheerder")]
    assert all(r.object_type == "organisations.apitoken" and r.object_id == str(token.pk)
               for r in rows)
    assert "uitgegeven" in rows[0].detail and "systeem.zaaksysteem" in rows[0].detail
    assert "goedgekeurd" in rows[1].detail and "ingetrokken (lek)" in rows[2].detail


def test_only_a_beheerder_issues_keys(org, system):
    coordinator = member(Role.COORDINATOR, org)
    with pytest.raises(PermissionDenied):
        api_keys.issue(system_user=system, name="x", issued_by=coordinator)


@pytest.mark.parametrize(("scopes", "method", "path", "allowed"), [
    ([ApiScope.FIGURES_READ], "get", SIGNALS, False),
    ([ApiScope.FIGURES_READ], "get", "/api/v1/indicators", True),
    ([ApiScope.SIGNALS_READ], "get", SIGNALS, True),
    ([ApiScope.SIGNALS_READ], "post", SIGNALS, False),
    ([ApiScope.SIGNALS_READ], "get", "/api/v1/cases", False),
    ([ApiScope.SIGNALS_READ], "get", "/api/v1/deliveries", False),
    ([ApiScope.DELIVER], "get", "/api/v1/deliveries", True),
    ([ApiScope.CASES_READ], "get", "/api/v1/cases", True),
    ([ApiScope.FIGURES_READ], "post", "/api/v1/alerts/1/review", False),
])
def test_scopes_are_enforced_on_every_call(system, scopes, method, path, allowed):
    _, raw = issue_key(system, scopes=scopes)
    response = getattr(key_client(raw), method)(path, {}, format="json")
    if allowed:
        assert response.status_code != 403, response.content
    else:
        assert response.status_code == 403
        assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
        assert "bevoegdheid" in response.json()["detail"]


def _api_routes() -> list[str]:
    """The first path segment of every route under /api/v1/."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text)
            elif isinstance(pattern, URLPattern) and text.startswith("api/v1/"):
                found.append((pattern.name, text[len("api/v1/"):]))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_api_route_names_the_scope_it_needs():
    routes = _api_routes()
    assert len(routes) > 20
    for name, route in routes:
        if name in api_keys.OPEN_ROUTES:
            continue
        segment = route.split("/", 1)[0].rstrip("$")
        assert segment in api_keys.SEGMENT_SCOPES, route


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(alphabet="abcdefghijklmnopqrstuvwxyz-/", max_size=30),
       method=st.sampled_from(["GET", "POST", "PATCH", "DELETE", "PUT"]))
def test_an_unknown_route_needs_a_scope_no_key_has(path, method):
    """Fail closed: a route not in the table is refused for keys, whatever it is called."""
    segment = path.split("/", 1)[0]
    try:
        needed = api_keys.required_scope(api_keys.API_PREFIX + path, method, "x")
    except api_keys.ScopeUnknown:
        assert segment not in api_keys.SEGMENT_SCOPES
    else:
        read, write = api_keys.SEGMENT_SCOPES[segment]
        assert needed == (read if method == "GET" else write)


def test_an_expired_key_is_401(system):
    token, raw = issue_key(system)
    assert key_client(raw).get(SIGNALS).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = key_client(raw).get(SIGNALS)
    assert response.status_code == 401 and "verlopen" in response.json()["detail"]


@pytest.mark.parametrize("days", [0, -1, 400])
def test_expiry_must_lie_within_a_year(system, days):
    with pytest.raises(ValidationError):
        issue_key(system, expires_at=timezone.now() + timedelta(days=days))


def test_a_system_account_cannot_log_in_and_stays_in_its_organisation(client, org, system):
    assert not system.has_usable_password()
    elsewhere = Membership(user=system, organisation=OrganisationFactory(),
                           role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        elsewhere.full_clean()


def test_the_admin_makes_a_system_account(client, org, beheerder):
    client.force_login(beheerder)
    response = client.post("/beheer/organisations/systemaccount/add/", {
        "username": "systeem.netbeheerder", "organisation": org.pk,
        "role": Role.MEDEWERKER, "description": "meetdata"})
    assert response.status_code == 302, response.content.decode()[:3000]
    account = SystemAccount.objects.get(user__username="systeem.netbeheerder")
    assert account.organisation == org and not account.user.has_usable_password()
    assert Membership.objects.filter(user=account.user, organisation=org,
                                     role=Role.MEDEWERKER).exists()
    assert ProcessingLogEntry.objects.filter(object_type="organisations.systemaccount",
                                             username="beheerder").exists()


def test_migration_keeps_system_keys_and_revokes_persons_keys(org):
    migration = importlib.import_module(
        "knooppunt.organisations.migrations.0002_system_accounts_and_scoped_keys")
    person = member(Role.COORDINATOR, org)
    machine = member(Role.MEDEWERKER, org)
    machine.set_unusable_password()
    machine.save()
    for user, name in ((person, "persoon"), (machine, "systeem")):
        ApiToken.objects.create(user=user, name=name, key_hash=name, prefix=name,
                                status=KeyStatus.ACTIVE)
    migration.existing_keys(django_apps, None)
    assert ApiToken.objects.get(name="persoon").status == KeyStatus.REVOKED
    kept = ApiToken.objects.get(name="systeem")
    assert kept.status == KeyStatus.ACTIVE and kept.organisation == org
    assert kept.expires_at > timezone.now()
    assert SystemAccount.objects.filter(user=machine, organisation=org).exists()


def test_a_system_account_never_gets_a_password_to_log_in_with(client, org, system):
    """Setting one in the user admin would let a beheerder log in as the partner system."""
    person = member(Role.MEDEWERKER, org)
    person.set_password("een-wachtwoord-voor-het-systeem")
    person.save()
    client.post("/inloggen/", {"username": person.username,
                               "password": "een-wachtwoord-voor-het-systeem"})
    assert "_auth_user_id" in client.session  # the form logs people in
    client.logout()
    system.set_password("een-wachtwoord-voor-het-systeem")
    system.save()
    system.refresh_from_db()
    assert not system.has_usable_password()
    response = client.post("/inloggen/", {"username": system.username,
                                       "password": "een-wachtwoord-voor-het-systeem"})
    assert "_auth_user_id" not in client.session, response.status_code


def test_a_system_accounts_role_does_not_change_nor_grow(org, system):
    """A wider role would widen the account's keys without a second beheerder."""
    membership = Membership.objects.get(user=system)
    membership.role = Role.ANALIST
    with pytest.raises(ValidationError):
        membership.full_clean()
    second = Membership(user=system, organisation=org, role=Role.COORDINATOR)
    with pytest.raises(ValidationError):
        second.full_clean()
    person = member(Role.MEDEWERKER, org, username="medewerker")
    promoted = Membership.objects.get(user=person)
    promoted.role = Role.ANALIST
    promoted.full_clean()  # a person's role may change (and is logged, below)


def test_role_changes_in_the_admin_are_in_the_processing_log(client, org, beheerder):
    person = member(Role.MEDEWERKER, org, username="medewerker")
    kept = Membership.objects.get(user=person)
    mine = Membership.objects.get(user=beheerder)
    client.force_login(beheerder)
    url = f"/beheer/organisations/organisation/{org.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = {"name": org.name, "kind": org.kind, "active": "on",
            "municipalities": [m.pk for m in org.municipalities.all()],
            "memberships-TOTAL_FORMS": "3", "memberships-INITIAL_FORMS": "2",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": mine.pk, "memberships-0-organisation": org.pk,
            "memberships-0-user": beheerder.pk, "memberships-0-role": Role.BEHEERDER,
            "memberships-1-id": kept.pk, "memberships-1-organisation": org.pk,
            "memberships-1-user": person.pk, "memberships-1-role": Role.ANALIST,
            "memberships-2-organisation": org.pk, "memberships-2-user": person.pk,
            "memberships-2-role": Role.COORDINATOR}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = ProcessingLogEntry.objects.filter(object_type="organisations.membership",
                                             username="beheerder")
    assert {r.action for r in rows} == {Action.CREATE, Action.UPDATE}
    assert any("Analist" in r.detail or "analist" in r.detail for r in rows)
    new_id = Membership.objects.get(user=person, role=Role.COORDINATOR).pk
    form.update({"memberships-TOTAL_FORMS": "3", "memberships-INITIAL_FORMS": "3",
                 "memberships-2-id": new_id, "memberships-2-DELETE": "on"})
    assert client.post(url, form).status_code == 302
    removed = ProcessingLogEntry.objects.get(object_type="organisations.membership",
                                             action=Action.DELETE)
    assert removed.object_ids == [str(new_id)]
    assert not Membership.objects.filter(pk=new_id).exists()
