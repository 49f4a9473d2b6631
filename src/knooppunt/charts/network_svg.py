"""SVG of a network for reports and pages, drawn on the server (no browser).

The layout is `analytics.networks.layout.spring_positions` (seeded, so every report of the
same network shows the same picture). Styling is by presentation attributes only, no
<style> element and no style attribute: the SVG may sit inline in a page under the
Content-Security-Policy and typst draws it as an image in a PDF. Every label, title and
description from data is escaped; labels are cut at `LABEL_LENGTH` characters.
"""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

from knooppunt.analytics.networks.layout import spring_positions
from knooppunt.analytics.networks.model import Network

WIDTH = 800
PLOT_HEIGHT = 520
MARGIN = 60
RADIUS = 7
LABEL_LENGTH = 32
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# Okabe-Ito colours per schema (colour-blind safe), the same as the browser view's.
SCHEMA_FILLS = {"Person": "#0072b2", "Company": "#e69f00", "Address": "#009e73",
                "Vehicle": "#cc79a7"}
HIDDEN_FILL = "#bdbdbd"
# Link types by dash pattern (a print in grey keeps them apart), the same as the browser's.
LINK_DASHES = {"Ownership": "", "Directorship": "", "Employment": "6 3", "Family": "2 3",
               "Associate": "2 3", "Occupancy": "8 3 2 3", "UnknownLink": "1 4"}
LINK_STROKES = {"Directorship": "#1b1b1b", "Ownership": "#6b6b6b"}


def schema_labels() -> dict[str, str]:
    return {"Person": _("Persoon"), "Company": _("Bedrijf"), "Address": _("Adres"),
            "Vehicle": _("Voertuig")}


def link_labels() -> dict[str, str]:
    return {"Ownership": _("eigenaar van"), "Directorship": _("bestuurder van"),
            "Employment": _("dienstverband"), "Family": _("familie"),
            "Associate": _("bekende van"), "Occupancy": _("woont of zit op"),
            "UnknownLink": _("ander verband")}


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[:LABEL_LENGTH - 1] + "…"


def network_svg(network: Network, *, title: str, description: str = "",
                seed: int | None = None) -> str:
    """The network as an accessible SVG (title and description for screen readers)."""
    positions = spring_positions(network) if seed is None else \
        spring_positions(network, seed=seed)
    inner = WIDTH - 2 * MARGIN

    def at(node_id: str) -> tuple[float, float]:
        x, y = positions[node_id]
        return MARGIN + x * inner, MARGIN / 2 + y * (PLOT_HEIGHT - MARGIN)

    lines = []
    for edge in sorted(network.edges, key=lambda e: e.id):
        (x1, y1), (x2, y2) = at(edge.source), at(edge.target)
        dash = LINK_DASHES.get(edge.link_type, "")
        lines.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{LINK_STROKES.get(edge.link_type, "#8a8a8a")}" stroke-width="1.2"'
            + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
    circles, texts = [], []
    for node in sorted(network.nodes, key=lambda n: n.id):
        x, y = at(node.id)
        fill = HIDDEN_FILL if node.hidden else SCHEMA_FILLS[node.schema]
        circles.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS}" fill="{fill}" '
                       f'stroke="#ffffff" stroke-width="1.5"><title>{escape(node.label)}'
                       f'</title></circle>')
        label = escape(_cut(node.label))
        more = network.hidden_count.get(node.id, 0)
        if more:
            label += " " + escape(_("(+%(n)s afgeschermd)") % {"n": more})
        texts.append(f'<text x="{x:.1f}" y="{y + RADIUS + 11:.1f}" text-anchor="middle" '
                     f'font-size="10" fill="#1b1b1b" stroke="#ffffff" stroke-width="3" '
                     f'paint-order="stroke">{label}</text>')
    legend, legend_height = _legend(PLOT_HEIGHT)
    height = PLOT_HEIGHT + legend_height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" font-family="{escape(FONT)}" '
        f'aria-labelledby="kp-network-title kp-network-desc" class="network">'
        f'<title id="kp-network-title">{escape(title)}</title>'
        f'<desc id="kp-network-desc">{escape(description)}</desc>'
        f'<g class="links">{"".join(lines)}</g><g class="nodes">{"".join(circles)}</g>'
        f'<g class="labels">{"".join(texts)}</g>{legend}</svg>'
    )


def _legend(top: float) -> tuple[str, int]:
    """Schema colours on one row, link styles on the next."""
    parts = [f'<g class="legend" transform="translate({MARGIN},{top + 8})" font-size="11" '
             f'fill="#1b1b1b">']
    x = 0
    for schema, label in schema_labels().items():
        parts.append(f'<circle cx="{x + 6}" cy="6" r="6" fill="{SCHEMA_FILLS[schema]}"/>'
                     f'<text x="{x + 16}" y="10">{escape(label)}</text>')
        x += 22 + 7 * len(label)
    parts.append(f'<circle cx="{x + 6}" cy="6" r="6" fill="{HIDDEN_FILL}"/>'
                 f'<text x="{x + 16}" y="10">{escape(_("afgeschermd"))}</text>')
    x = 0
    for kind, label in link_labels().items():
        dash = LINK_DASHES[kind]
        parts.append(f'<line x1="{x}" y1="30" x2="{x + 24}" y2="30" stroke-width="1.5" '
                     f'stroke="{LINK_STROKES.get(kind, "#8a8a8a")}"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
                     f'<text x="{x + 28}" y="34">{escape(label)}</text>')
        x += 36 + 6 * len(label)
    parts.append("</g>")
    return "".join(parts), 48
