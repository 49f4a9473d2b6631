"""The network view in a real browser (issue 16): Debian's chromium under Playwright.

A freshly migrated database with one account is served with the demo switch on (the
example page exists only in DEBUG or the demo); the account opens the generated network,
clicks a node and sees it expand with the provenance of its links in the side panel, walks
the nodes with the keyboard and expands one with Enter, filters a link type away, opens a
larger network laid out on rings, and reads the English labels. No
Content-Security-Policy violation, no script error. Skipped only when chromium is missing
and `tools/install_chromium.sh` cannot install it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..served_demo import database_url, knooppunt, serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import (  # noqa: E402
    CSP_LISTENER,
    PASSWORD,
    click_network_node,
    launch,
    log_in,
    wait_until,
)

VENDOR = ROOT / "src" / "knooppunt" / "web" / "static" / "vendor" / "cytoscape"
USER = "netwerk.browser"
CREATE_USER = (f"from django.contrib.auth import get_user_model; "
               f"get_user_model().objects.create_user({USER!r}, password={PASSWORD!r})")


@pytest.fixture(scope="module")
def served(tmp_path_factory, chromium):
    assert (VENDOR / "cytoscape.esm.min.mjs").exists(), (
        "Cytoscape.js is not built: run ./run.sh test, or `npm ci && npm run build` in frontend/")
    tmp = tmp_path_factory.mktemp("network-browser")
    env = {k: v for k, v in os.environ.items() if k != "KNOOPPUNT_TESTING"}
    env.update({"DATABASE_URL": database_url(tmp, "networkbrowser"),
                "KNOOPPUNT_DATA_DIR": str(tmp / "data"), "KNOOPPUNT_DEMO": "1"})
    for command in (("migrate", "--no-input"), ("shell", "-c", CREATE_USER)):
        subprocess.run(knooppunt(*command), check=True, env=env,  # noqa: S603
                       stdout=subprocess.DEVNULL)
    with serve(env) as base:
        yield base


def _open(p, chromium, served, locale="nl-NL"):
    browser = launch(p, chromium)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale=locale)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console {m.text}"))
    log_in(page, served, USER)
    page.goto(served + "/netwerk/voorbeeld/")
    wait_until(page, "window.__kpNetwork && (window.__kpNetwork.ready "
                     "|| window.__kpNetwork.errors.length > 0)")
    return browser, page, errors



def test_open_click_expand_keyboard_and_filter(served, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page, errors = _open(p, chromium, served)
        assert page.evaluate("window.__kpNetwork.errors") == []
        before = page.evaluate("window.__kpNetwork.nodeCount")
        assert before == page.evaluate("window.__kpNetwork.cy.nodes().length") > 1
        assert "Persoon" in page.inner_text("#network-legend")

        # Click the crowded address a1 as a person would: its companies come in. Under
        # load the canvas may still be settling: the click goes where a1 stays put.
        click_network_node(page, "a1", expansions=1)
        after = page.evaluate("window.__kpNetwork.nodeCount")
        assert after > before
        assert "uitgebreid" in page.inner_text("#network-status")
        panel = page.inner_text("#network-panel")
        assert "Voorbeeldstraat 1, Enschede" in panel and "Herkomst:" in panel

        # Keyboard: arrows choose a node, Enter expands it.
        page.focus("#kp-network")
        page.keyboard.press("ArrowRight")
        chosen = page.evaluate("window.__kpNetwork.info.get("
                               "window.__kpNetwork.cy.nodes(':selected').id()).name")
        assert chosen and chosen in page.inner_text("#network-panel h2")
        page.keyboard.press("Enter")
        wait_until(page, "window.__kpNetwork.expansions >= 2", timeout=60)

        # Filter: without "ander verband" those links are hidden.
        shown = ("window.__kpNetwork.cy.edges('[linkType = \"UnknownLink\"]')"
                 ".not('.filtered').length")
        assert page.evaluate(shown) > 0
        page.uncheck("#link-UnknownLink")
        wait_until(page, f"({shown}) === 0", timeout=10)

        # A large network goes on rings (positions handed in), not through a layout run.
        timings = page.evaluate("async () => { await window.__kpNetwork.load("
                                "'/netwerk/voorbeeld/netwerk.json?knopen=400'); "
                                "return window.__kpNetwork.timings; }")
        assert timings["layoutName"] == "rings" and not timings["webgl"]
        assert page.evaluate("window.__kpNetwork.cy.nodes().length") == 400
        assert page.evaluate("window.__kpNetwork.cy.nodes('.labelled').length") == 0

        assert page.evaluate("window.__problems") == [] and errors == []
        browser.close()


def test_english_labels(served, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page, errors = _open(p, chromium, served, locale="en-GB")
        page.goto(served + "/netwerk/voorbeeld/")
        wait_until(page, "window.__kpNetwork && window.__kpNetwork.ready")
        legend = page.inner_text("#network-legend")
        assert "Person" in legend and "Company" in legend and "director of" in legend
        assert "nodes and" in page.inner_text("#network-status")
        assert page.evaluate("window.__problems") == [] and errors == []
        browser.close()
