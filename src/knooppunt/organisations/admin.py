"""Functional management (beheer): organisations, members and roles, covenants, API keys.

Signals are deliberately not in the admin: all access to them goes through `scope`.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Covenant, Membership, Organisation, hash_token


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    inlines = [MembershipInline]


@admin.register(Covenant)
class CovenantAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_basis", "max_confidentiality", "valid_from", "valid_until"]
    filter_horizontal = ["parties", "themes"]
    search_fields = ["name", "legal_basis"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["name", "user", "revoked", "prefix", "created_at", "last_used_at"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if not change:
            import secrets

            raw = secrets.token_urlsafe(32)
            obj.key_hash = hash_token(raw)
            obj.prefix = raw[:8]
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                _("Nieuwe API-sleutel (wordt maar één keer getoond): %(key)s") % {"key": raw},
            )
            return
        super().save_model(request, obj, form, change)
