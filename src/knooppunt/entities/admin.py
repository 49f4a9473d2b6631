"""Entities in the admin: only how many there are of each schema, read-only.

A beheerder reads no case content (decision 0027), and an entity's statements are
personal data, so neither values nor statements are shown here; entities are changed
through statements (`services`), never by hand.
"""

from django.contrib import admin

from .models import Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["id", "schema", "created_at"]
    list_filter = ["schema"]
    fields = ["id", "schema", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
