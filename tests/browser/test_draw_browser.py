"""Drawing an area for the gebiedsscan in a real browser (issue 14 item 5): Debian's
chromium under Playwright, on a small served demo (`tests/served_demo.py`). An analyst
opens /gebiedsscan/, clicks four corners on the map (draw.js), asks for the scan and
reads it; a bow tie is refused with its reason. No CSP violation, no script error."""

from __future__ import annotations

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
    env = demo_env(tmp_path_factory, "drawbrowser")
    with serve(env) as base:
        yield base


def _click_corners(page, offsets: list[tuple[float, float]]) -> None:
    """Click at fractions of the map's box (0..1 from its top left corner)."""
    page.locator("#kp-draw-map").scroll_into_view_if_needed()
    box = page.locator("#kp-draw-map canvas").bounding_box()
    for fx, fy in offsets:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(350)  # two quick clicks would be one double click


def test_analyst_draws_an_area_and_gets_its_scan(served, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium)
        context = browser.new_context(viewport={"width": 1200, "height": 900},
                                      locale="nl-NL")
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(
            f"console {m.text} {m.location.get('url', '')}"))
        log_in(page, served, "analist.enschede")
        page.goto(served + "/gebiedsscan/")
        wait_until(page, "window.__kpDraw && window.__kpDraw.ready === true")
        # The middle of Enschede, close enough that the square lies inside it.
        page.evaluate("window.__kpDraw.map.jumpTo({center: [6.8937, 52.2215], zoom: 13})")
        wait_until(page, "window.__kpDraw.map.loaded()")
        assert page.locator("[data-draw-submit]").is_disabled()
        _click_corners(page, [(0.35, 0.35), (0.65, 0.35), (0.65, 0.65), (0.35, 0.65)])
        assert page.evaluate("window.__kpDraw.corners.length") == 4
        assert "Hoekpunten: 4" in page.inner_text("#draw-status")
        page.click("[data-draw-submit]")
        page.wait_for_load_state("load")
        heading = page.locator("main h2").filter(has_text="getekend gebied")
        heading.wait_for(timeout=60_000)
        body = page.inner_text("main")
        assert "Gebouwen naar gebruiksdoel" in body and "km²" in heading.inner_text()
        assert page.locator("figure.map svg").count() == 1  # the server's map of the area
        # The polygon is drawn again on the map of the answer page.
        wait_until(page, "window.__kpDraw && window.__kpDraw.ready === true")
        assert page.evaluate("window.__kpDraw.corners.length") == 4

        assert errors == [], errors
        # A bow tie: corners in the wrong order. Refused with the reason, not repaired.
        page.click("[data-draw-clear]")
        _click_corners(page, [(0.35, 0.35), (0.65, 0.65), (0.65, 0.35), (0.35, 0.65)])
        page.click("[data-draw-submit]")
        page.wait_for_load_state("load")
        summary = page.locator(".error-summary")
        summary.wait_for(timeout=60_000)
        assert "geen geldige veelhoek" in summary.inner_text()

        assert page.evaluate("window.__problems") == []
        # The refusal is the page's own status 400, which chromium reports as a failed load.
        assert all("status of 400" in e and "/gebiedsscan/?veelhoek=" in e
                   for e in errors), errors
        browser.close()
