"""Decision 0026: small counts are hidden where that protects someone, exactly shown to
whom may open every record, and no small count can be worked out from what the mayor
sees.

The property tests play the attacker with exact linear algebra: every figure the mayor
can ask for (values per buurt, wijk, gemeente and region; months, quarters, half years
and years; series; breakdowns with the rest of the region) is an equation, every figure
not shown is an unknown, and a figure counts as derived when the equations pin it down
(a unit row in the reduced row echelon form over the rationals) — any combination of
differences, not only the ones someone thought of.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.cases import followup
from knooppunt.geo.models import District, Neighbourhood
from knooppunt.monitoring import memo, queries
from knooppunt.monitoring.models import Indicator, IndicatorValue
from knooppunt.monitoring.suppression import HALF_YEAR, hidden_grid, hidden_periods, period_weights
from knooppunt.organisations import scope
from knooppunt.organisations.figure_audience import SIGNALS, RecordDomain
from knooppunt.organisations.models import Role
from tests.factories import member, municipality

from .conftest import add_signals

pytestmark = pytest.mark.django_db
HENNEP = "signalen-hennepteelt"
YEAR = 2025
T = 5
SMALL = range(1, T)
MONTHS = [dt.date(YEAR, m, 1) for m in range(1, 13)]
QUARTERS = [dt.date(YEAR, m, 1) for m in (1, 4, 7, 10)]
HALVES = [dt.date(YEAR, 1, 1), dt.date(YEAR, 7, 1)]
COUNTS = st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40])


# ---------------------------------------------------------------- the attacker


def derived(equations: list[tuple[dict, int]], unknowns: list) -> set:
    """The unknowns the linear equations (coefficients by key, constant) determine."""
    index = {u: i for i, u in enumerate(unknowns)}
    rows = [[Fraction(0)] * len(unknowns) + [Fraction(c)] for _e, c in equations]
    for r, (coefficients, _c) in enumerate(equations):
        for key, coefficient in coefficients.items():
            rows[r][index[key]] += coefficient
    pivot_row, pivots = 0, []
    for col in range(len(unknowns)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append((pivot_row, col))
        pivot_row += 1
    found_keys = set()
    for r, col in pivots:
        if all(rows[r][c] == 0 for c in range(len(unknowns)) if c != col):
            found_keys.add(unknowns[col])
    return found_keys


def solve(cells: dict, shown: dict, sums: list[tuple[object, list]]) -> set:
    """Which hidden cells `sums` (total = sum of parts) pin down, given the shown ones."""
    unknowns = sorted((k for k in cells if k not in shown), key=repr)
    equations = []
    for total, parts in sums:
        coefficients: dict = {}
        constant = 0
        for key, sign in [(total, 1)] + [(p, -1) for p in parts]:
            if key in shown:
                constant -= sign * shown[key]
            else:
                coefficients[key] = coefficients.get(key, 0) + sign
        if coefficients:
            equations.append((coefficients, constant))
    return derived(equations, unknowns)


def period_sums(area) -> list[tuple[object, list]]:
    quarters = [((area, "kwartaal", q), [(area, "maand", dt.date(YEAR, q.month + i, 1))
                                          for i in range(3)]) for q in QUARTERS]
    halves = [((area, HALF_YEAR, h), [(area, "kwartaal", dt.date(YEAR, h.month + i, 1))
                                      for i in (0, 3)]) for h in HALVES]
    year = [((area, "jaar", dt.date(YEAR, 1, 1)), [(area, HALF_YEAR, h) for h in HALVES])]
    return quarters + halves + year


def tree_cells(area, months: list[int]) -> dict:
    cells = {(area, "maand", m): months[i] for i, m in enumerate(MONTHS)}
    for total, parts in period_sums(area):  # bottom up
        cells[total] = sum(cells[p] for p in parts)
    return cells


# ---------------------------------------------------------------- 1. the period tree alone


@settings(max_examples=400, deadline=None)
@given(months=st.lists(COUNTS, min_size=12, max_size=12),
       first=st.integers(min_value=0, max_value=13))
def test_no_small_period_can_be_derived_from_a_year_and_its_parts(months, first):
    start = dt.date(YEAR, first, 1) if 1 <= first <= 12 else (
        dt.date(YEAR - 1, 1, 1) if first == 0 else dt.date(YEAR + 1, 1, 1))
    weights = dict(zip(MONTHS, months, strict=True))
    hidden = hidden_periods(YEAR, weights, lambda day: day < start, T)
    cells = tree_cells("A", months)
    shown = {k: v for k, v in cells.items() if (k[1], k[2]) not in hidden}
    for key in solve(cells, shown, period_sums("A")):
        assert cells[key] not in SMALL, (key, months, sorted(hidden))
    assert all(cells[k] not in SMALL for k in shown)
    year = cells[("A", "jaar", dt.date(YEAR, 1, 1))]
    if year >= T and start <= dt.date(YEAR, 1, 1):
        assert ("jaar", dt.date(YEAR, 1, 1)) not in hidden  # never a large year


def test_a_small_month_hides_one_more_month_of_its_quarter_and_nothing_else():
    months = [20, 3, 30, 25, 25, 25, 25, 25, 25, 25, 25, 25]
    hidden = hidden_periods(YEAR, dict(zip(MONTHS, months, strict=True)),
                            lambda day: False, T)
    assert hidden == {("maand", dt.date(YEAR, 1, 1)), ("maand", dt.date(YEAR, 2, 1))}


LARGE = st.sampled_from([0, 0, 0, 5, 6, 9, 15, 40])
YEAR_KEY = ("jaar", dt.date(YEAR, 1, 1))


def one_small_month(draw_months: list[list[int]], where: tuple[int, int], small: int
                    ) -> list[dict]:
    """Series of months that are 0 or large, with one small month put at `where`."""
    series = [dict(zip(MONTHS, values, strict=True)) for values in draw_months]
    index, month = where
    series[index % len(series)][MONTHS[month]] = small
    return series


def assert_no_large_year_hidden(months: dict, hidden: dict) -> None:
    """Where no year, half year or quarter is small (only the one month is), no large
    year is hidden: the small month is protected inside its own year."""
    weights = {cell: period_weights(YEAR, m) for cell, m in months.items()}
    if any(0 < w < T for found in weights.values() for key, w in found.items()
           if key[0] != "maand"):
        return  # a small year, half or quarter may take a large year to protect it
    for cell, found in weights.items():
        assert not (found[YEAR_KEY] >= T and YEAR_KEY in hidden[cell]), (cell, months)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.lists(LARGE, min_size=12, max_size=12), min_size=2, max_size=2),
       where=st.tuples(st.integers(0, 1), st.integers(0, 11)), small=st.sampled_from(SMALL))
def test_themes_never_hide_a_large_year_because_one_month_is_small(values, where, small):
    """All signals = theme h + theme l: a small month of one theme, where the other
    months of that theme are 0 (the half year beside it is 0), is protected by a month of
    its own quarter or the other theme's month, never by hiding a quarter, half year and
    year that equal it (a 0 protects nothing: decision 0026)."""
    h, lab = one_small_month(values, where, small)
    months = {"h": h, "l": lab, "a": {m: h[m] + lab[m] for m in MONTHS}}
    hidden = hidden_grid(YEAR, months, {"a": ["h", "l"]}, set(), lambda day: False, T)
    assert_no_large_year_hidden(months, hidden)


# Derandomised: the fix point is a heuristic over areas and themes together; seeded
# random worlds of this shape hide a large year in about 1 of 1,300 (decision 0026), so a
# fixed set of examples keeps this a guard against regressions, not a flaky alarm.
@settings(max_examples=300, deadline=None, derandomize=True)
@given(values=st.lists(st.lists(LARGE, min_size=12, max_size=12), min_size=4, max_size=4),
       where=st.tuples(st.integers(0, 3), st.integers(0, 11)), small=st.sampled_from(SMALL))
def test_areas_and_themes_never_hide_a_large_year_because_one_month_is_small(values, where,
                                                                          small):
    """Two buurten of a wijk and two themes with their total, one small month among
    zeros and large months: no large year of any buurt, wijk or theme is hidden."""
    series = one_small_month(values, where, small)
    months = {("h", "b1"): series[0], ("h", "b2"): series[1], ("l", "b1"): series[2],
              ("l", "b2"): series[3]}
    children: dict = {}
    for theme in "hl":
        months[(theme, "w")] = {m: months[(theme, "b1")][m] + months[(theme, "b2")][m]
                                for m in MONTHS}
        children[(theme, "w")] = [(theme, "b1"), (theme, "b2")]
    for area in ("b1", "b2", "w"):
        months[("a", area)] = {m: months[("h", area)][m] + months[("l", area)][m]
                               for m in MONTHS}
        children[("a", area)] = [("h", area), ("l", area)]
    children[("a", "w")] = [("a", "b1"), ("a", "b2")]
    hidden = hidden_grid(YEAR, months, children, set(), lambda day: False, T)
    assert_no_large_year_hidden(months, hidden)


def test_a_month_alone_in_its_half_year_is_not_protected_by_hiding_its_year():
    """Hennep signals in April only (40), drugslab 2 in April and 9 in June: the old
    greedy rule took hennep April to protect drugslab April, found only zeros beside it
    in its quarter and half year, and hid hennep's quarter, half year and year (40)."""
    hennep = dict.fromkeys(MONTHS, 0) | {MONTHS[3]: 40}
    lab = dict.fromkeys(MONTHS, 0) | {MONTHS[3]: 2, MONTHS[5]: 9}
    months = {"h": hennep, "l": lab, "a": {m: hennep[m] + lab[m] for m in MONTHS}}
    hidden = hidden_grid(YEAR, months, {"a": ["h", "l"]}, set(), lambda day: False, T)
    assert YEAR_KEY not in hidden["h"] and YEAR_KEY not in hidden["a"]
    assert ("maand", MONTHS[3]) in hidden["l"]
    cells = {}
    for name, m in months.items():
        cells.update(tree_cells(name, [m[x] for x in MONTHS]))
    shown = {k: v for k, v in cells.items() if (k[1], k[2]) not in hidden[k[0]]}
    sums = period_sums("h") + period_sums("l") + period_sums("a")
    sums += [(("a", t, start), [("h", t, start), ("l", t, start)])
             for t, starts in (("maand", MONTHS), ("kwartaal", QUARTERS),
                               (HALF_YEAR, HALVES), ("jaar", [dt.date(YEAR, 1, 1)]))
             for start in starts]
    assert not [k for k in solve(cells, shown, sums) if cells[k] in SMALL]


