"""Loading the real 2024 geography: provinces, safety regions, police units,
municipalities, wijken (with names and boundaries, see `wijken`) and buurten, with
population and registered crime.

Idempotent (upserts on code) and fast: one bulk statement per table. Which municipality
lies in which safety region and province is derived from the boundaries (the regions are
unions of municipalities), and cross-checked against the province in the CBS table.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal
from shapely.geometry import shape
from shapely.strtree import STRtree

from .models import District, Municipality, Neighbourhood, PoliceUnit, Province, SafetyRegion
from .police_units import POLICE_UNITS
from .topojson import features
from .wijken import WIJK_FILE, WijkBoundary, read_wijken

MUNICIPALITY_FILE = "gemeenten_2024_bevolking2024_misdrijven2023.csv"
NEIGHBOURHOOD_FILE = "buurten_2024_bevolking_85984NED.csv"
REQUIRED_FILES = (
    "gemeente_2024.topojson",
    "veiligheidsregio_2024.topojson",
    "provincie_2024.topojson",
    MUNICIPALITY_FILE,
    NEIGHBOURHOOD_FILE,
    WIJK_FILE,
)


# Sent after a load is committed: caches of names or boundaries elsewhere forget them.
geography_loaded = Signal()


class GeographyError(Exception):
    """The source data is missing or inconsistent."""


@dataclass
class LoadResult:
    provinces: int
    safety_regions: int
    police_units: int
    municipalities: int
    districts: int
    neighbourhoods: int


def packaged_data_dir() -> Path:
    return Path(str(resources.files("knooppunt.geo") / "data"))


def _read_topology(directory: Path, name: str) -> list[dict]:
    path = directory / f"{name}.topojson"
    with path.open(encoding="utf-8") as handle:
        return list(features(json.load(handle), name))


def _bbox_fields(geometry) -> dict[str, float]:
    min_x, min_y, max_x, max_y = geometry.bounds
    return {"min_x": min_x, "min_y": min_y, "max_x": max_x, "max_y": max_y}


def _rounded(geojson: dict) -> dict:
    """Coordinates to whole metres: the source is quantised to metres anyway."""

    def walk(value):
        if isinstance(value, list) and value and isinstance(value[0], int | float):
            return [round(v) for v in value]
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return {"type": geojson["type"], "coordinates": walk(geojson["coordinates"])}


def _containing(index: STRtree, codes: list[str], geometries: list, geometry) -> str:
    """The code of the area that holds most of `geometry`."""
    point = geometry.representative_point()
    for i in index.query(point, predicate="within"):
        return codes[i]
    best, best_area = None, 0.0
    for i in index.query(geometry):
        area = geometries[i].intersection(geometry).area
        if area > best_area:
            best, best_area = codes[i], area
    if best is None:
        raise GeographyError(f"geen omvattend gebied gevonden voor {geometry.bounds}")
    return best


def _upsert(model, rows: Iterable[dict], fields: list[str]) -> int:
    objects = [model(**row) for row in rows]
    model.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=fields,
        batch_size=2000,
    )
    return len(objects)


@transaction.atomic
def load_geography(source: Path | None = None) -> LoadResult:
    directory = Path(source) if source else packaged_data_dir()
    missing = [name for name in REQUIRED_FILES if not (directory / name).exists()]
    if missing:
        raise GeographyError(f"bestanden ontbreken in {directory}: {', '.join(missing)}")

    area_fields = ["name", "boundary", "min_x", "min_y", "max_x", "max_y"]

    # Police units: their boundary is the union of their safety regions (set below).
    _upsert(
        PoliceUnit,
        ({"code": code, "name": name, "riec_name": riec} for code, name, riec, _ in POLICE_UNITS),
        ["name", "riec_name"],
    )
    units = {u.code: u for u in PoliceUnit.objects.all()}
    unit_of_region = {vr: units[code] for code, _, _, regions in POLICE_UNITS for vr in regions}

    province_features = _read_topology(directory, "provincie_2024")
    province_shapes = [shape(f["geometry"]) for f in province_features]
    _upsert(
        Province,
        (
            {"code": f["properties"]["statcode"], "name": f["properties"]["statnaam"],
             "boundary": _rounded(f["geometry"]), **_bbox_fields(g)}
            for f, g in zip(province_features, province_shapes, strict=True)
        ),
        area_fields,
    )

    region_features = _read_topology(directory, "veiligheidsregio_2024")
    region_shapes = [shape(f["geometry"]) for f in region_features]
    region_codes = [f["properties"]["statcode"] for f in region_features]
    unknown = set(region_codes) - set(unit_of_region)
    if unknown:
        raise GeographyError(f"veiligheidsregio's zonder politie-eenheid: {sorted(unknown)}")
    _upsert(
        SafetyRegion,
        (
            {"code": f["properties"]["statcode"], "name": f["properties"]["statnaam"],
             "boundary": _rounded(f["geometry"]), "police_unit": unit_of_region[code],
             **_bbox_fields(g)}
            for f, g, code in zip(region_features, region_shapes, region_codes, strict=True)
        ),
        [*area_fields, "police_unit"],
    )
    from shapely import union_all

    for code, _, _, regions in POLICE_UNITS:
        merged = union_all([g for g, c in zip(region_shapes, region_codes, strict=True)
                            if c in regions])
        PoliceUnit.objects.filter(code=code).update(
            boundary=_rounded(merged.__geo_interface__), **_bbox_fields(merged)
        )

    stats = _read_municipality_table(directory / MUNICIPALITY_FILE)
    municipality_features = _read_topology(directory, "gemeente_2024")
    province_index = STRtree(province_shapes)
    province_codes = [f["properties"]["statcode"] for f in province_features]
    province_names = {f["properties"]["statcode"]: f["properties"]["statnaam"]
                      for f in province_features}
    region_index = STRtree(region_shapes)
    provinces = {p.code: p for p in Province.objects.all()}
    regions = {r.code: r for r in SafetyRegion.objects.all()}
    rows = []
    for feature in municipality_features:
        props = feature["properties"]
        code = props["statcode"]
        if code not in stats:
            raise GeographyError(f"{code} staat niet in {MUNICIPALITY_FILE}")
        geometry = shape(feature["geometry"])
        province_code = _containing(province_index, province_codes, province_shapes, geometry)
        expected = stats[code]["provincie"]
        if _normalise_province(province_names[province_code]) != _normalise_province(expected):
            raise GeographyError(
                f"{code}: provincie uit grenzen ({province_names[province_code]}) wijkt af "
                f"van CBS-tabel ({expected})"
            )
        region_code = _containing(region_index, region_codes, region_shapes, geometry)
        rows.append(
            {
                "code": code,
                "name": props["statnaam"],  # the official name; the CSV strips commas
                "boundary": _rounded(feature["geometry"]),
                "population": stats[code]["bevolking"],
                "registered_crime_2023": stats[code]["misdaad"],
                "neighbourhood_count": stats[code]["buurten"],
                "province": provinces[province_code],
                "safety_region": regions[region_code],
                **_bbox_fields(geometry),
            }
        )
    if len(rows) != len(stats):
        raise GeographyError(
            f"{len(rows)} gemeentegrenzen tegenover {len(stats)} regels in {MUNICIPALITY_FILE}"
        )
    _upsert(
        Municipality,
        rows,
        [*area_fields, "population", "registered_crime_2023", "neighbourhood_count",
         "province", "safety_region"],
    )

    wijken = {w.code: w for w in read_wijken(directory / WIJK_FILE)}
    districts, neighbourhoods = _load_neighbourhoods(directory / NEIGHBOURHOOD_FILE, wijken)
    from . import boundaries, lookup

    transaction.on_commit(lookup.clear_cache)
    transaction.on_commit(boundaries.clear_cache)
    transaction.on_commit(lambda: geography_loaded.send(sender=load_geography))
    return LoadResult(
        provinces=len(province_features),
        safety_regions=len(region_features),
        police_units=len(POLICE_UNITS),
        municipalities=len(rows),
        districts=districts,
        neighbourhoods=neighbourhoods,
    )


def _normalise_province(name: str) -> str:
    return {"Friesland": "Fryslân"}.get(name, name)


def _read_municipality_table(path: Path) -> dict[str, dict]:
    stats = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = "GM" + row["nummer"].zfill(4)
            stats[code] = {
                "bevolking": int(row["bevolking"]),
                "misdaad": int(row["misdaad"]),
                "buurten": int(row["buurten"]),
                "provincie": row["provincie"],
            }
    return stats


def _district_rows(district_population: dict[str, int], wijken: dict[str, WijkBoundary],
                   municipalities: dict[str, int]) -> Iterable[dict]:
    """The wijken of the buurt table with the name and boundary of the wijk file; both
    files must name the same wijken in the same municipalities."""
    extra, missing = set(wijken) - set(district_population), set(district_population) - set(wijken)
    if extra or missing:
        raise GeographyError(
            f"{WIJK_FILE} en {NEIGHBOURHOOD_FILE} noemen andere wijken: alleen in de grenzen "
            f"{sorted(extra)[:5]}, alleen in de buurten {sorted(missing)[:5]}")
    for code, population in district_population.items():
        wijk = wijken[code]
        if wijk.municipality_code != "GM" + code[2:6]:
            raise GeographyError(f"{code}: gemeente {wijk.municipality_code} in {WIJK_FILE}")
        yield {"code": code, "population": population, "name": wijk.name,
               "municipality_id": municipalities["GM" + code[2:6]],
               "boundary": _rounded(wijk.geometry.__geo_interface__),
               **_bbox_fields(wijk.geometry)}


def _load_neighbourhoods(path: Path, wijken: dict[str, WijkBoundary]) -> tuple[int, int]:
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    district_population: dict[str, int] = {}
    buurten: list[tuple[str, str, int]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["nhood_id"].strip()
            district_code = "WK" + code[2:8]
            population = int(row["population"])
            district_population[district_code] = (
                district_population.get(district_code, 0) + population
            )
            buurten.append((code, district_code, population))
    _upsert(
        District,
        _district_rows(district_population, wijken, municipalities),
        ["population", "municipality", "name", "boundary", "min_x", "min_y", "max_x", "max_y"],
    )
    districts = dict(District.objects.values_list("code", "pk"))
    _upsert(
        Neighbourhood,
        (
            {"code": code, "population": population, "district_id": districts[district_code],
             "municipality_id": municipalities["GM" + code[2:6]]}
            for code, district_code, population in buurten
        ),
        ["population", "district", "municipality"],
    )
    return len(district_population), len(buurten)

