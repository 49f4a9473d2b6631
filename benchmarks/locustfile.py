"""The users of the load benchmark (`load_benchmark.py`): a realistic mix of pages and API.

Each virtual user logs in once with an account of its own (a copy of a demo account, made
by load_benchmark.py) and then, with a few seconds
of thought between clicks, does what that kind of user does most: coordinators and
analysts open the signal list, a signal, the cases and the dashboard; a mayor the home
page, the dashboard and the reports list; a partner system lists and reads signals
through the API. Weights follow how often each page is opened, not how expensive it is.
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("KNOOPPUNT_LOAD_PASSWORD", "knooppunt-demo")
# The demo's published authenticator key (decision 0029): coordinators and analysts log in
# with a code, as in production.
TOTP_KEY = os.environ.get("KNOOPPUNT_LOAD_TOTP_KEY", "knooppunt-demo-totp!").encode()


def _code() -> str:
    from django_otp.oath import totp

    return f"{totp(TOTP_KEY):06d}"


MUNICIPALITY = os.environ.get("KNOOPPUNT_LOAD_MUNICIPALITY", "GM0153")  # Enschede
REFERENCE = re.compile(r"/signalen/(KNP-\d{4}-\d+)/")
CASE = re.compile(r"/casussen/([A-Z]+-\d{4}-\d+)/")


class _Person(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    kind = ""  # accounts last.<kind>.<n>, one per virtual user (load_benchmark.py)
    _numbers = itertools.count()

    def on_start(self) -> None:
        self.references: list[str] = []
        self.cases: list[str] = []
        page = self.client.get("/inloggen/", name="/inloggen/")
        token = page.cookies.get("csrftoken") or self.client.cookies.get("csrftoken", "")
        response = self.client.post(
            "/inloggen/",
            data={"username": f"last.{self.kind}.{next(_Person._numbers)}",
                  "password": PASSWORD,
                  "otp_token": _code(), "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/inloggen/"},
            name="/inloggen/ (POST)",
        )
        if response.status_code >= 400 or "/inloggen/" in response.url:
            response.failure("inloggen mislukt / login failed")

    def _remember(self, text: str) -> None:
        found = REFERENCE.findall(text)
        if found:
            self.references = found[:50]
        cases = CASE.findall(text)
        if cases:
            self.cases = cases[:50]


class CaseWorker(_Person):
    """Coordinators and case workers of a municipality, and the RIEC analyst."""

    weight = 5
    kind = "werker"  # as coordinator.enschede (second factor)

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(6)
    def signal_list(self) -> None:
        page = random.randint(1, 5)  # noqa: S311
        response = self.client.get(f"/signalen/?page={page}", name="/signalen/")
        self._remember(response.text)

    @task(6)
    def signal_detail(self) -> None:
        if self.references:
            reference = random.choice(self.references)  # noqa: S311
            self.client.get(f"/signalen/{reference}/", name="/signalen/[kenmerk]/")

    @task(3)
    def case_list(self) -> None:
        response = self.client.get("/casussen/", name="/casussen/")
        self._remember(response.text)

    @task(3)
    def case_detail(self) -> None:
        if self.cases:
            reference = random.choice(self.cases)  # noqa: S311
            self.client.get(f"/casussen/{reference}/", name="/casussen/[kenmerk]/")

    @task(2)
    def dashboard(self) -> None:
        self.client.get(f"/dashboard/gemeente/{MUNICIPALITY}/", name="/dashboard/gemeente/[GM]/")

    @task(1)
    def follow_up(self) -> None:
        self.client.get("/casussen/opvolging/", name="/casussen/opvolging/")

    @task(1)
    def map(self) -> None:
        self.client.get("/kaart/", name="/kaart/")


class Mayor(_Person):
    """Bestuurders: aggregates only."""

    weight = 2
    kind = "bestuurder"  # as burgemeester.enschede

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(4)
    def dashboard(self) -> None:
        self.client.get(f"/dashboard/gemeente/{MUNICIPALITY}/", name="/dashboard/gemeente/[GM]/")

    @task(1)
    def reports(self) -> None:
        self.client.get("/rapportages/", name="/rapportages/")


class PartnerSystem(_Person):
    """A partner's employee (or system through the same API with its session)."""

    weight = 3
    kind = "partner"  # as medewerker.netbeheerder

    @task(4)
    def api_list(self) -> None:
        response = self.client.get("/api/v1/signals?pageSize=20", name="/api/v1/signals")
        if response.ok:
            try:
                results = response.json().get("results", [])
            except ValueError:
                results = []
            self.references = [r.get("kenmerk") or r.get("reference") for r in results
                               if isinstance(r, dict)]
            self.references = [r for r in self.references if r]

    @task(3)
    def api_detail(self) -> None:
        if self.references:
            reference = random.choice(self.references)  # noqa: S311
            self.client.get(f"/api/v1/signals/{reference}", name="/api/v1/signals/[kenmerk]")

    @task(2)
    def api_indicators(self) -> None:
        self.client.get("/api/v1/indicators", name="/api/v1/indicators")

    @task(2)
    def deliveries(self) -> None:
        self.client.get("/aanleveringen/", name="/aanleveringen/")

    @task(2)
    def signal_list(self) -> None:
        self.client.get("/signalen/", name="/signalen/")
