"""One number per label (DESIGN §5, decision 0024): every labelled figure has one value for
one area and period on the dashboards, the follow-up page and API, the indicator API and
in every report, and one definition is printed under one label.

A world of cases, decisions and interventions in two Twente municipalities (with the
traps that made the old pages disagree: two quick interventions in one case, money
planned in December and recovered in January, a case weighed in the year after it was
opened) is computed once; hypothesis then picks an area (a municipality or the safety
region), a year and a half year, renders the report kinds (their `ReportData`, which
the HTML and the PDF both print; the ondermijningsbeeld too), the dashboards, the
follow-up page and the APIs for the same filters, collects every number printed beside
a known label (an indicator, a catalogue definition, a kind of decision or
intervention) and fails when one label has two values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.cases.models import DecisionKind, InterventionType, Stage, StageChange
from knooppunt.geo.models import Municipality
from knooppunt.monitoring import catalogue
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.models import AreaLevel, Indicator, Target
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.reports import render
from knooppunt.reports.access import resolve
from knooppunt.reports.builders import get
from knooppunt.reports.periods import parse
from tests.cases.factories import CaseFactory, InterventionFactory
from tests.factories import OrganisationFactory, member

from ..api.conftest import token_client

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
YEARS = (TODAY.year - 1, TODAY.year)
TWENTE = ("GM0153", "GM0164")
CASE_INDICATORS = ["casussen-geopend", "casussen-lokaal-gewogen", "casussen-naar-riec",
                   "snelle-interventies", "sluitingen-13b", "afgepakt-bedrag", "uren-inzet"]


def _day(year: int, month: int, day: int) -> dt.date:
    """A day of the year, never after today (the running year holds what happened)."""
    return min(dt.date(year, month, day), TODAY)


def _chain(code: str, year: int, organisation) -> None:
    """Eight cases of one municipality opened in `year`, with their follow-up."""
    town = Municipality.objects.get(code=code)
    quick, slow = (InterventionType.objects.get(code=c) for c in ("sluiting-13b", "afpakken"))
    weging = Stage.objects.get(code="weging")
    for i in range(8):
        opened = _day(year, 1 + i, 5)
        case = CaseFactory(municipality=town, opened_on=opened, owner=organisation,
                           closed_on=_day(year, 2 + i, 20) if i < 6 else None)
        # weighed the month after opening; the last two in the next year
        weighed_on = _day(year + (i >= 6), 2 + i if i < 6 else 1, 10)
        StageChange.objects.create(case=case, to_stage=weging, reason="weging",
                                   changed_at=dt.datetime.combine(
                                       weighed_on, dt.time(12), tzinfo=dt.UTC))
        for _twice in range(2 if i % 2 else 1):  # two quick interventions in some cases
            InterventionFactory(case=case, type=quick, organisation=organisation,
                                status="afgerond", planned_on=opened,
                                started_on=opened, ended_on=_day(year, 2 + i, 15),
                                hours_spent=Decimal(10 + i))
        # money planned in December, recovered in January of the next year
        InterventionFactory(case=case, type=slow, organisation=organisation,
                            status="afgerond" if i < 5 else "lopend",
                            planned_on=dt.date(year - 1, 12, 1),
                            started_on=dt.date(year - 1, 12, 15),
                            ended_on=_day(year, 1, 20) if i < 5 else None,
                            amount_recovered=Decimal(1000 * (i + 1)),
                            hours_spent=Decimal(20))


@pytest.fixture
def chain_world(db, records_from_data):
    riec = OrganisationFactory(name="RIEC Oost-Nederland", kind=OrganisationKind.RIEC,
                               municipalities=Municipality.objects.filter(code__in=TWENTE))
    for code in TWENTE:
        for year in YEARS:
            _chain(code, year, riec)
    compute_all(codes=CASE_INDICATORS, force=True)
    for code, value in (("casussen-lokaal-gewogen", 10), ("snelle-interventies", 4)):
        for year in YEARS:
            Target.objects.create(indicator=Indicator.objects.get(code=code),
                                  area_level=AreaLevel.MUNICIPALITY, area_code="GM0153",
                                  year=year, value=value, basis="test")
    return member(Role.ANALIST, riec, username="analist.riec")


# ---------------------------------------------------------------- labels


def norm(text: object) -> str:
    """A label as a reader compares it: case, spacing and a unit sign do not matter."""
    found = re.sub(r"\s+", " ", str(text)).strip().casefold()
    return found.replace("(€)", "").replace("€", "").strip(" :")


def known_labels() -> tuple[set[str], dict[str, str]]:
    """The labels of figures (indicators, catalogue definitions, kinds of decision and
    intervention) and the aliases: a definition printed as a breakdown cell
    ("Sluiting art. 13b Opiumwet | Interventies gestart of afgerond") is the same
    definition as the indicator, so it must carry the indicator's value."""
    labels = {norm(i.name) for i in Indicator.objects.all()}
    labels |= {norm(d.label) for d in catalogue.CATALOGUE.values()}
    labels |= {norm(k.name) for k in InterventionType.objects.all()}
    labels |= {norm(k.name) for k in DecisionKind.objects.all()}
    aliases = {}
    happened = norm(catalogue.get("interventies-gestart-of-afgerond").label)
    for definition in catalogue.CATALOGUE.values():
        records, fixed = catalogue.RECORDS[definition.code]
        if records is catalogue.interventions_happened and set(fixed) == {"type"}:
            kind = InterventionType.objects.get(code=fixed["type"])
            aliases[f"{norm(kind.name)} | {happened}"] = norm(definition.label)
    return labels, aliases


