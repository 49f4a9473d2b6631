"""Choropleth SVG of real boundaries (municipalities, safety regions, provinces).

The caller passes the areas with their values already scoped and suppressed, and the
colour classes (`scales.equal_classes`). Suppressed areas are hatched, areas outside the
figures grey. Every area has a <title> with its name and value; the page shows the same
figures in a table, which is the text alternative the SVG's description points to.
Points (signal locations) are drawn only when the caller passes them, which it may do only
for users who may see the signals (`scope.signals_for`) and after logging the read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from shapely.ops import unary_union

from .geometry import MARGIN, WIDTH, Frame, area_shape, label_anchor, scale_bar, simplified_shape
from .labels import LabelRequest, PlacedLabel, place_labels
from .scales import NO_DATA_FILL, OUTSIDE_FILL, ColourClass, fill_for
from .svg_styles import CHOROPLETH_STYLE as STYLE
from .svg_styles import POINT_FILL

LEGEND_ROW = 24
LABEL_LIMIT = 40  # above this many areas, names are left to the <title> and the table

HATCH = (
    '<defs><pattern id="kp-suppressed" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef3fa"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#4292c6" stroke-width="2"/></pattern></defs>'
)


@dataclass(frozen=True)
class MapArea:
    """One area on the map; `shown` is its value as the table shows it ("12,3", "<5")."""

    code: str
    name: str
    boundary: dict | None
    value: float | None
    shown: str
    suppressed: bool = False
    outside: bool = False
    highlight: bool = False
    href: str = ""


def _legend(classes: Sequence[ColourClass], title: str, *, has_missing: bool,
            has_suppressed: bool, has_outside: bool, point_label: str, top: float,
            width: float) -> tuple[str, float]:
    items: list[tuple[str, str]] = [(c.fill, c.label) for c in classes]
    if has_missing:
        items.append((NO_DATA_FILL, _("geen cijfer")))
    if has_suppressed:
        threshold = settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
        items.append(("url(#kp-suppressed)",
                      _("minder dan %(n)s (afgeschermd)") % {"n": threshold}))
    if has_outside:
        items.append((OUTSIDE_FILL, _("buiten de selectie")))
    parts = [f'<g class="legend" transform="translate({MARGIN},{top:.0f})">',
             f'<text x="0" y="14" class="legend-title">{escape(title)}</text>']
    x, y = 0.0, 26.0
    for fill, label in items:
        item_width = 22 + len(label) * 7.2 + 18
        if x + item_width > width - 2 * MARGIN:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="18" height="14" fill="{fill}" '
            f'stroke="#4a4a4a" stroke-width="1"/>'
            f'<text x="{x + 24:.0f}" y="{y + 12:.0f}">{escape(label)}</text>'
        )
        x += item_width
    if point_label:
        if x + 22 + len(point_label) * 7.2 > width - 2 * MARGIN:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(
            f'<circle cx="{x + 9:.0f}" cy="{y + 7:.0f}" r="3.5" fill="{POINT_FILL}" '
            f'stroke="#fff" stroke-width="1"/>'
            f'<text x="{x + 24:.0f}" y="{y + 12:.0f}">{escape(point_label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts), y + LEGEND_ROW + 6


def label_svg(label: PlacedLabel) -> str:
    """An area label (name, count, optional leader line) as SVG."""
    parts = []
    if label.leader:
        ax, ay = label.anchor
        ex, ey = label.leader_end
        parts.append(
            f'<path class="leader" d="M{ax:.1f},{ay:.1f}L{ex:.1f},{ey:.1f}"/>'
            f'<circle class="leader-dot" cx="{ax:.1f}" cy="{ay:.1f}" r="2"/>'
        )
    for index, (text, baseline, size) in enumerate(label.baselines):
        css = "label-name" if index == 0 else "label-count"
        parts.append(
            f'<text class="{css}" x="{label.centre_x:.1f}" y="{baseline:.1f}" '
            f'font-size="{size:.1f}">{escape(text)}</text>'
        )
    return "".join(parts)


def choropleth_svg(
    areas: Sequence[MapArea],
    classes: Sequence[ColourClass],
    *,
    title: str,
    description: str,
    legend_title: str,
    points: Iterable[tuple[float, float]] = (),
    point_label: str = "",
    css_id: str = "map",
    width: float = WIDTH,
    outline: bool = True,
) -> SafeString:
    """The areas as an SVG map; empty when none has a boundary."""
    drawn = [a for a in areas if a.boundary]
    if not drawn:
        return mark_safe("")  # noqa: S308
    bounds = [area_shape(a.code, a.boundary).bounds for a in drawn]
    frame = Frame((min(b[0] for b in bounds), min(b[1] for b in bounds),
                   max(b[2] for b in bounds), max(b[3] for b in bounds)), width=width)
    tolerance = 0.4 / frame.scale  # under half an SVG unit

    paths: list[str] = []
    requests: list[LabelRequest] = []
    own_shapes = []
    for area in sorted(drawn, key=lambda a: (a.highlight, not a.outside, a.name)):
        geometry = simplified_shape(area.code, area.boundary, tolerance)
        if area.outside:
            fill, css = OUTSIDE_FILL, "area"
        else:
            fill = fill_for(area.value, classes, suppressed=area.suppressed)
            css = "area own highlight" if area.highlight else "area own"
            own_shapes.append(geometry)
        tip = f"{area.name}: {area.shown}" if not area.outside else area.name
        path = (f'<path class="{css}" d="{frame.path(geometry)}" fill="{fill}">'
                f"<title>{escape(tip)}</title></path>")
        if area.href and not area.outside:
            path = f'<a href="{escape(area.href, quote=True)}">{path}</a>'
        paths.append(path)
        if not area.outside and len(drawn) <= LABEL_LIMIT:
            x, y = frame.point(*label_anchor(area_shape(area.code, area.boundary)))
            requests.append(LabelRequest(key=area.code, lines=(area.name, area.shown), x=x, y=y,
                                         priority=geometry.area, font_size=13))
    scale_svg, scale_box = scale_bar(frame)
    labels = place_labels(requests, frame.width, frame.height, obstacles=[scale_box],
                          allow_overlap=False, allow_leaders=len(requests) <= 20)
    dots = [frame.point(x, y) for x, y in points if frame.contains(x, y)]
    legend_svg, legend_height = _legend(
        classes, legend_title,
        has_missing=any(a.value is None and not a.suppressed and not a.outside for a in drawn),
        has_suppressed=any(a.suppressed for a in drawn),
        has_outside=any(a.outside for a in drawn),
        point_label=point_label if dots else "", top=frame.height, width=frame.width,
    )
    height = frame.height + legend_height
    outline_svg = ""
    if outline and own_shapes and len(own_shapes) <= LABEL_LIMIT:
        merged = unary_union(own_shapes).simplify(tolerance, preserve_topology=True)
        outline_svg = f'<path class="outline" d="{frame.path(merged)}"/>'
    point_svg = ""
    if dots:
        point_svg = ('<g class="points" aria-hidden="true">'
                     + "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6"/>' for x, y in dots)
                     + "</g>")
    ident = escape(css_id, quote=True)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" class="choropleth">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>{STYLE}{HATCH}'
        f'<g class="areas">{"".join(paths)}</g>{outline_svg}{point_svg}'
        f'<g class="labels" aria-hidden="true">{"".join(label_svg(lb) for lb in labels)}</g>'
        f"{scale_svg}{legend_svg}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped
