"""Vega-Lite to SVG on the server with vl-convert-python: offline, cached, accessible.

vl-convert runs Vega in an embedded JavaScript engine; one chart takes tens of
milliseconds, so rendered SVG is cached, keyed by the spec (the spec holds its data, so a
changed figure is a new key): in a small in-process cache, and in the shared cache
`CACHES["figures"]` when there is one, so a chart drawn by the compute job's warm-up (or
by another web process) is not drawn again. No URL may be fetched while rendering
(`allowed_base_urls=[]`): specs carry their data inline.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
from collections import OrderedDict
from html import escape

import vl_convert
from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CACHE_SIZE = 512
SHARED_ALIAS = "figures"  # the cache processes share (see settings.CACHES)
SHARED_SECONDS = 7 * 24 * 3600  # the key is the spec itself: an entry never goes stale
_cache: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()
_OPEN_TAG = re.compile(r"^<svg([^>]*)>")
_SIZE_ATTRS = re.compile(r'\s(?:width|height|class)="[^"]*"')


def _locale() -> str:
    return "en-US" if (get_language() or "nl").startswith("en") else "nl-NL"


@functools.lru_cache(maxsize=256)
def _compiled(skeleton_json: str) -> str:
    """Vega-Lite compiled to Vega, for a spec whose datasets are empty: the compiled spec
    does not depend on the data (scales and axes are worked out when Vega runs), so it is
    compiled once per chart shape and only the data are put in (a quarter of the time)."""
    return json.dumps(vl_convert.vegalite_to_vega(skeleton_json))


def _convert(spec_json: str, locale: str) -> str:
    spec = json.loads(spec_json)
    datasets = spec.pop("datasets", None) or {}
    skeleton = json.dumps({**spec, "datasets": {name: [] for name in datasets}},
                          sort_keys=True)
    vega = json.loads(_compiled(skeleton))
    entries = {entry.get("name"): entry for entry in vega.get("data", [])}
    if all(name in entries and "values" in entries[name] for name in datasets):
        for name, values in datasets.items():
            entries[name]["values"] = values
        return vl_convert.vega_to_svg(json.dumps(vega), allowed_base_urls=[],
                                      format_locale=locale, time_format_locale=locale)
    # A spec whose inline data the compiler placed otherwise: the whole way.
    return vl_convert.vegalite_to_svg(
        spec_json, allowed_base_urls=[], format_locale=locale, time_format_locale=locale,
    )


def _without_tooltips(spec: dict) -> dict:
    """The spec minus its tooltips: a static SVG cannot show them (the browser draws the
    full spec when it makes the chart interactive), and Vega formats one per mark, which
    costs about a fifth of the drawing time. The marks keep their own aria-labels."""
    def strip(view: dict) -> dict:
        view = dict(view)
        if "encoding" in view:
            view["encoding"] = {k: v for k, v in view["encoding"].items() if k != "tooltip"}
        for nested in ("layer", "hconcat", "vconcat", "concat"):
            if nested in view:
                view[nested] = [strip(v) for v in view[nested]]
        return view

    return strip(spec)


def spec_svg(spec: dict) -> str:
    """The SVG of a Vega-Lite spec as vl-convert draws it (cached)."""
    locale = _locale()
    spec_json = json.dumps(_without_tooltips(spec), sort_keys=True, separators=(",", ":"),
                           default=str)
    key = f"{locale}:{spec_json}"
    with _lock:
        svg = _cache.get(key)
        if svg is not None:
            _cache.move_to_end(key)
            return svg
    shared = caches[SHARED_ALIAS] if SHARED_ALIAS in settings.CACHES else None
    shared_key = "charts:svg:" + hashlib.sha256(
        f"{vl_convert.__version__}:{key}".encode()).hexdigest()
    svg = shared.get(shared_key) if shared is not None else None
    if svg is None:
        svg = _convert(spec_json, locale)
        if shared is not None:
            shared.set(shared_key, svg, SHARED_SECONDS)
    with _lock:
        _cache[key] = svg
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def chart_svg(spec: dict, *, title: str, description: str, css_id: str = "") -> SafeString:
    """The chart as inline SVG with a title and description for screen readers.

    The figures themselves are in the table that goes with every chart; the description
    says so. The SVG scales with its container (viewBox kept, fixed size removed).
    """
    svg = spec_svg(spec)
    ident = escape(css_id or "chart", quote=True)
    match = _OPEN_TAG.match(svg)
    if not match:  # pragma: no cover - vl-convert always starts with <svg ...>
        return mark_safe("")  # noqa: S308 - nothing from the user
    attrs = _SIZE_ATTRS.sub("", match.group(1))
    head = (
        f'<svg{attrs} role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'class="chart-svg" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    )
    rest = svg[match.end():]
    # Vega's own output escapes text marks; labels come from our data.
    return mark_safe(head + rest)  # noqa: S308
