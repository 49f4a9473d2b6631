"""Fixtures for the web interface tests: one municipality, people in each role, signals."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from knooppunt.organisations.models import Role

from ..factories import OrganisationFactory, SignalFactory, member, municipality

# Distinctive personal data that must never reach an aggregate-only user.
SECRET_STREET = "Geheimhoudingslaan"
SECRET_DESCRIPTION = "Persoonlijke omschrijving over buurman Jansen"


@pytest.fixture
def enschede():
    return municipality("GM0153")


@pytest.fixture
def gemeente(enschede):
    """A municipality organisation serving Enschede."""
    return OrganisationFactory(name="Gemeente Enschede (test)", municipalities=[enschede])


@pytest.fixture
def coordinator(gemeente):
    return member(Role.COORDINATOR, gemeente, username="coordinator")


@pytest.fixture
def medewerker(gemeente):
    return member(Role.MEDEWERKER, gemeente, username="medewerker")


@pytest.fixture
def analist(gemeente):
    return member(Role.ANALIST, gemeente, username="analist")


@pytest.fixture
def bestuurder(gemeente):
    return member(Role.BESTUURDER, gemeente, username="burgemeester")


@pytest.fixture
def beheerder(gemeente):
    return member(Role.BEHEERDER, gemeente, username="beheerder")


@pytest.fixture
def signals(gemeente, enschede):
    """Seven signals of this year in Enschede, with a location and an address."""
    today = timezone.localdate()
    return [
        SignalFactory(
            reference=f"KNP-TEST-{i:04d}",
            reporting_organisation=gemeente,
            municipality=enschede,
            received_on=max(today.replace(month=1, day=1), today - dt.timedelta(days=i)),
            street=SECRET_STREET,
            house_number=10 + i,
            postcode="7511AB",
            city="Enschede",
            description=f"{SECRET_DESCRIPTION} nummer {i}",
            x_rd=258_000.0 + i * 100,
            y_rd=471_500.0 + i * 100,
            latitude=52.22,
            longitude=6.89,
        )
        for i in range(7)
    ]


def personal_data_of(signals) -> list[str]:
    """Strings from the signals that identify them or the people involved."""
    values = [SECRET_STREET, SECRET_DESCRIPTION]
    for signal in signals:
        values += [signal.reference, signal.description, signal.address_line]
    return values


class FormControls(HTMLParser):
    """Collects form controls, labels, tables and the html element's lang attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self.lang = None
        self.forms: list[dict[str, str]] = []
        self.csrf_inputs = 0
        self._in_label = 0
        self._wrapped: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "label":
            self._in_label += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in {"input", "select", "textarea"}:
            if attributes.get("type") in {"hidden", "submit", "button"}:
                if attributes.get("name") == "csrfmiddlewaretoken":
                    self.csrf_inputs += 1
                return
            attributes["_tag"] = tag
            attributes["_wrapped"] = "1" if self._in_label else ""
            self.controls.append(attributes)
        elif tag == "form":
            self.forms.append(attributes)
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and "scope" not in attributes:
            self.th_without_scope += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self._in_label -= 1

    def unlabelled(self) -> list[str]:
        return [
            c.get("name") or c["_tag"] for c in self.controls
            if not c["_wrapped"] and c.get("id") not in self.label_for
            and "aria-label" not in c and "aria-labelledby" not in c
        ]

    def post_forms(self) -> int:
        return sum(1 for form in self.forms if form.get("method", "").lower() == "post")


def parse(html: str) -> FormControls:
    parser = FormControls()
    parser.feed(html)
    return parser


def visible_text(html: str) -> str:
    """The page without tags, for 'does this text appear' checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
