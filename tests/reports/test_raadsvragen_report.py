"""Raadsvragen as a report: the numbers equal the analysis page's for the same area,
theme and year; the text for the letter is on top with a copy button; the theme is a
form field and an API parameter; page, PDF and access as for every board report."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from knooppunt.charts.tables import NO_DATA, SUPPRESSED
from knooppunt.reports import services
from knooppunt.reports.access import NoAccess, UnknownSubject, resolve
from knooppunt.reports.builders import get
from knooppunt.reports.models import GeneratedReport
from knooppunt.reports.periods import parse

pytestmark = pytest.mark.django_db


def _gather(user, code: str, year: int, theme: str = ""):
    builder = get("raadsvragen")
    return builder.gather(user, resolve(user, builder, code), parse(str(year)), theme=theme)


def _raw(value):
    return None if value is SUPPRESSED or value is NO_DATA else value


@pytest.mark.usefixtures("large_dumps")  # no small theme in the year: conftest
def test_years_and_wijken_equal_the_analysis_page(client, world):
    client.force_login(world.mayor)
    data = _gather(world.mayor, "GM0153", world.year, "hennepteelt")
    page = client.get(reverse("dashboards:analysis"), {
        "gebied": "GM0153", "indicator": "signalen-hennepteelt", "periode": "jaar",
        "jaar": world.year})
    assert page.status_code == 200
    shown = {r["code"]: r["waarde"] for r in page.context["breakdown"].table.rows}
    mine = {c.value: cell for c, cell in zip(data.table("gebieden").column("gebied"),
                                              data.table("gebieden").column("aantal"),
                                              strict=True)}
    assert set(mine) == set(shown)
    for code, cell in mine.items():
        assert (cell.value, cell.suppressed) == (_raw(shown[code]),
                                                 shown[code] is SUPPRESSED), code
    trend = {r["periode"] if "periode" in r else r[next(iter(r))]: r["waarde"]
             for r in page.context["trend"].table.rows}
    years = dict(zip([c.value for c in data.table("jaren").column("jaar")],
                     data.table("jaren").column("aantal"), strict=True))
    assert len(years) == 5
    compared = 0
    for label, value in trend.items():
        year = int(str(label)[:4])
        assert (years[year].value, years[year].suppressed) == (_raw(value),
                                                               value is SUPPRESSED), year
        compared += 1
    assert compared == 3
    # Records begin on 1 January of last year: the three years before it have no data,
    # printed as such, and the change is given since last year, not over five years.
    for year in range(world.year - 4, world.year - 1):
        assert (years[year].value, years[year].text) == (None, "geen gegevens"), year
    note = data.table("jaren").note
    assert f"Verandering sinds {world.year - 1}" in note and "vijf jaar" not in note
    assert f"Knooppunt registreert signalen sinds 1 januari {world.year - 1}" in note
    assert years[world.year].value == 12  # twelve hennep signals in the world's year
    assert years[world.year - 1].suppressed  # three the year before: hidden
    assert years[world.year - 1].text == "afgeschermd"
    assert "12 signalen" in data.answer.lower() or "12 " in data.answer
    assert data.charts["jaren"].svg.startswith("<svg")


def test_page_shows_the_text_first_with_a_copy_button_and_the_pdf_has_it(client, world):
    client.force_login(world.mayor)
    made = client.post(reverse("reports:index"), {
        "soort": "raadsvragen", "gebied": "GM0153", "periode": str(world.year),
        "thema": "hennepteelt"})
    assert made.status_code == 302, made.content.decode()[:2000]
    report = GeneratedReport.objects.get()
    assert report.theme == "hennepteelt" and report.kind == "raadsvragen"
    html = client.get(made.url).content.decode()
    assert html.index("Tekst voor de beantwoording") < html.index("Registraties per jaar")
    assert 'data-copy="raadsvragen-text"' in html and "reports/copy.js" in html
    assert "<script>" not in report.html  # no inline script: the copy code is a file
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "Tekst voor de beantwoording" in text and "Per wijk" in text
    assert "Enschede" in text and "afgeschermd" in text
    assert report.filename == f"raadsvragen-GM0153-hennepteelt-{world.year}.pdf"


def test_region_is_per_municipality(world):
    data = _gather(world.regional, "VR05", world.year)
    assert data.table("gebieden").columns[0].label == "Gemeente"
    codes = [c.value for c in data.table("gebieden").column("gebied")]
    assert "GM0153" in codes and "GM0164" in codes
    assert data.theme == "" and "Signalen" in data.indicator


@pytest.mark.parametrize("theme", ["onzin", "<script>", "x" * 60])
def test_unknown_theme_is_a_clear_error_on_page_and_api(client, world, theme):
    client.force_login(world.mayor)
    page = client.post(reverse("reports:index"), {
        "soort": "raadsvragen", "gebied": "GM0153", "periode": str(world.year),
        "thema": theme})
    assert page.status_code == 400
    api = APIClient()
    api.force_authenticate(world.mayor)
    answer = api.post("/api/v1/reports", {"kind": "raadsvragen", "area": "GM0153",
                                          "period": str(world.year), "theme": theme},
                      format="json")
    assert answer.status_code == 400
    assert not GeneratedReport.objects.exists()


def test_api_takes_the_theme_and_other_kinds_refuse_one(world):
    api = APIClient()
    api.force_authenticate(world.mayor)
    answer = api.post("/api/v1/reports", {"kind": "raadsvragen", "area": "GM0153",
                                          "period": str(world.year), "theme": "hennepteelt"},
                      format="json")
    assert answer.status_code == 201 and answer.json()["theme"] == "hennepteelt"
    refused = api.post("/api/v1/reports", {"kind": "factsheet", "area": "GM0153",
                                           "period": str(world.year), "theme": "hennepteelt"},
                       format="json")
    assert refused.status_code == 400
    assert "thema" in refused.content.decode()


def test_outsider_gets_404_and_no_report(world):
    api = APIClient()
    api.force_authenticate(world.outsider)
    answer = api.post("/api/v1/reports", {"kind": "raadsvragen", "area": "GM0153",
                                          "period": str(world.year)}, format="json")
    assert answer.status_code == 404
    with pytest.raises((NoAccess, UnknownSubject)):
        services.generate(world.outsider, "raadsvragen", "GM0153", str(world.year))
    assert not GeneratedReport.objects.exists()


@pytest.mark.usefixtures("large_dumps")  # no small theme in the year: conftest
def test_the_letters_text_prints_the_rate_and_change_as_the_tables_do(world):
    data = _gather(world.mayor, "GM0153", world.year, "hennepteelt")
    import re

    rate = re.search(r"Dat is ([\d.,]+) per 1\.000 inwoners", data.answer)
    assert rate, data.answer
    own = data.table("vergelijking").column("per_1000")[0]
    years = data.table("jaren")
    assert rate.group(1) == own.text == years.column("per_1000")[-1].text
