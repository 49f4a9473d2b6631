"""Shared by tools/browser_check.py, the map's browser test and benchmarks/map_benchmark.py:
Debian's chromium under Playwright, the demo login, and waiting without eval.

Knooppunt's Content-Security-Policy forbids eval, so Playwright's `wait_for_function`
(which evaluates a string inside the page) cannot run there; `wait_until` polls with
`page.evaluate` instead, which the DevTools protocol runs outside the policy.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

INSTALL_SCRIPT = Path(__file__).with_name("install_chromium.sh")
PASSWORD = "knooppunt-demo"  # noqa: S105 - the demo accounts' published password (README)


def chromium_path(install: bool = False) -> str | None:
    """Debian's chromium; with `install`, try tools/install_chromium.sh once when missing."""
    found = shutil.which("chromium")
    if found or not install:
        return found
    try:
        subprocess.run(["bash", str(INSTALL_SCRIPT)], check=True, timeout=900,  # noqa: S603, S607
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return shutil.which("chromium")


def launch(playwright, executable: str | None = None):
    return playwright.chromium.launch(executable_path=executable or shutil.which("chromium"),
                                      args=["--no-sandbox"])


def _demo_code(page) -> str | None:
    found = re.search(r"(\d{6})", page.inner_text(".demo-code") or "") \
        if page.query_selector(".demo-code") else None
    return found.group(1) if found else None


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """The demo login: password and, for roles that need it, the code the page shows.

    A one-time code is refused when it was used already (django-otp stops replays), so
    two logins of one account within the same 30-second step would fail the second:
    then wait for the next code and log in again."""
    used = None
    for _attempt in range(2):
        page.goto(base + "/inloggen/")
        code = _demo_code(page)
        deadline = time.monotonic() + 35
        while code is not None and code == used and time.monotonic() < deadline:
            time.sleep(1)
            page.goto(base + "/inloggen/")
            code = _demo_code(page)
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        if code:
            page.fill("#id_otp_token", code)
        page.click("form.form button[type=submit]")
        page.wait_for_load_state("networkidle")
        if code is None or "/inloggen/" not in page.url:
            return
        used = code


def wait_until(page, expression: str, timeout: float = 60.0, interval: float = 0.01):
    """Poll a JavaScript expression until it is truthy; its value, or TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout:.0f} s: {expression}")
        time.sleep(interval)


def click_map_at(page, lng_lat: list[float], timeout_ms: int = 30_000) -> tuple[str, str]:
    """Click the interactive map (`window.__kpMap`) where it draws `lng_lat`, as a person
    would with the mouse; the popup's (title, whole text) once it shows."""
    page.locator("#kp-map").scroll_into_view_if_needed()
    wait_until(page, "window.__kpMap.map.loaded()")
    x, y = page.evaluate("c => { const p = window.__kpMap.map.project(c); "
                         "return [p.x, p.y]; }", lng_lat)
    box = page.locator("#kp-map canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    title = page.locator(".maplibregl-popup .map-popup__title")
    title.wait_for(timeout=timeout_ms)
    return title.inner_text(), page.inner_text(".maplibregl-popup")


# The node's position on the canvas once it stays put for two frames (under load the
# canvas may still be settling); null while it moves.
_STEADY_NODE = """(id) => new Promise(resolve => {
  const cy = window.__kpNetwork.cy;
  const node = cy.getElementById(id);
  const at = () => { const p = node.renderedPosition(); return [p.x, p.y]; };
  const first = at();
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const second = at();
    resolve(first[0] === second[0] && first[1] === second[1] ? second : null);
  }));
})"""

# Records what the next tap on the network lands on: a node's id, or "background".
_RECORD_TAP = """() => { window.__kpTap = null; const cy = window.__kpNetwork.cy;
  cy.one('tap', (e) => { window.__kpTap = e.target === cy ? 'background' : e.target.id(); }); }"""


def click_network_node(page, node_id: str, expansions: int, timeout: float = 120.0) -> None:
    """Click a node of the network view (`window.__kpNetwork`) with the mouse, as a person
    would, and wait until the page has expanded it (`expansions` in all).

    A click that demonstrably lands elsewhere (the tap reaches the background or another
    node: the canvas moved or the browser delivered the event late) is tried again, up to
    three times; a click on the node that does not expand it fails at once, with what the
    page said."""
    page.locator("#kp-network").scroll_into_view_if_needed()
    # Centred, so the point is inside the view. The script returns nothing: Playwright
    # would serialise the Cytoscape instance that center() returns.
    page.evaluate("(id) => { const cy = window.__kpNetwork.cy; cy.center(cy.getElementById(id)); }",
                  node_id)
    missed: list[str] = []
    for _attempt in range(3):
        deadline = time.monotonic() + 30
        while not (found := page.evaluate(_STEADY_NODE, node_id)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{node_id} kept moving for 30 s")
            page.wait_for_timeout(200)
        box = page.locator("#kp-network").bounding_box()
        page.evaluate(_RECORD_TAP)
        page.mouse.click(box["x"] + found[0], box["y"] + found[1])
        try:
            tapped = wait_until(page, "window.__kpTap", timeout=15)
        except TimeoutError:
            tapped = None
        if tapped == node_id:
            done = wait_until(page, f"window.__kpNetwork.expansions >= {expansions} "
                                    "|| window.__kpNetwork.errors.length > 0 && 'error'", timeout)
            errors = page.evaluate("window.__kpNetwork.errors")
            assert done is True and errors == [], (
                f"expanding {node_id}: {errors}, {page.inner_text('#network-status')!r}")
            return
        missed.append(f"{tapped} at {found}, box {box}")
    raise AssertionError(f"three clicks on {node_id} did not reach it: {missed}")


# The most significant cell of the map's hotspot layer: its centre, brought into view.
CENTRE_OF_STRONGEST_CELL = """(() => {
  const probe = window.__kpMap;
  const strongest = probe.hotspotFeatures.reduce((best, cell) =>
      Math.abs(cell.properties.class) > Math.abs(best.properties.class) ? cell : best);
  const [sw, , ne] = strongest.geometry.coordinates[0];
  const centre = [(sw[0] + ne[0]) / 2, (sw[1] + ne[1]) / 2];
  probe.map.jumpTo({center: centre, zoom: 13});
  return centre;
})()"""


# Collects Content-Security-Policy violations in `window.__problems`, so a browser test can
# assert that a page ran without any (add with `page.add_init_script(CSP_LISTENER)`).
CSP_LISTENER = """window.__problems = [];
document.addEventListener('securitypolicyviolation', e => window.__problems.push(
  'CSP ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""
