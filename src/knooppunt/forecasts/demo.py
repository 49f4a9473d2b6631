"""The demo's forecast evaluations: hennep signals and drug-trafficking incidents in the
demo region (Twente by default).

Run by `knooppunt demo` after the signals and incidents are in, so the forecast page has an
evaluation to show first for a theme and for an event type. With too little history (e.g.
`--years 1`) the refusal is printed with its reason and the page shows the 12-month
baseline and says why.
"""

from __future__ import annotations

from datetime import date

from knooppunt.analytics.forecasts import (
    BASE_FEATURES,
    CROSS_TYPE_FEATURES,
    INCIDENT_FEATURES,
    SIGNAL_SOURCE_FEATURES,
    ForecastRefused,
)
from knooppunt.analytics.hotspot_service import HotspotError

from .evaluation import evaluate_area
from .targets import Target, resolve

DEMO_THEME = "hennepteelt"
DEMO_OFFENCE = "3.1.1"  # drugshandel, in the police's classes (events.codes)
# Not the register features: the demo's address register is made from its signals'
# addresses (future ones too), so a building count per cell would tell the model where
# signals will be; with them the learned model "won" by +47 % on the demo (decision 0056).
# A real BAG does not depend on the signals: there the default includes the registers.
DEMO_FEATURES = BASE_FEATURES + CROSS_TYPE_FEATURES + INCIDENT_FEATURES
DEMO_INCIDENT_FEATURES = BASE_FEATURES + CROSS_TYPE_FEATURES + SIGNAL_SOURCE_FEATURES


def demo_targets(region_code: str) -> list[tuple[Target, tuple[str, ...]]]:
    """The demo's targets with their features: the hennep theme, and drug trafficking in
    the region's demo incidents (when both exist)."""
    found = []
    for options, features in (({"theme": DEMO_THEME}, DEMO_FEATURES),
                              ({"incidents": f"demo-{region_code.lower()}",
                                "offence": DEMO_OFFENCE}, DEMO_INCIDENT_FEATURES)):
        try:
            found.append((resolve(**options), features))
        except HotspotError:
            continue
    return found


def build_demo_forecasts(region_code: str, today: date) -> list[str]:
    """Evaluate the demo's forecasts in the region (next month, 500 m); lines to print."""
    lines = []
    for target, features in demo_targets(region_code):
        try:
            stored = evaluate_area(target, region_code, today=today, features=features)
        except ForecastRefused as refused:
            lines.append(f"Voorspelling {target.code} {region_code}: geweigerd: "
                         f"{refused.message_nl}")
            continue
        lines.append(f"Voorspelling {target.code} {region_code} {stored.first_month}–"
                     f"{stored.last_month}: getoond {stored.shown_method} "
                     f"({stored.seconds:.0f} s).")
    return lines or [f"Voorspelling: thema {DEMO_THEME} ontbreekt."]
