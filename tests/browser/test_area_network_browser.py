"""An area's network in a real browser (decision 0055): on a small demo, the RIEC analyst
opens the area scan of the hub's wijk, follows "Netwerk van dit gebied", sees the network
load with the hub address, its companies and their officer in it, expands a company, and
reads the four pattern tables (crowded address, mover, short-lived company, shared
officer). An area gives no case, so all of it is under pseudonyms (decision 0054): the
nodes are tokens, the tables pseudonyms, no real name anywhere on the page. A partner gets
no area network. No Content-Security-Policy violation, no script error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, knooppunt, serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import CSP_LISTENER, click_network_node, launch, log_in, wait_until  # noqa: E402

# Prints the hub's wijk and, as the RIEC analyst sees them outside a case (tokens and
# pseudonyms, decision 0054), the hub address, a hub company, the officer, the mover and
# the short-lived company; then the real names of those three, which must not show.
FIND_WIJK = """
from django.contrib.auth import get_user_model
from knooppunt.entities import pseudonyms
from knooppunt.entities.demo import HUB_OFFICER, pattern
from knooppunt.entities.need_to_know import pseudonym_organisation
from knooppunt.entities.registers import person_entity_id
from knooppunt.registers.models import Address, Company
found = pattern()
org = pseudonym_organisation(get_user_model().objects.get(username="analist.riec"))
hub = Address.objects.select_related("district").get(nummeraanduiding_id=found.hub_address)
boss = person_entity_id(HUB_OFFICER.name, HUB_OFFICER.birth_date)
print(hub.district.code)
print(pseudonyms.token(org, f"nl-bag-{found.hub_address}"))
print(pseudonyms.token(org, f"nl-kvk-{found.hub_companies[0]}"))
print(pseudonyms.token(org, boss))
for kvk in (found.mover, found.short_lived):
    print(pseudonyms.label(org, f"nl-kvk-{kvk}", "Company").replace(" ", "_"))
print(pseudonyms.label(org, boss, "Person").replace(" ", "_"))
print(HUB_OFFICER.name.replace(" ", "_"))
for kvk in (found.mover, found.short_lived):
    print(Company.objects.filter(kvk_number=kvk).first().name.replace(" ", "_"))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory, chromium):
    env = demo_env(tmp_path_factory, "areanetwork")
    out = subprocess.run(knooppunt("shell", "-c", FIND_WIJK), check=True, env=env,  # noqa: S603
                         capture_output=True, text=True).stdout.split()
    with serve(env) as base:
        yield (base, *out[-10:])


def test_the_analyst_reads_the_network_and_patterns_of_a_wijk(demo, chromium):
    from playwright.sync_api import sync_playwright

    base, wijk, hub, company, officer, *shown_and_real = demo
    mover, brief, boss, *real = (t.replace("_", " ") for t in shown_and_real)
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
        assert mover in scan_patterns and "U ziet pseudoniemen" in scan_patterns
        page.click("text=Netwerk van dit gebied")
        wait_until(page, "window.__kpNetwork && (window.__kpNetwork.ready "
                         "|| window.__kpNetwork.errors.length > 0)", timeout=60)
        assert page.evaluate("window.__kpNetwork.errors") == []
        has = "(id) => window.__kpNetwork.cy.getElementById(id).length > 0"
        # Two steps from the addresses: the hub, its companies and their officer.
        assert all(page.evaluate(f"({has})('{i}')") for i in (hub, company, officer))
        click_network_node(page, company, expansions=1)
        assert "Herkomst" in page.inner_text("#network-panel")
        patterns = page.inner_text(".area-patterns")
        for text in ("Adressen met veel inschrijvingen", boss, mover, brief, "risicoscore"):
            assert text in patterns, text
        assert [name for name in real if name in page.content()] == []
        assert page.evaluate("window.__problems") == [] and errors == []

        partner = browser.new_context().new_page()
        log_in(partner, base, "medewerker.netbeheerder")
        answer = partner.goto(f"{base}/netwerk/gebied/?gebied={wijk}")
        assert answer is not None and answer.status == 404
        browser.close()
