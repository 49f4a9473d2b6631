"""Secondary suppression over the periods of one area and year (decision 0026).

A year is shown beside its halves, quarters and months, and each of those is the sum of
the next: year = H1 + H2, H1 = Q1 + Q2, Q1 = M1 + M2 + M3 and so on. That is a tree of
sums. In a tree a hidden cell can be worked out exactly when some sum has exactly one
hidden cell (its total or one part) — and only then: when every sum has no hidden cell
or at least two, every hidden cell lies on a path between two hidden cells that occur in
one sum only, so it can be moved up and down without changing anything shown. This
module hides the fewest and smallest extra cells that make every sum safe:

* primary: a month, quarter, half year or year whose weight (a count, or the number of
  records behind a sum) is 1 up to the threshold;
* bottom up, per sum with a shown total and hidden parts: the hidden parts must be at
  least two and together not a small count; extra parts of the *same* sum are taken
  (`scope.complement`: fewest, then smallest); only when the sum has no part left that
  could do it, its total is hidden instead and protected one level up;
* a hidden total whose parts are all shown would be their sum: one part is hidden too.

**A 0 is a known value, not a protector.** A shown 0 tells nothing about anyone, and a
0 cannot usefully be hidden: its own parts are 0 and shown, so it would be their sum
again (hiding a chain of zeros down to a month would print "<5" for nothing, which is
untrue). So zeros are never complements and a hidden 0 never counts as protection. The
cost of that: where a hidden part's siblings are all 0, the total equals it and must be
hidden too, and so on upwards (`cascade`). So the complement is taken from cells that
force no total first, and a sum is protected by its parts or by hiding its own total,
whichever costs less (`cost`: the large years it forces hidden elsewhere first, then
the smallest cells, then the weight it forces hidden). Without this a month of a theme
taken to protect another theme, in a year where that theme had signals in one month
only, pulled its quarter, half year and year after it: a large year hidden because one
month was small somewhere else.

Periods that begin before the first record (decision 0021) are not shown either: they
start hidden and need no protection. In one period tree a large year is never hidden
because one month is small, and a small month hides one more month of its quarter, not
the quarters; over areas and themes together the fix point is a heuristic (see the
decision for how often it still hides a large year).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping, Sequence
from datetime import date

from knooppunt.organisations import scope

from .models import PeriodType

HALF_YEAR = "halfjaar"  # not stored: the sum of two quarters (reports)

Key = tuple[str, date]


def _tree(year: int) -> dict[Key, list[Key]]:
    """Every total of the year with its parts, bottom up (quarters, halves, year)."""
    tree: dict[Key, list[Key]] = {}
    for q in range(4):
        tree[(PeriodType.QUARTER, date(year, 3 * q + 1, 1))] = [
            (PeriodType.MONTH, date(year, 3 * q + m + 1, 1)) for m in range(3)]
    for h in range(2):
        tree[(HALF_YEAR, date(year, 6 * h + 1, 1))] = [
            (PeriodType.QUARTER, date(year, 6 * h + 1, 1)),
            (PeriodType.QUARTER, date(year, 6 * h + 4, 1))]
    tree[(PeriodType.YEAR, date(year, 1, 1))] = [
        (HALF_YEAR, date(year, 1, 1)), (HALF_YEAR, date(year, 7, 1))]
    return tree


def period_weights(year: int, month_weight: Mapping[date, int]) -> dict[Key, int]:
    """The weight of every month, quarter, half year and the year from the months'."""
    weight: dict[Key, int] = {
        (PeriodType.MONTH, date(year, m, 1)): int(month_weight.get(date(year, m, 1), 0))
        for m in range(1, 13)}
    for total, parts in _tree(year).items():  # bottom up: parts are known first
        weight[total] = sum(weight[p] for p in parts)
    return weight


