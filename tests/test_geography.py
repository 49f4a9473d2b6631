"""The real 2024 geography: counts, composition of regions, projections, point lookup."""

from __future__ import annotations

import pytest
from django.db.models import Count, Sum

from knooppunt.geo import lookup
from knooppunt.geo.loading import GeographyError, load_geography, packaged_data_dir
from knooppunt.geo.models import (
    District,
    Municipality,
    Neighbourhood,
    PoliceUnit,
    Province,
    SafetyRegion,
)
from knooppunt.geo.projection import rd_to_wgs84, wgs84_to_rd

pytestmark = pytest.mark.django_db

TWENTE = {
    "Almelo", "Borne", "Dinkelland", "Enschede", "Haaksbergen", "Hellendoorn", "Hengelo (O.)",
    "Hof van Twente", "Losser", "Oldenzaal", "Rijssen-Holten", "Tubbergen", "Twenterand",
    "Wierden",
}


def test_counts_match_the_2024_division():
    assert Municipality.objects.count() == 342
    assert SafetyRegion.objects.count() == 25
    assert Province.objects.count() == 12
    assert PoliceUnit.objects.count() == 10
    assert Neighbourhood.objects.count() == 14574
    assert District.objects.count() > 3000


def test_population_and_crime_totals_match_the_sources():
    totals = Municipality.objects.aggregate(p=Sum("population"), c=Sum("registered_crime_2023"))
    assert totals == {"p": 17_942_915, "c": 625_202}
    amsterdam = Municipality.objects.get(code="GM0363")
    assert amsterdam.population == 931_300
    assert amsterdam.crime_per_1000 == 74.3
    # Buurt populations add up to the municipality (CBS rounds buurten to multiples of 5).
    buurt_sum = Neighbourhood.objects.filter(municipality=amsterdam).aggregate(s=Sum("population"))
    assert buurt_sum["s"] == amsterdam.population


def test_official_names_come_from_the_boundaries():
    assert Municipality.objects.get(code="GM1970").name == "Noardeast-Fryslân"
    assert Municipality.objects.get(code="GM0820").name == "Nuenen, Gerwen en Nederwetten"


def test_twente_is_the_fourteen_municipalities_of_vr05():
    twente = SafetyRegion.objects.get(code="VR05")
    assert set(twente.municipalities.values_list("name", flat=True)) == TWENTE
    assert twente.police_unit.code == "PE02"
    assert twente.police_unit.name == "Oost-Nederland"


def test_every_municipality_has_a_region_province_and_unit():
    assert not Municipality.objects.filter(safety_region__isnull=True).exists()
    assert not Municipality.objects.filter(province__isnull=True).exists()
    per_region = dict(
        SafetyRegion.objects.annotate(n=Count("municipalities")).values_list("code", "n")
    )
    assert sum(per_region.values()) == 342
    assert min(per_region.values()) >= 6  # Amsterdam-Amstelland, Flevoland, Gooi: 6 each
    oost = PoliceUnit.objects.get(code="PE02")
    assert sorted(oost.safety_regions.values_list("code", flat=True)) == [
        "VR04", "VR05", "VR06", "VR07", "VR08"
    ]


@pytest.mark.parametrize(
    ("code", "province"),
    [("GM0153", "Overijssel"), ("GM0363", "Noord-Holland"), ("GM0080", "Fryslân"),
     ("GM0935", "Limburg"), ("GM0034", "Flevoland")],
)
def test_province_derived_from_boundaries(code, province):
    assert Municipality.objects.get(code=code).province.name == province


def test_loading_twice_changes_nothing():
    before = (Municipality.objects.count(), Neighbourhood.objects.count(),
              list(Municipality.objects.order_by("code").values_list("pk", "safety_region_id")))
    result = load_geography()
    after = (Municipality.objects.count(), Neighbourhood.objects.count(),
             list(Municipality.objects.order_by("code").values_list("pk", "safety_region_id")))
    assert before == after
    assert result.municipalities == 342


def test_missing_source_files_are_refused(tmp_path):
    with pytest.raises(GeographyError, match="ontbreken"):
        load_geography(tmp_path)
    assert (packaged_data_dir() / "gemeente_2024.topojson").exists()


def test_rd_new_to_wgs84_at_the_amersfoort_reference_point():
    lat, lon = rd_to_wgs84(155_000, 463_000)
    assert lat == pytest.approx(52.15517, abs=1e-4)
    assert lon == pytest.approx(5.38721, abs=1e-4)
    x, y = wgs84_to_rd(lat, lon)
    assert x == pytest.approx(155_000, abs=0.5)
    assert y == pytest.approx(463_000, abs=0.5)


def test_point_lookup_finds_the_municipality():
    x, y = wgs84_to_rd(52.2215, 6.8937)  # Enschede centre
    assert lookup.municipality_at(x, y).code == "GM0153"
    x, y = wgs84_to_rd(52.3731, 4.8922)  # Amsterdam, Dam
    assert lookup.municipality_at(x, y).code == "GM0363"
    x, y = wgs84_to_rd(52.6, 3.5)  # North Sea
    assert lookup.municipality_at(x, y) is None
    assert lookup.municipality_at(-50_000, 100_000) is None
