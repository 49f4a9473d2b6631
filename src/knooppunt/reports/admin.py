"""Generated reports in the admin: read-only (the rows are append-only)."""

from django.contrib import admin

from .models import GeneratedReport


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ("kind", "subject_name", "subject_code", "period", "generated_by_name",
                    "generated_at", "page_count")
    list_filter = ("kind", "audience")
    search_fields = ("subject_code", "subject_name", "generated_by_name")
    exclude = ("html", "pdf")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