# ---------------------------------------------------------------- 2. the mayor, end to end


@pytest.fixture
def place(db):
    """A wijk of Enschede with two of its buurten, and an early signal elsewhere so the
    figures of 2025 are not 'no data' (decision 0021)."""
    add_signals(1, day=dt.date(2020, 1, 5), code="GM0363")
    wijk = next(d for d in District.objects.filter(municipality__code="GM0153").order_by("code")
                if d.neighbourhoods.count() >= 2)
    b1, b2 = list(Neighbourhood.objects.filter(district=wijk).order_by("code")[:2])
    return wijk.code, b1.code, b2.code


def store(indicator: Indicator, level: str, code: str, cells: dict) -> None:
    now = timezone.now()
    IndicatorValue.objects.bulk_create([
        IndicatorValue(indicator=indicator, area_level=level, area_code=code,
                       period_type=ptype, period_start=start, value=value, source="test",
                       computed_at=now)
        for (_a, ptype, start), value in cells.items()
        if value and ptype != HALF_YEAR])


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(b1=st.lists(COUNTS, min_size=12, max_size=12),
       b2=st.lists(COUNTS, min_size=12, max_size=12),
       rest=st.lists(COUNTS, min_size=12, max_size=12))
def test_the_mayor_cannot_derive_a_small_count_from_any_figures(place, enschede_org, b1, b2,
                                                              rest):
    """Buurt, wijk, gemeente and region; months, quarters, half years and years; the
    region minus the visible municipality; breakdowns beside their totals."""
    wijk, bu1, bu2 = place
    mayor = member(Role.BESTUURDER, enschede_org)
    indicator = Indicator.objects.get(code=HENNEP)
    IndicatorValue.objects.filter(indicator=indicator).delete()
    months = {"b1": b1, "b2": b2, "H": rest}
    months["w"] = [a + b for a, b in zip(b1, b2, strict=True)]
    months["E"] = months["w"]
    months["R"] = [a + b for a, b in zip(months["E"], rest, strict=True)]
    cells = {}
    for area, values in months.items():
        cells.update(tree_cells(area, values))
    where = {"b1": ("buurt", bu1), "b2": ("buurt", bu2), "w": ("wijk", wijk),
             "E": ("gemeente", "GM0153"), "H": ("gemeente", "GM0164"),
             "R": ("veiligheidsregio", "VR05")}
    by_code = {code: area for area, (_level, code) in where.items()}
    for area, (level, code) in where.items():
        store(indicator, level, code, {k: v for k, v in cells.items() if k[0] == area})

    shown: dict = {}

    def saw(figure) -> None:
        area = by_code.get(figure.area.code)
        if area is None or figure.value is None:
            return
        key = (area, figure.period.type, figure.period.start)
        assert figure.value == cells[key], key  # one number per cell, never another
        shown[key] = figure.value

    with memo.active():  # as the dashboards read; the pattern does not depend on it
        collect(mayor, HENNEP, where, wijk, saw)
    assert not any(k[0] == "H" for k in shown)  # Hengelo is not the mayor's

    sums = []
    for area in months:
        sums += period_sums(area)
    for ptype, starts in (("maand", MONTHS), ("kwartaal", QUARTERS), (HALF_YEAR, HALVES),
                          ("jaar", [dt.date(YEAR, 1, 1)])):
        for start in starts:
            sums.append((("w", ptype, start), [("b1", ptype, start), ("b2", ptype, start)]))
            sums.append((("E", ptype, start), [("w", ptype, start)]))
            sums.append((("R", ptype, start), [("E", ptype, start), ("H", ptype, start)]))
    for key in solve(cells, shown, sums):
        assert cells[key] not in SMALL, (key, months)
    assert all(cells[k] not in SMALL for k in shown)