def hidden_periods(year: int, month_weight: Mapping[date, int],
                   before_records: Callable[[date], bool], threshold: int,
                   forced: set[Key] | None = None) -> set[Key]:
    """The periods of `year` to hide, as (period type, first day): months, quarters,
    half years (`HALF_YEAR`) and the year itself when small.

    `month_weight`: the weight of each month (missing: 0). `before_records(start)`:
    whether a period beginning on `start` begins before the first record (no data).
    `forced`: periods hidden for another reason, protected like small ones (a region
    whose part outside the user's municipalities is small). One area of `hidden_grid`.
    """
    return hidden_grid(year, {"": month_weight}, {}, set(), before_records, threshold,
                       {"": set(forced or ())})[""]


def period_keys(year: int) -> list[Key]:
    """Every month, quarter, half year and the year, months first."""
    tree = _tree(year)
    return [(PeriodType.MONTH, date(year, m, 1)) for m in range(1, 13)] + list(tree)


def hidden_grid(year: int, months: Mapping[str, Mapping[date, int]],
                children: Mapping[str, Sequence[str]] | Sequence[tuple[str, Sequence[str]]],
                rests: set[str],
                before_records: Callable[[date], bool], threshold: int,
                forced: Mapping[str, set[Key]] | None = None) -> dict[str, set[Key]]:
    """The periods to hide per area when areas and periods are shown together: each area's
    year is a tree of sums over its periods (as `hidden_periods`), and each parent area's
    period is the sum of its children's (buurt → wijk → gemeente). One fix point over
    both kinds of sums, so a cell hidden beside its siblings is also hidden beside its
    own months and the other way round (decision 0026).

    `months`: the month weights per area (every area, rests included); `children`: the
    parts of each parent area, as a mapping or as (parent, parts) pairs when one parent
    is the total of several sums (areas and themes); `rests`: areas never shown (the
    part of a parent in no child, e.g. signals without a wijk), hidden in every period
    and alone harmless when not small. `forced`: periods hidden for another reason per area.
    """
    # Tens of thousands of small tuples and no cycles: the cyclic collector would only
    # scan them again and again (it took half the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _hidden_grid(year, months, children, rests, before_records, threshold,
                            forced)
    finally:
        if enabled:
            gc.enable()


