"""Issue 14's "done when", walked as a new user would: Debian's chromium under Playwright
against a small demo served by `knooppunt serve` (one year of signals at a fifth of the
volume; the rural municipality keeps its five years, `demo.rural`).

1. The RIEC analyst finds the drug-dump hotspots of Twente, clicks a cell on the map,
   runs the area scan of an Enschede wijk chosen by its name and prints it (the report
   the scan page links to, HTML with the page's numbers).
2. The coordinator of Hof van Twente (rural) gets the vulnerable places with the reasons
   of each score and the validation table, and records a visit.
3. The mayor of Enschede sees only aggregates: no point layer, no addresses of vulnerable
   places, suppressed area scan, aggregate-only hotspots.
4. A month of the Toronto events (`../shared/data/events/`) is imported through
   `knooppunt import_events` (the dataset's profile) and their hotspots computed through
   /api/v1/hotspots.

Nothing is skipped: a missing chromium or data file is a failure.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, knooppunt, serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import (  # noqa: E402
    CENTRE_OF_STRONGEST_CELL,
    CSP_LISTENER,
    chromium_path,
    click_map_at,
    launch,
    log_in,
    wait_until,
)

VENDOR = ROOT / "src" / "knooppunt" / "web" / "static" / "vendor" / "maplibre-gl"
TORONTO_NAMES = ("shared/data/events/toronto_mci_2014_2020.csv",)
WIJK = "Enschede – Wijk 02 Boswinkel - Stadsveld"


# A place of the map's vulnerable-places layer brought into view: its point, or null.
PLACE_IN_VIEW = """(id) => {
  const found = window.__kpMap.vulnerableFeatures.find((f) => f.id === id);
  if (!found) { return null; }
  window.__kpMap.map.jumpTo({center: found.geometry.coordinates, zoom: 15});
  return found.geometry.coordinates;
}"""


def toronto_file() -> Path:
    """The Toronto events beside the repository (CI lays shared/ there), or the
    workplace's copy."""
    for base in (ROOT.parent, Path("/work")):
        for name in TORONTO_NAMES:
            if (base / name).is_file():
                return base / name
    raise AssertionError("../shared/data/events/toronto_mci_2014_2020.csv ontbreekt")


@pytest.fixture(scope="module")
def chromium():
    path = chromium_path(install=True)
    assert path, "chromium ontbreekt en tools/install_chromium.sh kon het niet installeren"
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory, chromium):
    assert (VENDOR / "maplibre-gl.mjs").exists(), (
        "MapLibre is not built: run ./run.sh test, or `npm ci && npm run build` in frontend/")
    env = demo_env(tmp_path_factory, "wheredone")
    tmp = tmp_path_factory.mktemp("where-done-when")
    with serve(env) as base:
        yield base, env, tmp


