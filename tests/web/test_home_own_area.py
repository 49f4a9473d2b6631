"""The home page counts the user's own area (issue 12 item 6) and compares the running year
by the one rule (decision 0025), naming the area and the compared months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from knooppunt.cases.models import Case
from knooppunt.geo.models import Municipality
from knooppunt.web import overview
from tests.cases.conftest import chain, open_case  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_case_counts_cover_the_own_municipality_only(chain, client):  # noqa: F811
    here, there = open_case(chain), open_case(chain)
    # A regional forum also shows a case of another municipality: not Enschede's figure.
    Case.objects.filter(pk=there.pk).update(municipality=Municipality.objects.get(
        code="GM0164"))
    past = dt.date.today() - dt.timedelta(days=30)
    Case.objects.filter(pk__in=[here.pk, there.pk]).update(decision_due_on=past)
    figures = overview.case_figures(chain.coordinator)
    assert figures["open"] == 1
    assert figures["overdue_count"] == 1
    assert [c.pk for c in figures["overdue"]] == [here.pk]
    client.force_login(chain.coordinator)
    page = client.get(reverse("web:home")).content.decode()
    assert "Casussen in Enschede" in page
    assert "uw eigen werkgebied: Enschede" in page


def test_the_home_page_compares_the_same_complete_months(chain):  # noqa: F811
    period = overview.Period.year_to_date(dt.date(2026, 12, 5))
    assert (period.start, period.end) == (dt.date(2026, 1, 1), dt.date(2026, 11, 30))
    assert (period.previous_start, period.previous_end) == (dt.date(2025, 1, 1),
                                                            dt.date(2025, 11, 30))
    assert period.text == "1 jan – 30 nov 2026 t.o.v. 1 jan – 30 nov 2025"
    leap = overview.Period.year_to_date(dt.date(2028, 2, 29))
    assert (leap.end, leap.previous_end) == (dt.date(2028, 1, 31), dt.date(2027, 1, 31))
    january = overview.Period.year_to_date(dt.date(2026, 1, 20))
    assert january.previous_start is None
    assert overview.area_totals(chain.coordinator, january)[1] == 0


def test_a_window_is_hidden_where_the_rest_of_the_year_is_small(chain):  # noqa: F811
    # On 5 December: 30 witwassen signals from January to November and 2 in the running
    # December. Beside the dashboard's year so far (32), showing January-November (30)
    # would give the 2 away: hidden, and a second theme with it beside the total.
    from knooppunt.taxonomy.models import Theme
    from tests.factories import SignalFactory

    today = dt.date(2026, 12, 5)
    money, hemp = Theme.objects.get(code="witwassen-vastgoed"), Theme.objects.get(
        code="hennepteelt")
    for month in range(1, 11):
        for _i in range(3):
            SignalFactory(theme=money, received_on=dt.date(2026, month, 10))
            SignalFactory(theme=hemp, received_on=dt.date(2026, month, 11))
    for day in (1, 2):
        SignalFactory(theme=money, received_on=dt.date(2026, 12, day))
    for _i in range(6):  # hennep's December is not small
        SignalFactory(theme=hemp, received_on=dt.date(2026, 12, 3))
    period = overview.Period.year_to_date(today)
    shown = {f.theme.code: f.shown for f in overview.theme_figures(chain.mayor, period)}
    assert shown["witwassen-vastgoed"] is None
    assert shown["hennepteelt"] is None  # secondary: else total minus hennep gives it
    # The total's December (8) is not small: the total window is shown.
    assert overview.area_totals(chain.mayor, period)[0] == 60
