"""Every write path has a rule in `organisations.permissions` (decision 0027).

The URL resolver is walked: each Django view declares the actions it takes
(`permissions.guards`) or that it changes nothing (`permissions.read_only`, which answers
405 to any other method than GET/HEAD/OPTIONS — checked here by posting to it); each DRF
viewset names, per write action (create, update, partial_update, destroy and every POST,
PUT, PATCH or DELETE extra action), the rule that decides it in `write_actions`; each DRF
APIView does the same per write method. The admin (`/beheer/`) is one rule, `manage`: a
staff account with every model permission but without the beheerder role gets no page.
A new view without a declaration fails this test.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from knooppunt.organisations import permissions
from knooppunt.organisations.models import Role

from .factories import OrganisationFactory, member

WRITE_METHODS = ("post", "put", "patch", "delete")
# Framework views that change only the visitor's own session, password or language.
SESSION_MODULES = ("django.contrib.auth.views", "django.views.i18n", "mozilla_django_oidc")


def _walk(resolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _paths():
    return [(route, view) for route, view in _walk(get_resolver())
            if not route.startswith("beheer/")]  # the admin: see the test below


def _module(view) -> str:
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    return (cls or view).__module__


def test_the_walk_finds_the_known_write_paths():
    routes = {route for route, _view in _paths()}
    for expected in ("signalen/<str:reference>/status/", "api/v1/alerts/<int:id>/review",
                     "casussen/<str:reference>/besluit/"):
        assert expected in routes


def test_every_write_path_declares_a_rule():
    missing = []
    for route, view in _paths():
        if _module(view).startswith(SESSION_MODULES):
            continue
        cls = getattr(view, "cls", None)
        if cls is not None and getattr(view, "actions", None):  # a DRF viewset route
            declared = getattr(cls, "write_actions", {})
            for method, action in view.actions.items():
                if method in WRITE_METHODS and declared.get(action) not in permissions.RULES:
                    missing.append(f"{route} {method.upper()} ({cls.__name__}.{action})")
            continue
        if cls is not None:  # a DRF APIView
            declared = getattr(cls, "write_actions", {})
            if getattr(cls, "knooppunt_actions", None) == ():
                continue  # declared to change nothing; checked by posting below
            for method in WRITE_METHODS:
                if hasattr(cls, method) and declared.get(method) not in permissions.RULES:
                    missing.append(f"{route} {method.upper()} ({cls.__name__})")
            continue
        holder = getattr(view, "view_class", view)
        actions = getattr(view, "knooppunt_actions", getattr(holder, "knooppunt_actions", None))
        if actions is None:
            missing.append(f"{route} ({view.__module__}.{view.__name__})")
        elif any(action not in permissions.RULES for action in actions):
            missing.append(f"{route}: unknown action in {actions}")
    assert not missing, "write paths without a rule in organisations.permissions:\n" + \
        "\n".join(missing)


@pytest.mark.django_db
def test_views_declared_read_only_refuse_every_write_method():
    user = member(Role.COORDINATOR)
    factory = RequestFactory()
    checked = 0
    for route, view in _paths():
        if getattr(view, "knooppunt_actions", None) != () or getattr(view, "cls", None):
            continue
        for method in WRITE_METHODS:
            request = getattr(factory, method)("/")
            request.user = user
            request.session = {}
            response = view(request, **_dummy_kwargs(route))
            assert response.status_code == 405, (route, method)
        checked += 1
    assert checked >= 15


def _dummy_kwargs(route: str) -> dict:
    import re

    return {name: (1 if kind == "int" else "X")
            for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)} | {
        name: "x" for name in re.findall(r"\(\?P<(\w+)>", route)}


@pytest.mark.django_db
def test_the_admin_is_the_manage_rule_not_the_staff_flag(client):
    """A coordinator made staff with every model permission still gets no admin page;
    the beheerder gets every change list."""
    intruder = member(Role.COORDINATOR, is_staff=True)
    intruder.user_permissions.set(Permission.objects.all())
    beheerder = member(Role.BEHEERDER, OrganisationFactory(), is_staff=True)
    beheerder.user_permissions.set(Permission.objects.all())
    assert not permissions.may(intruder, permissions.Action.MANAGE)
    assert permissions.may(beheerder, permissions.Action.MANAGE)
    assert not permissions.may(AnonymousUser(), permissions.Action.MANAGE)
    urls = [f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
            for model in admin.site._registry]
    assert len(urls) >= 10
    client.force_login(intruder)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url  # to the login page
        assert client.post(url + "add/", {}).status_code == 302, url
    client.force_login(beheerder)
    for url in urls:
        assert client.get(url).status_code == 200, url
