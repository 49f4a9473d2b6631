"""Making and handing out reports: the one place that writes `GeneratedReport` and logs.

Every generation, view and download is written to the processing log (who, which kind,
which area or signal, which period), for board reports too: the log then answers "who
took which figures of our municipality to the council".
"""

from __future__ import annotations

import contextlib
import hashlib
import time

from django.db import transaction
from django.utils import timezone, translation

from knooppunt.audit.log import Action, record
from knooppunt.audit.shown import SIGNAL, Shown
from knooppunt.organisations import scope

from . import access, render
from .builders import get
from .builders.base import Audience, InvalidTexts, InvalidTheme, ReportBuilder
from .data import checksum
from .models import GeneratedReport
from .periods import InvalidPeriod, ReportPeriod
from .periods import parse as parse_period

PURPOSE_REPORT = "Rapportage aan bestuur en raad"
OBJECT_TYPE = "reports.generatedreport"


class UnknownKind(LookupError):
    """No report kind with that code."""


class PeriodNotOffered(ValueError):
    """A valid period of a kind this report does not take (e.g. a quarter factsheet)."""


def builder_for(code: str) -> ReportBuilder:
    try:
        return get(code)
    except KeyError as error:
        raise UnknownKind(code) from error


def check_period(builder: ReportBuilder, code: str) -> ReportPeriod:
    """The period if this kind takes it; `InvalidPeriod` / `PeriodNotOffered` otherwise."""
    from django.utils.translation import gettext as _

    from .periods import PERIOD_KIND_LABELS

    period = parse_period(code)
    if period.kind not in builder.period_kinds:
        offered = ", ".join(str(PERIOD_KIND_LABELS[k]) for k in builder.period_kinds)
        raise PeriodNotOffered(_("Deze rapportage is er alleen per %(kinds)s.")
                               % {"kinds": offered})
    return period


def check_theme(user, builder: ReportBuilder, theme: str) -> str:
    """The kind's theme code; `InvalidTheme` with the builder's message otherwise."""
    return builder.check_theme(user, theme or "")


def generate(user, kind: str, subject_code: str, period_code: str,
             language: str = "nl", *, theme: str = "",
             texts: dict[str, str] | None = None,
             texts_source: dict[str, str] | None = None) -> GeneratedReport:
    """Gather, render twice, store and log one report.

    Raises `UnknownKind`, `access.NoAccess`, `access.UnknownSubject`, `InvalidPeriod`,
    `PeriodNotOffered`, `InvalidTheme` (a theme the kind does not take or know) or
    `InvalidTexts` (prose the kind does not take, or too long); nothing is stored or
    logged as made then. `texts_source` (kinds with text fields only) says where the
    texts came from when not from the maker (`last_texts`): a scheduled report.
    """
    builder = builder_for(kind)
    subject = access.resolve(user, builder, subject_code)
    started = time.perf_counter()
    # The dashboards keep their cached view on the figures on the user object, keyed by
    # the language and data version of when it was made: a report starts a new one.
    user.__dict__.pop("_dashboard_queries", None)
    with translation.override(language):
        period = check_period(builder, period_code)
        theme = check_theme(user, builder, theme)
        options = {"theme": theme} if builder.takes_theme else {}
        texts = builder.check_texts(texts or {})
        if builder.text_fields:
            options["texts"] = texts
            if texts_source is not None:
                options["texts_source"] = texts_source
        # A board report is made for the council or the board: small counts are hidden
        # whoever makes it (decision 0026); other kinds follow the maker's view.
        audience = (scope.board_audience() if builder.audience == Audience.BOARD
                    else contextlib.nullcontext())
        with audience:
            data = builder.gather(user, subject, period, **options)
        user.__dict__.pop("_dashboard_queries", None)  # made under the report's audience
        page = render.html(builder, data)
        document, pages = render.pdf(builder, data)
    elapsed = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        report = GeneratedReport.objects.create(
            kind=builder.code, subject_kind=str(subject.kind), subject_code=subject.code,
            subject_name=subject.name, period=period.code, theme=theme,
            language=language,
            audience=str(builder.audience), generated_by=user,
            generated_by_name=user.get_username(), data_checksum=checksum(data), html=page,
            pdf=document, pdf_checksum=hashlib.sha256(document).hexdigest(),
            page_count=pages, render_ms=elapsed,
            texts=texts if builder.text_fields else {})
        record(user=user, action=Action.CREATE, obj=report, purpose=PURPOSE_REPORT,
               detail=_detail(report))
    return report


