"""Demo police incidents: a synthetic dataset of the region's police unit, delivered as a
file through its events profile, so the map, hotspots and area scans have events.

Events lie near the demo register's addresses (within ~40 m), in proportion to each
municipality's population, over the demo's years. Codes follow a plausible mix of the
police classes (`codes.POLITIE_NL`: much theft, assault and nuisance, little violence), and
a few streets per large municipality get a cluster of drug trafficking and drug nuisance,
so a hotspot analysis has something to find. Safe to run again: the earlier synthetic
delivery (and so its events) is replaced.
"""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import date, timedelta

import numpy as np
from django.utils import timezone

from knooppunt.intake.models import Delivery
from knooppunt.intake.submit import submit
from knooppunt.organisations.models import Membership
from knooppunt.organisations.scope import CREATE_ROLES

from .datasets import DatasetSpec, ensure_dataset
from .models import EventDataset
from .placing import MunicipalityPlacer, project

# Events per 1,000 inhabitants per year (registered crimes in the Netherlands are ~45; the
# demo keeps a fifth of that so it builds quickly).
RATE = 9.0
MIX: list[tuple[str, float]] = [
    ("1.2.3", 14), ("1.1.1", 8), ("1.2.1", 7), ("2.2.1", 12), ("1.4.5", 9), ("1.4.4", 5),
    ("2.5.2", 8), ("2.1.1", 9), ("2.4.1", 8), ("E33", 6), ("E38", 4), ("3.1.1", 3),
    ("1.4.6", 1), ("1.4.7", 0.3), ("2.5.1", 3), ("1.6.1", 1.5), ("3.6.4", 1.2),
]
PREMISES = ["woning", "straat", "winkel", "horeca", "bedrijf", "parkeerplaats", "park"]
DRUG_CODES = ["3.1.1", "2.1.1"]
HEADER = ["registratienummer", "pleegdatum", "pleegtijd", "incidentcode", "soort locatie",
          "lat", "lon"]


def _deliverer(organisation):
    membership = (Membership.objects.filter(organisation=organisation, role__in=CREATE_ROLES,
                                            user__is_active=True)
                  .select_related("user").order_by("pk").first())
    return membership.user if membership else None


def _addresses(municipalities) -> dict[int, list[tuple[float, float]]]:
    from knooppunt.registers.models import Address

    found: dict[int, list[tuple[float, float]]] = {}
    for pk, lat, lon in Address.objects.filter(municipality__in=municipalities).values_list(
            "municipality_id", "latitude", "longitude"):
        found.setdefault(pk, []).append((lat, lon))
    return found


def _near(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    distance, angle = metres * math.sqrt(rng.random()), rng.random() * 2 * math.pi
    return (lat + distance * math.cos(angle) / 111_320,
            lon + distance * math.sin(angle) / (111_320 * math.cos(math.radians(lat))))


def demo_rows(municipalities, *, years: float, scale: float, seed: int, today: date
              ) -> list[list[str]]:
    """The synthetic incident rows of the region, one list of cells per row."""
    rng = random.Random(seed)
    codes, weights = zip(*MIX, strict=True)
    addresses = _addresses(municipalities)
    days = max(1, int(365 * years))
    rows: list[list[str]] = []
    for municipality in sorted(municipalities, key=lambda m: m.code):
        places = addresses.get(municipality.pk)
        if not places:
            continue
        count = round(municipality.population / 1000 * RATE * years * scale)
        hotspots = rng.sample(places, min(len(places), 3)) if municipality.population > 50_000 \
            else []
        for _ in range(count):
            day = today - timedelta(days=rng.randrange(1, days + 1))
            if hotspots and rng.random() < 0.06:  # a drug cluster around a few addresses
                lat, lon = _near(rng, *rng.choice(hotspots), 150)
                code = rng.choice(DRUG_CODES)
            else:
                lat, lon = _near(rng, *rng.choice(places), 40)
                code = rng.choices(codes, weights)[0]
            hour = int(rng.triangular(0, 23.99, 20)) % 24
            rows.append([f"DEMO-{len(rows) + 1:07d}", day.isoformat(),
                         f"{hour:02d}:{rng.randrange(60):02d}", code, rng.choice(PREMISES),
                         f"{lat:.6f}", f"{lon:.6f}"])
    return _inside_the_country(rows)


def _inside_the_country(rows: list[list[str]]) -> list[list[str]]:
    """Leave out the few points that the jitter put across the border (the import would
    rightly refuse them)."""
    if not rows:
        return rows
    lat = np.array([float(r[5]) for r in rows])
    lon = np.array([float(r[6]) for r in rows])
    placed = MunicipalityPlacer().place(*project(28992, lat, lon))
    return [row for row, pk in zip(rows, placed, strict=True) if pk is not None]


def build_demo_events(orgs, *, years: float = 3.0, scale: float = 1.0, seed: int = 14,
                      today: date | None = None) -> int:
    """Deliver the region's demo incidents; returns how many events were stored."""
    today = today or timezone.localdate()
    police = orgs.politie
    user = _deliverer(police)
    if user is None:
        return 0
    code = f"demo-{orgs.region.code.lower()}"
    dataset = EventDataset.objects.filter(code=code).first()
    if dataset is not None:
        Delivery.objects.filter(profile=dataset.profile, is_synthetic=True).delete()
    dataset = ensure_dataset(DatasetSpec(
        code=code, name=f"Politie-incidenten {orgs.region.name} (demo)", organisation=police,
        source="Synthetisch (demo): geen echte incidenten.", is_synthetic=True))
    rows = demo_rows(orgs.municipalities, years=years, scale=scale, seed=seed, today=today)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows)
    delivery = submit(profile=dataset.profile, organisation=police, user=user,
                      data=out.getvalue().encode(), filename=f"incidenten-{code}.csv",
                      inline=True, is_synthetic=True)
    return delivery.accepted
