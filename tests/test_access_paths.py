"""Every page and API endpoint that shows signals answers exactly as `scope` decides.

`CHECKED_VIEWS` lists the signal views this file exercises; a new view under the
signals or API URLs that is not added here fails `test_every_signal_view_is_checked`,
so nothing can bypass the scope matrix unnoticed.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings

from knooppunt.organisations import scope
from knooppunt.organisations.models import Role
from knooppunt.signals.models import AddressStatus, Signal

from .factories import member
from .test_scope_matrix import build, worlds

pytestmark = pytest.mark.django_db

CHECKED_VIEWS = {
    "signals:list",
    "signals:detail",
    "signals:export",
    "signals:create",
    "signals:status",
    "signals:relation",
    "signals:addresses",
    "signals:address",
    "api:signal-list",
    "api:signal-detail",
    "api:map-signals",
    "api:map-signal",
}


def _named_patterns(resolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace \
                else (pattern.namespace or namespace)
            names |= _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_signal_view_is_checked():
    names = {
        n for n in _named_patterns(get_resolver())
        if n.startswith("signals:") or (n.startswith("api:") and "signal" in n)
    }
    assert names == CHECKED_VIEWS, "add new signal views to the access-path tests"


def _web_list_refs(client, path: str = "/signalen/") -> set[str]:
    refs: set[str] = set()
    page = 1
    while True:
        response = client.get(path, {"page": page})
        if response.status_code == 403:
            return refs
        assert response.status_code == 200
        html = response.content.decode()
        found = {ref for ref in _all_refs if ref in html}
        refs |= found
        if f"page={page + 1}" not in html:
            return refs
        page += 1


_all_refs: set[str] = set()


def _export_refs(client) -> set[str]:
    response = client.get("/signalen/export.csv")
    if response.status_code == 403:
        return set()
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {row[0] for row in rows[1:]}


def _api_list_refs(client, headers) -> set[str]:
    response = client.get("/api/v1/signals", headers=headers)
    if response.status_code == 403:
        return set()
    assert response.status_code == 200, response.content
    return {item["reference"] for item in response.json()["results"]}


def _map_points(client, user) -> set[int]:
    """The ids of the interactive map's points layer (decision 0036), over ten years."""
    import datetime as dt

    from django.utils import timezone

    since = timezone.localdate() - dt.timedelta(days=3650)
    expected = set(scope.signals_for(user).filter(
        received_on__gte=since, latitude__isnull=False).values_list("pk", flat=True))
    response = client.get("/api/v1/map/signals", {"from": since.isoformat()})
    if response.status_code == 403:
        assert expected == set()
        return expected
    assert response.status_code == 200, response.content
    assert {f["id"] for f in response.json()["features"]} == expected
    return expected


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec=worlds())
def test_pages_and_api_show_exactly_the_scoped_signals(client, spec):
    with transaction.atomic():
        users, signals = build(spec)
        # Every other signal has an address the register did not find (Adressen controleren).
        unresolved = {s.reference for s in signals[::2]}
        Signal.objects.filter(reference__in=unresolved).update(
            address_status=AddressStatus.UNRESOLVED
        )
        # Some have a location: the map's points layer shows those (decision 0036).
        Signal.objects.filter(reference__in=[s.reference for s in signals[1::2]]).update(
            latitude=52.22, longitude=6.89, x_rd=258_000.0, y_rd=471_500.0)
        _all_refs.clear()
        _all_refs.update(s.reference for s in signals)
        for user in users:
            expected = set(scope.signals_for(user).values_list("reference", flat=True))
            client.force_login(user)
            assert _web_list_refs(client) == expected
            assert _web_list_refs(client, "/signalen/adressen/") == expected & unresolved
            assert _export_refs(client) == expected
            # A person holds no key: the API answers them through their session.
            headers: dict[str, str] = {}
            assert _api_list_refs(client, headers) == expected
            _map_points(client, user)
            for signal in signals:
                visible = signal.reference in expected
                web = client.get(f"/signalen/{signal.reference}/")
                api = client.get(f"/api/v1/signals/{signal.reference}", headers=headers)
                popup = client.get(f"/api/v1/map/signals/{signal.pk}")
                if visible:
                    assert web.status_code == 200
                    assert api.status_code == 200
                    assert popup.status_code == 200
                else:
                    assert web.status_code in (403, 404)
                    assert api.status_code in (403, 404)
                    assert popup.status_code in (403, 404)
                    assert signal.description not in web.content.decode() or \
                        signal.description == ""
                status = client.post(
                    f"/signalen/{signal.reference}/status/",
                    {"to_status": "in_behandeling", "note": "test"},
                )
                relation = client.post(
                    f"/signalen/{signal.reference}/koppelingen/1/",
                    {"action": "merge", "note": "test"},
                )
                stored = Signal.objects.values("postcode", "house_number").get(pk=signal.pk)
                address = client.post(
                    f"/signalen/{signal.reference}/adres/",
                    {"postcode": "7511GA", "house_number": "1"},
                )
                if not visible:
                    assert status.status_code in (403, 404)
                    assert relation.status_code in (403, 404)
                    assert address.status_code in (403, 404)
                    assert Signal.objects.values("postcode", "house_number").get(
                        pk=signal.pk
                    ) == stored
            client.logout()
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.BEHEERDER])
def test_aggregate_roles_cannot_register_signals(client, role):
    user = member(role)
    client.force_login(user)
    assert client.get("/signalen/nieuw/").status_code == 403
