"""The synthetic-data banner in demo mode, and error pages without technical details."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

BANNER = 'class="synthetic-banner"'


@pytest.mark.parametrize("url_name", ["web:login"])
def test_banner_on_the_login_page_in_demo_mode(client, settings, url_name):
    settings.DEMO_MODE = True
    html = client.get(reverse(url_name)).content.decode()
    assert BANNER in html
    assert "synthetisch (verzonnen)" in html
    assert "<title>[DEMO]" in html


def test_banner_on_every_signed_in_page_in_demo_mode(client, settings, coordinator, signals):
    settings.DEMO_MODE = True
    client.force_login(coordinator)
    for url in (reverse("web:home"), reverse("web:map"), reverse("signals:list"),
                reverse("signals:detail", args=[signals[0].reference]),
                reverse("signals:create"), reverse("web:two_factor"), "/bestaat-niet/"):
        assert BANNER in client.get(url).content.decode(), url


def test_banner_in_english_too(client, settings, coordinator):
    settings.DEMO_MODE = True
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("web:home")).content.decode()
    assert "are synthetic (made up)" in html


def test_no_banner_outside_demo_mode(client, settings, coordinator):
    settings.DEMO_MODE = False
    client.force_login(coordinator)
    html = client.get(reverse("web:home")).content.decode()
    assert BANNER not in html
    assert "<title>[DEMO]" not in html


def test_404_is_bilingual(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and "Page not found" in html
    assert 'lang="en"' in html


def test_unknown_signal_is_a_plain_404(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("signals:detail", args=["KNP-0000-999999"]))
    assert response.status_code == 404
    assert "KNP-0000-999999" not in response.content.decode().split("<main")[1]


def test_server_error_shows_no_stack_trace(settings, coordinator, monkeypatch):
    settings.DEBUG = False

    def explode(*args, **kwargs):
        raise RuntimeError("geheime interne fout in de database-laag")

    monkeypatch.setattr("knooppunt.web.overview.area_totals", explode)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.get(reverse("web:home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html and "Something went wrong" in html
    assert "Traceback" not in html and "geheime interne fout" not in html
    assert "RuntimeError" not in html


def test_400_handler_is_bilingual(rf):
    from django.contrib.auth.models import AnonymousUser

    from knooppunt.web.views import error_400

    request = rf.get("/")
    request.user = AnonymousUser()
    response = error_400(request)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ongeldig verzoek" in html and "Bad request" in html


def test_login_needs_csrf():
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("web:login")).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2  # login form and language switcher
    response = client.post(reverse("web:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_locked_out_page_after_too_many_failures(client, settings, coordinator):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        response = client.post(
            reverse("web:login"), {"username": "coordinator", "password": "fout-fout-fout"}
        )
    html = response.content.decode()
    assert "Account tijdelijk geblokkeerd" in html
    assert "Too many failed login attempts" in html


def test_htmx_keeps_no_personal_data_in_browser_storage(client):
    import json
    import re

    html = client.get(reverse("web:login")).content.decode()
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)[1])
    assert config["historyCacheSize"] == 0
    assert config["historyRestoreAsHxRequest"] is False


def test_static_assets_are_served_locally(client):
    html = client.get(reverse("web:login")).content.decode()
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/knooppunt/knooppunt.css" in html
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]
