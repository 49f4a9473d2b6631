"""Content-Security-Policy (decision 0029): no inline script, no eval, no inline style
attributes; the only inline <style> elements are the maps' fixed ones, allowed by hash."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

import knooppunt

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(knooppunt.__file__).parent.glob("*/templates/**/*.html"))
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_templates_have_no_inline_script_handlers_or_styles():
    assert len(TEMPLATES) > 50
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for attrs, _body in SCRIPT.findall(text):
            assert "src=" in attrs, f"inline <script> in {path}"
        assert not HANDLER.search(text), f"event handler attribute in {path}"
        assert not STYLE_ATTR.search(text), f"style attribute in {path}"
        assert "<style" not in text, f"<style> element in {path}"


def test_the_policy_forbids_inline_script_and_eval(client):
    response = client.get("/inloggen/")
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def _check_page(html: str, directives: dict[str, list[str]]) -> None:
    for attrs, body in SCRIPT.findall(html):
        # Only external scripts run; JSON data blocks (json_script) are not script.
        assert "src=" in attrs or 'type="application/json"' in attrs, body[:80]
    assert not HANDLER.search(html)
    assert not STYLE_ATTR.search(html)
    for body in STYLE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["style-src"], body[:80]


@pytest.mark.parametrize("url", ["/", "/kaart/", "/signalen/", "/dashboard/analyse/",
                                 "/dashboard/gemeente/GM0153/", "/inloggen/"])
def test_pages_need_nothing_the_policy_forbids(client, coordinator, signals, url):
    if url != "/inloggen/":
        client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200, url
    _check_page(response.content.decode(), policy(response))


def test_the_interactive_map_runs_its_workers_from_knooppunt_only(client, coordinator, signals):
    client.force_login(coordinator)
    response = client.get("/kaart/")
    html = response.content.decode()
    _check_page(html, policy(response))
    # The interactive map's workers are module scripts from Knooppunt itself (0036).
    assert policy(response)["worker-src"] == ["'self'"]


def test_admin_pages_need_nothing_the_policy_forbids(client):
    from ..factories import member

    boss = member("beheerder", username="boss", is_staff=True, is_superuser=True)
    client.force_login(boss)
    for url in ["/beheer/", "/beheer/auth/user/", f"/beheer/auth/user/{boss.pk}/change/",
                "/beheer/organisations/organisation/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _check_page(response.content.decode(), policy(response))


def test_dashboards_load_no_script_that_needs_eval():
    """Vega-Embed compiles expressions with Function(): the browser refused it under this
    policy and logged a violation on every dashboard with a chart (tools/browser_check.py)."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    html = render_to_string("dashboards/_scripts.html", {"specs": [{"mark": "bar"}]})
    assert "dashboards/dashboards.js" in html
    assert reverse("dashboards:vega") not in html
