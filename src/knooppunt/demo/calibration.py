"""How many synthetic signals of which kind the demo makes, and how they age.

All rates are signals per year for Twente (safety region VR05, about 640,000 inhabitants)
and are scaled by a region's population. The anchor is DESIGN.md §6: about 200 dismantled
cannabis plantations a year in Twente, so the police deliver some 230 hennep signals a
year (a few reports do not lead to a dismantling). The other sources and themes are set
relative to that, after the seeds: grid operators find a share of plantations through
unexplained energy use (Clean Sweep, seed 000), housing corporations and residents report
smell and taped windows, MMA passes on anonymous tips, municipal departments (Bibob,
handhaving, burgerzaken, sociale recherche) report money laundering and care fraud.
"""

from __future__ import annotations

from dataclasses import dataclass

TWENTE_POPULATION = 640_740  # sum of the 14 municipalities on 1 January 2024 (CBS)

# Organisation keys used below, resolved to real rows by `demo.organisations`.
POLITIE = "politie"
GEMEENTE = "gemeente"
NETBEHEERDER = "netbeheerder"
WONINGCORPORATIE = "woningcorporatie"
WATERBEDRIJF = "waterbedrijf"
BELASTINGDIENST = "belastingdienst"
OM = "om"
RIEC = "riec"
ZORG = "zorg"


@dataclass(frozen=True)
class Flow:
    """One stream of signals: a source type, the organisation that reports, a yearly rate."""

    source: str  # taxonomy.SourceType code
    reporter: str  # organisation key
    per_year: float


# Per theme: its streams, the yearly trend (+0.10 = 10 % more each year) and where
# signals lie. `population_weight` is the exponent of population against area when a
# municipality is chosen: 1.0 follows people only, lower values favour large rural
# municipalities (cannabis sheds, drug labs and dumps are found in the buitengebied).
# `placement` gives the shares of (at a home address, in the rural area, at a hotspot).
@dataclass(frozen=True)
class ThemeProfile:
    flows: tuple[Flow, ...]
    trend: float
    population_weight: float
    placement: tuple[float, float, float]
    hotspot_kind: str  # "rural", "industrial" or "urban"


THEME_PROFILES: dict[str, ThemeProfile] = {
    "hennepteelt": ThemeProfile(
        flows=(
            Flow("politie", POLITIE, 230),
            Flow("netbeheerder", NETBEHEERDER, 55),
            Flow("woningcorporatie", WONINGCORPORATIE, 30),
            Flow("mma", POLITIE, 35),
            Flow("bewoner", GEMEENTE, 45),
            Flow("gemeente", GEMEENTE, 12),
            Flow("waterbedrijf", WATERBEDRIJF, 5),
        ),
        trend=-0.04,
        population_weight=0.6,
        placement=(0.6, 0.25, 0.15),
        hotspot_kind="rural",
    ),
    "drugslab": ThemeProfile(
        flows=(
            Flow("politie", POLITIE, 8),
            Flow("mma", POLITIE, 4),
            Flow("netbeheerder", NETBEHEERDER, 3),
            Flow("bewoner", GEMEENTE, 3),
            Flow("gemeente", GEMEENTE, 2),
            Flow("waterbedrijf", WATERBEDRIJF, 3),
        ),
        trend=0.05,
        population_weight=0.4,
        placement=(0.2, 0.5, 0.3),
        hotspot_kind="rural",
    ),
    "drugsdump": ThemeProfile(
        flows=(
            Flow("gemeente", GEMEENTE, 22),
            Flow("bewoner", GEMEENTE, 14),
            Flow("politie", POLITIE, 7),
            Flow("waterbedrijf", WATERBEDRIJF, 4),
        ),
        trend=0.10,
        population_weight=0.4,
        placement=(0.05, 0.55, 0.4),
        hotspot_kind="industrial",
    ),
    "drugshandel": ThemeProfile(
        flows=(
            Flow("politie", POLITIE, 60),
            Flow("mma", POLITIE, 45),
            Flow("mma", GEMEENTE, 15),
            Flow("bewoner", GEMEENTE, 65),
            Flow("woningcorporatie", WONINGCORPORATIE, 20),
            Flow("gemeente", GEMEENTE, 15),
        ),
        trend=0.06,
        population_weight=1.0,
        placement=(0.85, 0.0, 0.15),
        hotspot_kind="urban",
    ),
    "mensenhandel": ThemeProfile(
        flows=(
            Flow("politie", POLITIE, 15),
            Flow("gemeente", GEMEENTE, 18),
            Flow("overig", ZORG, 8),
            Flow("mma", POLITIE, 8),
            Flow("bewoner", GEMEENTE, 5),
        ),
        trend=0.08,
        population_weight=1.0,
        placement=(0.85, 0.0, 0.15),
        hotspot_kind="urban",
    ),
    "witwassen-vastgoed": ThemeProfile(
        flows=(
            Flow("gemeente", GEMEENTE, 38),
            Flow("belastingdienst", BELASTINGDIENST, 22),
            Flow("politie", POLITIE, 10),
            Flow("mma", GEMEENTE, 8),
            Flow("om", OM, 4),
            Flow("riec", RIEC, 8),
        ),
        trend=0.03,
        population_weight=0.9,
        placement=(0.85, 0.15, 0.0),
        hotspot_kind="urban",
    ),
    "zorgfraude": ThemeProfile(
        flows=(
            Flow("gemeente", GEMEENTE, 30),
            Flow("overig", ZORG, 22),
            Flow("belastingdienst", BELASTINGDIENST, 5),
            Flow("mma", GEMEENTE, 5),
        ),
        trend=0.07,
        population_weight=1.0,
        placement=(1.0, 0.0, 0.0),
        hotspot_kind="urban",
    ),
    "omg": ThemeProfile(
        flows=(
            Flow("politie", POLITIE, 18),
            Flow("gemeente", GEMEENTE, 9),
            Flow("mma", POLITIE, 5),
            Flow("riec", RIEC, 4),
        ),
        trend=-0.02,
        population_weight=0.8,
        placement=(0.6, 0.2, 0.2),
        hotspot_kind="industrial",
    ),
    "ondermijning-overig": ThemeProfile(
        flows=(
            Flow("gemeente", GEMEENTE, 40),
            Flow("bewoner", GEMEENTE, 28),
            Flow("mma", GEMEENTE, 12),
            Flow("mma", POLITIE, 10),
            Flow("politie", POLITIE, 18),
            Flow("woningcorporatie", WONINGCORPORATIE, 10),
        ),
        trend=0.04,
        population_weight=0.8,
        placement=(0.75, 0.25, 0.0),
        hotspot_kind="rural",
    ),
}

