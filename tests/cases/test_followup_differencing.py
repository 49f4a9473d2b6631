"""Decision 0026, rule 4: the follow-up gives an audience with suppressed figures fixed
periods only, and no small count can be worked out by differencing them.

The attacker asks every fixed period of a year (12 months, 4 quarters, 2 half years, the
year) as the mayor and gets every figure; each figure's periods are sums of each other
(a quarter is its months, a half year its quarters, the year its halves), and a part
shown beside its total (cases still open of the cases opened, interventions finished of
those started or finished) leaves the rest as an unknown of its own. Exact linear
algebra (`solve`, as in the indicator tests) then finds every hidden cell these
equations pin down; none may be a small count, and no shown cell may be small. Worlds
are drawn by hypothesis: cases opened, closed after a quick intervention and still open
per month.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from knooppunt.cases import followup
from knooppunt.cases.models import Case, InterventionType
from knooppunt.geo.models import Municipality
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.suppression import HALF_YEAR
from knooppunt.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member, municipality
from tests.monitoring.test_suppression_audience import solve

from .factories import CaseFactory, InterventionFactory

pytestmark = pytest.mark.django_db
YEAR = 2025
SMALL = range(1, 5)
COUNTS = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9])


def _periods() -> list[tuple[str, dt.date, dt.date]]:
    def span(first: int, months: int) -> tuple[dt.date, dt.date]:
        last = first + months - 1
        return dt.date(YEAR, first, 1), dt.date(YEAR, last, monthrange(YEAR, last)[1])

    found = [("maand", *span(m, 1)) for m in range(1, 13)]
    found += [("kwartaal", *span(m, 3)) for m in (1, 4, 7, 10)]
    found += [(HALF_YEAR, *span(m, 6)) for m in (1, 7)]
    return [*found, ("jaar", *span(1, 12))]


def _sums(figure: str) -> list[tuple[object, list]]:
    """The period tree of one figure: (total, parts)."""
    def key(kind: str, month: int) -> tuple:
        return (figure, kind, dt.date(YEAR, month, 1))

    sums = [(key("kwartaal", q), [key("maand", q + i) for i in range(3)]) for q in (1, 4, 7, 10)]
    sums += [(key(HALF_YEAR, h), [key("kwartaal", h), key("kwartaal", h + 3)]) for h in (1, 7)]
    return [*sums, (key("jaar", 1), [key(HALF_YEAR, 1), key(HALF_YEAR, 7)])]


def _figures(result: followup.FollowUp) -> dict[str, int | None]:
    figures = {f"cases.{name}": result.cases.get(name)
               for name in ("opened", "open", "stopped_quickly")}
    for row in result.interventions:
        figures[f"happened.{row.code}"] = row.shown
        figures[f"finished.{row.code}"] = row.extra
    return figures


def _world(opened: list[int], stopped: list[int], town, owner) -> None:
    Case.objects.all().delete()
    quick = InterventionType.objects.get(code="sluiting-13b")
    for month, (n, s) in enumerate(zip(opened, stopped, strict=True), start=1):
        for i in range(n):
            day = dt.date(YEAR, month, 5)
            closed = i < s
            case = CaseFactory(municipality=town, opened_on=day, owner=owner,
                               closed_on=dt.date(YEAR, month, 20) if closed else None)
            InterventionFactory(case=case, type=quick, organisation=owner,
                                status="afgerond" if closed else "lopend",
                                planned_on=day, started_on=day,
                                ended_on=dt.date(YEAR, month, 15) if closed else None)


@pytest.fixture
def enschede_org(db):
    return OrganisationFactory(name="Gemeente Enschede (test)", kind=OrganisationKind.GEMEENTE,
                               municipalities=[municipality("GM0153")])


@settings(max_examples=5, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],  # a shrink costs minutes of compute_all
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(opened=st.lists(COUNTS, min_size=12, max_size=12),
       share=st.lists(st.integers(min_value=0, max_value=9), min_size=12, max_size=12))
def test_the_mayor_cannot_work_out_a_small_count_from_fixed_periods(
        enschede_org, monkeypatch, opened, share):
    town = Municipality.objects.get(code="GM0153")
    stopped = [min(n, s) for n, s in zip(opened, share, strict=True)]
    _world(opened, stopped, town, enschede_org)
    compute_all()
    mayor = member(Role.BESTUURDER, enschede_org)
    shown: dict = {}
    cells: dict = {}
    for kind, start, end in _periods():
        followup.check_period(mayor, town, start, end)  # fixed: never refused
        seen = _figures(followup.build(mayor, town, start, end))
        with monkeypatch.context() as exact:
            exact.setattr(followup, "exact_for", lambda *_a: True)
            truth = _figures(followup.build(mayor, town, start, end))
        for figure, value in truth.items():
            cells[(figure, kind, start)] = value or 0
            if seen.get(figure) is not None:
                shown[(figure, kind, start)] = seen[figure]
                assert seen[figure] == value, (figure, kind, start)
    figures = {k[0] for k in cells}
    for figure in figures:  # a type without a row in a period: 0 there, and the page says so
        for kind, start, _end in _periods():
            if (figure, kind, start) not in cells:
                cells[(figure, kind, start)] = 0
                shown[(figure, kind, start)] = 0
    sums = [s for f in figures for s in _sums(f)]
    # A part beside its total: the rest is an unknown nobody is shown.
    pairs = [("cases.opened", "cases.open")] + [
        (f, "finished." + f.split(".", 1)[1]) for f in figures if f.startswith("happened.")]
    for total, part in pairs:
        for kind, start, _end in _periods():
            rest = (f"{total}-{part}", kind, start)
            cells[rest] = cells.get((total, kind, start), 0) - cells.get((part, kind, start), 0)
            sums.append(((total, kind, start), [(part, kind, start), rest]))
    for key, value in shown.items():
        assert value not in SMALL, key
    leaked = {k: cells[k] for k in solve(cells, shown, sums) if cells[k] in SMALL}
    assert not leaked, (leaked, opened, stopped)
