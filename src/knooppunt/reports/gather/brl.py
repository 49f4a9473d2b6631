"""Bestuurlijke rapportage light: from one police cannabis notice (a signal) to the
mayor's decision (seed 000, "van hennepbericht naar Bestuurlijke Rapportage light").

The location (address, building from the register), what is known (signals at the
address and nearby, companies, energy anomaly: `signals.enrichment`, scoped), the
mayor's options (the intervention catalogue of the cases app) and what has been done
(the signal's cases, their stage history, decisions and interventions).

It holds personal data, so it is confidential and given only to a coordinator or case
worker (medewerker) of a municipality that serves the signal's municipality, who may
open the signal and every case it is in (decision 0016). Every gather is logged like
the signal page (the signal, its cases, the signals listed beside it); a refusal too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from knooppunt.audit.log import PURPOSE_SIGNAL_HANDLING, record
from knooppunt.audit.models import Action, Outcome
from knooppunt.cases.models import Case, InterventionType
from knooppunt.organisations import scope
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.registers.addresses import RegisterAddress
from knooppunt.registers.companies import CompanyFact
from knooppunt.registers.energy import EnergyFact
from knooppunt.signals import enrichment
from knooppunt.signals.enrichment import InvolvedOrganisation, RelatedSignal
from knooppunt.signals.models import Signal

from .errors import ReportNotAllowed
from .text import localized

ROLES = frozenset({Role.COORDINATOR, Role.MEDEWERKER})
DETAIL = "bestuurlijke rapportage light"
DRUG_THEMES = frozenset({"hennepteelt", "drugslab", "drugshandel"})
# The catalogue (cases.InterventionType) has no theme or legal basis yet. Until it has,
# these well-known bases are printed, marked as Knooppunt's default, and art. 13b
# Opiumwet (drugs in or at premises) is offered only for the drug themes.
DEFAULT_BASIS = {
    "sluiting-13b": "art. 13b Opiumwet",
    "bibob": "Wet Bibob",
    "last-onder-dwangsom": "art. 125 Gemeentewet; art. 5:32 Awb",
    "bestuursdwang": "art. 125 Gemeentewet; art. 5:21 Awb",
    "bestuurlijke-boete": "titel 5.4 Awb",
}
ONLY_FOR_THEMES = {"sluiting-13b": DRUG_THEMES}


@dataclass(frozen=True)
class Location:
    address: str  # street, number, postcode, place as registered on the signal
    municipality_code: str
    municipality_name: str
    wijk_code: str  # WK…, "" when unknown
    wijk_name: str  # CBS name of the wijk ("" when unknown); buurten have codes only
    buurt_code: str
    x_rd: float | None
    y_rd: float | None
    building: RegisterAddress | None  # usage, construction_year, floor_area, status, source


@dataclass(frozen=True)
class Known:
    """What Knooppunt knows around the address, only what the user may see."""

    same_address: tuple[RelatedSignal, ...]
    nearby: tuple[RelatedSignal, ...]  # within `nearby_metres` in the last `nearby_years`
    nearby_total: int
    nearby_metres: float
    nearby_years: int
    companies: tuple[CompanyFact, ...]  # at the address (KvK register)
    energy: EnergyFact | None  # latest grid-operator anomaly at the address
    organisations: tuple[InvolvedOrganisation, ...]
    source: str
    as_of: date | None


@dataclass(frozen=True)
class Option:
    """An intervention from the catalogue the mayor (or a partner) can choose."""

    code: str
    name: str
    legal_basis: str  # "" when neither the catalogue nor the default names one
    legal_basis_from_catalogue: bool
    mayors_power: bool  # carried out by the municipality (the mayor decides)
    carried_out_by: tuple[str, ...]  # organisation kinds
    quick: bool  # counts as a quick intervention (korte klap)
    applied: bool  # already an intervention in one of the signal's cases


@dataclass(frozen=True)
class StageStep:
    at: datetime
    from_stage: str
    to_stage: str
    by: str
    reason: str


@dataclass(frozen=True)
class DecisionItem:
    decided_on: date
    kind: str
    forum: str
    decided_by: str
    reason: str


@dataclass(frozen=True)
class InterventionItem:
    type_code: str
    type_name: str
    organisation: str
    status: str  # label
    planned_on: date
    started_on: date | None
    ended_on: date | None
    duration_months: int | None
    amount_recovered: Decimal | None
    hours_spent: Decimal | None
    result: str


@dataclass(frozen=True)
class CaseFile:
    reference: str
    title: str
    stage: str
    forum: str
    opened_on: date
    decision_due_on: date | None
    closed_on: date | None
    history: tuple[StageStep, ...]
    decisions: tuple[DecisionItem, ...]
    interventions: tuple[InterventionItem, ...]


@dataclass(frozen=True)
class BestuurlijkeRapportage:
    confidential: bool  # always True: print "Vertrouwelijk" on every page
    confidentiality: str  # the signal's level label (Normaal, Vertrouwelijk, RIEC)
    signal_reference: str
    received_on: date
    theme_code: str
    theme_name: str
    source_name: str
    reporting_organisation: str
    description: str
    status: str  # label
    is_police_cannabis_notice: bool
    location: Location
    known: Known
    options: tuple[Option, ...]  # the mayor's powers first, then the partners'
    cases: tuple[CaseFile, ...]
    generated_at: datetime
    generated_by: str
    synthetic: bool


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _label(obj) -> str:
    return localized(obj.name, getattr(obj, "name_en", ""))


def _refuse(user, signal: Signal | None, dutch: str, english: str) -> ReportNotAllowed:
    record(user=user, action=Action.VIEW, object_type="signals.signal",
           object_ids=[signal.pk] if signal else [], purpose=PURPOSE_SIGNAL_HANDLING,
           outcome=Outcome.DENIED, detail=DETAIL)
    return ReportNotAllowed(dutch, english)


def _find(user, subject) -> Signal:
    visible = scope.signals_for(user).select_related(
        "theme", "source_type", "reporting_organisation", "municipality", "district",
        "neighbourhood")
    if isinstance(subject, Signal):
        found = visible.filter(pk=subject.pk).first()
    elif isinstance(subject, int) or (isinstance(subject, str) and subject.isdigit()):
        found = visible.filter(pk=int(subject)).first()
    else:
        found = visible.filter(reference=str(subject or "").strip()[:20]).first()
    if found is None:  # the same answer whether it does not exist or is not theirs
        raise _refuse(user, subject if isinstance(subject, Signal) else None,
                      "Geen signaal gevonden dat u mag inzien.",
                      "No signal found that you may see.")
    return found


def may_have(user, signal: Signal) -> bool:
    """Coordinator or medewerker of a municipality serving the signal's municipality."""
    return any(
        m.role in ROLES and m.organisation.kind == OrganisationKind.GEMEENTE
        and m.organisation.municipalities.filter(pk=signal.municipality_id).exists()
        for m in scope._memberships(user))


