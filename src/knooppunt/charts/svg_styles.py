"""The <style> elements of Knooppunt's own SVG maps, and their CSP hashes.

The maps are also used on their own (reports, downloads), so their rules travel inside the
SVG. Inline in a page, such a <style> element is allowed by the Content-Security-Policy
only through its hash; settings list these hashes (decision 0029). Plain constants, no
imports, so that settings can read them.
"""

from __future__ import annotations

import base64
import hashlib

POINT_FILL = "#c2002f"

REGION_MAP_STYLE = (
    "<style>"
    ".area{stroke:#6b6b6b;stroke-width:.6}"
    ".area.own{stroke:#0c2b4d;stroke-width:1.2}"
    ".region{fill:none;stroke:#0c2b4d;stroke-width:2.4;stroke-linejoin:round}"
    "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:#1b1b1b}"
    ".legend text,.scale-bar text{font-size:12px}"
    ".label-name,.label-count{text-anchor:middle;paint-order:stroke;stroke:#fff;"
    "stroke-width:3.2px;stroke-linejoin:round;pointer-events:none}"
    ".label-name{font-weight:700}"
    ".context-labels text{fill:#4a4a4a;font-weight:400}"
    ".leader{stroke:#1b1b1b;stroke-width:.8}.leader-dot{fill:#1b1b1b}"
    ".legend-title{font-weight:700;font-size:13px}"
    f".points circle{{fill:{POINT_FILL};stroke:#fff;stroke-width:.7}}"
    "</style>"
)

CHOROPLETH_STYLE = (
    "<style>"
    ".area{stroke:#6b6b6b;stroke-width:.6}"
    ".area.own{stroke:#0c2b4d;stroke-width:1}"
    ".area.highlight{stroke:#d55e00;stroke-width:3}"
    "a:focus .area,a:hover .area{stroke:#d55e00;stroke-width:2.5}"
    ".outline{fill:none;stroke:#0c2b4d;stroke-width:1.6;stroke-linejoin:round}"
    "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:#1b1b1b}"
    ".legend text,.scale-bar text{font-size:12px}"
    ".label-name,.label-count{text-anchor:middle;paint-order:stroke;stroke:#fff;"
    "stroke-width:3px;stroke-linejoin:round;pointer-events:none}"
    ".label-name{font-weight:700}"
    ".leader{stroke:#1b1b1b;stroke-width:.8}.leader-dot{fill:#1b1b1b}"
    ".legend-title{font-weight:700;font-size:13px}"
    f".points circle{{fill:{POINT_FILL};stroke:#fff;stroke-width:.7}}"
    "</style>"
)


def _inner(style: str) -> str:
    return style.removeprefix("<style>").removesuffix("</style>")


def csp_hashes() -> list[str]:
    """CSP source expressions for the text of each <style> element above."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(_inner(s).encode()).digest()).decode() + "'"
        for s in (REGION_MAP_STYLE, CHOROPLETH_STYLE)
    ]
