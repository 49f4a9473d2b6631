"""An area's network in a real browser (decision 0055): on a small demo, the RIEC analyst
opens the area scan of the hub's wijk, follows "Netwerk van dit gebied", sees the network
load with the hub address, its companies and their officer in it, expands a company, and
reads the four pattern tables (crowded address, mover, short-lived company, shared
officer). A partner gets no area network. No Content-Security-Policy violation, no script error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, knooppunt, serve
from .test_case_network_browser import _click

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import CSP_LISTENER, launch, log_in, wait_until  # noqa: E402

# Prints the hub's wijk, the hub address entity, a hub company, the officer and the names
# of the mover and the short-lived company.
FIND_WIJK = """
from knooppunt.entities.demo import HUB_OFFICER, pattern
from knooppunt.entities.registers import person_entity_id
from knooppunt.registers.models import Address, Company
found = pattern()
hub = Address.objects.select_related("district").get(nummeraanduiding_id=found.hub_address)
print(hub.district.code)
print(f"nl-bag-{found.hub_address}")
print(f"nl-kvk-{found.hub_companies[0]}")
print(person_entity_id(HUB_OFFICER.name, HUB_OFFICER.birth_date))
print(Company.objects.filter(kvk_number=found.mover).first().name.replace(" ", "_"))
print(Company.objects.filter(kvk_number=found.short_lived).first().name.replace(" ", "_"))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory, chromium):
    tmp = tmp_path_factory.mktemp("area-network")
    env = demo_env(tmp, "areanetwork")
    out = subprocess.run(knooppunt("shell", "-c", FIND_WIJK), check=True, env=env,  # noqa: S603
                         capture_output=True, text=True).stdout.split()
    with serve(env) as base:
        yield (base, *out[-6:])


def test_the_analyst_reads_the_network_and_patterns_of_a_wijk(demo, chromium):
    from playwright.sync_api import sync_playwright

    base, wijk, hub, company, officer, mover, brief = demo
    with sync_playwright() as p:
        browser = launch(p, chromium)
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="nl-NL")
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console {m.text}"))
        log_in(page, base, "analist.riec")
        page.goto(f"{base}/gebiedsscan/?gebied={wijk}")
        scan_patterns = page.inner_text(".area-patterns")
        assert mover.replace("_", " ") in scan_patterns
        page.click("text=Netwerk van dit gebied")
        wait_until(page, "window.__kpNetwork && (window.__kpNetwork.ready "
                         "|| window.__kpNetwork.errors.length > 0)", timeout=60)
        assert page.evaluate("window.__kpNetwork.errors") == []
        has = "(id) => window.__kpNetwork.cy.getElementById(id).length > 0"
        # Two steps from the addresses: the hub, its companies and their officer.
        assert all(page.evaluate(f"({has})('{i}')") for i in (hub, company, officer))
        page.locator("#kp-network").scroll_into_view_if_needed()
        _click(page, company)
        wait_until(page, "window.__kpNetwork.expansions >= 1", timeout=60)
        assert "Herkomst" in page.inner_text("#network-panel")
        patterns = page.inner_text(".area-patterns")
        for text in ("Adressen met veel inschrijvingen", "Ruud Hendriks",
                     mover.replace("_", " "), brief.replace("_", " "), "risicoscore"):
            assert text in patterns, text
        assert page.evaluate("window.__problems") == [] and errors == []

        partner = browser.new_context().new_page()
        log_in(partner, base, "medewerker.netbeheerder")
        answer = partner.goto(f"{base}/netwerk/gebied/?gebied={wijk}")
        assert answer is not None and answer.status == 404
        browser.close()
