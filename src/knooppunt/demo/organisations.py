"""The demo region's organisations and the covenants between them.

Government bodies carry their real names (Gemeente Enschede, Politie Oost-Nederland,
RIEC Oost-Nederland); companies are fictitious and end in "(demo)".

The covenants are chosen so that `organisations.scope` gives each party what it would
have in practice. A covenant names its themes *and* its source types (decision 0027):

* the RIEC covenant (gemeenten, politie, OM, RIEC, Belastingdienst) covers every theme and
  every source up to RIEC level, so a municipality sees the police's reports and MMA tips
  in its own territory;
* the cannabis-and-energy covenant shares the partners' own measurements and findings
  (sources netbeheerder, woningcorporatie, waterbedrijf) on cannabis, drug labs and drug
  dumps with the municipalities, the police and each other. It does not name police
  notices or MMA tips: a housing corporation or grid operator reads a police
  hennepbericht only when it is on a case where it carries out a measure (an assigned
  intervention, `scope` rule 2);
* the housing-nuisance covenant shares the corporations' reports with municipalities and
  police; the care-fraud agreement shares the municipal departments' and the care
  office's signals; an expired Clean Sweep covenant shows that a covenant stops counting
  after its end date.

Every party serves (has in its work area) only municipalities of the region; shared
bodies (police, OM, RIEC, Belastingdienst) gain the region's municipalities without losing
others, so demos of two regions can live in one database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from knooppunt.geo.models import Municipality, SafetyRegion
from knooppunt.organisations.models import (
    Confidentiality,
    Covenant,
    Organisation,
    OrganisationKind,
)
from knooppunt.taxonomy.models import SourceType, Theme

from . import calibration as cal

# Municipalities above this size get the "city" housing corporation; the others share a
# regional one. Twente: Enschede, Hengelo and Almelo.
CITY_POPULATION = 60_000


@dataclass
class DemoOrganisations:
    """The organisations of one demo region, by role in the chain."""

    region: SafetyRegion
    municipalities: list[Municipality]
    gemeenten: dict[int, Organisation]  # by municipality pk
    politie: Organisation
    om: Organisation
    riec: Organisation
    belastingdienst: Organisation
    netbeheerder: Organisation
    woningcorporaties: list[Organisation]
    waterbedrijf: Organisation
    zorg: Organisation
    covenants: list[Covenant] = field(default_factory=list)
    # which housing corporation serves which municipality
    woningcorporatie_for: dict[int, Organisation] = field(default_factory=dict)

    @property
    def largest(self) -> Municipality:
        return max(self.municipalities, key=lambda m: m.population)

    def all(self) -> list[Organisation]:
        return [
            *self.gemeenten.values(),
            self.politie,
            self.om,
            self.riec,
            self.belastingdienst,
            self.netbeheerder,
            *self.woningcorporaties,
            self.waterbedrijf,
            self.zorg,
        ]

    def reporter(self, key: str, municipality: Municipality) -> Organisation:
        """The organisation that reports a signal in `municipality` for a flow key."""
        if key == cal.GEMEENTE:
            return self.gemeenten[municipality.pk]
        if key == cal.WONINGCORPORATIE:
            return self.woningcorporatie_for[municipality.pk]
        return getattr(self, key)


def region_label(region: SafetyRegion) -> str:
    """The region's name as used in company names ("Twente", "Flevoland")."""
    return region.name


def _organisation(name: str, kind: str) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        name=name, defaults={"kind": kind, "active": True}
    )
    return org


def build_organisations(region: SafetyRegion) -> DemoOrganisations:
    """Create or update the region's organisations and covenants."""
    municipalities = list(region.municipalities.order_by("-population", "name"))
    if not municipalities:
        raise ValueError(f"veiligheidsregio {region.code} heeft geen gemeenten")
    unit = region.police_unit
    label = region_label(region)

    gemeenten = {}
    for municipality in municipalities:
        org = _organisation(f"Gemeente {municipality.name}", OrganisationKind.GEMEENTE)
        org.municipalities.set([municipality])
        gemeenten[municipality.pk] = org

    # Bodies that work for a whole police unit or the whole country: add this region.
    shared = {
        "politie": _organisation(f"Politie {unit.name}", OrganisationKind.POLITIE),
        "om": _organisation(f"Openbaar Ministerie {unit.name}", OrganisationKind.OM),
        "riec": _organisation(unit.riec_name, OrganisationKind.RIEC),
        "belastingdienst": _organisation("Belastingdienst", OrganisationKind.BELASTINGDIENST),
    }
    for org in shared.values():
        org.municipalities.add(*municipalities)

    # Regional companies serve exactly the region.
    netbeheerder = _organisation(f"Netbeheer {label} (demo)", OrganisationKind.NETBEHEERDER)
    waterbedrijf = _organisation(f"Waterbedrijf {label} (demo)", OrganisationKind.WATERBEDRIJF)
    zorg = _organisation(f"Zorgkantoor {label} (demo)", OrganisationKind.ZORG)
    for org in (netbeheerder, waterbedrijf, zorg):
        org.municipalities.set(municipalities)

    largest = municipalities[0]
    cities = [m for m in municipalities if m.population >= CITY_POPULATION] or [largest]
    rest = [m for m in municipalities if m not in cities]
    city_corporation = _organisation(
        f"Woonstichting {largest.name} (demo)", OrganisationKind.WONINGCORPORATIE
    )
    city_corporation.municipalities.set(cities)
    corporations = [city_corporation]
    corporation_for = {m.pk: city_corporation for m in cities}
    if rest:
        regional_corporation = _organisation(
            f"Wooncorporatie {label} Thuis (demo)", OrganisationKind.WONINGCORPORATIE
        )
        regional_corporation.municipalities.set(rest)
        corporations.append(regional_corporation)
        corporation_for.update({m.pk: regional_corporation for m in rest})

    orgs = DemoOrganisations(
        region=region,
        municipalities=municipalities,
        gemeenten=gemeenten,
        netbeheerder=netbeheerder,
        woningcorporaties=corporations,
        waterbedrijf=waterbedrijf,
        zorg=zorg,
        woningcorporatie_for=corporation_for,
        **shared,
    )
    orgs.covenants = _build_covenants(orgs, label)
    return orgs