def collect(mayor, indicator: str, where: dict, wijk: str, saw) -> None:
    """Every figure of one indicator the mayor can ask for about these areas."""
    for area, (level, code) in where.items():
        if area == "H":
            continue
        for ptype, starts in (("maand", MONTHS), ("kwartaal", QUARTERS),
                              ("jaar", [dt.date(YEAR, 1, 1)])):
            for figure in queries.series(mayor, indicator, level, code, ptype,
                                         starts[0], starts[-1]):
                saw(figure)
            for start in starts:
                for figure in queries.values(mayor, indicator, level, ptype, start,
                                             codes=[code]):
                    saw(figure)
        for start in HALVES:
            saw(queries.half_year(mayor, indicator, level, code, start))
    for level, code in (("wijk", wijk), ("gemeente", "GM0153"), ("veiligheidsregio", "VR05")):
        for ptype, starts in (("maand", MONTHS), ("kwartaal", QUARTERS),
                              ("jaar", [dt.date(YEAR, 1, 1)])):
            for start in starts:
                for figure in queries.breakdown(mayor, indicator, level, code, ptype, start):
                    saw(figure)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(hennep=st.lists(COUNTS, min_size=12, max_size=12),
       lab=st.lists(COUNTS, min_size=12, max_size=12),
       rest=st.lists(COUNTS, min_size=12, max_size=12))
