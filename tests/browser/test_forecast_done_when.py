"""Issue 15's "done when", walked as a new user would: Debian's chromium under Playwright
against a demo served by `knooppunt demo` + `knooppunt serve` with three years of signals
at 0.6 of the volume (enough hennep the analyst may see in Twente for 24 months of history
and 120 signals a year; `knooppunt demo` evaluates that forecast while it builds).

The RIEC analyst opens the forecast of hennep signals in Twente from the menu, sees the
evaluation first and the map after, clicks the strongest cell and reads its explanation,
records a decision on it, opens the model card; a forecast for Enschede alone (too few
signals) shows the refusal with its reason and the baseline. The same analyst chooses an
event type instead of a theme — drug trafficking in the police's demo incidents, which
`knooppunt demo` evaluates too (decision 0057) —, and a grid operator's employee, who
reads no police incidents, is not offered them. Nothing is skipped: a
missing chromium is a failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import CSP_LISTENER, chromium_path, launch, log_in, wait_until  # noqa: E402

# One worker walks them all: the other would only wait for the 3-year demo's build.
pytestmark = pytest.mark.xdist_group("forecast-demo")
VENDOR = ROOT / "src" / "knooppunt" / "web" / "static" / "vendor" / "maplibre-gl"
# The strongest cell of the forecast, brought into view; its centre.
CENTRE_OF_TOP_CELL = """(() => {
  const probe = window.__kpForecast;
  const top = probe.answer.features.reduce((best, cell) =>
      cell.properties.forecast > best.properties.forecast ? cell : best);
  const [sw, , ne] = top.geometry.coordinates[0];
  const centre = [(sw[0] + ne[0]) / 2, (sw[1] + ne[1]) / 2];
  probe.map.jumpTo({center: centre, zoom: 13});
  return centre;
})()"""


@pytest.fixture(scope="module")
def chromium():
    path = chromium_path(install=True)
    assert path, "chromium ontbreekt en tools/install_chromium.sh kon het niet installeren"
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory, chromium):
    assert (VENDOR / "maplibre-gl.mjs").exists(), (
        "MapLibre is not built: run ./run.sh test, or `npm ci && npm run build` in frontend/")
    env = demo_env(tmp_path_factory, "forecastdone", years="3", scale="0.6")
    with serve(env) as base:
        yield base


@pytest.fixture
def page(chromium):
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
        page.errors = errors
        yield page
        browser.close()


def _choose(page, area_label: str, target: str = "hennepteelt") -> None:
    page.select_option("#forecast-theme", target)
    page.select_option("#forecast-area", label=area_label)
    with page.expect_navigation(timeout=120_000):
        page.click("#forecast-form button[type=submit]")


def test_analyst_opens_a_hennep_forecast_for_twente_evaluation_first(demo, page):
    log_in(page, demo, "analist.riec")
    page.click("nav.site-nav >> text=Voorspellingen")
    _choose(page, "Twente")

    # The evaluation first: per month hit rate and PAI at 1 % and 5 %, with definitions.
    evaluation = page.locator("#forecast-evaluation")
    text = evaluation.inner_text()
    assert "Getoonde methode:" in text and "nog niet geëvalueerd" not in text, text[:600]
    tables = evaluation.locator("table")
    assert tables.count() == 4  # hit rate and PAI at 1 % and 5 %
    assert tables.first.locator("thead th").count() == 14  # method, 12 months, mean
    assert "Predictive Accuracy Index" in page.inner_text("main")
    map_box = page.locator("#forecast-map").bounding_box()
    assert evaluation.bounding_box()["y"] < map_box["y"]

    # The map after: cells of the shown method; a click on the strongest explains it.
    wait_until(page, "window.__kpForecast && (window.__kpForecast.ready || "
                     "window.__kpForecast.errors.length)", timeout=180)
    assert page.evaluate("window.__kpForecast.errors") == []
    reason = page.inner_text("#forecast-reason")
    assert "Getoonde methode:" in reason and "Gegevens: signalen:hennepteelt:VR05" in reason
    centre = page.evaluate(CENTRE_OF_TOP_CELL)
    wait_until(page, "window.__kpForecast.map.loaded()")
    x, y = page.evaluate("c => { const p = window.__kpForecast.map.project(c); "
                         "return [p.x, p.y]; }", centre)
    page.locator("#forecast-map").scroll_into_view_if_needed()
    box = page.locator("#forecast-map canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    wait_until(page, "window.__kpForecast.explained || window.__kpForecast.errors.length",
               timeout=180)
    assert page.evaluate("window.__kpForecast.errors") == []
    explained = page.inner_text("#forecast-explanation-body")
    for part in ("Cel ", "Basislijnen en model in deze cel", "last_12_months",
                 "Grootste bijdragen", "gebeurtenissen in de cel"):
        assert part in explained, (part, explained)
    assert page.locator("#forecast-wijken tbody tr").count() > 50  # the wijken of Twente
    # The same forecast per wijk as a map layer (decision 0056).
    page.check("input[name=forecast-layer][value=wijken]")
    wait_until(page, "window.__kpForecast.layer === 'wijken'")
    assert page.evaluate("window.__kpForecast.map.getLayoutProperty('wijken-fill', "
                         "'visibility')") == "visible"
    assert page.evaluate("window.__kpForecast.wijken.features.length") > 50
    assert "Buiten de wijken:" in page.inner_text("#forecast-outside")
    page.check("input[name=forecast-layer][value=cells]")
    wait_until(page, "window.__kpForecast.layer === 'cells'")

    # A decision on that cell, listed under the forecast.
    assert page.input_value("#decision-cell").startswith("500m_E")
    page.select_option("#decision-kind", "extra_controle")
    page.fill("#decision-note", "Controle samen met de netbeheerder")
    with page.expect_navigation():
        page.click("#forecast-decision-form button[type=submit]")
    assert "Het besluit is vastgelegd." in page.inner_text("main")
    assert "Controle samen met de netbeheerder" in page.inner_text("#besluiten")

    # A past month beside what happened in it; no decisions on a past month.
    page.select_option("#forecast-month", index=1)
    with page.expect_navigation(timeout=120_000):
        page.click("#forecast-form button[type=submit]")
    wait_until(page, "window.__kpForecast && (window.__kpForecast.ready || "
                     "window.__kpForecast.errors.length)", timeout=180)
    assert page.evaluate("window.__kpForecast.errors") == []
    assert "Vergeleken met wat er gebeurde" in page.inner_text("#forecast-reason")
    assert page.evaluate("!!window.__kpForecast.map.getLayer('cells-actual')")
    assert page.locator("#forecast-decision-form").count() == 0

    # The model card, from the forecast page.
    page.click("#model-card-link")
    assert page.inner_text("main h1").startswith("Modelkaart")
    assert "Algoritmeregister" in page.inner_text("main")
    assert "vacant_share" in page.inner_text("main")  # the register features in the card
    assert page.locator("#register-pdf-link").count() == 1
    assert page.evaluate("window.__problems") == [] and page.errors == []


def test_too_few_signals_are_refused_with_the_reason_and_the_baseline(demo, page):
    log_in(page, demo, "analist.enschede")
    page.goto(demo + "/voorspellingen/")
    _choose(page, "Enschede")
    wait_until(page, "window.__kpForecast && (window.__kpForecast.ready || "
                     "window.__kpForecast.errors.length)", timeout=180)
    reason = page.inner_text("#forecast-reason")
    assert "Geweigerd:" in reason and "minstens 120 nodig" in reason, reason
    assert "last_12_months" in reason
    assert page.evaluate("window.__kpForecast.answer.features.length") > 100
    assert page.evaluate("window.__problems") == [] and page.errors == []


def test_analyst_forecasts_drug_trafficking_incidents_instead_of_a_theme(demo, page):
    log_in(page, demo, "analist.riec")
    page.goto(demo + "/voorspellingen/")
    options = page.eval_on_selector_all(
        "#forecast-theme optgroup", "groups => groups.map(g => [g.label, g.children.length])")
    assert [label for label, _n in options] == ["Signalen per thema", "Politie-incidenten"]
    _choose(page, "Twente", "incidenten:demo-vr05:3.1.1")
    evaluation = page.locator("#forecast-evaluation")
    text = evaluation.inner_text()
    assert "Drugshandel in Twente" in text and "Getoonde methode:" in text, text[:600]
    assert "nog niet geëvalueerd" not in text
    assert evaluation.locator("table").count() == 4
    wait_until(page, "window.__kpForecast && (window.__kpForecast.ready || "
                     "window.__kpForecast.errors.length)", timeout=180)
    assert page.evaluate("window.__kpForecast.errors") == []
    reason = page.inner_text("#forecast-reason")
    assert "Gegevens: incidenten:demo-vr05:3.1.1:VR05" in reason, reason
    assert page.evaluate("window.__kpForecast.answer.target.offence") == "3.1.1"
    assert page.evaluate("window.__kpForecast.answer.features.length") > 1000
    # The decision form keeps the target: recorded on drug trafficking, not on a theme.
    assert page.input_value("#forecast-decision-form input[name=doel]") == \
        "incidenten:demo-vr05:3.1.1"
    page.select_option("#decision-kind", "preventie")
    with page.expect_navigation():
        page.click("#forecast-decision-form button[type=submit]")
    assert "Het besluit is vastgelegd." in page.inner_text("main")
    assert page.input_value("#forecast-theme") == "incidenten:demo-vr05:3.1.1"
    assert page.evaluate("window.__problems") == [] and page.errors == []


def test_who_reads_no_police_incidents_is_not_offered_them(demo, page):
    log_in(page, demo, "medewerker.netbeheerder")
    page.goto(demo + "/voorspellingen/")
    values = page.eval_on_selector_all("#forecast-theme option", "os => os.map(o => o.value)")
    assert "hennepteelt" in values
    assert not [v for v in values if v.startswith("incidenten")]
    page.goto(demo + "/voorspellingen/?doel=incidenten:demo-vr05:3.1.1&gebied=GM0153")
    assert "Onbekend incidentenbestand" in page.inner_text("main")
    assert page.evaluate("window.__problems") == [] and page.errors == []


def test_the_forecast_is_a_layer_of_the_interactive_map_too(demo, page):
    log_in(page, demo, "analist.riec")
    page.goto(demo + "/kaart/?voorspelling=1&thema=hennepteelt&gebied=VR05")
    wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
    wait_until(page, "window.__kpMap.forecast || window.__kpMap.errors.length", timeout=180)
    answer = page.evaluate("({n: window.__kpMap.forecast.features.length, "
                           "method: window.__kpMap.forecast.method, "
                           "target: window.__kpMap.forecast.target.code})")
    assert answer["n"] > 1000 and answer["target"] == "hennepteelt", answer
    assert "Voorspelling volgende maand (cellen van 500 m)" in page.inner_text("#map-legend")
    assert f"getoonde methode {answer['method']}" in page.inner_text("#map-status")
    # The strongest cell's popup links to its evaluation and explanation.
    centre = page.evaluate("""(() => { const cells = window.__kpMap.forecast.features;
        const top = cells.reduce((b, c) => c.properties.forecast > b.properties.forecast ? c : b);
        const ring = top.geometry.coordinates[0];
        const centre = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
        window.__kpMap.map.jumpTo({center: centre, zoom: 13}); return centre; })()""")
    page.locator("#kp-map").scroll_into_view_if_needed()
    wait_until(page, "window.__kpMap.map.loaded()")
    x, y = page.evaluate("c => { const p = window.__kpMap.map.project(c); return [p.x, p.y]; }",
                         centre)
    box = page.locator("#kp-map canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    title = page.locator(".maplibregl-popup .map-popup__title")
    title.wait_for(timeout=30_000)
    assert title.inner_text().startswith("Voorspelling, cel 500m_E")
    popup = page.inner_text(".maplibregl-popup")
    assert "bij de 1 % hoogste cellen" in popup and answer["method"] in popup
    with page.expect_navigation(timeout=120_000):
        page.click(".maplibregl-popup a")
    assert "Hennepteelt in Twente" in page.inner_text("#forecast-evaluation")
    # Police incidents on the map: the selection's dataset with one code.
    page.goto(demo + "/kaart/?gebied=VR05")
    wait_until(page, "window.__kpMap && window.__kpMap.ready === true")
    page.select_option("#map-dataset", "demo-vr05")
    page.fill("#map-codes", "3.1.1")
    page.check("#layer-forecast")
    wait_until(page, "window.__kpMap.forecast || window.__kpMap.errors.length", timeout=180)
    assert page.evaluate("window.__kpMap.forecast.target.offence") == "3.1.1"
    assert "incidents=demo-vr05" in page.evaluate("window.__kpMap.forecastRequest")
    assert page.evaluate("window.__problems") == [] and page.errors == []
