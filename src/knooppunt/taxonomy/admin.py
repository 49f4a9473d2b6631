from django.contrib import admin

from .models import SourceType, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "name_en", "active", "order"]
    list_editable = ["active", "order"]


@admin.register(SourceType)
class SourceTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "anonymous_by_default", "active", "order"]
    list_editable = ["active", "order"]
