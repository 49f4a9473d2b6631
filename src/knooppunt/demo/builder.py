"""Building the whole demo region in one call: organisations, accounts, signals.

The management command wraps this with migrations, geography and a web server; tests call
it directly with a small `scale` and `years`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from knooppunt.geo.models import SafetyRegion
from knooppunt.matches.demo import build_demo_matches
from knooppunt.organisations.models import Organisation, Role
from knooppunt.visits.models import clear_synthetic as clear_synthetic_visits

from .cases import CaseResult, clear_synthetic, generate_cases
from .organisations import DemoOrganisations, build_organisations
from .signals import GenerationResult, generate_signals
from .users import DemoUser, build_system_accounts, build_users

DEFAULT_REGION = "VR05"  # Twente
DEFAULT_SEED = 2024


class DemoError(Exception):
    """The demo cannot be built (e.g. unknown region, geography not loaded)."""


@dataclass
class DemoResult:
    organisations: DemoOrganisations
    users: list[tuple[DemoUser, object, Organisation]]
    signals: GenerationResult
    seconds: float
    cases: CaseResult | None = None

    @property
    def region(self) -> SafetyRegion:
        return self.organisations.region


def build_demo(
    region_code: str = DEFAULT_REGION,
    *,
    seed: int = DEFAULT_SEED,
    years: float = 3.0,
    scale: float = 1.0,
    today: date | None = None,
) -> DemoResult:
    """Create or update the demo for one safety region; safe to run again."""
    started = time.perf_counter()
    code = region_code.strip().upper()
    region = SafetyRegion.objects.select_related("police_unit").filter(code=code).first()
    if region is None:
        raise DemoError(
            f"Veiligheidsregio {code} niet gevonden. Kies VR01 t/m VR25 en laad eerst de "
            "geografie (knooppunt load_geography)."
        )
    if years <= 0 or scale < 0:
        raise DemoError("--years moet groter dan 0 zijn en --scale niet negatief.")
    with transaction.atomic():
        orgs = build_organisations(region)
        users = build_users(orgs)
        build_system_accounts(orgs)
        # Status changes in the largest municipality are made by its demo coordinator,
        # so the history shows a named person deciding.
        coordinator = next(user for spec, user, _ in users if spec.role == Role.COORDINATOR)
        clear_synthetic(orgs)  # cases refer to the signals that are replaced next
        clear_synthetic_visits(orgs.municipalities)  # visits refer to the register
        signals = generate_signals(
            orgs,
            seed=seed,
            years=years,
            scale=scale,
            handlers={orgs.largest.pk: coordinator},
            today=today,
        )
        cases = generate_cases(orgs, seed=seed, coordinator=coordinator,
                               today=today or timezone.localdate(), scale=scale)
        # Persons of the police and a housing corporation, and one run of the linkage.
        build_demo_matches(orgs, today or timezone.localdate())
    return DemoResult(orgs, users, signals, time.perf_counter() - started, cases)
