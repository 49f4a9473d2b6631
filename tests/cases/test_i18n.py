"""The cases and subjects apps carry their own English catalogues, complete and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.conf import settings

import knooppunt.cases
import knooppunt.subjects

from ..web.test_i18n import _po_entries
from .conftest import open_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("package", [knooppunt.cases, knooppunt.subjects])
def test_app_catalogue_is_complete_and_compiled(package):
    folder = Path(package.__file__).parent / "locale" / "en" / "LC_MESSAGES"
    entries = _po_entries(folder / "django.po")
    assert entries
    assert [e["msgid"] for e in entries
            if not all(e["msgstr"]) or "fuzzy" in str(e.get("flags", ""))] == []
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries:
        if "msgid_plural" in entry:
            assert [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                    for n in (1, 2)] == entry["msgstr"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]


def test_case_page_in_english(client, chain):
    case = open_case(chain)
    client.force_login(chain.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/casussen/{case.reference}/").content.decode()
    for english in ("Stage history", "Record decision", "Interventions", "Cases"):
        assert english in html
