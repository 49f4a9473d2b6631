"""Scheduled reports: which period is due, checking a schedule, and the runner.

`run_due(today)` (the `knooppunt run_report_schedules` command, for cron) makes, for
every active schedule whose `next_run_on` has come, the report of the last complete
period, as its owner and through `services.generate` (so scoped and logged as any
report), stores it (in any case) and mails a link to each recipient who may still read
it at that moment. A period is made once: the schedule is claimed with a conditional
UPDATE (as the intake worker claims a delivery, decision 0005) and `ScheduleRun` is
unique per schedule and period, so a second runner or a rerun on the same day does
nothing. The mail carries a link, not the PDF: opening it goes through login, the
access check and the processing log, and a forwarded mail gives nobody the figures.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knooppunt.audit.log import Action, Outcome, record

from . import access, services
from .builders.base import Audience, InvalidTheme
from .models import GeneratedReport, Recurrence, ReportSchedule, ScheduleRun
from .periods import InvalidPeriod, PeriodKind, ReportPeriod

PERIOD_OF = {Recurrence.QUARTERLY: PeriodKind.QUARTER,
             Recurrence.HALF_YEARLY: PeriodKind.HALF_YEAR,
             Recurrence.YEARLY: PeriodKind.YEAR}
_PARTS = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}


class ScheduleError(ValueError):
    """A schedule that cannot be kept (message for people, in the active language)."""


# ------------------------------------------------------------ periods


def _following(period: ReportPeriod) -> ReportPeriod:
    if period.number < _PARTS[period.kind]:
        return ReportPeriod(period.kind, period.year, period.number + 1)
    return ReportPeriod(period.kind, period.year + 1, 1)


def _containing(kind: PeriodKind, day: dt.date) -> ReportPeriod:
    months = 12 // _PARTS[kind]
    return ReportPeriod(kind, day.year, (day.month - 1) // months + 1)


def due_on(recurrence: str, month: int, period: ReportPeriod) -> dt.date:
    """The day a period's report is made: the day after it ends; a year in `month`."""
    if recurrence == Recurrence.YEARLY:
        return dt.date(period.year + 1, month, 1)
    return period.end + dt.timedelta(days=1)


def latest_due(recurrence: str, month: int, today: dt.date) -> ReportPeriod:
    """The most recent complete period whose day has come."""
    period = _containing(PERIOD_OF[recurrence], today)
    while due_on(recurrence, month, period) > today:
        period = period.previous()
    return period


def next_due(recurrence: str, month: int, after: dt.date) -> dt.date:
    """The first day after `after` on which a report of this schedule is due."""
    return due_on(recurrence, month, _following(latest_due(recurrence, month, after)))


# ------------------------------------------------------------ checking


def check(owner, kind: str, subject_code: str, recurrence: str, month: int, theme: str,
          recipients) -> tuple[object, str]:
    """The builder and the subject's name if `owner` may schedule this; `ScheduleError`
    otherwise (confidential kinds, a period kind the report does not take, a recipient
    who may not read it)."""
    builder = services.builder_for(kind)
    if builder.audience == Audience.CONFIDENTIAL:
        raise ScheduleError(_("Een vertrouwelijke rapportage kan niet worden ingepland."))
    if PERIOD_OF.get(recurrence) not in builder.period_kinds:
        raise ScheduleError(_("%(kind)s is er niet per %(period)s; kies een andere "
                              "herhaling.") % {"kind": builder.title,
                                               "period": Recurrence(recurrence).label})
    if not 1 <= int(month) <= 12:
        raise ScheduleError(_("Kies een maand van 1 tot en met 12."))
    try:
        subject = access.resolve(owner, builder, subject_code)
        services.check_theme(owner, builder, theme)
    except (access.NoAccess, access.UnknownSubject) as error:
        raise ScheduleError(_("Deze rapportage kunt u voor dit gebied niet maken.")) from error
    except InvalidTheme as error:
        raise ScheduleError(str(error)) from error
    refused = [r.get_username() for r in recipients if not may_receive(r, builder, subject.code)]
    if refused:
        raise ScheduleError(_("Deze ontvangers mogen deze rapportage niet zien: %(names)s.")
                            % {"names": ", ".join(refused)})
    return builder, subject.name


def may_receive(user, builder, subject_code: str) -> bool:
    """Whether a recipient may read this report now (the rule of generating it)."""
    if not user.is_active:
        return False
    try:
        access.resolve(user, builder, subject_code)
    except (access.NoAccess, access.UnknownSubject):
        return False
    return True


# ------------------------------------------------------------ managing


def create(owner, cleaned: dict) -> ReportSchedule:
    """A checked schedule (`forms.ScheduleForm`), its first day set; logged."""
    with transaction.atomic():
        schedule = ReportSchedule.objects.create(
            kind=cleaned["soort"], subject_code=cleaned["gebied"].strip().upper(),
            subject_name=cleaned["subject_name"], theme=cleaned["theme"],
            recurrence=cleaned["herhaling"], month=cleaned["maand"],
            language=cleaned["taal"], owner=owner,
            next_run_on=next_due(cleaned["herhaling"], cleaned["maand"],
                                 timezone.localdate() - dt.timedelta(days=1)))
        schedule.recipients.set(cleaned["recipients"])
        record(user=owner, action=Action.CREATE, obj=schedule,
               purpose=services.PURPOSE_REPORT, detail=_describe(schedule))
    return schedule


def owned(owner):
    return (ReportSchedule.objects.filter(owner=owner).prefetch_related("recipients")
            .order_by("next_run_on", "pk"))


