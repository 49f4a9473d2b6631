"""A synthetic settlement pattern inside each real municipal boundary.

The open data give every municipality's boundary and every buurt's population, but no
buurt boundaries, streets or postcodes. So the demo places each buurt at a made-up anchor
point: the most populous wijk at the municipality's centre, the other wijken around it
(close together in a city, as separate villages elsewhere), and thinly populated buurten
out in the buitengebied. Signals are drawn around these anchors (home addresses), in the
open countryside, or around a few hotspots, always by rejection sampling inside the real
boundary. A point away from the anchors belongs to the nearest anchor's buurt, so point,
buurt and address agree with each other.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace

import shapely
from shapely.geometry import shape

from knooppunt.geo.models import Municipality, Neighbourhood

from . import calibration as cal
from . import texts

# A municipality this large is treated as one city; smaller ones as a cluster of villages.
CITY_POPULATION = 60_000
# Buurten with fewer inhabitants are taken to be rural (scattered houses, farms).
RURAL_BUURT_POPULATION = 250
# Scatter of addresses around a buurt anchor, in metres.
URBAN_SCATTER = 220.0
RURAL_SCATTER = 900.0

# Postcode letters: PostNL does not issue SA, SD and SS; F, I, O, Q, U and Y are not used.
_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
POSTCODE_LETTERS = [a + b for a in _LETTERS for b in _LETTERS if a + b not in {"SA", "SD", "SS"}]


@dataclass(frozen=True)
class Address:
    street: str
    house_number: int | None
    house_letter: str
    house_number_addition: str
    postcode: str
    x: float
    y: float
    neighbourhood_id: int | None
    repeat: bool = False  # an earlier synthetic signal used this address


@dataclass
class Buurt:
    pk: int | None
    population: int
    x: float
    y: float
    rural: bool
    postcode_number: int
    streets: list[tuple[str, int]] = field(default_factory=list)  # (name, letter offset)
    addresses: list[Address] = field(default_factory=list)


class MunicipalityPlaces:
    """Anchors, hotspots and an address book for one municipality."""

    def __init__(
        self,
        municipality: Municipality,
        neighbourhoods: list[dict],
        postcode_numbers: list[int],
        rng: random.Random,
    ) -> None:
        self.municipality = municipality
        self.geometry = shape(municipality.boundary)
        shapely.prepare(self.geometry)
        self.bounds = self.geometry.bounds
        self.radius = math.sqrt(self.geometry.area / math.pi)
        centre = self.geometry.centroid
        if not self.contains(centre.x, centre.y):
            centre = self.geometry.representative_point()
        self.core = (centre.x, centre.y)
        self.is_city = municipality.population >= CITY_POPULATION
        self._used_streets: set[str] = set()
        self.buurten = self._place_buurten(neighbourhoods, postcode_numbers, rng)
        self._weights = _cumulative([max(b.population, 1) for b in self.buurten])
        self._anchor_x = [b.x for b in self.buurten]
        self._anchor_y = [b.y for b in self.buurten]
        self.hotspots = self._place_hotspots(rng)

    # --- geometry ------------------------------------------------------------------------

    def contains(self, x: float, y: float) -> bool:
        return bool(shapely.contains_xy(self.geometry, x, y))

    def uniform_point(self, rng: random.Random) -> tuple[float, float]:
        min_x, min_y, max_x, max_y = self.bounds
        for _ in range(100_000):
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if self.contains(x, y):
                return x, y
        raise RuntimeError(f"geen punt gevonden binnen {self.municipality.name}")

    def point_near(
        self, rng: random.Random, x0: float, y0: float, sd: float
    ) -> tuple[float, float]:
        """A point drawn from a normal distribution around (x0, y0), inside the boundary."""
        for _ in range(60):
            x, y = rng.gauss(x0, sd), rng.gauss(y0, sd)
            if self.contains(x, y):
                return x, y
        return self.uniform_point(rng)

    def point_at_distance(self, rng: random.Random, low: float, high: float) -> tuple[float, float]:
        """A point between `low` and `high` metres from the municipality's centre."""
        cx, cy = self.core
        for _ in range(200):
            angle, r = rng.uniform(0, 2 * math.pi), rng.uniform(low, high)
            x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
            if self.contains(x, y):
                return x, y
        return self.uniform_point(rng)

    # --- the synthetic settlement --------------------------------------------------------

    def _place_buurten(
        self, neighbourhoods: list[dict], postcode_numbers: list[int], rng: random.Random
    ) -> list[Buurt]:
        if not neighbourhoods:
            # No buurten known: one pseudo-buurt at the centre keeps sampling possible.
            x, y = self.core
            return [Buurt(None, self.municipality.population, x, y, False, postcode_numbers[0])]
        by_district: dict[int, list[dict]] = defaultdict(list)
        for row in neighbourhoods:
            by_district[row["district_id"]].append(row)
        districts = sorted(
            by_district.values(), key=lambda rows: (-sum(r["population"] for r in rows),
                                                     rows[0]["code"])
        )
        low, high = (0.08, 0.4) if self.is_city else (0.25, 0.75)
        placed: dict[str, tuple[float, float, bool]] = {}
        for index, rows in enumerate(districts):
            if index == 0:
                centre = self.core
            else:
                centre = self.point_at_distance(rng, low * self.radius, high * self.radius)
            population = sum(r["population"] for r in rows)
            # Roughly the radius of a Dutch town of this size.
            spread = min(max(250.0 * math.sqrt(population / 1000), 300.0), 0.25 * self.radius)
            for row in rows:
                if row["population"] < RURAL_BUURT_POPULATION:
                    x, y = self.point_at_distance(rng, 0.35 * self.radius, 1.2 * self.radius)
                    placed[row["code"]] = (x, y, True)
                else:
                    x, y = self.point_near(rng, *centre, spread)
                    placed[row["code"]] = (x, y, False)
        ordered = sorted(neighbourhoods, key=lambda r: r["code"])
        buurten = []
        for i, row in enumerate(ordered):
            x, y, rural = placed[row["code"]]
            number = postcode_numbers[i * len(postcode_numbers) // len(ordered)]
            buurten.append(Buurt(row["pk"], row["population"], x, y, rural, number))
        return buurten

    def _place_hotspots(self, rng: random.Random) -> dict[str, list[tuple[float, float, float]]]:
        r = self.radius
        rural = [(*self.point_at_distance(rng, 0.4 * r, 1.0 * r), 700.0)
                 for _ in range(1 + (r > 4000) + (r > 7000))]
        industrial = [(*self.point_at_distance(rng, 0.2 * r, 0.5 * r), 350.0)
                      for _ in range(1 + self.is_city)]
        dense = sorted((b for b in self.buurten if not b.rural), key=lambda b: -b.population)
        top = dense[: max(1, len(dense) // 4)] or self.buurten
        urban = [(b.x, b.y, 250.0) for b in rng.sample(top, min(2, len(top)))]
        return {"rural": rural, "industrial": industrial, "urban": urban}

    def nearest_buurt(self, x: float, y: float) -> Buurt:
        best, best_d = 0, float("inf")
        for i, (bx, by) in enumerate(zip(self._anchor_x, self._anchor_y, strict=True)):
            d = (bx - x) ** 2 + (by - y) ** 2
            if d < best_d:
                best, best_d = i, d
        return self.buurten[best]

    # --- sampling ------------------------------------------------------------------------

    def home(self, rng: random.Random) -> tuple[float, float, Buurt]:
        """A home address: a buurt chosen by population, a point near its anchor."""
        buurt = rng.choices(self.buurten, cum_weights=self._weights)[0]
        sd = RURAL_SCATTER if buurt.rural else URBAN_SCATTER
        x, y = self.point_near(rng, buurt.x, buurt.y, sd)
        return x, y, buurt

    def countryside(self, rng: random.Random) -> tuple[float, float, Buurt]:
        """A point in the open area, more likely the further from the centre."""
        cx, cy = self.core
        for _ in range(500):
            x, y = self.uniform_point(rng)
            if rng.random() < min(1.0, math.hypot(x - cx, y - cy) / (0.6 * self.radius)):
                break
        return x, y, self.nearest_buurt(x, y)

    def hotspot(self, rng: random.Random, kind: str) -> tuple[float, float, Buurt]:
        hx, hy, sd = rng.choice(self.hotspots[kind])
        x, y = self.point_near(rng, hx, hy, sd)
        return x, y, self.nearest_buurt(x, y)

    def address(
        self, rng: random.Random, buurt: Buurt, x: float, y: float, *, numbered: bool = True
    ) -> Address:
        """A synthetic address at (x, y); sometimes an address used before in this buurt."""
        if numbered and buurt.addresses and rng.random() < cal.REPEAT_ADDRESS:
            return replace(rng.choice(buurt.addresses), repeat=True)
        street, offset = self._street(rng, buurt)
        if not numbered:
            return Address(street, None, "", "", "", x, y, buurt.pk)
        if buurt.rural:
            number = rng.randint(1, 80) * rng.choice((1, 1, 2))
        else:
            number = min(1 + int(rng.expovariate(1 / 35)), 350)
        letter = rng.choice("ABC") if rng.random() < 0.05 else ""
        addition = rng.choice(("1", "2", "3")) if not buurt.rural and rng.random() < 0.04 else ""
        letters = POSTCODE_LETTERS[(offset + number // 24) % len(POSTCODE_LETTERS)]
        address = Address(street, number, letter, addition, f"{buurt.postcode_number}{letters}",
                          x, y, buurt.pk)
        buurt.addresses.append(address)
        return address

    def _street(self, rng: random.Random, buurt: Buurt) -> tuple[str, int]:
        if not buurt.streets:
            for _ in range(rng.randint(2, 4) if buurt.rural else rng.randint(3, 8)):
                for _attempt in range(30):
                    name = texts.street_name(rng, buurt.rural)
                    if name not in self._used_streets:
                        break
                self._used_streets.add(name)
                buurt.streets.append((name, rng.randrange(len(POSTCODE_LETTERS))))
        return rng.choice(buurt.streets)


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def allocate_postcodes(region_code: str, municipalities: list[Municipality],
                       buurt_counts: dict[int, int]) -> dict[int, list[int]]:
    """Contiguous four-digit postcode numbers per municipality, west to east.

    Each municipality gets a block in proportion to its number of buurten (at least one
    number), taken from the region's real postcode areas (e.g. Twente 7410-7699).
    """
    areas = cal.POSTCODE_AREAS.get(region_code) or tuple(range(10, 100))
    available = [area * 100 + n for area in areas for n in range(10, 100)]
    ordered = sorted(municipalities, key=lambda m: ((m.min_x or 0) + (m.max_x or 0), m.code))
    total = sum(max(buurt_counts.get(m.pk, 0), 1) for m in ordered)
    quotas = {m.pk: max(1, len(available) * max(buurt_counts.get(m.pk, 0), 1) // total)
              for m in ordered}
    while sum(quotas.values()) > len(available):
        largest = max(quotas, key=quotas.get)
        quotas[largest] -= 1
    result, start = {}, 0
    for m in ordered:
        result[m.pk] = available[start:start + quotas[m.pk]]
        start += quotas[m.pk]
    return result


def build_places(region_code: str, municipalities: list[Municipality],
                 seed: int) -> dict[int, MunicipalityPlaces]:
    """The settlement pattern of every municipality of a region, by municipality pk.

    Each municipality has its own random stream, so its anchors do not change when the
    number of signals does.
    """
    rows: dict[int, list[dict]] = defaultdict(list)
    for row in Neighbourhood.objects.filter(municipality__in=municipalities).values(
        "pk", "code", "population", "district_id", "municipality_id"
    ):
        rows[row["municipality_id"]].append(row)
    postcodes = allocate_postcodes(
        region_code, municipalities, {pk: len(r) for pk, r in rows.items()}
    )
    return {
        m.pk: MunicipalityPlaces(
            m, rows.get(m.pk, []), postcodes[m.pk], random.Random(f"{seed}:places:{m.code}")
        )
        for m in municipalities
    }
