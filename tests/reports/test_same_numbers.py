"""Every number in a factsheet equals the number on the dashboard for the same filters.

The factsheet is gathered (no PDF needed for this) and the dashboard page is requested
for the same municipality / region and year by the same user; every cell is compared.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from knooppunt.charts.tables import NO_DATA, SUPPRESSED
from knooppunt.geo.models import SafetyRegion
from knooppunt.reports.access import resolve
from knooppunt.reports.builders import get
from knooppunt.reports.periods import parse

pytestmark = pytest.mark.django_db


def _gather(user, code: str, year: int):
    builder = get("factsheet")
    return builder.gather(user, resolve(user, builder, code), parse(str(year)))


def _raw(value):
    """A dashboard table cell as the factsheet keeps it (None when withheld or when
    there is no data)."""
    return None if value is SUPPRESSED or value is NO_DATA else value


def _assert_rows_equal(report_table, panel_table, keys):
    """Row by row, the given columns of the report equal the dashboard's."""
    assert len(report_table.rows) == len(panel_table.rows), report_table.key
    for key in keys:
        mine = report_table.column(key)
        theirs = [row.get(key) for row in panel_table.rows]
        assert [c.value for c in mine] == [_raw(v) for v in theirs], (report_table.key, key)
        assert [c.suppressed for c in mine] == [v is SUPPRESSED for v in theirs], key


def test_municipality_factsheet_has_the_dashboards_numbers(client, world):
    client.force_login(world.mayor)
    page = client.get(reverse("dashboards:municipality", args=["GM0153"]),
                      {"jaar": world.year})
    assert page.status_code == 200
    data = _gather(world.mayor, "GM0153", world.year)

    key = page.context["key"].table
    _assert_rows_equal(data.table("kerncijfers"), key,
                       ["indicator", "waarde", "vorig_jaar", "verandering", "streef", "index"])
    cards = {c.indicator: c for c in data.cards}
    for row in key.rows:
        card = cards[row["indicator"]]
        assert card.value.value == _raw(row["waarde"])
        assert card.index.value == row["index"]
    assert cards["Signalen ondermijning (totaal)"].value.value == 14
    assert cards["Signalen ondermijning (totaal)"].previous.suppressed  # 3 last year

    for name, table_key, keys in (
            ("map", "kaart", ["gemeente", "waarde", "per_1000"]),
            ("targets", "streefcijfers", ["indicator", "streef", "gerealiseerd",
                                          "percentage"])):
        _assert_rows_equal(data.table(table_key), page.context[name].table, keys)
    # Alerts: the dashboard's open ones about the report's year.
    alerts = page.context["alerts"]
    of_year = [row["waargenomen"] for row, alert in zip(alerts.table.rows,
                                                        alerts.extra["alerts"], strict=True)
               if alert.period.start.year == world.year]
    assert [c.value for c in data.table("signaleringen").column("waargenomen")] == [
        _raw(v) for v in of_year]

    # The benchmark: the peers the mayor may see (the others are one sentence on paper).
    peers = [r for r in page.context["benchmark"].table.rows if r["index"] is not None]
    assert [(c.text, c.value) for c in data.table("benchmark").column("index")] == [
        (str(round(r["index"])), r["index"]) for r in peers]
    assert "3 gemeenten van de groep zijn voor u niet zichtbaar" in data.table("benchmark").note

    # The trend: 36 months on the dashboard, months x years in the report, same cells.
    trend = page.context["trend"].table.rows
    pivot = data.table("trend")
    years = [c.key for c in pivot.columns[1:]]
    assert len(trend) == 12 * len(years)
    no_data = 0
    for index, row in enumerate(trend):
        cell = pivot.rows[index % 12][1 + index // 12]
        assert (cell.value, cell.suppressed) == (_raw(row["waarde"]),
                                                 row["waarde"] is SUPPRESSED)
        # Before the world's first record (1 January last year): "geen gegevens" on both,
        # never a 0 (decision 0021).
        assert (cell.text == "geen gegevens") == (row["waarde"] is NO_DATA)
        no_data += row["waarde"] is NO_DATA
    assert no_data == 12  # the trend's first year
    assert data.charts["trend"].svg and data.charts["kaart"].svg


def test_region_factsheet_has_the_analysis_pages_numbers(client, world):
    """Region: each municipality column equals the analysis page's breakdown of that
    indicator; the region's totals equal the region's cell one level up."""
    user = world.regional
    client.force_login(user)
    data = _gather(user, "VR05", world.year)
    side = data.table("gemeenten")
    indicators = [c for c in side.columns[2:]]
    assert indicators, "the side-by-side table has indicator columns"
    analysis = reverse("dashboards:analysis")
    checked = 0
    for column in indicators:
        page = client.get(analysis, {"gebied": "VR05", "indicator": column.key,
                                     "periode": "jaar", "jaar": world.year})
        assert page.status_code == 200
        shown = {r["gebied"]: r["waarde"] for r in page.context["breakdown"].table.rows}
        mine = dict(zip([c.text for c in side.column("gemeente")], side.column(column.key),
                        strict=True))
        assert set(mine) == set(shown)
        for name, cell in mine.items():
            assert (cell.value, cell.suppressed) == (_raw(shown[name]),
                                                     shown[name] is SUPPRESSED), name
            checked += 1
    assert checked >= 8

    # The region's own totals: the VR05 cell of the police unit's breakdown.
    unit = SafetyRegion.objects.get(code="VR05").police_unit.code
    key = data.table("kerncijfers")
    for row_cells in key.rows[:3]:
        name = row_cells[0].text
        code = next(i for i in _indicator_codes(client) if i[1] == name)[0]
        page = client.get(analysis, {"gebied": unit, "indicator": code, "periode": "jaar",
                                     "jaar": world.year})
        cells = {r["code"]: r["waarde"] for r in page.context["breakdown"].table.rows}
        assert (row_cells[1].value, row_cells[1].suppressed) == (
            _raw(cells["VR05"]), cells["VR05"] is SUPPRESSED), name
    assert data.cards[0].value.value == 29  # 14 + 3 + 6 + 6 signals in the world's year

    page = client.get(analysis, {"gebied": "VR05", "indicator": "signalen-totaal",
                                 "periode": "jaar", "jaar": world.year})
    _assert_rows_equal(data.table("kaart"), page.context["breakdown"].table,
                       ["code", "waarde", "per_1000"])


def _indicator_codes(client):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    body = response.json()
    items = body["results"] if isinstance(body, dict) and "results" in body else body
    return [(i["code"], i["name"]) for i in items]