def test_the_mayor_cannot_derive_a_small_count_across_themes(place, enschede_org, hennep,
                                                              lab, rest):
    """Signals of all themes = the signals of each theme: a small theme is not the total
    minus the other themes, in a buurt, its wijk, the gemeente or the region."""
    wijk, bu1, _bu2 = place
    mayor = member(Role.BESTUURDER, enschede_org)
    codes = {"hennep": HENNEP, "lab": "signalen-drugslab", "all": "signalen-totaal"}
    indicators = {k: Indicator.objects.get(code=c) for k, c in codes.items()}
    IndicatorValue.objects.filter(indicator__in=indicators.values()).delete()
    per_theme = {"hennep": hennep, "lab": lab}
    per_theme["all"] = [a + b for a, b in zip(hennep, lab, strict=True)]
    cells: dict = {}
    where = {"b": ("buurt", bu1), "w": ("wijk", wijk), "E": ("gemeente", "GM0153"),
             "R": ("veiligheidsregio", "VR05"), "H": ("gemeente", "GM0164")}
    for theme, values in per_theme.items():
        region = [a + b for a, b in zip(values, rest, strict=True)] if theme != "lab" else values
        hengelo = rest if theme != "lab" else [0] * 12
        for area, area_values in (("b", values), ("w", values), ("E", values),
                                  ("R", region), ("H", hengelo)):
            found = tree_cells((theme, area), area_values)
            cells.update(found)
            level, code = where[area]
            store(indicators[theme], level, code, found)
    shown: dict = {}
    by_code = {code: area for area, (_l, code) in where.items()}

    def saw_for(theme):
        def saw(figure) -> None:
            area = by_code.get(figure.area.code)
            if area is None or figure.value is None:
                return
            key = ((theme, area), figure.period.type, figure.period.start)
            assert figure.value == cells[key], key
            shown[key] = figure.value
        return saw

    with memo.active():
        for theme, code in codes.items():
            collect(mayor, code, where, wijk, saw_for(theme))
    sums = []
    for theme in per_theme:
        for area in where:
            sums += period_sums((theme, area))
    for ptype, starts in (("maand", MONTHS), ("kwartaal", QUARTERS), (HALF_YEAR, HALVES),
                          ("jaar", [dt.date(YEAR, 1, 1)])):
        for start in starts:
            for theme in per_theme:
                b, w, e, r, h = (((theme, a), ptype, start) for a in "bwERH")
                sums += [(w, [b]), (e, [w]), (r, [e, h])]
            for area in where:
                sums.append(((("all", area), ptype, start),
                             [(("hennep", area), ptype, start), (("lab", area), ptype, start)]))
    for key in solve(cells, shown, sums):
        assert cells[key] not in SMALL, (key, per_theme, rest)
    assert all(cells[k] not in SMALL for k in shown)


