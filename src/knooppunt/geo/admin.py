"""Geography is loaded by `knooppunt load_geography`; the admin only shows it."""

from django.contrib import admin

from .models import Municipality, PoliceUnit, Province, SafetyRegion


class ReadOnlyAdmin(admin.ModelAdmin):
    exclude = ["boundary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "population", "registered_crime_2023", "safety_region",
                    "province"]
    list_filter = ["province", "safety_region"]
    search_fields = ["code", "name"]


@admin.register(SafetyRegion)
class SafetyRegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "police_unit"]


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(PoliceUnit)
class PoliceUnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "riec_name"]
