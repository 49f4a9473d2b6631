"""A case's network in a real browser (issue 16, done when): on a small demo, the RIEC
analyst (or, when the analyst may not open it, the first person who may) opens the
network of the case at the hub address, clicks one of the companies registered there and
sees its officer come in, clicks the officer and sees the other companies, with the
patterns listed beside the view. A partner gets no network. No Content-Security-Policy
violation, no script error. Skipped only when chromium is missing and
`tools/install_chromium.sh` cannot install it.
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

# Prints who may open the hub's case and read entities (the RIEC analyst if they may,
# else the case's owner), the case reference, its companies' ids and the officer's id.
FIND_HUB = """
from django.contrib.auth import get_user_model
from knooppunt.entities.demo import HUB_OFFICER, pattern
from knooppunt.entities.querysets import may_read_entities
from knooppunt.organisations import scope
from knooppunt.entities.models import Statement
from knooppunt.entities.registers import person_entity_id
from knooppunt.cases.models import Case
found = pattern()
case_id = Statement.objects.filter(entity_id=f"nl-bag-{found.hub_address}",
                                   origin_kind="case").values_list("origin_id", flat=True)[0]
case = Case.objects.get(pk=int(case_id))
users = [get_user_model().objects.get(username="analist.riec")]
users += list(get_user_model().objects.order_by("username"))
for user in users:
    if may_read_entities(user) and scope.cases_for(user).filter(pk=case.pk).exists():
        print(user.username)
        break
print(case.reference)
print(",".join(f"nl-kvk-{k}" for k in found.hub_companies))
print(person_entity_id(HUB_OFFICER.name, HUB_OFFICER.birth_date))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory, chromium):
    env = demo_env(tmp_path_factory, "casenetwork")
    out = subprocess.run(knooppunt("shell", "-c", FIND_HUB), check=True, env=env,  # noqa: S603
                         capture_output=True, text=True).stdout.split()
    user, reference, companies, officer = out[-4], out[-3], out[-2].split(","), out[-1]
    with serve(env) as base:
        yield base, user, reference, companies, officer



def test_a_case_worker_expands_a_company_to_its_officer_and_his_companies(demo, chromium):
    from playwright.sync_api import sync_playwright

    base, user, reference, companies, officer = demo
    with sync_playwright() as p:
        browser = launch(p, chromium)
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="nl-NL")
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        page.on("console", lambda m: m.type == "error" and errors.append(f"console {m.text}"))
        log_in(page, base, user)
        page.goto(f"{base}/casussen/{reference}/")
        page.click("text=Netwerk van de casus")
        wait_until(page, "window.__kpNetwork && (window.__kpNetwork.ready "
                         "|| window.__kpNetwork.errors.length > 0)", timeout=60)
        assert page.evaluate("window.__kpNetwork.errors") == []
        has = "(id) => window.__kpNetwork.cy.getElementById(id).length > 0"
        assert page.evaluate(f"({has})('{companies[0]}')")
        assert not page.evaluate(f"({has})('{officer}')")

        click_network_node(page, companies[0], expansions=1)
        assert page.evaluate(f"({has})('{officer}')")
        assert "Herkomst" in page.inner_text("#network-panel")

        click_network_node(page, officer, expansions=2)
        assert all(page.evaluate(f"({has})('{c}')") for c in companies)
        patterns = page.inner_text(".network-patterns")
        assert "Ruud Hendriks" in patterns  # directs the three companies
        assert page.evaluate("window.__problems") == [] and errors == []

        partner = browser.new_context().new_page()
        log_in(partner, base, "medewerker.netbeheerder")
        answer = partner.goto(f"{base}/casussen/{reference}/netwerk/")
        assert answer is not None and answer.status == 404
        browser.close()
