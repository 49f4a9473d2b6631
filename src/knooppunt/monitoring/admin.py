"""Admin for monitoring: indicators (as data), targets, peer groups, statistics, alerts."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .measures.registry import measure_choices
from .models import (
    Alert,
    Indicator,
    IndicatorValue,
    PeerGroup,
    Statistic,
    StatisticImport,
    Target,
)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "theme", "unit", "definition", "source",
                  "measure", "parameters", "per_1000", "higher_is_better", "early_warning",
                  "reference", "position", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"] = forms.ChoiceField(
            choices=measure_choices(), label=self.fields["measure"].label,
            help_text=self.fields["measure"].help_text,
        )


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "theme", "measure", "unit", "early_warning", "active",
                    "computed_at")
    list_filter = ("active", "early_warning", "theme", "measure")
    search_fields = ("code", "name")
    readonly_fields = ("computed_at",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "area_level", "area_code", "year", "value", "direction",
                    "riec_section", "set_by", "set_on")
    list_filter = ("year", "area_level", "riec_section")
    search_fields = ("area_code", "indicator__code", "indicator__name")
    readonly_fields = ("set_by", "set_on")

    def save_model(self, request, obj, form, change):
        # A named person sets a target: who and when are recorded, not typed in.
        obj.set_by = request.user
        obj.set_on = timezone.localdate()
        super().save_model(request, obj, form, change)


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code")
    list_filter = ("kind",)
    filter_horizontal = ("members",)
    search_fields = ("name", "code")


@admin.register(StatisticImport)
class StatisticImportAdmin(admin.ModelAdmin):
    list_display = ("table", "file_name", "imported_at", "imported_by", "row_count",
                    "withheld_count")
    exclude = ("original",)
    readonly_fields = ("table", "file_name", "checksum", "source", "published_on",
                       "imported_at", "imported_by", "row_count", "withheld_count")

    def has_add_permission(self, request):  # imports go through the command (all or nothing)
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Computed or imported figures are not edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Statistic)
class StatisticAdmin(ReadOnlyAdmin):
    list_display = ("table", "crime_type_code", "area_code", "period_type", "period_start",
                    "value", "source")
    list_filter = ("table", "period_type", "area_level")
    search_fields = ("area_code", "crime_type_code")


def _public(indicator: Indicator) -> bool:
    """Whether an indicator's figures come from published statistics (not own records)."""
    from .measures.registry import get_measure

    try:
        return get_measure(indicator.measure).public
    except KeyError:
        return False


OWN_DATA_HIDDEN = _("alleen op het dashboard")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    """The job's stored figures. The beheerder may not read signals, and a stored figure
    of own records is a raw count per buurt and month (also 1 to 4), so its value, rate
    and support are not shown here; the dashboards show them to whom may see them, with
    small counts hidden (decision 0026). Published statistics are shown."""

    list_display = ("indicator", "area_level", "area_code", "period_type", "period_start",
                    "shown_value", "computed_at")
    list_filter = ("indicator", "area_level", "period_type")
    search_fields = ("area_code",)
    fields = ("indicator", "area_level", "area_code", "period_type", "period_start",
              "shown_value", "source", "source_date", "computed_at", "is_synthetic")
    readonly_fields = fields

    @admin.display(description=_("waarde"))
    def shown_value(self, obj: IndicatorValue) -> object:
        return obj.value if _public(obj.indicator) else OWN_DATA_HIDDEN


class AlertReviewForm(forms.ModelForm):
    class Meta:
        model = Alert
        fields = ["status", "review_reason"]

    def clean(self):
        data = super().clean()
        if data.get("status") != "open" and not (data.get("review_reason") or "").strip():
            raise forms.ValidationError(_("Geef een reden bij het beoordelen."))
        return data


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    form = AlertReviewForm
    # Observed and expected counts, the test statistic and the sentence that names them
    # are figures of own records per buurt: not shown to the beheerder (decision 0026).
    # The dashboards and the API show them, suppressed, to whom may see them.
    list_display = ("indicator", "area_code", "period_start", "method", "status",
                    "reviewed_by")
    list_filter = ("status", "method", "indicator")
    fields = ("indicator", "area_level", "area_code", "period_type", "period_start",
              "method", "created_at", "status", "review_reason", "reviewed_by",
              "reviewed_at")
    readonly_fields = [f for f in fields if f not in ("status", "review_reason")]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # Humans decide: who reviewed the alert and when is recorded with the reason.
        obj.reviewed_by = request.user
        obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)
