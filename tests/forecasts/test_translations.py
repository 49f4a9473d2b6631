"""The forecasts app carries its own complete, compiled English catalogue, and the
evaluation chart speaks English with it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import knooppunt

FOLDER = Path(knooppunt.__file__).parent / "forecasts" / "locale" / "en" / "LC_MESSAGES"


def test_the_catalogue_is_complete_and_compiled():
    po = (FOLDER / "django.po").read_text(encoding="utf-8")
    body = po.split("\n\n", 1)[1]  # past the header, which is fuzzy by convention
    assert "#, fuzzy" not in body
    assert re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n\n', po) == []
    with (FOLDER / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    pairs = re.findall(r'\nmsgid "(.+)"\nmsgstr "(.+)"\n', body)
    assert len(pairs) > 100  # the catalogue is written unwrapped (makemessages --no-wrap)
    for msgid, msgstr in pairs:
        assert compiled.gettext(msgid.replace('\\"', '"')) == msgstr.replace('\\"', '"'), msgid
