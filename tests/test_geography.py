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


# ---------------------------------------------------------------- wijken (decision 0035)


def test_the_3393_wijken_have_names_and_valid_boundaries():
    from shapely.geometry import shape

    assert District.objects.count() == 3393
    assert not District.objects.filter(name="").exists()
    assert not District.objects.filter(boundary__isnull=True).exists()
    assert not District.objects.filter(name__in=["Groot water", "Buitenland"]).exists()
    invalid = [code for code, boundary in District.objects.values_list("code", "boundary")
               if not shape(boundary).is_valid or shape(boundary).is_empty]
    assert invalid == []
    enschede = District.objects.get(code="WK015300")
    assert enschede.name == "Wijk 00 Binnensingelgebied"
    assert shape(enschede.boundary).area / 1e6 == pytest.approx(4.2, abs=0.1)
    # The 12 wijken whose simplified outline was invalid in the source are repaired.
    repaired = District.objects.filter(code__in=["WK009305", "WK016600", "WK040605",
                                                 "WK191117", "WK193031"])
    assert all(shape(b).is_valid and shape(b).area > 0
               for b in repaired.values_list("boundary", flat=True))


def test_every_wijk_lies_within_its_municipality_bbox():
    """The wijk outlines are detailed and include coastal and lake water; the municipal ones
    are generalised and leave more water out (Harlingen's wijk 00 reaches 14 km into the
    Waddenzee). So: nearly all within 1 km, every one within 15 km; a wijk put in the wrong
    municipality would be off by far more."""

    def overshoot(d):
        m = d.municipality
        return max(m.min_x - d.min_x, m.min_y - d.min_y, d.max_x - m.max_x, d.max_y - m.max_y)

    overshoots = [overshoot(d) for d in District.objects.select_related("municipality")]
    assert max(overshoots) < 15_000
    assert sum(o > 1_000 for o in overshoots) < 0.01 * len(overshoots)
    # and the bbox fields hold the boundary's own box
    from shapely.geometry import shape

    d = District.objects.get(code="WK015300")
    assert shape(d.boundary).bounds == (d.min_x, d.min_y, d.max_x, d.max_y)


def test_wijk_file_is_the_documented_copy():
    import hashlib

    data = (packaged_data_dir() / "wijk_2024.geojson").read_bytes()
    assert hashlib.sha256(data).hexdigest() == (
        "475cde506f94f4438875ef3bb1540411280e7de2a8bae7ac50f429a783222379")


def test_water_and_abroad_are_recognised_by_name_or_municipality_only():
    from knooppunt.geo.wijken import is_wijk

    assert not is_wijk({"wijkcode": "WK003499", "wijknaam": "Groot water",
                        "gemeentecode": "GM0034"})
    assert not is_wijk({"wijkcode": "WK099899", "wijknaam": "Buitenland",
                        "gemeentecode": "GM0998"})
    # A real wijk whose code ends in 99, like the water features.
    assert is_wijk({"wijkcode": "WK010699", "wijknaam": "Buitengebied",
                    "gemeentecode": "GM0106"})
    assert District.objects.filter(code__in=["WK010699", "WK168199"]).count() == 2


def test_wijk_file_naming_other_wijken_than_the_buurten_is_refused(tmp_path):
    import json
    import shutil

    for name in ("gemeente_2024.topojson", "veiligheidsregio_2024.topojson",
                 "provincie_2024.topojson", "gemeenten_2024_bevolking2024_misdrijven2023.csv",
                 "buurten_2024_bevolking_85984NED.csv"):
        shutil.copy(packaged_data_dir() / name, tmp_path / name)
    collection = json.loads((packaged_data_dir() / "wijk_2024.geojson").read_text("utf-8"))
    collection["features"] = [f for f in collection["features"]
                              if f["properties"]["wijkcode"] != "WK015300"]
    (tmp_path / "wijk_2024.geojson").write_text(json.dumps(collection), "utf-8")
    name_before = District.objects.get(code="WK015301").name
    with pytest.raises(GeographyError, match="WK015300"):
        load_geography(tmp_path)
    assert District.objects.get(code="WK015301").name == name_before
