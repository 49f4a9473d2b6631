"""The demo's forecast evaluation: hennep signals in the demo region (Twente by default).

Run by `knooppunt demo` after the signals are in, so the forecast page has an evaluation
to show first. With too little history (e.g. `--years 1`) the refusal is printed with its
reason and the page shows the 12-month baseline and says why.
"""

from __future__ import annotations

from datetime import date

from knooppunt.analytics.forecasts import (
    BASE_FEATURES,
    CROSS_TYPE_FEATURES,
    INCIDENT_FEATURES,
    ForecastRefused,
)
from knooppunt.taxonomy.models import Theme

from .evaluation import evaluate_signals

DEMO_THEME = "hennepteelt"
# Not the register features: the demo's address register is made from its signals'
# addresses (future ones too), so a building count per cell would tell the model where
# signals will be; with them the learned model "won" by +47 % on the demo (decision 0056).
# A real BAG does not depend on the signals: there the default includes the registers.
DEMO_FEATURES = BASE_FEATURES + CROSS_TYPE_FEATURES + INCIDENT_FEATURES


def build_demo_forecasts(region_code: str, today: date) -> list[str]:
    """Evaluate the hennep forecast of the region (next month, 500 m); lines to print."""
    theme = Theme.objects.filter(code=DEMO_THEME).first()
    if theme is None:
        return [f"Voorspelling: thema {DEMO_THEME} ontbreekt."]
    try:
        stored = evaluate_signals(theme, region_code, today=today, features=DEMO_FEATURES)
    except ForecastRefused as refused:
        return [f"Voorspelling {DEMO_THEME} {region_code}: geweigerd: {refused.message_nl}"]
    return [f"Voorspelling {DEMO_THEME} {region_code} {stored.first_month}–"
            f"{stored.last_month}: getoond {stored.shown_method} ({stored.seconds:.0f} s)."]
