"""Server-rendered SVG maps from the real boundaries (RD New), no tiles needed.

The map shows the safety region(s) of the user's municipalities. The user's own
municipalities are coloured by the number of signals this year (already aggregated and
suppressed by `web.overview`); the others are grey. Optionally, for roles that may see
personal data, the caller passes the RD points of visible signals, drawn as small dots.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.conf import settings
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.ops import unary_union

from knooppunt.charts.choropleth import label_svg
from knooppunt.charts.geometry import MARGIN, WIDTH, Frame
from knooppunt.charts.geometry import label_anchor as _label_anchor
from knooppunt.charts.geometry import scale_bar as _scale_bar
from knooppunt.charts.labels import LabelRequest, place_labels
from knooppunt.charts.svg_styles import POINT_FILL
from knooppunt.charts.svg_styles import REGION_MAP_STYLE as STYLE
from knooppunt.geo.models import Municipality

from .overview import AreaFigure

LEGEND_ROW = 24
CROWDED = 40  # above this many own municipalities, labels that do not fit are dropped

ZERO_FILL = "#ffffff"
OUTSIDE_FILL = "#e4e4e4"
CLASS_FILLS = ["#d3e1f1", "#93b4da", "#4c7fbd", "#1d4e89"]
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)


@dataclass(frozen=True)
class ColourClass:
    low: int
    high: int
    fill: str

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def colour_classes(maximum: int, start: int = 1) -> list[ColourClass]:
    """At most four equal classes of round width from `start` up to `maximum`.

    `start` is the suppression threshold when small counts are withheld: those are drawn
    hatched, so no colour class should suggest a value below it.
    """
    if maximum < max(start, 1):
        return []
    span = maximum - start + 1
    step = next((s for s in NICE_STEPS if s * len(CLASS_FILLS) >= span), NICE_STEPS[-1])
    step = max(step, math.ceil(span / len(CLASS_FILLS)))
    classes = []
    low = start
    for fill in CLASS_FILLS:
        high = low + step - 1
        classes.append(ColourClass(low, high, fill))
        if high >= maximum:
            break
        low = high + 1
    return classes


def _fill_for(value: int | None, classes: Sequence[ColourClass]) -> str:
    if value is None:
        return "url(#kp-suppressed)"
    if value <= 0:
        return ZERO_FILL
    for colour_class in classes:
        if value <= colour_class.high:
            return colour_class.fill
    return classes[-1].fill


def _legend(classes: Sequence[ColourClass], has_suppressed: bool, has_points: bool,
            year: int, top: float) -> tuple[str, float]:
    threshold = settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    items: list[tuple[str, str]] = [(ZERO_FILL, "0")]
    items += [(c.fill, c.label) for c in classes]
    if has_suppressed:
        label = _("minder dan %(n)s (afgeschermd)") % {"n": threshold}
        items.append(("url(#kp-suppressed)", label))
    items.append((OUTSIDE_FILL, _("buiten uw werkgebied")))
    parts = [
        f'<g class="legend" transform="translate({MARGIN},{top:.0f})">',
        f'<text x="0" y="14" class="legend-title">'
        f'{escape(_("Signalen in %(year)s per gemeente") % {"year": year})}</text>',
    ]
    x, y = 0.0, 26.0
    for fill, label in items:
        width = 22 + len(label) * 7.2 + 18
        if x + width > WIDTH - 2 * MARGIN:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="18" height="14" fill="{fill}" '
            f'stroke="#4a4a4a" stroke-width="1"/>'
            f'<text x="{x + 24:.0f}" y="{y + 12:.0f}">{escape(label)}</text>'
        )
        x += width
    if has_points:
        label = _("signaal (laatste 12 maanden)")
        if x + 22 + len(label) * 7.2 > WIDTH - 2 * MARGIN:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(
            f'<circle cx="{x + 9:.0f}" cy="{y + 7:.0f}" r="3.5" fill="{POINT_FILL}" '
            f'stroke="#fff" stroke-width="1"/>'
            f'<text x="{x + 24:.0f}" y="{y + 12:.0f}">{escape(label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts), y + LEGEND_ROW + 6




def region_map_svg(
    figures: Sequence[AreaFigure],
    *,
    year: int,
    points: Iterable[tuple[float, float]] = (),
) -> str:
    """The safety region(s) of the figures' municipalities, coloured by their counts.

    `points` are RD New (x, y) pairs; only pass them for users who may see personal data.
    """
    own = {figure.municipality.pk: figure for figure in figures}
    region_ids = {
        f.municipality.safety_region_id for f in figures if f.municipality.safety_region_id
    }
    if not region_ids:
        return ""
    shown = list(
        Municipality.objects.filter(safety_region_id__in=region_ids)
        .exclude(boundary__isnull=True)
        .only("code", "name", "boundary", "min_x", "min_y", "max_x", "max_y")
    )
    if not shown:
        return ""
    frame = Frame((
        min(m.min_x for m in shown), min(m.min_y for m in shown),
        max(m.max_x for m in shown), max(m.max_y for m in shown),
    ))
    tolerance = 0.4 / frame.scale  # under half an SVG unit

    values = [f.shown for f in figures if f.shown is not None]
    has_suppressed = any(f.shown is None for f in figures)
    threshold = settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    classes = colour_classes(max(values, default=0), start=threshold if has_suppressed else 1)

    areas: list[str] = []
    own_areas: list[str] = []
    requests: list[LabelRequest] = []
    context_requests: list[LabelRequest] = []
    geometries = []
    for municipality in sorted(shown, key=lambda m: m.name):
        geometry = shape(municipality.boundary)
        geometries.append(geometry)
        simplified = geometry.simplify(tolerance, preserve_topology=True)
        figure = own.get(municipality.pk)
        if figure is None:
            areas.append(
                f'<path class="area" d="{frame.path(simplified)}" fill="{OUTSIDE_FILL}">'
                f"<title>{escape(municipality.name)}</title></path>"
            )
            x, y = frame.point(*_label_anchor(geometry))
            context_requests.append(
                LabelRequest(key=municipality.code, lines=(municipality.name,), x=x, y=y,
                             priority=geometry.area, font_size=12)
            )
            continue
        count = str(figure.shown) if figure.shown is not None else f"<{threshold}"
        title = _("%(name)s: %(n)s signalen in %(year)s") % {
            "name": municipality.name, "n": count, "year": year}
        own_areas.append(
            f'<path class="area own" d="{frame.path(simplified)}" '
            f'fill="{_fill_for(figure.shown, classes)}"><title>{escape(title)}</title></path>'
        )
        x, y = frame.point(*_label_anchor(geometry))
        requests.append(
            LabelRequest(
                key=municipality.code,
                lines=(municipality.name, count),
                x=x, y=y,
                priority=geometry.area,
                font_size=15,
            )
        )

    scale_svg, scale_box = _scale_bar(frame)
    crowded = len(requests) > CROWDED
    if crowded:
        requests = [
            LabelRequest(key=r.key, lines=r.lines[:1], x=r.x, y=r.y, priority=r.priority,
                         font_size=11)
            for r in requests
        ]
    labels = place_labels(
        requests, frame.width, frame.height, obstacles=[scale_box],
        allow_overlap=not crowded, allow_leaders=not crowded,
    )
    # Names of the neighbouring municipalities help to read the map, where they fit.
    context_labels = place_labels(
        context_requests, frame.width, frame.height,
        obstacles=[scale_box, *(label.box for label in labels)], allow_overlap=False,
    )
    dots = [frame.point(x, y) for x, y in points if frame.contains(x, y)]
    legend_svg, legend_height = _legend(classes, has_suppressed, bool(dots), year, frame.height)
    height = frame.height + legend_height

    # The outline of the shown region(s), from the same boundaries as the areas.
    outline = unary_union(geometries).simplify(tolerance, preserve_topology=True)
    outlines = f'<path class="region" d="{frame.path(outline)}"/>'
    point_svg = ""
    if dots:
        point_svg = (
            '<g class="points" aria-hidden="true">'
            + "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6"/>' for x, y in dots)
            + "</g>"
        )
    title = _("Kaart van uw regio: signalen per gemeente in %(year)s") % {"year": year}
    description = _(
        "Gemeenten in uw werkgebied zijn gekleurd naar het aantal signalen; de tabel bij de "
        "kaart bevat dezelfde cijfers."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-labelledby="map-title map-desc" class="region-map">'
        f'<title id="map-title">{escape(title)}</title>'
        f'<desc id="map-desc">{escape(description)}</desc>{STYLE}'
        '<defs><pattern id="kp-suppressed" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef3fa"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#4c7fbd" stroke-width="2"/></pattern></defs>'
        f'<g class="areas">{"".join(areas)}{"".join(own_areas)}</g>{outlines}{point_svg}'
        f'<g class="context-labels" aria-hidden="true">'
        f'{"".join(label_svg(label) for label in context_labels)}</g>'
        f'<g class="labels">{"".join(label_svg(label) for label in labels)}</g>'
        f"{scale_svg}{legend_svg}</svg>"
    )
