"""Dutch by default, English through the language cookie, the switcher or Accept-Language."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


def test_dutch_is_the_default(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("web:home")).content.decode()
    assert '<html lang="nl">' in html
    assert "Overzicht" in html and "Uitloggen" in html


def test_language_cookie_gives_english(client, coordinator, signals):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("web:home")).content.decode()
    assert '<html lang="en">' in html
    for english in ("Overview", "Log out", "Signals you may view", "Skip to content",
                    "Two-step verification", "Signals per municipality"):
        assert english in html
    assert "Uitloggen" not in html


def test_accept_language_gives_english_on_the_login_page(client):
    html = client.get(reverse("web:login"), headers={"Accept-Language": "en"}).content.decode()
    assert "Log in" in html and "Verification code" in html and "Username" in html


def test_python_strings_are_translated_too(client, coordinator, signals):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = client.get(reverse("signals:detail", args=[signals[0].reference])).content.decode()
    assert "Received" in detail  # Status choice from the model
    assert "Normal" in detail  # Confidentiality choice
    listing = client.get(reverse("signals:list")).content.decode()
    assert "Received until (inclusive)" in listing  # filter form label (gettext_lazy)
    map_html = client.get(reverse("web:map")).content.decode()
    assert "outside your area" in map_html  # legend text from maps.py


def test_language_switcher_sets_english_and_returns_to_the_page(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("web:map")).content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="language"' in page
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("web:map")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:map")
    html = client.get(reverse("web:map")).content.decode()
    assert "Map of your region" in html


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1:line.rindex('"')]
    return body.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _po_entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (list) and flags."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current.get("msgid"):
                entries.append(current)
            current, key = {}, None
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            key = "msgid_plural"
            current[key] = _unquote(line)
        elif line.startswith("msgid"):
            key = "msgid"
            current[key] = _unquote(line)
        elif line.startswith("msgstr"):
            key = "msgstr"
            current.setdefault("msgstr", []).append(_unquote(line))
        elif line.startswith('"') and key == "msgstr":
            current["msgstr"][-1] += _unquote(line)
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
    return entries


def test_catalogue_is_complete_and_compiled():
    po = CATALOGUE / "django.po"
    mo = CATALOGUE / "django.mo"
    assert po.exists() and mo.exists()
    entries = _po_entries(po)
    assert len(entries) > 250
    untranslated = [e["msgid"] for e in entries
                    if not all(e["msgstr"]) or "fuzzy" in str(e.get("flags", ""))]
    assert untranslated == []
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if "msgid_plural" in entry:
            got = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            if got != entry["msgstr"]:
                stale.append(entry["msgid"])
        elif compiled.gettext(entry["msgid"]) != entry["msgstr"][0]:
            stale.append(entry["msgid"])
    assert stale == [], "django.mo is older than django.po: compile it again"
