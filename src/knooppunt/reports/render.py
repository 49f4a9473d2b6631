"""Rendering one `ReportData` twice: HTML (Django templates) and PDF (typst).

HTML: `reports/_document.html` wraps the builder's `html_template`; charts are the
dashboards' inline SVGs. The result is a fragment stored with the report and shown in
the site layout or on its own print page.

PDF: the `typst` package (the wheel carries the compiler and fonts; no system fonts are
read, so every machine makes the same pages). In a temporary directory: `_common.typ`,
the builder's template, and one `<key>.svg` per chart; the data goes in as JSON through
`sys.inputs.data`, so nothing is escaped by hand: typst reads strings from the JSON and
never parses them as markup.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from importlib import resources
from pathlib import Path

import typst
from django.template.loader import render_to_string

from .builders.base import ReportBuilder
from .data import ReportData, as_json
from .labels import made_on_label, typst_labels


def html(builder: ReportBuilder, data: ReportData) -> str:
    """The report as an HTML fragment (escaped by Django's templates)."""
    return render_to_string("reports/_document.html",
                            {"data": data, "body_template": builder.html_template})


def _typst_source(name: str) -> str:
    return resources.files("knooppunt.reports").joinpath("typst", name).read_text("utf-8")


def pdf(builder: ReportBuilder, data: ReportData) -> tuple[bytes, int]:
    """The report as PDF bytes and its page count."""
    document = _compile(builder, data, "pdf")
    return document, page_count(document)


def png_pages(builder: ReportBuilder, data: ReportData, ppi: int = 100) -> list[bytes]:
    """The same pages as PNG images (to look at them; typst draws them itself)."""
    found = _compile(builder, data, "png", ppi=ppi)
    return found if isinstance(found, list) else [found]


def _compile(builder: ReportBuilder, data: ReportData, fmt: str, *, ppi: int | None = None):
    with tempfile.TemporaryDirectory(prefix="knooppunt-report-") as folder:
        root = Path(folder)
        files = {}
        for key, chart in data.charts.items():
            name = f"chart-{len(files)}.svg"
            (root / name).write_text(_standalone_svg(chart.svg), encoding="utf-8")
            files[key] = name
        (root / "_common.typ").write_text(_typst_source("_common.typ"), encoding="utf-8")
        main = root / "report.typ"
        main.write_text(_typst_source(builder.typst_template), encoding="utf-8")
        plain = as_json(data, chart_files=files)
        plain["labels"] = typst_labels(data)
        plain["made_on_label"] = made_on_label(data)
        payload = json.dumps(plain, ensure_ascii=False, default=str)
        made = datetime.fromisoformat(data.made_at)
        return typst.compile(str(main), root=str(root), ignore_system_fonts=True,
                             sys_inputs={"data": payload}, timestamp=int(made.timestamp()),
                             format=fmt, ppi=ppi)


def page_count(document: bytes) -> int:
    """Pages in a PDF typst wrote (its page objects are plain, not in object streams)."""
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(document)).pages)


def _standalone_svg(svg: str) -> str:
    """An inline SVG as a file: with the SVG namespace (vl-convert's has it; a map's too)."""
    if "xmlns=" not in svg[:300]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return svg