def gather(user, subject, period=None) -> BestuurlijkeRapportage:
    """The report for one signal (a `Signal`, its id or its reference). `period` is not
    used (the report shows everything up to today); it keeps the gatherers' signature."""
    signal = _find(user, subject)
    if not may_have(user, signal):
        raise _refuse(user, signal,
                      "Alleen een coördinator of medewerker van de gemeente maakt een "
                      "bestuurlijke rapportage.",
                      "Only a coordinator or case worker of the municipality makes a "
                      "bestuurlijke rapportage.")
    every_case = Case.objects.filter(signal_links__signal=signal)
    visible_cases = list(scope.cases_of_signal(user, signal))
    if every_case.count() != len(visible_cases):
        raise _refuse(user, signal,
                      "Het signaal zit in een casus die u niet mag inzien.",
                      "The signal is in a case you may not see.")
    found = enrichment.enrich(user, signal)
    record(user=user, action=Action.VIEW, obj=signal, purpose=PURPOSE_SIGNAL_HANDLING,
           detail=DETAIL)
    if visible_cases:
        record(user=user, action=Action.LIST, object_type="cases.case",
               object_ids=[c.pk for c in visible_cases], purpose=PURPOSE_SIGNAL_HANDLING,
               detail=f"{DETAIL}: casussen van signaal {signal.reference}")
    listed = [s.pk for s in (*found.same_address, *found.nearby)]
    if listed:
        record(user=user, action=Action.LIST, object_type="signals.signal",
               object_ids=listed, purpose=PURPOSE_SIGNAL_HANDLING,
               detail=f"{DETAIL}: signalen op en rond het adres van {signal.reference}")
    cases = tuple(_case_file(user, c) for c in visible_cases)
    applied = {i.type_code for c in cases for i in c.interventions}
    return BestuurlijkeRapportage(
        confidential=True,
        confidentiality=signal.get_confidentiality_display(),
        signal_reference=signal.reference,
        received_on=signal.received_on,
        theme_code=signal.theme.code,
        theme_name=str(signal.theme),
        source_name=str(signal.source_type),
        reporting_organisation=signal.reporting_organisation.name,
        description=signal.description,
        status=signal.get_status_display(),
        is_police_cannabis_notice=(signal.theme.code == "hennepteelt"
                                   and signal.source_type.code == "politie"),
        location=Location(
            address=signal.address_line,
            municipality_code=signal.municipality.code,
            municipality_name=signal.municipality.name,
            wijk_code=signal.district.code if signal.district else "",
            wijk_name=signal.district.name if signal.district else "",
            buurt_code=signal.neighbourhood.code if signal.neighbourhood else "",
            x_rd=signal.x_rd, y_rd=signal.y_rd, building=found.building),
        known=Known(
            tuple(found.same_address), tuple(found.nearby), found.nearby_total,
            enrichment.NEARBY_METRES, enrichment.NEARBY_YEARS, tuple(found.companies),
            found.energy, tuple(found.organisations), found.knooppunt_source, found.as_of),
        options=_options(signal.theme.code, applied),
        cases=cases,
        generated_at=timezone.now(),
        generated_by=_name(user),
        synthetic=signal.is_synthetic,
    )


