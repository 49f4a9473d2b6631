"""The analyst's hotspot question in a real browser (issue 14, "done when"): Debian's
chromium under Playwright, against a small demo served by `knooppunt serve`.

An RIEC analyst opens *Hotspots*, types the region's name ("Twente") in the area picker,
chooses the theme drugsdump and a cell size, computes: the map of the last 24 months
comes with the method, period and data under it. From there *Bekijk op de interactieve
kaart* opens the map with the same area as its hotspot layer; the analyst asks for 24
months, clicks a cell and reads what it is (count, z, p, class). Skipped only when chromium
is missing and `tools/install_chromium.sh` cannot install it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import (  # noqa: E402
    CENTRE_OF_STRONGEST_CELL,
    chromium_path,
    click_map_at,
    launch,
    log_in,
    wait_until,
)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if chromium_path(install=True) is None:
        pytest.skip("chromium ontbreekt en tools/install_chromium.sh kon het niet installeren")
    env = demo_env(tmp_path_factory, "hotspotbrowser")
    with serve(env) as base:
        yield base


def test_analyst_finds_the_drugsdump_hotspots_of_twente_and_reads_a_cell(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path())
        page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="nl-NL")
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console {m.text}"))
        log_in(page, served, "analist.riec")
        with page.expect_navigation():  # count the options of the loaded page, not of a half one
            page.click("nav.site-nav >> text=Hotspots")
        assert page.locator("#id_gebied-keuzes option[value='Twente · VR05']").count() == 1
        page.fill("#id_gebied", "Twente")
        page.select_option("#id_thema", "drugsdump")
        page.select_option("#id_cel", "500")
        with page.expect_navigation(timeout=180_000):  # a region's grid takes a while
            page.click("form.dash-filters button[type=submit]")
        assert page.locator("#hotspot-map-title").count() == 1, page.inner_text("main")[:1500]
        heading = page.inner_text("#hotspot-map-title")
        assert heading.startswith("Hotspots in Twente"), heading
        assert page.locator("figure.dash-map svg rect").count() > 0
        method = page.inner_text("figure.dash-map figcaption")
        for part in ("Getis-Ord Gi*", "500 m", "Benjamini-Hochberg", "Kerndichtheid",
                     "Periode", "drugsdump"):
            assert part in method, (part, method)
        start, end = re.search(r"Periode (\d{4}-\d\d-\d\d) – (\d{4}-\d\d-\d\d)",
                               method).groups()
        assert int(end[:4]) * 12 + int(end[5:7]) - (int(start[:4]) * 12
                                                    + int(start[5:7])) == 23  # 24 months

        page.click("text=Bekijk op de interactieve kaart")
        wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
        assert page.is_checked("#layer-hotspots")
        assert page.eval_on_selector("#map-hotspot-area", "s => s.value") == "VR05"
        wait_until(page, "window.__kpMap.hotspotFeatures")
        page.evaluate("window.__kpMap.hotspotFeatures = null")
        page.select_option("#map-months", "24")
        wait_until(page, "window.__kpMap.hotspotFeatures")
        assert "Twente" in page.inner_text("#map-method")

        title, popup = click_map_at(page, page.evaluate(CENTRE_OF_STRONGEST_CELL))
        assert title.startswith("Hotspotcel "), title
        assert "Aantal in de cel" in popup and "p (FDR)" in popup
        assert re.search(r"hotspot \d\d %|coldspot \d\d %|niet significant", popup)
        assert errors == []
        browser.close()
