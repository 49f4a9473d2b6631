"""Reports compare honestly (decision 0025): a running year against the same complete
months of the year before, said in words; the peer group is named as it is (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.reports.access import resolve
from knooppunt.reports.builders import get
from knooppunt.reports.gather import raadsvragen
from knooppunt.reports.periods import parse

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