def _options(theme_code: str, applied: set[str]) -> tuple[Option, ...]:
    options = []
    for kind in InterventionType.objects.filter(active=True).order_by("order", "code"):
        allowed = ONLY_FOR_THEMES.get(kind.code)
        if kind.code == "geen-actie" or (allowed is not None and theme_code not in allowed):
            continue
        from_catalogue = getattr(kind, "legal_basis", "") or ""
        carried_out_by = tuple(kind.usual_organisation_kinds or ())
        options.append(Option(
            code=kind.code, name=_label(kind),
            legal_basis=from_catalogue or DEFAULT_BASIS.get(kind.code, ""),
            legal_basis_from_catalogue=bool(from_catalogue),
            mayors_power=OrganisationKind.GEMEENTE in carried_out_by,
            carried_out_by=carried_out_by, quick=kind.stops_case,
            applied=kind.code in applied))
    return tuple(sorted(options, key=lambda o: not o.mayors_power))


def _case_file(user, case: Case) -> CaseFile:
    history = case.history.select_related("from_stage", "to_stage", "changed_by").order_by(
        "changed_at", "pk")
    decisions = case.decisions.select_related("kind", "forum", "decided_by").order_by(
        "decided_on", "pk")
    interventions = (scope.interventions_for(user).filter(case=case)
                     .select_related("type", "organisation").order_by("planned_on", "pk"))
    return CaseFile(
        reference=case.reference, title=case.title, stage=_label(case.stage),
        forum=case.forum.name, opened_on=case.opened_on,
        decision_due_on=case.decision_due_on, closed_on=case.closed_on,
        history=tuple(StageStep(h.changed_at, _label(h.from_stage) if h.from_stage else "",
                                _label(h.to_stage), _name(h.changed_by), h.reason)
                      for h in history),
        decisions=tuple(DecisionItem(d.decided_on, _label(d.kind), d.forum.name,
                                     _name(d.decided_by), d.reason) for d in decisions),
        interventions=tuple(InterventionItem(
            i.type.code, _label(i.type), i.organisation.name, i.get_status_display(),
            i.planned_on, i.started_on, i.ended_on, i.duration_months, i.amount_recovered,
            i.hours_spent, i.result) for i in interventions),
    )
