"""Code lists and datasets are data a beheerder edits; events themselves are not shown here
(a beheerder reads no police incidents, decision 0037)."""

from django.contrib import admin

from .models import CodeList, EventDataset, OffenceCode


class OffenceCodeInline(admin.TabularInline):
    model = OffenceCode
    extra = 0
    fields = ["code", "label", "label_en", "category"]


@admin.register(CodeList)
class CodeListAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "source"]
    search_fields = ["name", "code"]
    inlines = [OffenceCodeInline]


@admin.register(EventDataset)
class EventDatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organisation", "code_list", "crs", "country",
                    "confidentiality", "is_synthetic"]
    search_fields = ["name", "code"]
    def get_readonly_fields(self, request, obj=None):
        # A dataset keeps the profile it was made with (`events.datasets.ensure_dataset`).
        return ["profile"] if obj else []