def change(owner, pk: int, action: str) -> bool:
    """Pause, resume or remove an own schedule; False when it is not the owner's."""
    schedule = ReportSchedule.objects.filter(pk=pk, owner=owner).first()
    if schedule is None:
        return False
    detail = f"{action}: {_describe(schedule)}"
    if action == "verwijderen":
        record(user=owner, action=Action.DELETE, obj=schedule,
               purpose=services.PURPOSE_REPORT, detail=detail)
        schedule.delete()
        return True
    schedule.active = action == "hervatten"
    if schedule.active:  # resuming does not make the periods missed while paused
        schedule.next_run_on = next_due(schedule.recurrence, schedule.month,
                                        timezone.localdate() - dt.timedelta(days=1))
    schedule.save(update_fields=["active", "next_run_on"])
    record(user=owner, action=Action.UPDATE, obj=schedule, purpose=services.PURPOSE_REPORT,
           detail=detail)
    return True


def _describe(schedule: ReportSchedule) -> str:
    theme = f" thema {schedule.theme}" if schedule.theme else ""
    return (f"planning {schedule.kind} {schedule.subject_code}{theme} {schedule.recurrence}"
            f" maand {schedule.month}")


# ------------------------------------------------------------ running


@dataclass
class RunResult:
    made: list[GeneratedReport] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    mailed: int = 0


def run_due(today: dt.date | None = None) -> RunResult:
    """Make every due report once; never raises for one schedule's trouble."""
    today = today or timezone.localdate()
    result = RunResult()
    due = ReportSchedule.objects.filter(active=True, next_run_on__lte=today).select_related(
        "owner").order_by("next_run_on", "pk")
    for schedule in due:
        period = latest_due(schedule.recurrence, schedule.month, today)
        following = next_due(schedule.recurrence, schedule.month, today)
        claimed = ReportSchedule.objects.filter(
            pk=schedule.pk, next_run_on=schedule.next_run_on).update(
            next_run_on=following, last_run_at=timezone.now(), last_period=period.code)
        if not claimed or ScheduleRun.objects.filter(schedule=schedule,
                                                     period=period.code).exists():
            continue  # another runner took it, or this period was made already
        _run_one(schedule, period, result)
    return result


def _run_one(schedule: ReportSchedule, period: ReportPeriod, result: RunResult) -> None:
    try:
        with transaction.atomic():
            run = ScheduleRun.objects.create(schedule=schedule, period=period.code)
    except IntegrityError:
        return  # made by a runner at the same moment
    try:
        builder = services.builder_for(schedule.kind)
        if builder.audience == Audience.CONFIDENTIAL:
            raise ScheduleError("vertrouwelijke rapportage")
        extra = {}
        if builder.text_fields:  # no maker to write them: the last saved ones, or said
            texts, source = services.last_texts(schedule.owner, schedule.kind,
                                                schedule.subject_code)
            extra = {"texts": texts, "texts_source": source}
        report = services.generate(schedule.owner, schedule.kind, schedule.subject_code,
                                   period.code, schedule.language, theme=schedule.theme,
                                   **extra)
    except (services.UnknownKind, access.NoAccess, access.UnknownSubject, InvalidPeriod,
            services.PeriodNotOffered, InvalidTheme, ScheduleError) as error:
        ScheduleRun.objects.filter(pk=run.pk).update(
            error=f"{error.__class__.__name__}: {error}"[:500])
        record(user=schedule.owner, action=Action.CREATE, object_type=OBJECT_TYPE,
               object_ids=[schedule.pk], purpose=services.PURPOSE_REPORT,
               outcome=Outcome.DENIED, detail=f"planning {schedule.pk} {period.code}: "
               f"{error.__class__.__name__}", channel="planning")
        result.failed.append(f"{schedule.pk} {period.code}: {error.__class__.__name__}")
        return
    sent, not_sent = _mail(schedule, builder, report)
    ScheduleRun.objects.filter(pk=run.pk).update(report=report, sent_to=", ".join(sent),
                                                 not_sent_to=", ".join(not_sent))
    record(user=schedule.owner, action=Action.EXPORT, obj=report,
           purpose=services.PURPOSE_REPORT, channel="planning",
           detail=f"planning {schedule.pk}: link gemaild aan {', '.join(sent) or '-'}"
                  + (f"; niet aan {', '.join(not_sent)}" if not_sent else ""))
    result.made.append(report)
    result.mailed += len(sent)


OBJECT_TYPE = "reports.reportschedule"


def _mail(schedule: ReportSchedule, builder, report: GeneratedReport) -> tuple[list, list]:
    """A link to each recipient who may read the report now and has an address."""
    sent, not_sent = [], []
    link = settings.KNOOPPUNT_BASE_URL.rstrip("/") + reverse("reports:detail",
                                                             args=[report.pk])
    with translation.override(schedule.language):
        subject = _("Knooppunt-rapportage: %(title)s %(area)s %(period)s") % {
            "title": builder.title, "area": report.subject_name, "period": report.period}
        body = _("Een ingeplande rapportage is gemaakt: %(title)s %(area)s, periode "
                 "%(period)s.\n\nU vindt hem na inloggen op:\n%(link)s\n\nDeze e-mail "
                 "bevat bewust geen cijfers; de rapportage staat in Knooppunt.") % {
            "title": builder.title, "area": report.subject_name, "period": report.period,
            "link": link}
    for user in schedule.recipients.order_by("username"):
        name = user.get_username()
        if not user.email or not may_receive(user, builder, report.subject_code):
            not_sent.append(name)
            continue
        try:
            send_mail(subject, body, None, [user.email])
        except (OSError, smtplib.SMTPException):
            not_sent.append(name)
            continue
        sent.append(name)
    return sent, not_sent
