"""Five years of rural history for one municipality: buildings and findings.

Seed 001 (module 5) identifies vulnerable locations in the buitengebied "door het
combineren van data" over five years. The demo's regular signals cover fewer years and
their register holds only the addresses signals used, so the address density that defines
the buitengebied (CBS's omgevingsadressendichtheid, `analytics.vulnerability`) would be
meaningless. For the region's rural demo municipality (the largest by area that is not a
city) this module therefore adds:

* the addresses of its village cores, one per 2.2 inhabitants of each non-rural buurt
  (the Dutch average household), around the buurt's anchor, so villages are dense;
* farms, sheds and houses in the open countryside with building facts (use, floor area,
  vacancy), some with a company, a few with an energy anomaly;
* five years of drug findings at those buildings (labs via MMA tips, dumps found by the
  municipality, cannabis via the grid operator), drawn from a hidden rate that depends on
  the building facts and on a lasting per-building tendency, so a model has something to
  learn and the prior-count baseline something to find.

Its coordinator (`coordinator.<name>`, made with the other municipalities' coordinators by
`demo.users.build_municipal_coordinators`) works the list.

Its own random stream: the region's other signals and their figures are unchanged except
for these additions in this one municipality. The signals are ordinary drafts of
`demo.signals` (same history, same references scheme) placed at the buildings.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from knooppunt.geo.projection import rd_to_wgs84
from knooppunt.registers.models import Address, Company, EnergyAnomaly

from . import calibration as cal
from .places import CITY_POPULATION, POSTCODE_LETTERS, URBAN_SCATTER, MunicipalityPlaces

RURAL_YEARS = 5
BUILDINGS = 500  # at scale 1
PEOPLE_PER_ADDRESS = 2.2
# (theme, source, reporter key, share of findings)
FINDINGS = (("drugslab", "mma", cal.POLITIE, 0.35),
            ("drugsdump", "gemeente", cal.GEMEENTE, 0.4),
            ("hennepteelt", "netbeheerder", cal.NETBEHEERDER, 0.25))
STORAGE_USES = ("overige gebruiksfunctie", "industriefunctie")
VACANT = "Verblijfsobject buiten gebruik"
IN_USE = "Verblijfsobject in gebruik"
SOURCE_BAG = "Synthetisch adresregister (demo)"
SOURCE_KVK = "Synthetisch handelsregister (demo)"
SOURCE_ENERGY = "Netbeheerder (demo)"
RURAL_SBI = (("0141", "Fokken en houden van melkvee"),
             ("0146", "Fokken en houden van varkens"),
             ("6820", "Verhuur van en handel in eigen of geleasd onroerend goed"),
             ("4941", "Goederenvervoer over de weg"),
             ("5210", "Opslag"))


@dataclass
class Building:
    street: str
    number: int
    postcode: str
    x: float
    y: float
    neighbourhood_id: int | None
    usage: str
    floor_area: int
    vacant: bool
    company: bool
    tendency: float  # hidden, lasting: part of the rate no register shows

    @property
    def storage(self) -> bool:
        return self.usage in STORAGE_USES

    def rate(self) -> float:
        """Hidden expected findings per year."""
        return math.exp(-3.4 + 1.1 * self.storage + 0.9 * self.vacant
                        + 0.35 * math.log2(self.floor_area / 250) + 0.5 * self.company
                        + self.tendency)


@dataclass
class RuralPlan:
    municipality: object
    buildings: list[Building] = field(default_factory=list)
    with_findings: set[tuple[str, int]] = field(default_factory=set)


def rural_municipality(orgs, places: dict[int, MunicipalityPlaces]):
    """The largest municipality by area that is not a city, None if there is none."""
    candidates = [m for m in orgs.municipalities if m.population < CITY_POPULATION]
    if not candidates:
        return None
    return max(candidates, key=lambda m: (places[m.pk].geometry.area, m.code))


def draw(orgs, places: dict[int, MunicipalityPlaces], *, seed: int, scale: float,
         years: float, today: date, make_draft) -> tuple[list, RuralPlan | None]:
    """The rural municipality's findings as drafts (`make_draft(rng, place, theme_code,
    source_code, reporter_key, received_on)` builds one), and the plan of its buildings.

    Labs and dumps go back five years; the grid operator's cannabis findings only as far
    as the demo's own `years` (its deliveries start with the demo), so the yearly
    cannabis figures, on which the demo's targets rest, keep the demo's span."""
    municipality = rural_municipality(orgs, places)
    if municipality is None or scale <= 0:
        return [], None
    place = places[municipality.pk]
    rng = random.Random(f"{seed}:rural:{municipality.code}")
    plan = RuralPlan(municipality)
    plan.buildings = _buildings(rng, place, max(60, round(BUILDINGS * scale)))
    drafts = []
    start = today - timedelta(days=365 * RURAL_YEARS)
    grid_since = today - timedelta(days=round(365.25 * years))
    shares = [share for *_, share in FINDINGS]
    for building in plan.buildings:
        rate = building.rate()
        for year in range(RURAL_YEARS):
            for _ in range(_poisson(rng, rate)):
                theme, source, reporter, _share = rng.choices(FINDINGS, weights=shares)[0]
                received = start + timedelta(days=365 * year + rng.randrange(365))
                if received > today or (theme == "hennepteelt" and received < grid_since):
                    continue
                draft = make_draft(rng, place, theme, source, reporter, received)
                if draft is None:
                    continue
                _place_at(draft.signal, building, rng, place, outdoors=theme == "drugsdump")
                plan.with_findings.add((building.postcode, building.number))
                drafts.append(draft)
    return drafts, plan


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _buildings(rng: random.Random, place: MunicipalityPlaces, count: int) -> list[Building]:
    buildings, used = [], set()
    while len(buildings) < count:
        x, y, buurt = place.countryside(rng)
        street, offset = place._street(rng, buurt)
        number = rng.randint(1, 120)
        letters = POSTCODE_LETTERS[(offset + number // 24) % len(POSTCODE_LETTERS)]
        postcode = f"{buurt.postcode_number}{letters}"
        if (postcode, number) in used:
            continue
        used.add((postcode, number))
        usage = rng.choices(("woonfunctie", *STORAGE_USES), weights=(45, 35, 20))[0]
        living = usage == "woonfunctie"
        area = rng.randint(90, 260) if living else int(min(6000, rng.lognormvariate(6.2, 0.8)))
        buildings.append(Building(
            street=street, number=number, postcode=postcode, x=x, y=y,
            neighbourhood_id=buurt.pk, usage=usage, floor_area=max(area, 20),
            vacant=rng.random() < 0.1, company=rng.random() < (0.15 if living else 0.45),
            tendency=rng.gauss(0.0, 0.7)))
    return buildings


def _place_at(signal, building: Building, rng: random.Random, place: MunicipalityPlaces, *,
              outdoors: bool) -> None:
    """Put a drafted signal at the building (a dump lies up to 80 m away, inside the
    municipality)."""
    dx = rng.uniform(-80, 80) if outdoors else 0.0
    dy = rng.uniform(-80, 80) if outdoors else 0.0
    if not place.contains(building.x + dx, building.y + dy):
        dx = dy = 0.0
    signal.street, signal.house_number = building.street, building.number
    signal.house_letter = signal.house_number_addition = ""
    signal.postcode = building.postcode
    signal.neighbourhood_id = building.neighbourhood_id
    signal.x_rd, signal.y_rd = building.x + dx, building.y + dy
    latitude, longitude = rd_to_wgs84(signal.x_rd, signal.y_rd)
    signal.latitude, signal.longitude = round(latitude, 7), round(longitude, 7)


def finish(plan: RuralPlan | None, orgs, places: dict[int, MunicipalityPlaces], *, seed: int,
           today: date) -> dict[str, int]:
    """After the register is written: building facts, the other buildings, village cores,
    companies, energy anomalies and the coordinator account."""
    if plan is None:
        return {}
    rng = random.Random(f"{seed}:rural-register:{plan.municipality.code}")
    municipality = plan.municipality
    prefix = municipality.code[2:6]
    stored = {(a.postcode, a.house_number): a for a in Address.objects.filter(
        municipality=municipality, is_synthetic=True)}
    new: list[Address] = []
    number = 0
    for building in plan.buildings:
        address = stored.get((building.postcode, building.number))
        if address is not None:  # written by the register for its findings: set its facts
            address.usage, address.floor_area = building.usage, building.floor_area
            address.status = VACANT if building.vacant else IN_USE
            address.save(update_fields=["usage", "floor_area", "status"])
            continue
        number += 1
        new.append(_address(f"{prefix}21", number, building.street, building.number,
                            building.postcode, building.x, building.y,
                            building.neighbourhood_id, municipality, building.usage,
                            building.floor_area, building.vacant, rng, today))
    place = places[municipality.pk]
    cores = 0
    for buurt in place.buurten:
        if buurt.rural:
            continue
        street, offset = place._street(rng, buurt)
        for i in range(round(buurt.population / PEOPLE_PER_ADDRESS)):
            x, y = place.point_near(rng, buurt.x, buurt.y, URBAN_SCATTER)
            number += 1
            cores += 1
            house = 1000 + i  # far above the numbers the signals use: no clash
            letters = POSTCODE_LETTERS[(offset + house // 24) % len(POSTCODE_LETTERS)]
            new.append(_address(f"{prefix}22", number, street, house,
                                f"{buurt.postcode_number}{letters}", x, y, buurt.pk,
                                municipality, "woonfunctie", rng.randint(60, 180), False,
                                rng, today))
    Address.objects.bulk_create(new, batch_size=2000)
    by_key = {(a.postcode, a.house_number): a for a in Address.objects.filter(
        municipality=municipality, is_synthetic=True)}
    companies, anomalies = [], []
    start = today - timedelta(days=365 * RURAL_YEARS)
    for building in plan.buildings:
        address = by_key[(building.postcode, building.number)]
        if building.company:
            code, description = rng.choice(RURAL_SBI)
            companies.append(Company(
                kvk_number=f"9{rng.randrange(10**7):07d}",
                name=f"{building.street.split()[0]} {description.split()[0]} (demo)",
                sbi_code=code, sbi_description=description, address=address,
                registered_on=start - timedelta(days=rng.randint(30, 3650)),
                source=SOURCE_KVK, source_date=today.replace(day=1), is_synthetic=True))
        # The grid operator notices some buildings with a strong hidden tendency.
        if rng.random() < 0.08 * math.exp(building.tendency):
            reported = start + timedelta(days=rng.randrange(365 * RURAL_YEARS))
            end = reported - timedelta(days=20)
            expected = rng.randint(3000, 9000)
            anomalies.append(EnergyAnomaly(
                address=address, period_start=end - timedelta(days=365), period_end=end,
                expected_kwh=expected, measured_kwh=int(expected * rng.uniform(2.5, 6.0)),
                source=SOURCE_ENERGY, reported_on=min(reported, today), is_synthetic=True))
    Company.objects.bulk_create(companies, batch_size=1000)
    EnergyAnomaly.objects.bulk_create(anomalies, batch_size=1000)
    return {"municipality_id": municipality.pk,
            "buildings": len(plan.buildings), "buildings_added": len(new) - cores,
            "cores": cores, "companies": len(companies), "anomalies": len(anomalies)}


def _address(infix: str, serial: int, street: str, number: int, postcode: str, x: float,
             y: float, neighbourhood_id, municipality, usage: str, area: int, vacant: bool,
             rng: random.Random, today: date) -> Address:
    latitude, longitude = rd_to_wgs84(x, y)
    base = 9_000_000_000 + serial
    return Address(
        nummeraanduiding_id=f"{infix}{base}", street=street, house_number=number,
        postcode=postcode, city=municipality.name, x_rd=x, y_rd=y,
        latitude=round(latitude, 7), longitude=round(longitude, 7),
        municipality=municipality, neighbourhood_id=neighbourhood_id,
        verblijfsobject_id=f"{infix[:4]}01{base}", pand_id=f"{infix[:4]}10{base}",
        usage=usage, construction_year=int(min(max(rng.gauss(1965, 30), 1850), today.year - 1)),
        floor_area=area, status=VACANT if vacant else IN_USE, source=SOURCE_BAG,
        source_date=today.replace(day=1), is_synthetic=True)

