"""Delivery profiles are data a beheerder edits; deliveries are shown, never edited here."""

from django.contrib import admin

from .models import Delivery, DeliveryError, DeliveryProfile


@admin.register(DeliveryProfile)
class DeliveryProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "source_type", "default_theme",
                    "organisation_kind", "anonymous", "active"]
    list_editable = ["active"]
    search_fields = ["name", "code"]


class DeliveryErrorInline(admin.TabularInline):
    model = DeliveryError
    extra = 0
    can_delete = False
    # Cell values can be personal data; the admin shows no values, so it needs no log.
    # Those allowed read them on the delivery page, which writes the processing log.
    fields = ["line", "column", "reason"]
    readonly_fields = ["line", "column", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_at", "profile", "organisation", "status", "accepted",
                    "rejected", "duplicates"]
    list_filter = ["status", "profile"]
    inlines = [DeliveryErrorInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
