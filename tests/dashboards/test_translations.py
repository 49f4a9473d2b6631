"""The charts and dashboards apps carry their own complete, compiled English catalogues."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import knooppunt

ROOT = Path(knooppunt.__file__).parent


@pytest.mark.parametrize("app", ["charts", "dashboards"])
def test_catalogue_is_complete_and_compiled(app):
    folder = ROOT / app / "locale" / "en" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    empty = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n', po)
    assert empty == []
    assert "#, fuzzy" not in po  # fuzzy entries are not compiled
    compiled = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    for msgid in re.findall(r'\nmsgid "(.+)"\nmsgstr', po):
        text = msgid.replace('\\"', '"')
        # Words that are the same in English (or only placeholders) stay as they are.
        same = {"Dashboards", "Indicator", "Per", "Code", "Index", "%(indicator)s in %(area)s",
                "Getis-Ord Gi*",
                "Dashboard %(name)s"}
        assert compiled.gettext(text) != text or text in same, text


@pytest.mark.django_db
def test_dashboard_in_english(client, world):
    client.force_login(world.mayor)
    with translation.override("en"):
        response = client.get(reverse("dashboards:municipality", args=["GM0153"]),
                              {"jaar": world.year}, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "Enschede at a glance" in html
    assert "Key figures" in html