def _covenant(
    name: str,
    *,
    legal_basis: str,
    parties: list[Organisation],
    themes: list[str] | None,
    source_types: list[str] | None,
    max_confidentiality: int,
    valid_from: date,
    valid_until: date | None = None,
    add_parties: bool = False,
) -> Covenant:
    covenant, _ = Covenant.objects.update_or_create(
        name=name,
        defaults={
            "legal_basis": legal_basis,
            "max_confidentiality": max_confidentiality,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )
    if add_parties:
        covenant.parties.add(*parties)
    else:
        covenant.parties.set(parties)
    theme_qs = Theme.objects.all() if themes is None else Theme.objects.filter(code__in=themes)
    covenant.themes.set(theme_qs)
    covenant.source_types.set(
        SourceType.objects.all() if source_types is None
        else SourceType.objects.filter(code__in=source_types))
    return covenant


def _build_covenants(orgs: DemoOrganisations, label: str) -> list[Covenant]:
    gemeenten = list(orgs.gemeenten.values())
    return [
        # One RIEC covenant per RIEC region: regions of the same police unit join it.
        _covenant(
            f"Convenant {orgs.riec.name}",
            legal_basis=(
                "Convenant RIEC/LIEC (art. 20 Wpg, art. 39f Wjsg, art. 43c Uitv.reg. AWR 1994)"
            ),
            parties=[*gemeenten, orgs.politie, orgs.om, orgs.riec, orgs.belastingdienst],
            themes=None,
            source_types=None,
            max_confidentiality=Confidentiality.RIEC,
            valid_from=date(2021, 1, 1),
            add_parties=True,
        ),
        _covenant(
            f"Convenant hennepteelt en energie {label}",
            legal_basis="Convenant hennepteelt (art. 20 Wpg, art. 6 lid 1 sub e AVG)",
            parties=[*gemeenten, orgs.politie, orgs.netbeheerder, *orgs.woningcorporaties,
                     orgs.waterbedrijf],
            themes=["hennepteelt", "drugslab", "drugsdump"],
            source_types=["netbeheerder", "woningcorporatie", "waterbedrijf"],
            max_confidentiality=Confidentiality.NORMAAL,
            valid_from=date(2022, 1, 1),
        ),
        _covenant(
            f"Convenant woonoverlast en ondermijning {label}",
            legal_basis="Convenant woonoverlast (art. 20 Wpg, art. 6 lid 1 sub e/f AVG)",
            parties=[*gemeenten, orgs.politie, *orgs.woningcorporaties],
            themes=["drugshandel", "ondermijning-overig"],
            source_types=["woningcorporatie"],
            max_confidentiality=Confidentiality.NORMAAL,
            valid_from=date(2022, 7, 1),
        ),
        _covenant(
            f"Samenwerkingsafspraak zorgfraude {label}",
            legal_basis="Wmo 2015 en Wlz (toezicht en fraudebestrijding), art. 6 lid 1 sub e AVG",
            parties=[*gemeenten, orgs.zorg],
            themes=["zorgfraude", "mensenhandel"],
            source_types=["gemeente", "overig"],
            max_confidentiality=Confidentiality.VERTROUWELIJK,
            valid_from=date(2023, 1, 1),
        ),
        # Expired: kept to show that an ended covenant no longer shares anything.
        _covenant(
            f"Convenant Clean Sweep {label} 2021-2023",
            legal_basis="Convenant Clean Sweep (Elektriciteitswet 1998, art. 20 Wpg)",
            parties=[*gemeenten, orgs.politie, orgs.netbeheerder],
            themes=["hennepteelt"],
            source_types=["netbeheerder", "politie"],
            max_confidentiality=Confidentiality.NORMAAL,
            valid_from=date(2021, 1, 1),
            valid_until=date(2023, 12, 31),
        ),
    ]
