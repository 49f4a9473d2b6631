"""The reports app carries a complete, compiled English catalogue; the PDF words too."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.utils import translation

import knooppunt
from knooppunt.reports.data import ReportData
from knooppunt.reports.labels import typst_labels

FOLDER = Path(knooppunt.__file__).parent / "reports" / "locale" / "en" / "LC_MESSAGES"
SAME = {"Factsheet", "Indicator", "Index", "HTML", "PDF"}


def test_catalogue_is_complete_and_compiled():
    po = (FOLDER / "django.po").read_text(encoding="utf-8")
    assert re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n', po) == []
    assert "#, fuzzy" not in po
    compiled = gettext.GNUTranslations((FOLDER / "django.mo").open("rb"))
    for context, msgid in re.findall(r'\n(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr', po):
        text = msgid.replace('\\"', '"')
        english = compiled.pgettext(context, text) if context else compiled.gettext(text)
        assert english != text or text in SAME, text


def test_every_pdf_word_changes_with_the_language():
    data = ReportData(kind="factsheet", title="Factsheet", subject_code="GM0153",
                      subject_name="Enschede", subject_kind="gemeente", period_code="2025",
                      period_label="2025", period_running=False, language="nl",
                      made_at="2026-01-05T10:00:00+01:00", made_by="x", threshold=5,
                      synthetic=False)
    with translation.override("nl"):
        dutch = typst_labels(data)
    with translation.override("en"):
        english = typst_labels(data)
    assert dutch.keys() == english.keys()
    assert [k for k in dutch if dutch[k] == english[k]] == []
    assert english["of"] == "of" and dutch["of"] == "van"
