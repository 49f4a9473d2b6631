"""The map of an area scan: server-rendered SVG in RD New, offline, the same in the PDF.

The area's municipality is the backdrop. A buffer is drawn as its circle, a drawn area as
its polygon; a wijk as its
boundary when geo has one, otherwise as the outline (convex hull) of its register
addresses, which the legend says. Addresses with many companies are drawn as dots only
for a scan that holds them (roles that see personal data, `Scan.personal`).
"""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _
from shapely.geometry import MultiPoint, Point, shape

from knooppunt.analytics.areascan import Scan
from knooppunt.geo.models import District, Municipality

from .geometry import WIDTH, Frame
from .geometry import scale_bar as _scale_bar
from .svg_styles import REGION_MAP_STYLE as STYLE

MARGIN_M = 400  # metres of context around a wijk or buffer


def _area_geometry(scan: Scan):
    """(geometry of the area, whether it is an approximation)."""
    if scan.kind == "buffer":
        return Point(*scan.centre).buffer(scan.radius, quad_segs=32), False
    if scan.kind == "getekend":
        return scan.polygon, False
    if scan.kind == "wijk":
        district = District.objects.filter(code=scan.code).first()
        boundary = getattr(district, "boundary", None)
        if boundary:
            return shape(boundary), False
        from knooppunt.registers.models import Address

        points = list(Address.objects.filter(district=district)
                      .values_list("x_rd", "y_rd"))
        if not points:
            return None, True
        return MultiPoint(points).convex_hull.buffer(50), True
    return None, False


def area_map_svg(scan: Scan) -> str:
    """The SVG of the scan's area (empty when there is nothing to draw)."""
    municipality = Municipality.objects.filter(code=scan.municipality_code).first()
    backdrop = shape(municipality.boundary) if municipality and municipality.boundary \
        else None
    area, approximate = _area_geometry(scan)
    focus = area if area is not None else backdrop
    if focus is None:
        return ""
    min_x, min_y, max_x, max_y = focus.bounds
    margin = MARGIN_M if area is not None else 0
    min_x, min_y, max_x, max_y = min_x - margin, min_y - margin, max_x + margin, max_y + margin
    # At least 4:3 wide, so a tall area does not make a tall page.
    extra = max(0.0, (max_y - min_y) * 4 / 3 - (max_x - min_x)) / 2
    frame = Frame((min_x - extra, min_y, max_x + extra, max_y))
    tolerance = 0.4 / frame.scale
    parts = []
    if backdrop is not None:
        parts.append(f'<path class="area" fill="#f4f4f4" '
                     f'd="{frame.path(backdrop.simplify(tolerance))}">'
                     f"<title>{escape(scan.municipality_name)}</title></path>")
    if area is not None:
        parts.append(f'<path class="area own" fill="#d3e1f1" d="{frame.path(area)}">'
                     f"<title>{escape(scan.name)}</title></path>")
    dots = [frame.point(c.x_rd, c.y_rd) for c in scan.crowded]
    if dots:
        parts.append('<g class="points" aria-hidden="true">' + "".join(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>' for x, y in dots) + "</g>")
    scale_svg, _box = _scale_bar(frame)
    lines = [_("Lichtblauw: het gebied van de scan.")]
    if approximate:
        lines.append(_("Wijkgrens niet beschikbaar: omtrek van de adressen in de wijk."))
    if dots:
        lines.append(_("Rode punten: adressen met veel bedrijven."))
    legend_y = frame.height + 18
    legend = "".join(f'<text x="12" y="{legend_y + 18 * i:.0f}">{escape(line)}</text>'
                     for i, line in enumerate(lines))
    height = legend_y + 18 * len(lines)
    title = _("Kaart van %(name)s") % {"name": scan.name}
    description = _("Het gebied van de gebiedsscan binnen de gemeente %(m)s.") % {
        "m": scan.municipality_name}
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-labelledby="area-map-title area-map-desc" class="region-map">'
        f'<title id="area-map-title">{escape(title)}</title>'
        f'<desc id="area-map-desc">{escape(description)}</desc>{STYLE}'
        f'<g class="areas">{"".join(parts)}</g>{scale_svg}'
        f'<g class="legend">{legend}</g></svg>'
    )
