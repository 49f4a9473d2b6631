"""The factsheet as PDF: text extracted with pypdf holds the figures, the header, page
numbers, sources and the suppression footnote; no personal data; same data, same
checksum."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import Role
from knooppunt.reports import services
from knooppunt.reports.models import GeneratedReport
from tests.factories import member

pytestmark = pytest.mark.django_db


def _text(report: GeneratedReport) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(bytes(report.pdf)))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_municipality_factsheet_pdf_holds_the_figures_a_mayor_signs(world):
    report = services.generate(world.mayor, "factsheet", "GM0153", str(world.year))
    text, pages = _text(report)
    assert report.page_count == pages and 1 <= pages <= 2
    flat = re.sub(r"\s+", " ", text)
    assert "Factsheet Enschede" in flat and f"Periode: {world.year}" in flat
    assert f"pagina 1 van {pages}" in flat and f"pagina {pages} van {pages}" in flat
    assert "Gemaakt op" in flat and "Bron: Knooppunt: signalen" in flat
    assert "worden niet getoond en staan als “<5”" in flat
    # The key figure (14 signals, target 20, not met) and the withheld previous year.
    assert re.search(r"Signalen ondermijning \(totaal\) 14 .*Streefcijfer: 20 \(niet gehaald\)",
                     flat)
    assert "<5" in flat
    assert "Geheimstraat" not in flat and "KNP-" not in flat  # no personal data
    assert report.html.count("<svg") >= 3 and "Enschede" in report.html
    entry = ProcessingLogEntry.objects.get(action="create", object_id=str(report.pk))
    assert entry.object_type == "reports.generatedreport"
    assert "factsheet GM0153 (Enschede)" in entry.detail and entry.username == "burgemeester"


def test_region_factsheet_in_english_and_same_data_same_checksum(world):
    first = services.generate(world.regional, "factsheet", "VR05", str(world.year),
                              language="en")
    text, pages = _text(first)
    flat = re.sub(r"\s+", " ", text)
    assert "Factsheet Twente" in flat and f"page 1 of {pages}" in flat
    assert "Key figures" in flat and "Oldenzaal" in flat and "Hengelo (O.)" in flat
    assert "are not shown" in flat
    again = services.generate(world.regional, "factsheet", "VR05", str(world.year),
                              language="en")
    assert again.data_checksum == first.data_checksum
    dutch = services.generate(world.regional, "factsheet", "VR05", str(world.year))
    assert dutch.data_checksum != first.data_checksum  # other words, same figures
    assert GeneratedReport.objects.count() == 3
    # Someone else with the same view of the figures: the same checksum.
    riec = world.regional.memberships.get().organisation
    colleague = member(Role.COORDINATOR, riec, username="collega")
    theirs = services.generate(colleague, "factsheet", "VR05", str(world.year))
    assert theirs.data_checksum == dutch.data_checksum
    mayor = services.generate(world.mayor, "factsheet", "VR05", str(world.year))
    assert mayor.data_checksum != dutch.data_checksum  # sees fewer municipalities


def test_generated_reports_cannot_be_changed_or_removed(world):
    report = services.generate(world.mayor, "factsheet", "GM0153", str(world.year))
    report.period = "2000"
    with pytest.raises(PermissionError):
        report.save()
    with pytest.raises(PermissionError):
        report.delete()
    with pytest.raises(PermissionError):
        GeneratedReport.objects.filter(pk=report.pk).update(period="2000")
    with pytest.raises(PermissionError):
        GeneratedReport.objects.all().delete()
