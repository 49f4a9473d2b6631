"""The Vega-Lite JavaScript for interactive charts, from the vl-convert-python package.

No CDN and no copied file: the bundle is built by `vl_convert.javascript_bundle()` (the
package ships Vega, Vega-Lite and Vega-Embed), once per installed version, and kept in
KNOOPPUNT_DATA_DIR so a restart does not build it again (building takes seconds).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import vl_convert
from django.conf import settings

_lock = threading.Lock()
_bundle: tuple[str, str] | None = None


def _cache_file() -> Path:
    versions = f"{vl_convert.get_vegalite_versions()[-1]}-{vl_convert.get_vega_version()}-" \
               f"{vl_convert.get_vega_embed_version()}"
    return Path(settings.DATA_DIR) / "cache" / f"vega-bundle-{versions}.js"


def bundle() -> tuple[str, str]:
    """(JavaScript, ETag) of the bundle; built on first use."""
    global _bundle
    with _lock:
        if _bundle is None:
            path = _cache_file()
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                text = vl_convert.javascript_bundle()
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
                except OSError:
                    pass  # a read-only data folder: keep it in memory only
            _bundle = (text, hashlib.sha256(text.encode()).hexdigest()[:16])
        return _bundle
