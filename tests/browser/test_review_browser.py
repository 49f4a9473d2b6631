"""The review queue in a real browser (issue 16, "done when"): the demo's RIEC analyst
opens /koppelingen/, confirms two candidates of the police's and the housing
corporation's persons, each with a reason, and finds them under "Bevestigd" with the
decision and its reason on the match's page (the queue links no entity page: outside a
case the analyst sees pseudonyms there, decision 0054). No script error, no Content-Security-Policy
violation. Skipped only when chromium is missing and cannot be installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ..served_demo import demo_env, serve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from browser_session import CSP_LISTENER, launch, log_in  # noqa: E402


@pytest.fixture(scope="module")
def demo(tmp_path_factory, chromium):
    env = demo_env(tmp_path_factory, "reviewbrowser")
    with serve(env) as base:
        yield base


def test_analyst_confirms_two_candidates_with_reasons(demo, chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium)
        context = browser.new_context(viewport={"width": 1200, "height": 900},
                                      locale="nl-NL")
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror {error}"))
        log_in(page, demo, "analist.riec")
        page.goto(demo + "/koppelingen/")
        assert "J. de Vries" in page.content() and "Jan de Vries" in page.content()
        cards = page.locator("section.card")
        open_before = cards.count()
        assert open_before >= 2
        reasons = ["Zelfde naam en geboortedatum, andere schrijfwijze",
                   "Zelfde persoon: tussenvoegsel anders geschreven"]
        for reason in reasons:
            card = page.locator("section.card").first
            card.locator("textarea[name=reden]").fill(reason)
            with page.expect_navigation():
                card.locator("button[value=confirm]").click()
            assert "De koppeling is bevestigd." in page.content()
        assert page.locator("section.card").count() == open_before - 2
        page.goto(demo + "/koppelingen/?stand=bevestigd")
        assert page.locator("section.card").count() == 2
        # The analyst sees these persons as pseudonyms outside a case (decision 0054): the
        # queue shows the names it needs for the review but links no entity page, which
        # would tie a name to its pseudonym.
        assert page.locator("section.card h3 a").count() == 0
        with page.expect_navigation():
            page.locator("section.card h2 a").first.click()
        body = page.content()
        assert "Besluiten" in body and "analist.riec" in body
        assert any(reason in body for reason in reasons)
        assert errors == [] and page.evaluate("window.__problems") == []
        browser.close()
