"""Reports compare honestly (decision 0025): a running year against the same complete
months of the year before, said in words; the peer group is named as it is (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.geo.models import Municipality
from knooppunt.monitoring.compute import compute_all
from knooppunt.reports.access import resolve
from knooppunt.reports.builders import get
from knooppunt.reports.gather import raadsvragen
from knooppunt.reports.periods import parse
from knooppunt.taxonomy.models import Theme
from tests.factories import SignalFactory

pytestmark = pytest.mark.django_db


def _gather(user, code: str, year: int, theme: str = ""):
    builder = get("raadsvragen")
    return builder.gather(user, resolve(user, builder, code), parse(str(year)), theme=theme)


def test_raadsvragen_compare_a_running_year_over_the_same_months(world, monkeypatch,
                                                                 settings):
    settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD = 1  # the rule is tested, not suppression
    day = dt.date(world.year + 1, 7, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    found = raadsvragen.gather(world.analyst, "GM0153", str(world.year + 1),
                               theme="hennepteelt")
    # One hennep signal on the 3rd of every month of the data year: January-June is 6,
    # the whole year 12. The change is against the 6, not the 12.
    assert found.compared_previous == 6
    assert found.partial_mark == "t/m 5 jul"
    assert found.compared_text == (f"1 jan – 30 jun {world.year + 1} t.o.v. "
                                   f"1 jan – 30 jun {world.year}")
    assert f"tegen 6 over 1 jan – 30 jun {world.year}" in found.text
    assert "tegen 12" not in found.text
    assert found.years[-1].change_percent == -100.0
    assert found.five_year_change_percent is None  # not from a year that is not complete
    data = _gather(world.analyst, "GM0153", world.year + 1, "hennepteelt")
    years = data.table("jaren")
    assert years.rows[-1][0].text == f"{world.year + 1} (t/m 5 jul)"
    assert "1 jan – 30 jun" in years.note


def test_a_year_that_has_ended_is_compared_whole(world):
    found = raadsvragen.gather(world.analyst, "GM0153", str(world.year), theme="hennepteelt")
    assert found.partial_mark == ""
    assert f"in {world.year - 1}" in found.text  # the whole year before, as before


@pytest.mark.usefixtures("large_dumps")  # no small theme in the year: conftest
def test_the_peer_group_is_named_as_it_is(world):
    data = _gather(world.mayor, "GM0153", world.year, "hennepteelt")
    table = data.table("vergelijking")
    found = raadsvragen.gather(world.mayor, "GM0153", str(world.year), theme="hennepteelt")
    group = found.comparison.group_name
    assert group  # Enschede has a peer group in this world
    assert "grootte en stedelijkheid" not in table.note
    assert group in table.note
    assert "vergelijkbare gemeenten" not in found.text
    if found.comparison.index is not None:
        assert f"vergelijkingsgroep {group}" in found.text


def _table(data, key):
    return next(t for t in data.tables if t.key == key)


def _row(table, name):
    return next(r for r in table.rows if r[0].text == name or
                (len(r) > 1 and r[1].text == name))


def test_jaarbericht_compares_a_running_year_over_the_same_months(world, monkeypatch,
                                                                  settings):
    settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD = 1  # the rule is tested, not suppression
    day = dt.date(world.year + 1, 7, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    builder = get("jaarbericht")
    data = builder.gather(world.analyst, resolve(world.analyst, builder, "GM0153"),
                          parse(str(world.year + 1), today=day))
    table = _table(data, "signalen")
    labels = [c.label for c in table.columns]
    assert f"1 jan – 30 jun {world.year + 1}" in labels
    assert f"1 jan – 30 jun {world.year}" in labels  # not the whole year before
    keys = [c.key for c in table.columns]
    hennep = _row(table, "Signalen hennepteelt")
    assert hennep[keys.index("vorige")].value == 6  # January-June, not all 12
    assert "dezelfde maanden" in table.note


def test_voortgang_compares_a_running_half_year_with_the_same_months_before(
        world, monkeypatch, settings):
    settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD = 1
    day = dt.date(world.year + 1, 5, 5)  # H1 runs: January-April complete
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    for _i in range(3):  # something in the running half year, so the row is printed
        SignalFactory(theme=Theme.objects.get(code="hennepteelt"),
                      received_on=dt.date(world.year + 1, 2, 10),
                      municipality=Municipality.objects.get(code="GM0153"))
    compute_all(codes=["signalen-hennepteelt"], force=True)
    builder = get("voortgang")
    data = builder.gather(world.analyst, resolve(world.analyst, builder, "GM0153"),
                          parse(f"{world.year + 1}-H1", today=day))
    table = _table(data, "ontwikkeling")
    labels = [c.label for c in table.columns]
    # The half year before is July-December of the data year: its first four months.
    assert f"1 jul – 31 okt {world.year}" in labels
    keys = [c.key for c in table.columns]
    hennep = _row(table, "Signalen hennepteelt")
    assert hennep[keys.index("vorige")].value == 4
    assert hennep[keys.index("deel")].value == 3
    assert hennep[keys.index("verandering")].value == -25.0
