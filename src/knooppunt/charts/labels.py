"""Placing map labels so they do not overlap: a small greedy layout.

Labels are placed in order of priority (larger areas first). Each label tries its anchor
first and then positions around it; when none is free it tries a smaller one-line version,
and otherwise it is placed where it overlaps least (or dropped, for crowded maps). A label
moved away from its anchor gets a leader line back to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LINE_HEIGHT = 1.2
SECOND_LINE_SCALE = 0.85
PADDING = 2.0

# Rough advance widths (in em) of bold system sans-serif fonts, on the wide side (DejaVu
# Sans is among the widest), so that estimated boxes contain the rendered text.
_NARROW = set("fijlrtI.,:;'!|()- ")
_WIDE = set("mwMW@")


def text_width(text: str, font_size: float) -> float:
    """Estimated width of `text` in the SVG's units."""
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.38
        elif char in _WIDE:
            em += 1.0
        elif char.isupper() or char.isdigit():
            em += 0.74
        else:
            em += 0.64
    return em * font_size


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box) -> float:
        """Area shared with `other` (0 when they do not touch)."""
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width * height if width > 0 and height > 0 else 0.0

    def inside(self, width: float, height: float) -> bool:
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= width and self.y1 <= height


@dataclass(frozen=True)
class LabelRequest:
    """A label wanted at (x, y): a bold first line and an optional second line."""

    key: str
    lines: tuple[str, ...]
    x: float
    y: float
    priority: float
    font_size: float = 13.0


@dataclass(frozen=True)
class PlacedLabel:
    key: str
    lines: tuple[str, ...]
    box: Box
    font_size: float
    anchor: tuple[float, float]
    leader: bool

    @property
    def centre_x(self) -> float:
        return (self.box.x0 + self.box.x1) / 2

    @property
    def leader_end(self) -> tuple[float, float]:
        """The point of the label's box nearest to its anchor."""
        x, y = self.anchor
        return (min(max(x, self.box.x0), self.box.x1), min(max(y, self.box.y0), self.box.y1))

    @property
    def baselines(self) -> list[tuple[str, float, float]]:
        """(text, baseline y, font size) per line."""
        result = []
        y = self.box.y0 + PADDING / 2
        for index, line in enumerate(self.lines):
            size = self.font_size if index == 0 else self.font_size * SECOND_LINE_SCALE
            y += size * LINE_HEIGHT
            result.append((line, y - size * 0.28, size))
        return result


def _size(lines: Sequence[str], font_size: float) -> tuple[float, float]:
    width = 0.0
    height = 0.0
    for index, line in enumerate(lines):
        size = font_size if index == 0 else font_size * SECOND_LINE_SCALE
        width = max(width, text_width(line, size))
        height += size * LINE_HEIGHT
    return width + 2 * PADDING, height + PADDING


# Offsets of the label centre from its anchor, in label widths (dx) and heights (dy).
_OFFSETS = [
    (0, 0), (0, -0.75), (0, 0.75), (-0.6, 0), (0.6, 0), (-0.55, -0.7), (0.55, -0.7),
    (-0.55, 0.7), (0.55, 0.7), (0, -1.4), (0, 1.4), (-1.1, 0), (1.1, 0),
]


def _candidates(request: LabelRequest, lines: tuple[str, ...], font_size: float):
    width, height = _size(lines, font_size)
    for dx, dy in _OFFSETS:
        cx = request.x + dx * width
        cy = request.y + dy * height
        box = Box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
        yield box, (dx, dy) != (0, 0) and abs(dy) + abs(dx) > 0.7


def place_labels(
    requests: Iterable[LabelRequest],
    width: float,
    height: float,
    obstacles: Iterable[Box] = (),
    allow_overlap: bool = True,
    allow_leaders: bool = True,
) -> list[PlacedLabel]:
    """Lay the labels out inside a width × height canvas, avoiding each other.

    `allow_leaders=False` keeps every label close to its anchor (no leader lines), for
    crowded maps where long leaders would only add clutter.
    """
    placed_boxes: list[Box] = list(obstacles)
    placed: list[PlacedLabel] = []
    for request in sorted(requests, key=lambda r: -r.priority):
        versions = [(request.lines, request.font_size)]
        if len(request.lines) > 1:
            versions.append((request.lines, request.font_size * 0.85))
        versions.append((request.lines[:1], request.font_size * 0.85))
        choice = None
        fallback = None
        for lines, font_size in versions:
            for box, moved in _candidates(request, lines, font_size):
                if not box.inside(width, height) or (moved and not allow_leaders):
                    continue
                overlap = sum(box.overlap(other) for other in placed_boxes)
                if overlap == 0:
                    choice = (box, lines, font_size, moved)
                    break
                if fallback is None or overlap < fallback[0]:
                    fallback = (overlap, (box, lines, font_size, moved))
            if choice:
                break
        if choice is None:
            if not allow_overlap or fallback is None:
                continue
            choice = fallback[1]
        box, lines, font_size, moved = choice
        placed_boxes.append(box)
        placed.append(
            PlacedLabel(
                key=request.key,
                lines=lines,
                box=box,
                font_size=font_size,
                anchor=(request.x, request.y),
                leader=moved,
            )
        )
    return placed
