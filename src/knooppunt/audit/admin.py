"""The processing log in the admin: readable and searchable, never editable."""

from django.contrib import admin

from .models import ProcessingLogEntry


@admin.register(ProcessingLogEntry)
class ProcessingLogEntryAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "username", "organisation", "channel", "action",
                    "object_type", "object_id", "object_count", "purpose", "outcome"]
    list_filter = ["action", "channel", "outcome", "object_type"]
    search_fields = ["username", "organisation", "object_id", "trace_id", "purpose"]
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
