"""Server-rendered SVG maps from the real boundaries (RD New), no tiles needed."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from knooppunt.geo.models import Municipality
from knooppunt.organisations import scope

WIDTH = 640
COLOURS = ["#eef3fa", "#c6d9ef", "#8fb4de", "#4f86c6", "#1f5a9e"]


def _path(geometry, transform) -> str:
    parts = []
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = [transform(x, y) for x, y in ring.coords]
            parts.append(
                "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z"
            )
    return "".join(parts)


def _bucket(value: int, maximum: int) -> str:
    if maximum <= 0 or value <= 0:
        return COLOURS[0]
    index = min(len(COLOURS) - 1, 1 + int((value / maximum) * (len(COLOURS) - 2) + 0.5))
    return COLOURS[index]


def region_map_svg(user, own: Iterable[Municipality]) -> str:
    """The user's safety region(s): own municipalities coloured by this year's signal count."""
    own = list(own)
    region_ids = {m.safety_region_id for m in own if m.safety_region_id}
    if not region_ids:
        return ""
    shown = list(
        Municipality.objects.filter(safety_region_id__in=region_ids).only(
            "code", "name", "boundary", "min_x", "min_y", "max_x", "max_y"
        )
    )
    min_x = min(m.min_x for m in shown)
    min_y = min(m.min_y for m in shown)
    max_x = max(m.max_x for m in shown)
    max_y = max(m.max_y for m in shown)
    scale = WIDTH / (max_x - min_x)
    height = (max_y - min_y) * scale

    def transform(x: float, y: float) -> tuple[float, float]:
        return (x - min_x) * scale, (max_y - y) * scale

    year = timezone.localdate().year
    counts = dict(
        scope.signals_for_aggregates(user)
        .filter(received_on__year=year)
        .values_list("municipality_id")
        .annotate(n=Count("id"))
        .values_list("municipality_id", "n")
    )
    own_ids = {m.pk for m in own}
    maximum = max(counts.values(), default=0)
    shapes = []
    for municipality in shown:
        geometry = shape(municipality.boundary).simplify(40)
        count = counts.get(municipality.pk, 0)
        if municipality.pk in own_ids:
            shown_count = scope.suppress_small(user, count)
            label = str(shown_count) if shown_count is not None else "<5"
            fill = _bucket(count, maximum)
            title = _("%(name)s: %(n)s signalen in %(year)s") % {
                "name": municipality.name, "n": label, "year": year}
            css = "own"
        else:
            fill, css = "#f2f2f2", "other"
            title = municipality.name
        shapes.append(
            f'<path class="{css}" d="{_path(geometry, transform)}" fill="{fill}">'
            f"<title>{escape(title)}</title></path>"
        )
        if municipality.pk in own_ids:
            c = geometry.representative_point()
            cx, cy = transform(c.x, c.y)
            shapes.append(
                f'<text x="{cx:.0f}" y="{cy:.0f}" class="label">{escape(municipality.name)}</text>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-labelledby="map-title" class="region-map">'
        f'<title id="map-title">{escape(_("Kaart van uw regio met signalen per gemeente"))}'
        f"</title>{''.join(shapes)}</svg>"
    )
