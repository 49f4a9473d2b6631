"""Classed colour scales that colour-blind readers can tell apart, and ranking colours.

Sequential scales are single-hue blues (ColorBrewer "Blues"), read by lightness alone, so
they survive every kind of colour blindness and grey-scale printing. The index scale (peer
group average = 100) is ColorBrewer "RdBu", which is colour-blind safe; every coloured cell
also carries its value or a text label, so colour is never the only cue (WCAG 1.4.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .numbers import localized

SEQUENTIAL = ["#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b"]
NO_DATA_FILL = "#ffffff"
SUPPRESSED_FILL = "url(#kp-suppressed)"
OUTSIDE_FILL = "#e4e4e4"

# Index classes against the peer group (100 = group average): lower is blue, higher red.
INDEX_BREAKS = (80, 95, 105, 120)
INDEX_FILLS = ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"]
INDEX_TEXT = ["#ffffff", "#1b1b1b", "#1b1b1b", "#1b1b1b", "#ffffff"]
INDEX_LABELS = [
    gettext_noop("ruim onder gemiddelde"), gettext_noop("onder gemiddelde"),
    gettext_noop("rond gemiddelde"), gettext_noop("boven gemiddelde"),
    gettext_noop("ruim boven gemiddelde"),
]


@dataclass(frozen=True)
class ColourClass:
    low: float
    high: float
    fill: str
    label: str


def _fmt(value: float, decimals: int) -> str:
    return localized(value, decimals, grouping=False)


def _nice_step(raw: float) -> float:
    """The smallest 1-2-2.5-5 × 10^k step at least `raw`."""
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def equal_classes(values: Sequence[float | None], count: int = 5, start: float = 0,
                  decimals: int | None = None) -> list[ColourClass]:
    """Up to `count` classes of round, equal width from `start` to the largest value.

    `start` is the suppression threshold when small counts are withheld: those are drawn
    hatched, so no colour class should suggest a value below it.
    """
    present = [v for v in values if v is not None]
    if not present:
        return []
    maximum = max(present)
    if maximum <= start:
        return []
    step = _nice_step((maximum - start) / count)
    if decimals is None:
        decimals = 0 if step >= 1 and float(step).is_integer() and float(start).is_integer() \
            else max(0, -math.floor(math.log10(step)) + 1)
    classes: list[ColourClass] = []
    low = start
    fills = SEQUENTIAL[-count:] if count < len(SEQUENTIAL) else SEQUENTIAL
    for fill in fills:
        high = low + step
        label = f"{_fmt(low, decimals)} – {_fmt(high, decimals)}"
        classes.append(ColourClass(low, high, fill, label))
        if high >= maximum:
            break
        low = high
    return classes


def fill_for(value: float | None, classes: Sequence[ColourClass], *,
             suppressed: bool = False) -> str:
    """The fill of a value; suppressed values are hatched, missing ones white."""
    if suppressed:
        return SUPPRESSED_FILL
    if value is None or not classes:
        return NO_DATA_FILL
    for colour_class in classes:
        if value <= colour_class.high:
            return colour_class.fill
    return classes[-1].fill


@dataclass(frozen=True)
class IndexBand:
    """Where an index value lies against the peer group, with its colours and words."""

    position: int  # 0 (far below) .. 4 (far above)
    fill: str
    text: str
    label: str


def index_band(index: float | None) -> IndexBand | None:
    """The band of an index value (group average = 100); None when there is no value."""
    if index is None:
        return None
    position = sum(1 for b in INDEX_BREAKS if index >= b)
    return IndexBand(position, INDEX_FILLS[position], INDEX_TEXT[position],
                     _(INDEX_LABELS[position]))


def index_legend() -> list[tuple[str, str]]:
    """(fill, label) for the index bands, for legends under ranking tables."""
    edges = ["", *[str(b) for b in INDEX_BREAKS], ""]
    result = []
    for position, fill in enumerate(INDEX_FILLS):
        low, high = edges[position], edges[position + 1]
        if not low:
            text = _("onder %(n)s") % {"n": high}
        elif not high:
            text = _("%(n)s en hoger") % {"n": low}
        else:
            text = f"{low} – {high}"
        result.append((fill, text))
    return result
