"""The interactive map in a real browser (issue 14): Debian's chromium under Playwright.

A small demo is built and served (`tests/served_demo.py`); a case worker logs in, opens
the map, switches the points layer on, clicks a point and reads its popup, then does the
same with the keyboard; an analyst switches on the police incidents and the cases (the
compact point layers of decision 0040) and opens a popup of each by keyboard; a mayor's
map offers no point layer and the API refuses points. No Content-Security-Policy
violation, no script error. Skipped only when chromium is missing and
`tools/install_chromium.sh` cannot install it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import CSP_LISTENER, launch, log_in, wait_until  # noqa: E402

VENDOR = ROOT / "src" / "knooppunt" / "web" / "static" / "vendor" / "maplibre-gl"
@pytest.fixture(scope="module")
def served(tmp_path_factory, chromium):
    assert (VENDOR / "maplibre-gl.mjs").exists(), (
        "MapLibre is not built: run ./run.sh test, or `npm ci && npm run build` in frontend/")
    env = demo_env(tmp_path_factory, "mapbrowser")
    with serve(env) as base:
        yield base


def _open_map(p, chromium, served: str, username: str):
    """A logged-in page on /kaart/ with the map ready; script errors are collected."""
    browser = launch(p, chromium)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="nl-NL")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"console {m.text}"))
    log_in(page, served, username)
    page.goto(served + "/kaart/")
    wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
    return browser, page, errors


def test_case_worker_opens_the_map_switches_a_layer_and_reads_a_popup(served, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium)
        context = browser.new_context(viewport={"width": 1200, "height": 900},
                                      locale="nl-NL")
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console {m.text}"))
        log_in(page, served, "medewerker.enschede")
        page.goto(served + "/kaart/")
        wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
        assert "buiten uw werkgebied" in page.inner_text("#map-legend")

        page.check("#layer-points")  # a real checkbox of the layer switcher
        wait_until(page, "window.__kpMap.timings.pointsRendered")
        count = page.evaluate("window.__kpMap.pointCount")
        assert count > 0
        assert re.search(r"\d+ signalen als punt", page.inner_text("#map-status"))

        # Click a point: bring the first one into view, then click where the map draws it.
        page.evaluate("""window.__kpMap.map.jumpTo(
            {center: window.__kpMap.points.lngLat(0), zoom: 14})""")
        x, y = page.evaluate("""(() => { const m = window.__kpMap.map;
            const p = m.project(window.__kpMap.points.lngLat(0)); return [p.x, p.y]; })()""")
        page.locator("#kp-map").scroll_into_view_if_needed()
        box = page.locator("#kp-map canvas").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        title = page.locator(".maplibregl-popup .map-popup__title")
        title.wait_for(timeout=30_000)
        assert re.fullmatch(r"KNP-\d{4}-[A-Z0-9]+", title.inner_text()), title.inner_text()
        assert page.locator(".maplibregl-popup a").get_attribute("href").startswith(
            "/signalen/")

        # The keyboard: Escape closes; on the focused map Enter shows what lies in the
        # middle (the same point, which is the centre now).
        page.locator("#kp-map canvas").focus()
        page.keyboard.press("Escape")
        assert page.locator(".maplibregl-popup").count() == 0
        page.keyboard.press("Enter")
        title.wait_for(timeout=30_000)
        assert title.inner_text().startswith("KNP-")

        assert page.evaluate("window.__problems") == []
        assert errors == []
        browser.close()


def test_analyst_switches_on_hotspots_for_drugsdump_and_reads_a_cell(served, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium)
        context = browser.new_context(viewport={"width": 1200, "height": 900},
                                      locale="nl-NL")
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console {m.text}"))
        log_in(page, served, "analist.enschede")
        page.goto(served + "/kaart/")
        wait_until(page, "window.__kpMap && window.__kpMap.ready === true")

        page.select_option("#map-theme", "drugsdump")
        page.select_option("#map-months", "60")
        page.check("#layer-hotspots")
        wait_until(page, "window.__kpMap.timings.hotspotsRendered")
        assert page.evaluate("window.__kpMap.hotspotCells") > 0
        assert "Hotspots (Gi*)" in page.inner_text("#map-legend")
        assert "Getis-Ord Gi*" in page.inner_text("#map-method")
        assert "drugsdump" in page.inner_text("#map-method")

        # Click the middle of a cell: the most significant one the source holds.
        page.evaluate("""(() => { const m = window.__kpMap.map;
            const cells = [...window.__kpMap.hotspotFeatures];
            cells.sort((a, b) => Math.abs(b.properties.class) - Math.abs(a.properties.class));
            const ring = cells[0].geometry.coordinates[0];
            const centre = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
            window.__kpMap.cellCentre = centre;
            m.jumpTo({center: centre, zoom: 14}); })()""")
        page.locator("#kp-map").scroll_into_view_if_needed()
        wait_until(page, "window.__kpMap.map.loaded()")
        x, y = page.evaluate("""(() => { const m = window.__kpMap.map;
            const p = m.project(window.__kpMap.cellCentre); return [p.x, p.y]; })()""")
        box = page.locator("#kp-map canvas").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        title = page.locator(".maplibregl-popup .map-popup__title")
        title.wait_for(timeout=30_000)
        assert title.inner_text().startswith("Hotspotcel ")
        popup = page.inner_text(".maplibregl-popup")
        for label in ("Aantal in de cel", "z", "p (FDR)", "Klasse"):
            assert label in popup
        assert re.search(r"hotspot \d\d %|coldspot \d\d %|niet significant", popup)
        assert "niet getoond" not in popup  # an analyst sees z and p

        assert page.evaluate("window.__problems") == []
        assert errors == []
        browser.close()


def test_analyst_switches_on_incidents_and_cases_and_reads_their_popups(served, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser, page, errors = _open_map(p, chromium, served, "analist.enschede")
        page.select_option("#map-months", "60")

        for layer, field, legend, title in (
                ("events", "#layer-events", "Politie-incidenten (ruiten)", r"Incident \d+"),
                ("cases", "#layer-cases", "Casussen (vierkanten)", r"CAS-\d{4}-[A-Z0-9]+")):
            page.check(field)  # a real checkbox of the layer switcher
            wait_until(page, f"window.__kpMap.layers.{layer} && "
                       f"window.__kpMap.layers.{layer}.rendered")
            assert page.evaluate(f"window.__kpMap.layers.{layer}.count") > 0, layer
            assert legend in page.inner_text("#map-legend")
            # The keyboard: centre the first point, focus the map, Enter opens its popup.
            page.evaluate(f"""window.__kpMap.map.jumpTo({{
                center: window.__kpMap.pointLayers.{layer}.lngLat(0), zoom: 15}})""")
            page.locator("#kp-map").scroll_into_view_if_needed()
            page.locator("#kp-map canvas").focus()
            page.keyboard.press("Escape")
            page.keyboard.press("Enter")
            heading = page.locator(".maplibregl-popup .map-popup__title")
            heading.wait_for(timeout=30_000)
            assert re.fullmatch(title, heading.inner_text()), heading.inner_text()
            page.uncheck(field)

        assert page.evaluate("window.__problems") == []
        assert errors == []
        browser.close()


def test_bestuurder_sees_areas_and_no_point_layer(served, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium)
        page = browser.new_context(locale="nl-NL").new_page()
        log_in(page, served, "burgemeester.enschede")
        page.goto(served + "/kaart/")
        wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
        for field in ("#layer-points", "#layer-events", "#layer-cases"):
            assert page.locator(field).count() == 0
        assert page.locator("#layer-areas").is_checked()
        status = page.evaluate("""fetch('/api/v1/map/points/signals',
            {credentials: 'same-origin'}).then(r => r.status)""")
        assert status == 403
        browser.close()