def _hidden_grid(year, months, children, rests, before_records, threshold, forced):
    tree = _tree(year)
    keys = period_keys(year)
    weight = {(a, k): w for a, m in months.items()
              for k, w in period_weights(year, m).items()}
    hidden = {(a, k) for (a, k), w in weight.items()
              if 0 < w < threshold or before_records(k[1]) or a in rests}
    for area, periods in (forced or {}).items():
        hidden |= {(area, k) for k in periods}
    sums: list[tuple[tuple, list[tuple]]] = []
    for area in months:
        sums += [((area, total), [(area, p) for p in parts]) for total, parts in tree.items()]
    pairs = children.items() if isinstance(children, Mapping) else children
    for parent, parts in pairs:
        sums += [((parent, k), [(c, k) for c in parts]) for k in keys]

    def safe(off: list[tuple]) -> bool:
        if len(off) == 1 and off[0][0] in rests:
            w = weight[off[0]]
            return w == 0 or w >= threshold  # a large rest is derivable, not small
        return not scope.unsafe_hidden([weight[c] for c in off])

    touching: dict[tuple, list[int]] = {}
    part_of: dict[tuple, list[int]] = {}
    total_of: dict[tuple, list[int]] = {}
    for index, (total, parts) in enumerate(sums):
        total_of.setdefault(total, []).append(index)
        for cell in (total, *parts):
            touching.setdefault(cell, []).append(index)
        for cell in parts:
            part_of.setdefault(cell, []).append(index)

    def cascade(cell: tuple) -> set[tuple]:
        """The cells that hiding `cell` would force hidden: where it would be the only
        hidden part of a sum whose other parts are 0, the total equals it (a 0 is a
        known value and protects nothing, see the module docstring), and where it is a
        total with one part that is not 0, that part equals it; and so on."""
        forced: set[tuple] = set()
        frontier = [cell]
        while frontier:
            x = frontier.pop()
            for index in part_of.get(x, ()):
                total, parts = sums[index]
                if total in hidden or total in forced:
                    continue
                if any(weight[p] > 0 for p in parts if p != x):
                    continue  # a hidden part beside it, or a part that can still be
                forced.add(total)
                frontier.append(total)
            for index in total_of.get(x, ()):
                # Downwards: a total with one part that is not 0 is that part.
                filled = [p for p in sums[index][1] if weight[p] > 0]
                if len(filled) == 1 and filled[0] not in hidden | forced | {cell}:
                    forced.add(filled[0])
                    frontier.append(filled[0])
        return forced

    def cost(cells: list[tuple]) -> tuple[int, int, int]:
        """What hiding `cells` costs: the large years it forces hidden from a shorter
        period first (a year taken to protect a year, and its copies in other areas or
        themes, are the price of protecting that year), then the weight of the cells
        themselves (the smallest), then the weight it forces hidden."""
        forced = set().union(*(cascade(c) for c in cells)) - set(cells)
        own = {c[1] for c in cells}
        years = sum(1 for c in forced if c[1][0] == PeriodType.YEAR
                    and c[1] not in own and weight[c] >= threshold)
        return years, sum(weight[c] for c in cells), sum(weight[c] for c in forced)

    queue = list(range(len(sums)))
    waiting = set(queue)

    def hide(cell: tuple) -> None:
        if cell in hidden:
            return
        hidden.add(cell)
        for index in touching.get(cell, ()):  # only the sums this cell is in change
            if index not in waiting:
                waiting.add(index)
                queue.append(index)

    def choose(off: list[tuple], parts: list[tuple]) -> list[tuple] | None:
        """The fewest and smallest parts to hide beside `off` so the sum is safe, from
        parts that force no other period hidden first; None when no choice can. A part
        whose cascade holds only its copies (the same period of a wijk or buurt that
        equals it) is quiet too: hiding an equal copy tells nothing new. Counting those
        as a cost took a theme's large year (82 drug trafficking signals, no wijk) to
        protect 2 drug dumps beside all signals instead of hennep's 12 (decision 0026)."""
        pool = [(i, weight[p]) for i, p in enumerate(parts)
                if p not in hidden and weight[p] > 0]
        quiet = [(i, w) for i, w in pool
                 if all(c[1] == parts[i][1] for c in cascade(parts[i]))]
        for candidates in (quiet, pool):
            picks = [parts[i] for i in scope.complement([weight[p] for p in off], candidates)]
            if picks and safe(off + picks):
                return picks
        return None

    while queue:
        index = queue.pop()
        waiting.discard(index)
        total, parts = sums[index]
        # An empty cell protects nothing: that it is 0 can be known (nothing is < 0).
        off = [p for p in parts if p in hidden and weight[p] > 0]
        if total in hidden:
            if not off and not before_records(total[1][1]) and weight[total] > 0:
                # The parts would give it: hide the smallest part that is not 0, one
                # that needs no cascade when there is one.
                fill = [p for p in parts if weight[p] > 0 and p not in hidden]
                if fill:
                    hide(min(fill, key=lambda p: cost([p])))
            continue
        if not off or safe(off):
            continue
        picks = choose(off, parts)
        large_year = total[1][0] == PeriodType.YEAR and weight[total] >= threshold
        if picks is not None and (large_year or cost(picks) <= cost([total])):
            for cell in picks:
                hide(cell)
        else:
            # No part can protect it, or only parts that force more (a large year, more
            # weight) hidden elsewhere than this total does: hide this total. A large
            # year is never hidden this way while its parts can protect it.
            hide(total)
    result: dict[str, set[Key]] = {a: set() for a in months}
    for area, key in hidden:
        result[area].add(key)
    return result