def last_texts(user, kind: str, subject_code: str) -> tuple[dict[str, str], dict[str, str]]:
    """The texts of the newest stored report of `kind` about `subject_code` that has any
    and that `user` may read, with where they come from (period, maker, date, report
    number) for the report to say; ({}, {}) when there is none. For a scheduled report,
    which has no maker to write them."""
    for report in (GeneratedReport.objects.filter(kind=kind, subject_code=subject_code)
                   .exclude(texts={}).defer("html", "pdf")
                   .order_by("-generated_at", "-pk")[:20]):
        if not any(report.texts.values()) or not access.may_read(user, report):
            continue
        return dict(report.texts), {
            "period": report.period, "name": report.generated_by_name, "id": str(report.pk),
            "date": timezone.localtime(report.generated_at).strftime("%d-%m-%Y")}
    return {}, {}


def readable(user, limit: int = 100):
    """The stored reports `user` may read, newest first: per kind the role allows, the
    areas the user may choose for it (`access.subject_choices`); reports about a signal
    are checked one by one (`access.may_read`)."""
    from django.db.models import Q

    from .builders import all_builders
    from .builders.base import Audience, SubjectKind

    wanted = Q(pk__in=[])
    for builder in all_builders():
        if not access.may_use_kind(user, builder):
            continue
        codes = [s.code for s in access.subject_choices(user, builder)]
        wanted |= Q(kind=builder.code, subject_code__in=codes)
        if SubjectKind.SIGNAL in builder.subject_kinds:
            wanted |= Q(kind=builder.code, subject_kind=SubjectKind.SIGNAL)
    # Confidential reports are listed only for the one who made them.
    wanted &= ~Q(audience=Audience.CONFIDENTIAL) | Q(generated_by=user)
    reports = GeneratedReport.objects.filter(wanted).defer("html", "pdf")[:limit]
    return [r for r in reports if r.subject_kind != "signaal" or access.may_read(user, r)]


def open_report(user, report_id: int, *, download: bool = False) -> GeneratedReport:
    """A stored report for viewing or downloading, logged; LookupError when the user may
    not read it (answered as not found, like a report that does not exist)."""
    report = GeneratedReport.objects.filter(pk=report_id).first()
    if report is None or not access.may_read(user, report):
        raise LookupError(report_id)
    action = Action.EXPORT if download else Action.VIEW
    record(user=user, action=action, obj=report,
           purpose=PURPOSE_REPORT, detail=("pdf; " if download else "") + _detail(report))
    # A stored report is a frozen document: the signals and cases it names (a bestuurlijke
    # rapportage light names many) are shown to this reader now, so they are logged now.
    shown = Shown()
    shown.add_named([report.html])
    shown.record(user=user, action=action, purpose=PURPOSE_REPORT,
                 detail=f"in rapportage {report.pk}: {_detail(report)}")
    return report


def log_listed(user, reports) -> None:
    """The list of reports names the signal a report is about: log those signals."""
    shown = Shown()
    shown.add(SIGNAL, [r.subject_code for r in reports if r.subject_kind == "signaal"])
    shown.add_named(r.subject_name for r in reports)
    shown.record(user=user, purpose=PURPOSE_REPORT, detail="lijst van rapportages")


def _detail(report: GeneratedReport) -> str:
    theme = f" thema {report.theme}" if report.theme else ""
    return (f"{report.kind} {report.subject_code} ({report.subject_name}) {report.period}"
            f"{theme} {report.language}")


__all__ = ["InvalidPeriod", "InvalidTexts", "InvalidTheme", "PeriodNotOffered", "UnknownKind",
           "builder_for", "check_period", "check_theme", "generate", "open_report", "readable"]
