"""Walk pages of a running demo in headless Chromium and report CSP violations and errors.

    tools/install_chromium.sh; .venv/bin/pip install -e ".[browser]"
    KNOOPPUNT_DEMO=1 .venv/bin/knooppunt runserver 127.0.0.1:8000 --noreload &
    .venv/bin/python tools/browser_check.py http://127.0.0.1:8000

Logs in as demo accounts (password, and the code the demo's login page shows), opens each
page, waits for its scripts, and collects `securitypolicyviolation` events, console errors
and failed requests. Exits 1 when anything was found (decision 0029).
"""

from __future__ import annotations

import sys

from browser_session import launch, log_in
from playwright.sync_api import sync_playwright

PAGES = {
    "coordinator.enschede": ["/", "/signalen/", "/kaart/", "/casussen/", "/dashboard/",
                             "/dashboard/analyse/", "/rapportages/", "/aanleveringen/",
                             "/account/tweestapsverificatie/", "/account/wachtwoord/"],
    "burgemeester.enschede": ["/", "/dashboard/", "/casussen/opvolging/"],
    "beheerder": ["/beheer/", "/beheer/auth/user/", "/beheer/organisations/organisation/"],
    None: ["/inloggen/", "/wachtwoord-vergeten/"],
}
LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' '
  + (e.sourceFile || '') + ':' + e.lineNumber));"""


def main(base: str) -> int:
    problems: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        for user, paths in PAGES.items():
            context = browser.new_context()
            context.add_init_script(LISTEN)
            page = context.new_page()
            page.set_default_timeout(300_000)  # a dashboard's first figures take a while
            # Django's admin pages name no icon, so Chromium asks /favicon.ico: not a fault.
            page.on("console", lambda m, u=user: m.type == "error"
                    and not m.location.get("url", "").endswith("/favicon.ico")
                    and problems.append(f"{u}: console {m.text} {m.location.get('url', '')}"))
            page.on("requestfailed", lambda r, u=user: problems.append(
                f"{u}: failed {r.url}"))
            if user:
                log_in(page, base, user)
            for path in paths:
                response = page.goto(base + path, wait_until="networkidle")
                status = response.status if response else 0
                violations = page.evaluate("window.__csp")
                print(f"{user or 'anonymous':24} {path:40} {status} csp={len(violations)}")
                if status >= 400:
                    problems.append(f"{user}: {path} answered {status}")
                problems.extend(f"{user}: {path}: CSP {v}" for v in violations)
            context.close()
        browser.close()
    for problem in problems:
        print("PROBLEM", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
