"""The matches app carries its own English catalogue: complete, compiled, and covering
every string of its templates and Python."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import knooppunt.matches

from ..web.test_i18n import _po_entries

FOLDER = Path(knooppunt.matches.__file__).parent


def test_catalogue_is_complete_compiled_and_covers_the_pages():
    entries = {e["msgid"]: e["msgstr"] for e in _po_entries(
        FOLDER / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    assert entries and all(all(v) for v in entries.values())
    with (FOLDER / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert [k for k, v in entries.items() if compiled.gettext(k) != v[0]] == []
    templates = "".join(p.read_text() for p in (FOLDER / "templates").rglob("*.html"))
    wanted = set(re.findall(r'{% translate "([^"]+)" %}', templates))
    python = "".join(p.read_text() for p in FOLDER.rglob("*.py"))
    wanted |= set(re.findall(r'_\("([^"]+)"\)', python))
    assert wanted and sorted(wanted - set(entries)) == []