# Share of signals per confidentiality level (normaal, vertrouwelijk, riec), by theme.
# Most signals are ordinary; money laundering, trafficking and OMG files are sensitive.
CONFIDENTIALITY_MIX: dict[str, tuple[float, float, float]] = {
    "hennepteelt": (0.88, 0.11, 0.01),
    "drugslab": (0.70, 0.25, 0.05),
    "drugsdump": (0.92, 0.08, 0.0),
    "drugshandel": (0.80, 0.17, 0.03),
    "mensenhandel": (0.45, 0.40, 0.15),
    "witwassen-vastgoed": (0.55, 0.33, 0.12),
    "zorgfraude": (0.60, 0.35, 0.05),
    "omg": (0.40, 0.40, 0.20),
    "ondermijning-overig": (0.85, 0.13, 0.02),
}
DEFAULT_CONFIDENTIALITY_MIX = (0.8, 0.17, 0.03)

# Status by age of the signal in days: (upper age bound, shares of ontvangen,
# in_behandeling, gewogen, afgesloten). Old signals are mostly done; the last weeks'
# intake is still waiting for the next signal meeting.
STATUS_BY_AGE: tuple[tuple[int, tuple[float, float, float, float]], ...] = (
    (14, (0.75, 0.22, 0.0, 0.03)),
    (45, (0.30, 0.45, 0.15, 0.10)),
    (120, (0.06, 0.34, 0.30, 0.30)),
    (365, (0.01, 0.14, 0.25, 0.60)),
    (10**6, (0.0, 0.04, 0.08, 0.88)),
)

# Share of closed signals closed straight after intake (no leads), and of closed
# signals that were reopened once and closed again.
CLOSED_WITHOUT_HANDLING = 0.2
REOPENED = 0.03

# Share of signals on an address that already had a signal: repeat addresses are what
# enrichment and the "hotshots" analysis look for.
REPEAT_ADDRESS = 0.08

# Share of resident reports given anonymously to the municipality (not via MMA).
ANONYMOUS_RESIDENT = 0.2

# Postcode areas (first two digits) per safety region. Real postcode ranges per
# municipality are not in the open data we ship, so the demo makes plausible ones from
# the region's actual postcode areas (e.g. Twente 74-76).
POSTCODE_AREAS: dict[str, tuple[int, ...]] = {
    "VR01": (96, 97, 98, 99),
    "VR02": (84, 85, 86, 87, 88, 89, 90, 91, 92),
    "VR03": (77, 78, 79, 93, 94),
    "VR04": (74, 77, 80, 81, 82, 83),
    "VR05": (74, 75, 76),
    "VR06": (38, 70, 71, 72, 73),
    "VR07": (37, 67, 68, 69),
    "VR08": (40, 41, 53, 65, 66),
    "VR09": (34, 35, 36, 37, 39),
    "VR10": (16, 17, 18),
    "VR11": (14, 15),
    "VR12": (19, 20, 21),
    "VR13": (10, 11, 14),
    "VR14": (12, 13, 14),
    "VR15": (22, 25, 26, 27),
    "VR16": (22, 23, 24, 28),
    "VR17": (29, 30, 31, 32),
    "VR18": (29, 33, 42),
    "VR19": (43, 44, 45),
    "VR20": (46, 47, 48, 49, 50, 51),
    "VR21": (52, 53, 54, 58),
    "VR22": (55, 56, 57),
    "VR23": (58, 59, 60),
    "VR24": (61, 62, 63, 64),
    "VR25": (13, 82, 83),
}
