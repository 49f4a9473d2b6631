"""The entities app carries its own English catalogue: complete, compiled, and covering
every string of its template, its schema labels and its models."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import knooppunt.entities
from knooppunt.entities import ftm

from ..web.test_i18n import _po_entries

FOLDER = Path(knooppunt.entities.__file__).parent


def test_catalogue_is_complete_compiled_and_covers_the_page():
    entries = {e["msgid"]: e["msgstr"] for e in _po_entries(
        FOLDER / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    assert entries and all(all(v) for v in entries.values())
    with (FOLDER / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert [k for k, v in entries.items() if compiled.gettext(k) != v[0]] == []
    template = "".join((FOLDER / "templates" / "entities" / name).read_text()
                       for name in ("detail.html", "network.html", "area_network.html",
                                    "_area_patterns.html"))
    wanted = set(re.findall(r'{% translate "([^"]+)" %}', template))
    wanted |= {s.label_nl for s in ftm.SCHEMATA.values()}
    wanted |= {p.label_nl for s in ftm.SCHEMATA.values() for p in s.own}
    python = "".join(p.read_text() for p in FOLDER.rglob("*.py"))
    wanted |= set(re.findall(r'_\("([^"]+)"\)', python))
    assert sorted(wanted - set(entries)) == []