class Figures:
    """Every (area, period, label) → the values printed, and where."""

    def __init__(self) -> None:
        self.labels, self.aliases = known_labels()
        self.seen: dict[tuple[str, str, str], dict[object, list[str]]] = defaultdict(
            lambda: defaultdict(list))

    def add(self, where: str, area: str, period: str, label: str, column: str,
            value: object) -> None:
        if value is None or isinstance(value, bool) or not isinstance(
                value, int | float | Decimal):
            return
        if norm(label) not in self.labels:
            return
        key = norm(label) if not column else f"{norm(label)} | {norm(column)}"
        key = self.aliases.get(key, key)
        self.seen[(area, period, key)][round(float(value), 2)].append(where)

    def contradictions(self) -> list[str]:
        return [f"{area} {period} {label!r}: " + "; ".join(
                    f"{value} in {', '.join(sorted(set(places)))}"
                    for value, places in values.items())
                for (area, period, label), values in sorted(self.seen.items())
                if len(values) > 1]


GENERIC = {"waarde", "aantal", "value", "count", "gerealiseerd", "realised"}


def _column_period(header: str, periods: dict[str, str]) -> tuple[str, str]:
    """(period, column qualifier) of a column: a period column puts its cells in that
    period; a generic value column in the table's period; any other column qualifies
    the label ("Sluiting art. 13b | Interventies afgerond")."""
    text = norm(header)
    if text in periods:
        return periods[text], ""
    if text in GENERIC:
        return periods[""], ""
    return periods[""], header


def collect_report(figures: Figures, where: str, data, area: str, periods: dict[str, str]):
    for table in data.tables:
        label_at = next((i for i, c in enumerate(table.columns) if c.wide), None)
        if label_at is None:
            continue
        for row in table.rows:
            label = row[label_at].text
            for column, cell in zip(table.columns, row, strict=True):
                if not column.numeric or cell.suppressed:
                    continue
                period, qualifier = _column_period(column.label, periods)
                if qualifier and norm(qualifier) not in {
                        norm(d.label) for d in catalogue.CATALOGUE.values()}:
                    continue  # per 1,000, change, target: not the figure itself
                figures.add(f"{where}/{table.key}", area, period, label, qualifier,
                            cell.value)