@pytest.fixture
def browser_page(chromium):
    """A fresh browser context (nl-NL) whose script errors and CSP violations are kept."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium)
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="nl-NL")
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(
            f"console {m.text} {m.location.get('url', '')}"))
        yield page, errors
        browser.close()


def _problems(page) -> list[str]:
    return page.evaluate("window.__problems || []")


def test_analyst_hotspots_cell_area_scan_by_name_and_print(demo, browser_page):
    base, _env, _tmp = demo
    page, errors = browser_page
    log_in(page, base, "analist.riec")

    # Hotspots: the region by name, the theme, a cell size.
    page.click("nav.site-nav >> text=Hotspots")
    page.fill("#id_gebied", "Twente")
    page.select_option("#id_thema", "drugsdump")
    page.select_option("#id_cel", "500")
    with page.expect_navigation(timeout=180_000):
        page.click("form.dash-filters button[type=submit]")
    heading = page.inner_text("#hotspot-map-title")
    assert heading.startswith("Hotspots in Twente"), heading
    method = page.inner_text("figure.dash-map figcaption")
    for part in ("Getis-Ord Gi*", "Benjamini-Hochberg", "Kerndichtheid", "drugsdump"):
        assert part in method, (part, method)

    # The same hotspots on the interactive map; a click on a cell says what it is.
    page.click("text=Bekijk op de interactieve kaart")
    wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
    wait_until(page, "window.__kpMap.hotspotFeatures")
    assert page.is_checked("#layer-hotspots")
    title, popup = click_map_at(page, page.evaluate(CENTRE_OF_STRONGEST_CELL))
    assert title.startswith("Hotspotcel "), title
    assert "Aantal in de cel" in popup and "p (FDR)" in popup

    # Area scan of an Enschede wijk picked by its name, as a person reads the list.
    page.click("nav.site-nav >> text=Gebiedsscan")
    page.select_option("#id_gebied", label=WIJK)
    with page.expect_navigation(timeout=60_000):
        page.click("form.area-scan-form button[type=submit]")
    assert page.locator("main h2", has_text="Boswinkel - Stadsveld").count() == 1, \
        page.inner_text("main")[:1500]
    body = page.inner_text("main")
    for table in ("Gebouwen naar gebruiksdoel", "Signalen"):
        assert table in body, table
    assert page.locator("figure.map svg").count() == 1
    scan_tables = page.locator("section.dash-panel").count()
    assert scan_tables >= 4

    # Print: the scan's link opens the report form with the kind and the wijk chosen.
    page.click("text=Afdrukken als rapportage")
    assert page.eval_on_selector("#id_soort", "s => s.value") == "gebiedsscan"
    wijk_code = page.eval_on_selector("#id_gebied", "s => s.value")
    assert re.fullmatch(r"WK0153\d\d", wijk_code), wijk_code
    with page.expect_navigation(timeout=180_000):
        page.click("form button[type=submit] >> text=/Rapportage maken|Maken/")
    assert "Boswinkel - Stadsveld" in page.inner_text("main")
    pdf = page.get_attribute("a >> text=PDF downloaden", "href")
    page.click("text=Afdrukversie")
    page.wait_for_load_state("load")
    printed = page.inner_text("body")
    assert "Boswinkel - Stadsveld" in printed and "Vastgoed" in printed, printed[:1500]
    download = page.request.get(base + pdf)
    assert download.ok and download.body().startswith(b"%PDF")

    assert _problems(page) == []
    assert errors == [], errors


def test_rural_coordinator_gets_places_with_reasons_and_records_a_visit(demo, browser_page):
    base, _env, _tmp = demo
    page, errors = browser_page
    log_in(page, base, "coordinator.hof-van-twente")
    page.click("nav.site-nav >> text=Kwetsbare plekken")
    assert page.inner_text("h1") == "Kwetsbare plekken buitengebied: Hof van Twente"
    places = page.locator("ol.vp-places > li")
    assert places.count() >= 10
    first = places.first
    assert "Hof van Twente" in first.locator("h3").inner_text()
    reasons = first.locator("table.vp-reasons tbody tr")
    assert reasons.count() >= 1  # each factor with its value and contribution
    assert re.search(r"× \d+,\d\d", reasons.first.inner_text())
    for row in reasons.all():  # values as the place has them, not the model's log scale
        text = row.inner_text()
        if text.startswith("Vloeroppervlakte"):
            assert "m²" in text, text
        if text.startswith(("Agrarisch", "Leegstand", "Energie-afwijking")):
            assert re.search(r"\tja\t", text), text
    # The validation beside the list: the model against the two simple baselines.
    validation = page.locator("table.vp-validation tbody tr")
    assert validation.count() == 3, page.inner_text("aside.vp-aside")
    assert page.locator("table.vp-factors").count() == 1

    place_id = first.get_attribute("id")
    first.locator("select[name=step]").select_option(label="Bezocht")
    first.locator("select[name=outcome]").select_option(label="Geen bevindingen")
    with page.expect_navigation():
        first.locator("button[type=submit]").click()
    again = page.locator(f"#{place_id}")
    assert "Laatste stap: Bezocht (Geen bevindingen)" in again.inner_text(), \
        page.inner_text("main")[:1500]

    # The same places on the interactive map: a click on a place shows its class, its
    # reasons and the visit just recorded.
    page.click("text=Bekijk de plekken op de interactieve kaart")
    wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
    wait_until(page, "window.__kpMap.vulnerableFeatures", timeout=180)
    assert page.is_checked("#layer-vulnerable")
    visited = int(place_id.removeprefix("plek-"))
    centre = page.evaluate(PLACE_IN_VIEW, visited)
    assert centre, "the visited place is not among the top 10 % on the map"
    title, popup = click_map_at(page, centre)
    assert title.startswith("Kwetsbare plek "), title
    for part in ("Klasse", "hoogste", "Redenen", "×", "Bezocht (Geen bevindingen)"):
        assert part in popup, (part, popup)
    assert _problems(page) == []
    assert errors == [], errors


def test_mayor_sees_only_aggregates(demo, browser_page):
    base, _env, _tmp = demo
    page, errors = browser_page
    log_in(page, base, "burgemeester.enschede")

    page.goto(base + "/kaart/")
    wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
    for field in ("#layer-points", "#layer-events", "#layer-cases"):
        assert page.locator(field).count() == 0, field
    status = page.evaluate("""fetch('/api/v1/map/points/signals',
        {credentials: 'same-origin'}).then(r => r.status)""")
    assert status == 403
    assert page.locator("#layer-vulnerable").count() == 0
    status = page.evaluate("""fetch('/api/v1/map/vulnerable-places?municipality=GM1735',
        {credentials: 'same-origin'}).then(r => r.status)""")
    assert status == 403

    page.click("nav.site-nav >> text=Kwetsbare plekken")
    text = page.inner_text("main")
    assert "Kwetsbare plekken per gemeente" in text
    assert page.locator("ol.vp-places").count() == 0
    assert page.locator("form.vp-visit-form").count() == 0
    assert not re.search(r"\b\d{4} ?[A-Z]{2}\b", text), text  # no postcode, no address

    page.goto(base + "/gebiedsscan/")
    page.select_option("#id_gebied", label=WIJK)
    with page.expect_navigation(timeout=60_000):
        page.click("form.area-scan-form button[type=submit]")
    assert "U ziet geaggregeerde cijfers" in page.inner_text("main")

    answer = page.evaluate("""fetch('/api/v1/hotspots?area=GM0153&cellSize=500',
        {credentials: 'same-origin'}).then(r => r.json())""")
    assert answer["aggregateOnly"] is True
    assert all(f["properties"]["z"] is None for f in answer["features"])
    assert _problems(page) == []
    # The one failed load is the refusal of the points asked for above.
    assert [e for e in errors if "/api/v1/map/points/signals" not in e
            and "/api/v1/map/vulnerable-places" not in e] == [], errors


def test_toronto_events_import_and_their_hotspots_compute(demo, browser_page):
    base, env, tmp = demo
    source = toronto_file()
    month = tmp / "toronto_2020_12.csv"
    with source.open(newline="") as whole, month.open("w", newline="") as part:
        rows = csv.reader(whole)
        out = csv.writer(part)
        out.writerow(next(rows))
        kept = sum(out.writerow(r) is not None for r in rows if r[0].startswith("2020-12"))
    assert 1500 < kept < 5000, kept
    done = subprocess.run(knooppunt(  # noqa: S603
        "import_events", str(month), "--dataset", "toronto-mci", "--organisation",
        "Politie Oost-Nederland", "--crs", "2952", "--country", "CA", "--area",
        "43.57,43.87,-79.65,-79.10", "--code-list", "toronto-mci",
        "--name", "Toronto Major Crime Indicators"),
        env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"opgeslagen: {kept}" in done.stdout, done.stdout

    page, errors = browser_page
    log_in(page, base, "medewerker.politie")
    answer = page.evaluate("""fetch('/api/v1/hotspots?points=events&dataset=toronto-mci'
        + '&start=2020-12-01&end=2020-12-31&cellSize=500',
        {credentials: 'same-origin'}).then(async r => [r.status, await r.json()])""")
    status, body = answer
    assert status == 200, body
    assert body["method"]["events"] == kept
    assert body["method"]["crs"] == "EPSG:2952"
    assert sum(f["properties"]["count"] for f in body["features"]) == kept
    assert any(f["properties"]["class"] == 3 for f in body["features"])
    west, south = body["features"][0]["geometry"]["coordinates"][0][0]
    assert -79.8 < west < -79.0 and 43.5 < south < 43.9  # Toronto, in WGS84
    assert errors == [], errors
