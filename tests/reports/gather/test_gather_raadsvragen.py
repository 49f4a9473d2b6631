"""Raadsvragen: five years and the wijken of a theme, suppressed as the dashboards, the
text for the letter built from the same numbers, bad themes and periods."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from knooppunt.geo.models import Neighbourhood
from knooppunt.monitoring import queries
from knooppunt.reports.gather import raadsvragen
from knooppunt.reports.gather.errors import ReportInputError, ReportNotAllowed

from .conftest import compute, signals

pytestmark = pytest.mark.django_db
HENNEP = "signalen-hennepteelt"


def _buurten(n: int) -> list[Neighbourhood]:
    """n buurten of Enschede in n different wijken."""
    found, wijken = [], set()
    for buurt in Neighbourhood.objects.filter(municipality__code="GM0153").order_by("code"):
        if buurt.district_id not in wijken:
            wijken.add(buurt.district_id)
            found.append(buurt)
        if len(found) == n:
            return found
    raise AssertionError("not enough wijken")


@pytest.fixture
def history(world):
    a, b, c = _buurten(3)
    for buurt, n in ((a, 10), (b, 6), (c, 3)):
        signals(n, day=dt.date(2025, 4, 1), neighbourhood=buurt, district=buurt.district)
    signals(6, day=dt.date(2024, 4, 1))
    signals(6, day=dt.date(2023, 4, 1))
    signals(3, day=dt.date(2022, 4, 1))
    signals(5, day=dt.date(2025, 4, 1), code="GM0164")
    compute()
    return world, (a, b, c)


def test_five_years_wijken_and_the_text(history):
    world, (a, b, c) = history
    report = raadsvragen.gather(world.mayor, "GM0153", "2025", "hennepteelt")
    assert [(r.year, r.value.value) for r in report.years] == [
        (2021, 0), (2022, None), (2023, 6), (2024, 6), (2025, 19)]
    assert report.years[1].value.suppressed
    assert report.change_percent == pytest.approx(216.7) and report.direction == "gestegen"
    wijken = {r.code: r.value for r in report.areas}
    assert wijken[a.district.code].value == 10
    assert wijken[c.district.code].suppressed  # 3: small
    assert wijken[b.district.code].suppressed  # 6: hidden too, else 19 - 10 - 6 = 3
    assert report.area_level == "wijk"
    assert report.text.startswith(
        "In 2025 zijn er in Enschede 19 signalen hennepteelt geregistreerd, tegen 6 in 2024. "
        "Het aantal is gestegen (+217%).")
    assert "per 1.000 inwoners" in report.text and "Twente" in report.text
    assert set(report.charts) == {"years", "areas"}


def test_numbers_equal_the_dashboards(history):
    world, _buurten = history
    user = world.mayor
    report = raadsvragen.gather(user, "GM0153", "2025", "hennepteelt")
    series = queries.series(user, HENNEP, "gemeente", "GM0153", "jaar",
                            dt.date(2021, 1, 1), dt.date(2025, 1, 1))
    assert [r.value.value for r in report.years] == [f.value for f in series]
    shown = queries.breakdown(user, HENNEP, "gemeente", "GM0153", "jaar", dt.date(2025, 1, 1))
    assert [(r.code, r.value.value) for r in report.areas] == [
        (f.area.code, f.value) for f in shown]
    region = queries.values(user, HENNEP, "veiligheidsregio", "jaar", dt.date(2025, 1, 1),
                            codes=["VR05"])[0]
    assert report.comparison.region_per_1000 == region.per_1000


def test_a_hidden_year_reads_fewer_than_the_threshold(world):
    signals(3, day=dt.date(2025, 4, 1), theme="drugshandel")
    signals(8, day=dt.date(2024, 4, 1), theme="drugshandel")
    compute()
    report = raadsvragen.gather(world.coordinator, "GM0153", "2025", "drugshandel")
    assert report.years[-1].value.suppressed and report.change_percent is None
    assert "minder dan 5 signalen drugshandel geregistreerd, tegen 8 in 2024." in report.text
    assert "3" not in report.text.split("Bron:")[0]
    with translation.override("en"):
        english = raadsvragen.gather(world.coordinator, "GM0153", "2025", "drugshandel")
    assert "fewer than 5" in english.text and "against 8 in 2024" in english.text


def test_a_steady_year_reads_so_in_both_languages(world):
    signals(20, day=dt.date(2025, 4, 1))
    signals(20, day=dt.date(2024, 4, 1))
    compute()
    report = raadsvragen.gather(world.coordinator, "GM0153", "2025", "hennepteelt")
    assert "Het aantal is gelijk gebleven (0%)." in report.text
    with translation.override("en"):
        english = raadsvragen.gather(world.coordinator, "GM0153", "2025", "hennepteelt")
    assert "In 2025, 20 cannabis-cultivation signals were registered in Enschede" in english.text
    assert "The number stayed about the same (0%)." in english.text


def test_a_region_per_municipality(history):
    world, _b = history
    report = raadsvragen.gather(world.coordinator, "VR05", "2025")
    assert report.indicator_code == "signalen-totaal" and report.area_level == "gemeente"
    values = {r.code: r.value.value for r in report.areas}
    # Hengelo's own-data figure is not Enschede's to see: left out, inside the region total
    assert values["GM0153"] == 19 and "GM0164" not in values
    assert report.years[-1].value.value == 24


@pytest.mark.parametrize("theme", ["drugsoverlast", "signalen-totaal", "x" * 80])
def test_unknown_theme(world, theme):
    with pytest.raises(ReportInputError) as found:
        raadsvragen.gather(world.coordinator, "GM0153", "2025", theme)
    assert "hennepteelt" in str(found.value)


def test_bad_period_and_outsider(world):
    with pytest.raises(ReportInputError):
        raadsvragen.gather(world.coordinator, "GM0153", "2025-Q1", "hennepteelt")
    with pytest.raises(ReportNotAllowed):
        raadsvragen.gather(world.outsider, "GM0153", "2025", "hennepteelt")
