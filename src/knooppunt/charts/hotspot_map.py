"""SVG map of hotspot classes on a grid (RD New), for the hotspot page and PDFs.

Cells are drawn only where they are significant (the area's own fill stands for "not
significant"), so a map of tens of thousands of cells stays small. Colours follow the
usual hot/cold spot scheme (red for hot, blue for cold, darker = more confident). The
method text is printed by the page under the map, and put in the SVG's <desc> so a
downloaded map keeps it.
"""

from __future__ import annotations

from html import escape

import numpy as np
from django.utils.translation import gettext as _

from .geometry import MARGIN, WIDTH, Frame, scale_bar
from .svg_styles import CHOROPLETH_STYLE as STYLE

AREA_FILL = "#f2f0eb"
CLASS_FILLS = {
    3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7",
    -1: "#d1e5f0", -2: "#67a9cf", -3: "#2166ac",
}
LEGEND_ROW = 24


def class_labels() -> list[tuple[int, str]]:
    return [
        (3, _("hotspot 99 %")), (2, _("hotspot 95 %")), (1, _("hotspot 90 %")),
        (0, _("niet significant")),
        (-1, _("coldspot 90 %")), (-2, _("coldspot 95 %")), (-3, _("coldspot 99 %")),
    ]


def hotspot_map_svg(area, x: np.ndarray, y: np.ndarray, cell_size: float,
                    classes: np.ndarray, *, title: str, description: str) -> str:
    """The area (shapely, RD New) with its significant cells (south-west corners x, y)."""
    frame = Frame(area.bounds, WIDTH)
    side = cell_size * frame.scale
    cells = []
    for value in (1, 2, 3, -1, -2, -3):  # the strongest on top
        chosen = classes == value
        for cx, cy in zip(x[chosen].tolist(), y[chosen].tolist(), strict=True):
            left, top = frame.point(cx, cy + cell_size)
            cells.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{side:.2f}" '
                         f'height="{side:.2f}" fill="{CLASS_FILLS[value]}"/>')
    legend, legend_height = _legend(frame.height)
    bar, _box = scale_bar(frame)
    height = frame.height + legend_height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-labelledby="kp-hotspot-title kp-hotspot-desc" class="map">'
        f'{STYLE}<title id="kp-hotspot-title">{escape(title)}</title>'
        f'<desc id="kp-hotspot-desc">{escape(description)}</desc>'
        f'<path class="area" d="{frame.path(area)}" fill="{AREA_FILL}"/>'
        f'<g class="cells">{"".join(cells)}</g>'
        f'<path class="outline" d="{frame.path(area)}"/>'
        f'{bar}{legend}</svg>'
    )


def _legend(top: float) -> tuple[str, float]:
    parts = [f'<g class="legend" transform="translate({MARGIN},{top:.0f})">',
             f'<text x="0" y="14" class="legend-title">{escape(_("Getis-Ord Gi*"))}</text>']
    x, y = 0.0, 26.0
    for value, label in class_labels():
        width = 22 + len(label) * 7.2 + 18
        if x + width > WIDTH - 2 * MARGIN:
            x, y = 0.0, y + LEGEND_ROW
        fill = CLASS_FILLS.get(value, AREA_FILL)
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="18" height="14" fill="{fill}" '
                     f'stroke="#4a4a4a" stroke-width="1"/>'
                     f'<text x="{x + 24:.0f}" y="{y + 12:.0f}">{escape(label)}</text>')
        x += width
    parts.append("</g>")
    return "".join(parts), y + LEGEND_ROW + 6
