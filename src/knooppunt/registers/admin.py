from django.contrib import admin

from .models import Address, Company, EnergyAnomaly


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("nummeraanduiding_id", "street", "house_number", "postcode", "city",
                    "usage", "construction_year")
    search_fields = ("nummeraanduiding_id", "postcode", "street")
    list_filter = ("is_synthetic",)
    raw_id_fields = ("municipality", "district", "neighbourhood")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("kvk_number", "name", "sbi_code", "registered_on")
    search_fields = ("kvk_number", "name")
    raw_id_fields = ("address",)


@admin.register(EnergyAnomaly)
class EnergyAnomalyAdmin(admin.ModelAdmin):
    list_display = ("address", "period_start", "period_end", "expected_kwh", "measured_kwh")
    raw_id_fields = ("address",)