class _Rows(HTMLParser):
    """The rows of an HTML page's tables and definition lists as lists of texts, each
    with the header row of its own table (None for a definition list or a table
    without one): matching a row to any header of the same length on the page put the
    follow-up's per-type counts under another table's header, and so "Interventies
    gestart of afgerond" and "Interventies afgerond" under one label."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[list[str], list[str] | None]] = []
        self._head: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._head = None
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td", "dt", "dd"):
            self._cell = []
            if tag == "dt":
                self._row = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("th", "td", "dt", "dd") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
            if tag == "dd":
                self.rows.append((self._row, None))
                self._row = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                self._head = self._row
            else:
                self.rows.append((self._row, self._head))
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _number(text: str) -> float | None:
    """A number as the Dutch pages print it (1.234 / 1.234,5); None for anything else."""
    if not re.fullmatch(r"-?[\d.]+(,\d+)?", text.strip()):
        return None
    return float(text.replace(".", "").replace(",", "."))


def collect_html(figures: Figures, where: str, html: str, area: str, period: str) -> None:
    parser = _Rows()
    parser.feed(html)
    for row, header in parser.rows:
        for i, text in enumerate(row[1:], start=1):
            qualifier = header[i] if header and len(header) == len(row) else ""
            if norm(qualifier) not in {norm(d.label) for d in catalogue.CATALOGUE.values()}:
                qualifier = ""  # a generic column ("Aantal") or a kind of notice
            figures.add(where, area, period, row[0], qualifier, _number(text))


# ---------------------------------------------------------------- rendering


def _report(user, kind: str, area: str, period: str, **extra):
    builder = get(kind)
    data = builder.gather(user, resolve(user, builder, area), parse(period), **extra)
    render.html(builder, data)  # the page renders from the same data object
    return data


def collect_everything(client, user, area: str, year: int, half: int) -> Figures:
    figures = Figures()
    y, before = str(year), str(year - 1)
    year_periods = {y: y, before: before, "": y}
    for kind in ("jaarbericht", "factsheet", "ondermijningsbeeld"):
        collect_report(figures, kind, _report(user, kind, area, y), area, year_periods)
    collect_report(figures, "raadsvragen", _report(user, "raadsvragen", area, y),
                   area, year_periods)
    half_period = parse(f"{year}-H{half}")
    collect_report(figures, "voortgang", _report(user, "voortgang", area, half_period.code),
                   area, {norm(half_period.label): half_period.code,
                          norm(half_period.previous().label): half_period.previous().code,
                          "": half_period.code})
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), TODAY)
    api = token_client(user)
    municipalities = [area] if area.startswith("GM") else []
    for code in municipalities:
        page = client.get(reverse("cases:follow_up"), {
            "gemeente": code, "van": start.isoformat(), "tot": end.isoformat()})
        assert page.status_code == 200
        collect_html(figures, "opvolging", page.content.decode(), code, y)
        body = api.get("/api/v1/follow-up", {"municipality": code, "from": start.isoformat(),
                                             "to": end.isoformat()}).json()
        labels = body.get("labels", {})
        for key, value in body["cases"].items():
            if key in labels:
                figures.add("api/follow-up", code, y, labels[key], "", value)
        for key, field in (("recovered", "recoveredEuros"), ("hours", "hoursSpent")):
            if key in labels and body[field] is not None:
                figures.add("api/follow-up", code, y, labels[key], "", Decimal(body[field]))
        page = client.get(reverse("dashboards:municipality", args=[code]), {"jaar": year})
        assert page.status_code == 200
        for name in ("key", "targets"):
            panel = page.context.get(name)
            table = getattr(panel, "table", None)
            if table is None or not any(c.key == "indicator" for c in table.columns):
                continue
            for row in table.rows:
                figures.add(f"dashboard/{name}", code, y, row["indicator"], "",
                            row.get("waarde"))
    level = AreaLevel.MUNICIPALITY if area.startswith("GM") else AreaLevel.SAFETY_REGION
    for code in CASE_INDICATORS:
        found = api.get(f"/api/v1/indicators/{code}/values", {
            "level": level, "periodType": "jaar", "period": start.isoformat()}).json()
        rows = found if isinstance(found, list) else found.get("results", found.get(
            "values", []))
        for row in rows:
            if row.get("areaCode", row.get("area", {}).get("code") if isinstance(
                    row.get("area"), dict) else row.get("area")) == area:
                figures.add("api/indicators", area, y, Indicator.objects.get(code=code).name,
                            "", row.get("value"))
    return figures


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(area=st.sampled_from(["GM0153", "VR05"]), year=st.sampled_from(YEARS),
       half=st.sampled_from([1, 2]))
def test_one_label_has_one_value_everywhere(client, chain_world, area, year, half):
    client.force_login(chain_world)
    figures = collect_everything(client, chain_world, area, year, half)
    assert not figures.contradictions(), "\n".join(figures.contradictions())
    # The case figures were found at all (a collector that reads nothing proves nothing).
    found = {label for (_a, _p, label) in figures.seen}
    # (A region's case figures may be hidden by its own suppression rules: at least the
    # per-type table is printed.)
    least = 3 if area.startswith("GM") else 1
    assert len(found & {norm(d.label) for d in catalogue.CATALOGUE.values()}) >= least, found


def test_every_catalogue_definition_has_one_label(chain_world, client):
    """A stored indicator is printed under its definition's label (the dashboard shows
    the indicator's name), in Dutch and English; no two definitions share a label."""
    labels = [norm(d.label) for d in catalogue.CATALOGUE.values()]
    assert len(labels) == len(set(labels))
    for code, definition in catalogue.by_indicator().items():
        indicator = Indicator.objects.get(code=code)
        assert (indicator.name, indicator.name_en) == (definition.label, definition.label_en)
    # The follow-up page prints each catalogue figure with its definition's label.
    client.force_login(chain_world)
    html = client.get(reverse("cases:follow_up"), {
        "gemeente": "GM0153", "van": f"{YEARS[0]}-01-01", "tot": f"{YEARS[0]}-12-31"},
    ).content.decode()
    for code in ("casussen-geopend", "casussen-lokaal-gewogen", "casussen-gestopt-snel"):
        printed = re.search(rf'<th scope="row">([^<]*)</th><td class="num" '
                            rf'data-figure="{code}">', html)
        assert printed and printed.group(1) == catalogue.get(code).label, code
