"""The data of four reports: jaarbericht, voortgangsrapportage, bestuurlijke rapportage
light and raadsvragen. Each module has `gather(user, subject, period, ...)` returning a
frozen dataclass of plain values (numbers, labels, rows, suppression marks, source and
date, chart specs) that the report framework renders as HTML and PDF.

Every figure comes through `monitoring.queries` or `cases.followup` (need to know and the
dashboards' suppression), every record through `organisations.scope`; `brl` logs each
gather. Errors: `errors.ReportInputError` (ValueError; bad period, area or theme) and
`errors.ReportNotAllowed` (PermissionError), both in Dutch and English. Decision 0016.
"""

from __future__ import annotations

from . import brl, jaarbericht, raadsvragen, voortgang
from .errors import ReportInputError, ReportNotAllowed

# report code -> gather function, for the framework's registry
GATHERERS = {
    "jaarbericht": jaarbericht.gather,
    "voortgang": voortgang.gather,
    "bestuurlijke-rapportage-light": brl.gather,
    "raadsvragen": raadsvragen.gather,
}

__all__ = ["GATHERERS", "ReportInputError", "ReportNotAllowed"]
