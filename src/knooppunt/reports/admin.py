"""Generated reports in the admin (read-only: append-only rows) and report schedules."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import GeneratedReport, ReportSchedule, ScheduleRun
from .schedules import ScheduleError, check, next_due

SIGNAL_KIND = "signaal"


class ScheduleAdminForm(forms.ModelForm):
    """The page's checks (no confidential kinds, period kind, recipients who may read)."""

    class Meta:
        model = ReportSchedule
        fields = ["kind", "subject_code", "theme", "recurrence", "month", "language",
                  "recipients", "owner", "active", "next_run_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["next_run_on"].required = False
        self.subject_name = ""

    def clean(self):
        data = super().clean()
        if not all(data.get(k) for k in ("kind", "subject_code", "recurrence", "owner")):
            return data
        try:
            _builder, self.subject_name = check(
                data["owner"], data["kind"], data["subject_code"], data["recurrence"],
                data.get("month") or 3, data.get("theme", ""), data.get("recipients", []))
        except (ScheduleError, LookupError) as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """The beheerder reads no signals: a report about a signal (bestuurlijke rapportage
    light) is listed without the signal's reference and cannot be found by it."""

    list_display = ("kind", "subject", "period", "generated_by_name", "generated_at",
                    "page_count")
    list_filter = ("kind", "audience")
    search_fields = ("subject_code", "subject_name", "generated_by_name")
    exclude = ("html", "pdf")

    @admin.display(description=_("onderwerp"))
    def subject(self, report: GeneratedReport) -> str:
        if report.subject_kind == SIGNAL_KIND:
            return _("een signaal (alleen voor de maker)")
        return f"{report.subject_name} ({report.subject_code})"

    def get_exclude(self, request, obj=None):
        if obj is not None and obj.subject_kind == SIGNAL_KIND:
            return (*self.exclude, "subject_code", "subject_name")
        return self.exclude

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:  # no search by a signal's reference or number
            found = found.exclude(subject_kind=SIGNAL_KIND)
        return found, duplicates

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ScheduleRunInline(admin.TabularInline):
    model = ScheduleRun
    extra = 0
    can_delete = False
    readonly_fields = ("period", "report", "ran_at", "sent_to", "not_sent_to", "error")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    """Beheer sees and changes every schedule; the same checks as the page on save."""

    list_display = ("kind", "subject_name", "subject_code", "recurrence", "owner", "active",
                    "next_run_on", "last_period")
    list_filter = ("kind", "recurrence", "active")
    search_fields = ("subject_code", "subject_name", "owner__username")
    filter_horizontal = ("recipients",)
    readonly_fields = ("subject_name", "last_run_at", "last_period", "created_at")
    inlines = [ScheduleRunInline]
    form = ScheduleAdminForm

    def save_model(self, request, obj, form, change) -> None:
        if not change or not obj.next_run_on:
            obj.next_run_on = next_due(obj.recurrence, obj.month,
                                       timezone.localdate() - dt.timedelta(days=1))
        obj.subject_name = form.subject_name
        super().save_model(request, obj, form, change)
