"""Evaluating forecasts on a stored events dataset: the command stores the evaluation
with its data version; refusals store nothing."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from knooppunt.events.models import Event, OffenceCode
from knooppunt.forecasts.models import ForecastEvaluation
from knooppunt.intake.models import Delivery
from tests.events.conftest import _media, police, toronto  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _fill(dataset, months: int, first_year: int = 2017) -> None:
    """Events over `months` months: four stable hot cells and a little noise (MTM metres)."""
    rng = np.random.default_rng(7)
    delivery = Delivery.objects.create(
        profile=dataset.profile, organisation=dataset.organisation, delivered_by=None,
        delivered_by_name="test", original_name="t.csv", checksum="0" * 64)
    assault = OffenceCode.objects.get(code_list=dataset.code_list, code="Assault")
    hot = [(300_000 + 250 * c + 100, 4_835_000 + 250 * r + 100) for c, r in
           [(1, 1), (5, 2), (6, 6), (2, 7)]]
    events = []
    for m in range(months):
        day = date(first_year + m // 12, m % 12 + 1, 15)
        spots = [hot[i] for i in range(4) for _ in range(rng.poisson(4))]
        noise = [(300_000 + rng.uniform(0, 2000), 4_835_000 + rng.uniform(0, 2000))
                 for _ in range(rng.poisson(8))]
        for x, y in spots + noise:
            events.append(Event(dataset=dataset, delivery=delivery, key=f"k{len(events)}",
                                occurred_on=day, offence=assault, x=x, y=y,
                                latitude=43.7, longitude=-79.4))
    Event.objects.bulk_create(events)


def test_the_command_stores_the_evaluation_with_its_data_version(toronto):  # noqa: F811
    _fill(toronto, 48)  # 2017-2020
    out = StringIO()
    call_command("evaluate_forecasts", "toronto-mci", "--offence", "Assault", stdout=out)
    stored = list(ForecastEvaluation.objects.order_by("pk"))
    assert [e.offence_id is None for e in stored] == [True, False]
    evaluation = stored[0]
    assert (evaluation.first_month, evaluation.last_month) == ("2020-01", "2020-12")
    assert len(evaluation.scores) == 12
    assert set(evaluation.scores[0]["methods"]) == {
        "last_month", "last_12_months", "kde_12_months", "gradient_boosting_poisson"}
    assert f"{Event.objects.count()} events" in evaluation.data_version
    assert evaluation.definitions["pai"]["nl"].startswith("PAI")
    assert evaluation.shown_method in evaluation.reason_en or evaluation.learned_shown
    assert "2020-01–2020-12" in out.getvalue()
    # All offences: the cell's history only; one offence: also the dataset's other
    # offences in the cell (decision 0056).
    assert "other_lag_1" not in evaluation.features
    assert {"lag_1", "other_lag_1", "other_lag_12"} <= set(stored[1].features)


def test_too_little_history_is_refused_and_nothing_stored(toronto):  # noqa: F811
    _fill(toronto, 30)  # 2017-01 .. 2019-06: the last complete year 2018 has < 24 months
    err = StringIO()
    call_command("evaluate_forecasts", "toronto-mci", "--year", "2018", stderr=err)
    assert ForecastEvaluation.objects.count() == 0
    assert "Te weinig geschiedenis" in err.getvalue()


# ------------------------------------------------------------------ API


def _stored(dataset, **fields) -> ForecastEvaluation:
    month = {"month": "2020-01", "events": 99, "cells": 64,
             "methods": {"last_month": {"0.05": {"hit_rate": 0.5, "pai": 10.0, "pei": 0.8,
                                                 "cells": 4}}}}
    values = {"first_month": "2020-01", "last_month": "2020-12", "data_version": "v1",
              "shown_method": "last_12_months", "best_baseline": "last_12_months",
              "reason_nl": "Het geleerde model wordt niet getoond.",
              "reason_en": "The learned model is not shown.", "scores": [month] * 12,
              "definitions": {"pai": {"nl": "PAI", "en": "PAI"}}, **fields}
    return ForecastEvaluation.objects.create(dataset=dataset, **values)


def test_the_api_gives_the_latest_evaluation_of_readable_datasets(client, toronto):  # noqa: F811
    from knooppunt.organisations.models import Role
    from tests.factories import OrganisationFactory, member

    _fill(toronto, 1)  # readable datasets are those with events the user may read
    _stored(toronto, data_version="old")
    _stored(toronto, data_version="new")
    holder = member(Role.ANALIST, organisation=toronto.organisation, username="p.analist")
    client.force_login(holder)
    answer = client.get("/api/v1/forecasts/evaluations", {"dataset": "toronto-mci"}).json()
    [evaluation] = answer["evaluations"]
    assert evaluation["dataVersion"] == "new" and evaluation["shownMethod"] == "last_12_months"
    assert evaluation["reason"]["nl"].startswith("Het geleerde model")
    assert "events" not in evaluation["months"][0]  # totals of the whole dataset withheld
    assert evaluation["months"][0]["methods"]["last_month"]["0.05"]["pai"] == 10.0

    outsider = member(Role.ANALIST, organisation=OrganisationFactory(name="Elders"),
                      username="elders.analist")
    client.force_login(outsider)
    assert client.get("/api/v1/forecasts/evaluations").json() == {"evaluations": [],
                                                                "areaEvaluations": []}
    refused = client.get("/api/v1/forecasts/evaluations", {"dataset": "toronto-mci"})
    assert refused.status_code == 404
    assert refused["Content-Type"].startswith("application/problem+json")
    bad = client.get("/api/v1/forecasts/evaluations", {"dataset": "<script>"})
    assert bad.status_code == 400 and "<script>" not in bad.content.decode()


# ------------------------------------------------------------------ pages


def test_the_page_shows_the_evaluation_and_the_card_the_register_entry(client, toronto):  # noqa: F811
    from knooppunt.organisations.models import Role
    from tests.factories import member

    _fill(toronto, 1)
    _stored(toronto)
    client.force_login(member(Role.ANALIST, organisation=toronto.organisation,
                              username="p.analist"))
    page = client.get("/voorspellingen/").content.decode()
    assert "Getoonde methode: last_12_months" in page and "2020-01" in page
    assert "PAI (Predictive Accuracy Index" in page  # the definitions beside the numbers
    card = client.get("/voorspellingen/modelkaart/").content.decode()
    assert "neighbours_lag_12" in card and "Wettelijke grondslag" in card
    assert "vacant_share" in card and "incidents_lag_12" in card  # the whole allow-list
    assert "Geen persoonsgegevens" in card
    document = client.get("/voorspellingen/algoritmeregister.json").json()
    assert document["evaluatie"][0]["getoonde_methode"] == "last_12_months"
    assert {f["name"] for f in document["modelkaart"]["features"]} >= {"lag_1", "month_of_year"}


# ------------------------------------------------------------------ the chart

METHODS = ("last_month", "last_12_months", "kde_12_months", "gradient_boosting_poisson")


def _month(label: str, pai: dict[str, float | None]) -> dict:
    return {"month": label, "events": 50, "cells": 64,
            "methods": {method: {"0.05": {"hit_rate": 0.5, "pai": value, "pei": 0.8,
                                          "cells": 4}}
                        for method, value in pai.items()}}


def _chart_scores(gap: str = "2020-03") -> list[dict]:
    """Twelve months, PAI 1..12 (+ the method's rank); last_month has none in `gap`."""
    return [_month(f"2020-{m:02d}", {method: None if method == "last_month" and
                                     f"2020-{m:02d}" == gap else m + rank / 10
                                     for rank, method in enumerate(METHODS)})
            for m in range(1, 13)]


def _chart(page: str, key: int) -> str:
    start = page.index(f'aria-labelledby="forecast-chart-{key}-title')
    return page[start:page.index("</svg>", start)]


def test_the_page_draws_a_chart_per_evaluation_with_a_line_per_method(client, toronto):  # noqa: F811
    from knooppunt.organisations.models import Role
    from tests.factories import member

    _fill(toronto, 1)
    evaluation = _stored(toronto, scores=_chart_scores())
    client.force_login(member(Role.ANALIST, organisation=toronto.organisation,
                              username="p.analist"))
    page = client.get("/voorspellingen/").content.decode()
    chart = _chart(page, evaluation.pk)
    # One line per method, the shown one named as such in the legend and the title.
    assert chart.count('aria-roledescription="line mark container"') == len(METHODS)
    assert "last_12_months (getoond)" in chart
    assert "getoond: last_12_months</title>" in chart
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart).group(1)
    assert "2020-01 tot en met 2020-12" in desc and "de getoonde methode is last_12_months" in desc
    assert "last_month 2020-03" in desc  # the gap is said
    # The month without a value is no point at all, nowhere a 0, and its line breaks
    # there (a second "M" in the path) instead of joining its neighbours.
    def marks(method: str, kind: str) -> list[str]:
        return re.findall(rf'aria-label="([^"]*reeks: {method})" role="graphics-symbol" '
                          rf'aria-roledescription="{kind}"(?: d="([^"]*)")?', chart)

    points = [label for label, _ in marks("last_month", "point")]
    assert len(points) == 11 and not any("van het gebied: 0;" in p for p in points)
    assert not any("mrt 2020" in p for p in points)
    assert len(marks("kde_12_months", "point")) == 12
    [(_, gapped)] = marks("last_month", "line mark")
    [(_, whole)] = marks("kde_12_months", "line mark")
    assert gapped.count("M") == 2 and whole.count("M") == 1
    # The numbers stay in the table after the chart.
    end = page.index("</svg>", page.index(chart))
    assert page.index('<table class="table forecast-evaluation">', end) > end
    english = client.get("/voorspellingen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chart = _chart(english, evaluation.pk)
    assert "last_12_months (shown)" in chart and "Held-out month" in chart
    assert "2020-01 to 2020-12" in chart and "getoond" not in chart


def test_the_chart_escapes_method_names_and_is_left_out_without_a_pai(client, toronto):  # noqa: F811
    from knooppunt.organisations.models import Role
    from tests.factories import member

    _fill(toronto, 1)
    bad = "<script>alert(1)</script>"
    evaluation = _stored(toronto, shown_method=bad,
                         scores=[_month(f"2020-{m:02d}", {bad: 2.0, "last_month": 1.0})
                                 for m in range(1, 13)])
    empty = _stored(toronto, scores=[_month(f"2020-{m:02d}", {"last_month": None})
                                     for m in range(1, 13)],
                    offence=OffenceCode.objects.get(code_list=toronto.code_list,
                                                    code="Assault"))
    client.force_login(member(Role.ANALIST, organisation=toronto.organisation,
                              username="p.analist"))
    page = client.get("/voorspellingen/").content.decode()
    chart = _chart(page, evaluation.pk)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (getoond)" in chart
    assert f"forecast-chart-{empty.pk}-title" not in page  # nothing to draw: no chart


def test_the_register_pdf_holds_the_chart_of_each_evaluation(client, toronto):  # noqa: F811
    from io import BytesIO

    from pypdf import PdfReader

    from knooppunt.organisations.models import Role
    from tests.factories import member

    def pdf() -> tuple[str, bool]:
        response = client.get("/voorspellingen/algoritmeregister.pdf")
        assert response.status_code == 200
        reader = PdfReader(BytesIO(response.content))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        return text, any("/XObject" in (page.get("/Resources") or {}) for page in reader.pages)

    _fill(toronto, 1)
    client.force_login(member(Role.ANALIST, organisation=toronto.organisation,
                              username="p.analist"))
    caption = "Toronto MCI: alle delicten: PAI bij 5 % van het gebied per geteste maand"
    text, image = pdf()
    assert caption not in text and not image  # no evaluation, no chart
    _stored(toronto, scores=_chart_scores())
    text, image = pdf()
    assert caption in text and image