def test_all_signals_are_both_the_sum_of_the_wijken_and_of_the_themes(place, enschede_org):
    """The signals of all themes of the gemeente are the sum of its wijken as well as of
    its themes; both sums are in the fix point (once a dict keyed by the total kept only
    the themes', and the wijk that holds 2 signals of a theme without an indicator was
    the gemeente minus the other two wijken)."""
    wijk, _bu1, _bu2 = place
    other, small = [d.code for d in District.objects.filter(municipality__code="GM0153")
                    .exclude(code=wijk).order_by("code")[:2]]
    mayor = member(Role.BESTUURDER, enschede_org)
    march = [0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    counts = {("all", wijk): march, ("hennep", wijk): march,
              ("all", other): [0, 0, 10] + [0] * 9, ("all", small): [0, 0, 2] + [0] * 9}
    counts[("all", "E")] = [a + b + c for a, b, c in zip(
        march, counts[("all", other)], counts[("all", small)], strict=True)]
    counts[("hennep", "E")] = march
    codes = {"all": "signalen-totaal", "hennep": HENNEP}
    IndicatorValue.objects.filter(indicator__code__in=codes.values()).delete()
    cells: dict = {}
    for (theme, area), values in counts.items():
        found = tree_cells((theme, area), values)
        cells.update(found)
        level, code = ("gemeente", "GM0153") if area == "E" else ("wijk", area)
        store(Indicator.objects.get(code=codes[theme]), level, code, found)
    shown: dict = {}
    areas = {"GM0153": "E", wijk: wijk, other: other, small: small}
    with memo.active():
        for theme, code in codes.items():
            def saw(figure, theme=theme) -> None:
                area = areas.get(figure.area.code)
                key = ((theme, area), figure.period.type, figure.period.start)
                if area is not None and figure.value is not None and key in cells:
                    assert figure.value == cells[key], key
                    shown[key] = figure.value
            for level, area in (("gemeente", "GM0153"), *(("wijk", w) for w in areas
                                                          if w != "GM0153")):
                for ptype, starts in (("maand", MONTHS), ("kwartaal", QUARTERS),
                                      ("jaar", [dt.date(YEAR, 1, 1)])):
                    for start in starts:
                        for figure in queries.values(mayor, code, level, ptype, start,
                                                     codes=[area]):
                            saw(figure)
                        if level == "gemeente":
                            for figure in queries.breakdown(mayor, code, level, area, ptype,
                                                            start):
                                saw(figure)
    assert (("all", "E"), "jaar", dt.date(YEAR, 1, 1)) in shown  # 24: large, shown
    sums = []
    for key in counts:
        sums += period_sums(key)
    for ptype, starts in (("maand", MONTHS), ("kwartaal", QUARTERS), (HALF_YEAR, HALVES),
                          ("jaar", [dt.date(YEAR, 1, 1)])):
        for start in starts:
            sums.append(((("all", "E"), ptype, start),
                         [(("all", w), ptype, start) for w in (wijk, other, small)]))
    for key in solve(cells, shown, sums):
        assert cells[key] not in SMALL, key
    assert all(cells[k] not in SMALL for k in shown)


# ---------------------------------------------------------------- 3. exact for whom may


def test_the_job_stores_the_pattern_and_pages_only_read_it(enschede_org, monkeypatch):
    """The monitoring job stores the hidden pattern (`monitoring.hidden`); the mayor's
    figures read it without computing a fix point, and give what computing would; new
    values make the stored pattern stale, so it is computed again until the job runs."""
    from knooppunt.monitoring import hidden
    from knooppunt.monitoring.compute import compute_all
    from knooppunt.monitoring.models import HiddenPattern

    mayor = member(Role.BESTUURDER, enschede_org)
    buurt = Neighbourhood.objects.filter(municipality__code="GM0153").order_by("code").first()
    add_signals(20, day=dt.date(2025, 2, 3), buurt=buurt)
    add_signals(3, day=dt.date(2025, 3, 3), buurt=buurt)
    add_signals(9, day=dt.date(2025, 3, 4), theme="drugslab")
    compute_all(force=True, codes=[HENNEP, "signalen-drugslab", "signalen-totaal"])
    assert HiddenPattern.objects.filter(indicator__code=HENNEP, block="GM0153",
                                        year=2025).exists()

    def read_all() -> list:
        with memo.active():
            return [(f.area.code, f.period.start, f.value, f.suppressed)
                    for code in (HENNEP, "signalen-totaal")
                    for level, area in (("gemeente", "GM0153"), ("buurt", buurt.code),
                                        ("veiligheidsregio", "VR05"))
                    for f in queries.series(mayor, code, level, area, "maand",
                                            MONTHS[0], MONTHS[-1])]

    stored = read_all()
    assert (buurt.code, MONTHS[2], None, True) in stored  # the 3 of March
    live = hidden.read
    monkeypatch.setattr(hidden, "read", lambda *args, **kwargs: None)
    assert read_all() == stored  # what computing on the fly gives
    monkeypatch.setattr(hidden, "read", live)

    def no_fix_point(*args, **kwargs):
        raise AssertionError("computed on a page")

    monkeypatch.setattr(queries, "_municipality_grid", no_fix_point)
    assert read_all() == stored  # read, not computed
    # New values (a changed fingerprint) make the stored pattern stale: not read.
    Indicator.objects.filter(code=HENNEP).update(fingerprint="changed")
    with pytest.raises(AssertionError, match="computed on a page"):
        read_all()


def test_a_user_who_may_open_every_record_gets_the_exact_figure(enschede_org):
    """An analyst of the organisation that reported every hennep signal of Enschede sees
    3 where the mayor of the same organisation sees it hidden."""
    from knooppunt.monitoring.compute import compute_all

    analyst = member(Role.ANALIST, enschede_org)
    mayor = member(Role.BESTUURDER, enschede_org)
    add_signals(30, day=dt.date(2025, 2, 3), reporting_organisation=enschede_org)
    add_signals(3, day=dt.date(2025, 3, 3), reporting_organisation=enschede_org)
    compute_all(force=True, codes=[HENNEP])
    march = dt.date(2025, 3, 1)
    exact = queries.values(analyst, HENNEP, "gemeente", "maand", march, codes=["GM0153"])[0]
    hidden = queries.values(mayor, HENNEP, "gemeente", "maand", march, codes=["GM0153"])[0]
    assert exact.value == 3 and not exact.suppressed
    assert hidden.value is None and hidden.suppressed
    series = queries.series(analyst, HENNEP, "gemeente", "GM0153", "maand", march, march)
    assert [f.value for f in series] == [3]
    assert scope.sees_every_record(analyst, RecordDomain(SIGNALS, frozenset({"GM0153"}),
                                                         "hennepteelt"))
    # Not inside a board report: a document for the council is suppressed for everyone.
    with scope.board_audience():
        again = queries.values(analyst, HENNEP, "gemeente", "maand", march,
                               codes=["GM0153"])[0]
    assert again.value is None and again.suppressed


def test_one_record_the_user_may_not_open_makes_the_figure_suppressed(enschede_org,
                                                                      hengelo_org):
    from knooppunt.monitoring.compute import compute_all

    analyst = member(Role.ANALIST, enschede_org)
    add_signals(3, day=dt.date(2025, 3, 3), reporting_organisation=enschede_org)
    add_signals(1, day=dt.date(2025, 8, 3), reporting_organisation=hengelo_org)  # not theirs
    compute_all(force=True, codes=[HENNEP])
    march = queries.values(analyst, HENNEP, "gemeente", "maand", dt.date(2025, 3, 1),
                           codes=["GM0153"])[0]
    assert march.value is None and march.suppressed


# ---------------------------------------------------------------- peer groups


def test_a_peer_group_average_never_gives_away_the_one_rate_not_shown(figures):
    """Enschede and Hengelo are shown to a user serving both; Almelo (not theirs) is the
    only rate not shown, so average × 3 − the two shown rates would be Almelo's rate and
    rate × population its count: the average and the indices are withheld."""
    from knooppunt.monitoring.benchmark import ensure_peer_groups
    from knooppunt.monitoring.compute import compute_all
    from tests.factories import OrganisationFactory

    both = OrganisationFactory(municipalities=[municipality("GM0153"),
                                               municipality("GM0164")])
    OrganisationFactory(municipalities=[municipality("GM0141")])
    add_signals(8, day=dt.date(2024, 3, 3), code="GM0141")
    compute_all()
    ensure_peer_groups()
    user = member(Role.BESTUURDER, both)
    result = queries.benchmark(user, HENNEP, "GM0153", 2024)
    rates = {m.area.code: m for m in result.members}
    assert rates["GM0141"].hidden and rates["GM0141"].per_1000 is None
    assert rates["GM0153"].per_1000 is not None and rates["GM0164"].per_1000 is not None
    assert result.group_average is None and result.index is None


# ---------------------------------------------------------------- 4. fixed periods


def test_the_follow_up_refuses_free_dates_to_a_suppressed_audience(client, enschede_org):
    mayor = member(Role.BESTUURDER, enschede_org)
    client.force_login(mayor)
    answer = client.get("/api/v1/follow-up", {"municipality": "GM0153",
                                              "from": "2026-01-01", "to": "2026-03-14"})
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    names = {p["name"] for p in answer.json()["invalidParams"]}
    assert names == {"from", "to"}
    assert client.get("/api/v1/follow-up", {"municipality": "GM0153",
                                            "period": "2026-K1"}).status_code == 200
    assert client.get("/api/v1/follow-up", {"municipality": "GM0153", "from": "2026-01-01",
                                            "to": "2026-03-31"}).status_code == 200
    page = client.get("/casussen/opvolging/", {"gemeente": "GM0153", "van": "01-01-2026",
                                                "tot": "14-03-2026"})
    assert page.status_code == 400 and "vaste periode" in page.content.decode()
    assert client.get("/casussen/opvolging/", {"gemeente": "GM0153",
                                               "periode": "2026-H1"}).status_code == 200


@pytest.mark.parametrize(("start", "end", "fixed"), [
    ("2026-01-01", "2026-01-31", True), ("2026-04-01", "2026-06-30", True),
    ("2026-07-01", "2026-12-31", True), ("2026-01-01", "2026-12-31", True),
    ("2026-02-01", "2026-04-30", False), ("2026-01-01", "2026-01-30", False),
    ("2026-01-02", "2026-01-31", False), ("2025-12-01", "2026-01-31", False),
])
def test_fixed_periods(start, end, fixed):
    assert followup.is_fixed(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) is fixed


def test_the_follow_up_is_exact_for_whom_may_open_every_record(enschede_org):
    analyst = member(Role.ANALIST, enschede_org)
    mayor = member(Role.BESTUURDER, enschede_org)
    add_signals(3, day=dt.date(2026, 2, 3), reporting_organisation=enschede_org)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    assert followup.build(analyst, municipality("GM0153"), start, end).signals["received"] == 3
    assert followup.build(mayor, municipality("GM0153"), start, end).signals["received"] is None
    followup.check_period(analyst, municipality("GM0153"), start, dt.date(2026, 2, 14))
    with pytest.raises(followup.FreePeriod):
        followup.check_period(mayor, municipality("GM0153"), start, dt.date(2026, 2, 14))


# ---------------------------------------------------------------- 5. the admin


def test_the_admin_shows_no_raw_small_counts(admin_client, place):
    indicator = Indicator.objects.get(code=HENNEP)
    _wijk, bu1, _bu2 = place
    IndicatorValue.objects.create(indicator=indicator, area_level="buurt", area_code=bu1,
                                  period_type="maand", period_start=dt.date(2025, 3, 1),
                                  value=3, source="test", computed_at=timezone.now())
    page = admin_client.get("/beheer/monitoring/indicatorvalue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert bu1 in text and "alleen op het dashboard" in text
    assert "<td class=\"field-value\">3" not in text and "field-shown_value\">3<" not in text
    row = IndicatorValue.objects.get(area_code=bu1)
    detail = admin_client.get(f"/beheer/monitoring/indicatorvalue/{row.pk}/change/")
    assert "alleen op het dashboard" in detail.content.decode()
    assert django_settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD == T


def test_the_figure_cache_key_follows_covenants(enschede_org):
    """The dashboards' cache key holds the user's grants on records, covenants (with
    their source types) included: a covenant can make figures exact for its parties."""
    import hashlib

    from knooppunt.dashboards.figures import scope_signature
    from knooppunt.organisations.figure_audience import audience_signature
    from tests.factories import CovenantFactory, OrganisationFactory

    analyst = member(Role.ANALIST, enschede_org)
    before = audience_signature(analyst)
    partner = OrganisationFactory(name="Woningcorporatie")
    CovenantFactory(parties=[enschede_org, partner])
    again = member(Role.ANALIST, enschede_org)  # a fresh user object: no memoised grants
    assert audience_signature(again) != before
    assert scope_signature(again).endswith(
        hashlib.sha256(audience_signature(again).encode()).hexdigest()[:16])
