"""Generated reports: what was made, for whom and from which data, kept as made.

The HTML fragment and the PDF are stored in the database row itself (decision 0015):
a report is a few hundred kilobytes, it is written once and read rarely, and keeping it
with its record makes the pair atomic (no file without a record or the reverse), backed
up with the database and removed with it. Rows are append-only: the queryset and the
model refuse updates and deletes through the application, as the processing log does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Generated reports are append-only")

    def delete(self):
        raise PermissionError("Generated reports are append-only")


class GeneratedReport(models.Model):
    kind = models.CharField(_("soort"), max_length=40, db_index=True)
    subject_kind = models.CharField(_("onderwerp (soort)"), max_length=20)
    subject_code = models.CharField(_("gebied of signaal"), max_length=20, db_index=True)
    subject_name = models.CharField(_("naam"), max_length=200)
    period = models.CharField(_("periode"), max_length=10)
    theme = models.CharField(_("thema"), max_length=40, blank=True, default="")
    language = models.CharField(_("taal"), max_length=5)
    audience = models.CharField(_("publiek"), max_length=20)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="generated_reports",
                                     verbose_name=_("gemaakt door"))
    generated_by_name = models.CharField(_("gemaakt door (naam)"), max_length=150)
    generated_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True, db_index=True)
    data_checksum = models.CharField(_("controlegetal gegevens (SHA-256)"), max_length=64)
    html = models.TextField(_("HTML"))
    pdf = models.BinaryField(_("PDF"))
    pdf_checksum = models.CharField(_("controlegetal PDF (SHA-256)"), max_length=64)
    page_count = models.PositiveSmallIntegerField(_("aantal pagina's"))
    render_ms = models.PositiveIntegerField(_("rendertijd (ms)"), default=0)
    # The maker's own prose (the ondermijningsbeeld's duiding, weerbaarheid, aanbevelingen),
    # kept so a scheduled report of the same area can take it over (decision 0042).
    texts = models.JSONField(_("eigen teksten"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-id"]
        verbose_name = _("gemaakte rapportage")
        verbose_name_plural = _("gemaakte rapportages")
        indexes = [models.Index(fields=["subject_code", "kind", "-generated_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_code} {self.period}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Generated reports are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Generated reports are append-only")

    @property
    def kind_title(self) -> str:
        """The kind's title in the active language (the code if it is no longer known)."""
        from .builders import get

        try:
            return str(get(self.kind).title)
        except KeyError:
            return self.kind

    @property
    def filename(self) -> str:
        theme = f"-{self.theme}" if self.theme else ""
        return f"{self.kind}-{self.subject_code}{theme}-{self.period}.pdf"


class Recurrence(models.TextChoices):
    QUARTERLY = "kwartaal", _("elk kwartaal")
    HALF_YEARLY = "halfjaar", _("elk halfjaar")
    YEARLY = "jaar", _("elk jaar, in een gekozen maand")


class ReportSchedule(models.Model):
    """A report made again and again for the last complete period (`schedules`).

    Quarterly and half-yearly schedules make the quarter or half year that has just
    ended, on the first day after it; a yearly one makes the previous calendar year on
    the first day of `month` (the jaarbericht in March). Only board reports (aggregates)
    can be scheduled. Recipients are checked again when a report is sent.
    """

    kind = models.CharField(_("soort"), max_length=40)
    subject_code = models.CharField(_("gemeente of regio"), max_length=20)
    subject_name = models.CharField(_("naam"), max_length=200)
    theme = models.CharField(_("thema"), max_length=40, blank=True, default="")
    recurrence = models.CharField(_("herhaling"), max_length=10, choices=Recurrence.choices)
    month = models.PositiveSmallIntegerField(
        _("maand (jaarlijks)"), default=3,
        help_text=_("Bij jaarlijks: de maand waarin de rapportage over het vorige jaar "
                    "wordt gemaakt (1-12)."))
    language = models.CharField(_("taal"), max_length=5, default="nl",
                                choices=[("nl", "Nederlands"), ("en", "English")])
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="report_subscriptions",
                                        verbose_name=_("ontvangers"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="report_schedules", verbose_name=_("eigenaar"))
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    next_run_on = models.DateField(_("volgende keer op"), db_index=True)
    last_run_at = models.DateTimeField(_("laatst uitgevoerd"), null=True, blank=True)
    last_period = models.CharField(_("laatste periode"), max_length=10, blank=True,
                                   default="")

    class Meta:
        ordering = ["next_run_on", "id"]
        verbose_name = _("rapportageplanning")
        verbose_name_plural = _("rapportageplanningen")

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_code} {self.get_recurrence_display()}"

    kind_title = GeneratedReport.kind_title


class ScheduleRun(models.Model):
    """One period of a schedule, made once: the unique pair makes a rerun harmless."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE,
                                 related_name="runs", verbose_name=_("planning"))
    period = models.CharField(_("periode"), max_length=10)
    report = models.ForeignKey(GeneratedReport, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="schedule_runs",
                               verbose_name=_("rapportage"))
    ran_at = models.DateTimeField(_("uitgevoerd op"), auto_now_add=True)
    sent_to = models.TextField(_("verstuurd aan"), blank=True, default="")
    not_sent_to = models.TextField(_("niet verstuurd aan"), blank=True, default="")
    error = models.TextField(_("fout"), blank=True, default="")

    class Meta:
        ordering = ["-ran_at", "-id"]
        verbose_name = _("uitvoering van een planning")
        verbose_name_plural = _("uitvoeringen van planningen")
        constraints = [models.UniqueConstraint(fields=["schedule", "period"],
                                               name="reports_schedule_period_once")]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period}"
