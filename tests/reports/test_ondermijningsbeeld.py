"""The ondermijningsbeeld: the jaarbericht's figures, the area scan's register tables and
the hotspot page's maps in the RIEC's strategic chapters, with the maker's own texts;
HTML and PDF, stored and logged, refused with a reason for bad texts."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.reports import services
from knooppunt.reports.access import resolve
from knooppunt.reports.builders import get
from knooppunt.reports.builders.base import InvalidTexts
from knooppunt.reports.builders.ondermijningsbeeld import MAX_TEXT, ONDERMIJNINGSBEELD
from knooppunt.reports.models import GeneratedReport
from knooppunt.reports.periods import parse
from tests.factories import issue_key, system_like

pytestmark = pytest.mark.django_db

ADVICE = "Zet in op het buitengebied van Enschede.\n\nBetrek de woningcorporatie."


def _gather(user, kind: str, code: str, period: str, **extra):
    builder = get(kind)
    return builder.gather(user, resolve(user, builder, code), parse(period), **extra)


def _cells(table) -> list[list[tuple[str, object, bool]]]:
    return [[(c.text, c.value, c.suppressed) for c in row] for row in table.rows]


def test_chapters_follow_the_riec_plan_and_print_the_makers_texts(world):
    data = _gather(world.analyst, "ondermijningsbeeld", "GM0153", str(world.year),
                   texts={"aanbevelingen": ADVICE, "duiding": "Hennep domineert."})
    assert [c.key for c in data.chapters] == [
        "duiding", "signalen", "hotspots", "vastgoed", "tendens", "aanpak",
        "weerbaarheid", "aanbevelingen"]
    chapters = {c.key: c for c in data.chapters}
    assert chapters["aanbevelingen"].text == ADVICE
    assert "Niet ingevuld" in chapters["weerbaarheid"].lead  # said, not left blank
    assert chapters["hotspots"].charts[0] == "hotspots-alle"
    assert data.charts["hotspots-alle"].svg.startswith("<svg")
    assert "Gi*" in data.charts["hotspots-alle"].title


def test_signal_and_case_figures_are_the_jaarberichts(world):
    """One definition, one number: every table the two reports share is identical."""
    beeld = _gather(world.regional, "ondermijningsbeeld", "VR05", str(world.year))
    annual = _gather(world.regional, "jaarbericht", "VR05", str(world.year))
    shared = {t.key for t in annual.tables} & {t.key for t in beeld.tables}
    assert {"signalen", "bronnen", "casussen", "interventies", "resultaten"} <= shared
    for key in shared:
        assert _cells(beeld.table(key)) == _cells(annual.table(key)), key


def test_register_tables_are_the_area_scans(client, world):
    client.force_login(world.analyst)
    body = client.get("/api/v1/area-scans", {"area": "GM0153"}).json()
    data = _gather(world.analyst, "ondermijningsbeeld", "GM0153", str(world.year))
    usage = next(s for s in body["sections"] if s["key"] == "gebruiksdoel")
    table = data.table("gebiedsscan-gebruiksdoel")
    printed = {row[0].text: row[1].value for row in table.rows}
    assert printed == {r["label"]: r["value"] for r in usage["rows"]}
    assert "Bron:" in table.note


def test_made_stored_logged_and_the_pdf_holds_the_texts(world):
    report = services.generate(world.analyst, "ondermijningsbeeld", "GM0153",
                               str(world.year), "nl", texts={"aanbevelingen": ADVICE})
    assert bytes(report.pdf).startswith(b"%PDF") and report.page_count >= 3
    html = report.html
    assert "Locaties en hotspots" in html and "<svg" in html
    assert "Betrek de woningcorporatie." in html and "<p>Zet in op" in html
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    for words in ("Thema's en fenomenen", "Bestuurlijke weerbaarheid", "Aanbevelingen",
                  "Betrek de woningcorporatie."):
        assert words in text, words
    assert ProcessingLogEntry.objects.filter(
        user_id=world.analyst.pk, object_type="reports.generatedreport",
        detail__startswith="ondermijningsbeeld GM0153").exists()


def test_a_text_is_escaped_in_html(world):
    report = services.generate(world.analyst, "ondermijningsbeeld", "GM0153",
                               str(world.year), "nl",
                               texts={"duiding": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in report.html
    assert "&lt;script&gt;" in report.html


def test_bad_texts_are_refused_and_nothing_is_stored(world):
    with pytest.raises(InvalidTexts):
        services.generate(world.analyst, "ondermijningsbeeld", "GM0153", str(world.year),
                          "nl", texts={"conclusie": "x"})
    with pytest.raises(InvalidTexts):
        services.generate(world.analyst, "jaarbericht", "GM0153", str(world.year), "nl",
                          texts={"aanbevelingen": "x"})
    assert not GeneratedReport.objects.exists()


def test_api_takes_texts_and_refuses_bad_ones(world):
    from rest_framework.test import APIClient

    _, key = issue_key(system_like(world.analyst), name="rapportages")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    made = api.post("/api/v1/reports", {
        "kind": "ondermijningsbeeld", "area": "GM0153", "period": str(world.year),
        "texts": {"aanbevelingen": ADVICE}}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "ondermijningsbeeld"
    for texts in ({"onbekend": "x"}, {"aanbevelingen": "x" * (MAX_TEXT + 1)},
                  {"aanbevelingen": 3}, ["aanbevelingen"]):
        refused = api.post("/api/v1/reports", {
            "kind": "ondermijningsbeeld", "area": "GM0153", "period": str(world.year),
            "texts": texts}, format="json")
        assert refused.status_code == 400, texts
        assert refused["Content-Type"].startswith("application/problem+json")
        assert any(p.get("name", "").startswith("texts")
                   for p in refused.json()["invalidParams"]), refused.json()
    assert GeneratedReport.objects.count() == 1


def test_page_offers_the_kind_with_its_text_fields(client, world):
    client.force_login(world.analyst)
    page = client.get("/rapportages/").content.decode()
    assert 'value="ondermijningsbeeld"' in page and 'name="tekst_aanbevelingen"' in page
    made = client.post("/rapportages/", {
        "soort": "ondermijningsbeeld", "gebied": "GM0153", "periode": str(world.year),
        "tekst_aanbevelingen": ADVICE})
    assert made.status_code == 302
    assert ADVICE.split("\n")[0] in GeneratedReport.objects.get().html
    refused = client.post("/rapportages/", {
        "soort": "jaarbericht", "gebied": "GM0153", "periode": str(world.year),
        "tekst_aanbevelingen": "x"})
    assert refused.status_code == 400
    assert GeneratedReport.objects.count() == 1


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.dictionaries(
    st.sampled_from(["duiding", "weerbaarheid", "aanbevelingen", "Aanbevelingen", ""]),
    st.one_of(st.text(max_size=60), st.integers(), st.none(),
              st.text(min_size=MAX_TEXT - 2, max_size=MAX_TEXT + 2, alphabet="ab \n")),
    max_size=4))
def test_texts_are_cleaned_or_refused_never_crash(texts):
    try:
        clean = ONDERMIJNINGSBEELD.check_texts(texts)
    except InvalidTexts as error:
        assert str(error)
        return
    assert set(clean) <= {"duiding", "weerbaarheid", "aanbevelingen"}
    assert all(isinstance(v, str) and v and len(v) <= MAX_TEXT and v == v.strip()
               for v in clean.values())


def test_made_in_english(world):
    report = services.generate(world.regional, "ondermijningsbeeld", "VR05",
                               str(world.year), "en")
    for words in ("Themes and phenomena", "Places and hotspots", "Recommendations",
                  "Administrative resilience and barriers"):
        assert words in report.html, words
    # A region has no area scan: the chapter says where its figures are.
    assert "area scan of each municipality" in report.html
