"""Synthetic forums, meetings, cases, decisions and interventions for the demo region.

Built from the synthetic signals after they are written: every signal that was weighed
becomes a case whose stage history follows the signal's own dates; the decision is taken
in a meeting of the municipality's signal meeting on the weighing day; interventions
follow the decision with realistic shares and durations (seeds 000 and 003, DESIGN.md §6):
most dismantled plantations lead to a 13b closure of 3–6 months, a third of the homes to a
rental-contract termination, a share to an energy disconnection; asset recovery is
calibrated to about €2.5 million a year in Twente. Quick-strike (POB) cases come from
money-laundering and other signals still being worked on; those older than three months
stand out as overdue. Deterministic for a seed; re-running replaces only synthetic rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from knooppunt.audit.log import Action, record
from knooppunt.cases import deadlines
from knooppunt.cases.models import (
    AgendaItem,
    Case,
    CaseSignal,
    CaseSubject,
    Decision,
    DecisionKind,
    Forum,
    ForumKind,
    Intervention,
    InterventionStatus,
    InterventionType,
    Meeting,
    MeetingAttendee,
    PreweighDocument,
    Stage,
    StageChange,
)
from knooppunt.entities.demo import build_entities, clear_case_statements
from knooppunt.matches.demo import clear_matches_of_cases
from knooppunt.signals.models import Signal, Status, StatusChange
from knooppunt.subjects.models import Subject, SubjectKind

from .organisations import DemoOrganisations
from .texts import INITIALS, SURNAMES
from .users import build_municipal_coordinators

PURPOSE_DEMO = "Opbouw demo-omgeving (synthetische gegevens)"

# Per theme: shares of the decision taken when a signal is weighed.
DECISIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "hennepteelt": (("lokale-aanpak", 0.82), ("naar-informatieplein", 0.08),
                    ("geen-actie", 0.10)),
    "drugslab": (("naar-riec", 0.45), ("lokale-aanpak", 0.45), ("geen-actie", 0.10)),
    "drugsdump": (("lokale-aanpak", 0.55), ("geen-actie", 0.45)),
    "witwassen-vastgoed": (("naar-informatieplein", 0.45), ("korte-klap", 0.30),
                           ("geen-actie", 0.25)),
    "mensenhandel": (("naar-riec", 0.40), ("lokale-aanpak", 0.40), ("geen-actie", 0.20)),
    "omg": (("naar-riec", 0.50), ("lokale-aanpak", 0.30), ("geen-actie", 0.20)),
}
DEFAULT_DECISIONS = (("lokale-aanpak", 0.60), ("korte-klap", 0.15), ("geen-actie", 0.25))

# Interventions after a local approach or quick strike: (type, share, organisation key).
INTERVENTIONS: dict[str, tuple[tuple[str, float, str], ...]] = {
    "hennepteelt": (("sluiting-13b", 0.62, "gemeente"), ("huurontbinding", 0.30,
                    "woningcorporatie"), ("afsluiting-energie", 0.40, "netbeheerder"),
                    ("waarschuwingsbrief", 0.18, "gemeente"), ("afpakken", 0.22, "om"),
                    ("strafrechtelijk", 0.35, "politie"), ("fiscaal", 0.08, "belastingdienst"),
                    ("zorg-begeleiding", 0.06, "gemeente")),
    "drugslab": (("sluiting-13b", 0.7, "gemeente"), ("strafrechtelijk", 0.8, "politie"),
                 ("afpakken", 0.3, "om")),
    "drugsdump": (("bestuursdwang", 0.4, "gemeente"), ("waarschuwingsbrief", 0.3, "gemeente")),
    "drugshandel": (("sluiting-13b", 0.35, "gemeente"), ("huurontbinding", 0.25,
                    "woningcorporatie"), ("strafrechtelijk", 0.5, "politie"),
                    ("afpakken", 0.15, "om")),
    "witwassen-vastgoed": (("bibob", 0.45, "gemeente"), ("fiscaal", 0.5, "belastingdienst"),
                           ("afpakken", 0.35, "om"), ("last-onder-dwangsom", 0.2, "gemeente")),
}
DEFAULT_INTERVENTIONS = (("last-onder-dwangsom", 0.35, "gemeente"),
                         ("bestuurlijke-boete", 0.25, "gemeente"),
                         ("waarschuwingsbrief", 0.3, "gemeente"),
                         ("zorg-begeleiding", 0.15, "gemeente"))
# Hours per intervention: (low, high).
HOURS: dict[str, tuple[int, int]] = {"sluiting-13b": (6, 24), "strafrechtelijk": (20, 120),
                                      "afpakken": (16, 80), "fiscaal": (12, 60),
                                      "bibob": (16, 60), "huurontbinding": (4, 20)}
# Asset recovery per case: lognormal around a median (euros); Twente ~€2.5 million/year.
AFPAK_MEDIAN = 22_000
AFPAK_SIGMA = 1.1
FISCAL_MEDIAN = 9_000
# Share of cases with a local approach that get a made-up person or company as subject
# (per theme); names end in "(fictief)" and the rows are marked synthetic.
PERSON_SHARE = {"hennepteelt": 0.12, "drugshandel": 0.3, "mensenhandel": 0.5,
                "witwassen-vastgoed": 0.3, "zorgfraude": 0.4}
COMPANY_SHARE = {"witwassen-vastgoed": 0.6, "drugslab": 0.3, "zorgfraude": 0.5,
                 "mensenhandel": 0.25}
COMPANY_STEMS = ("Twentse Vastgoed", "Oost Invest", "Grensland Trading", "Van Dijk Bouw",
                 "Euregio Logistiek", "Zorggroep De Linde", "Autohandel Noord",
                 "Beauty & Nails Centrum", "Horeca Exploitatie Markt", "Kamerverhuur Centrum")
# Quick-strike cases still undecided are recent: older ones were decided or closed long ago.
POB_OPEN_DAYS = 240


@dataclass(frozen=True)
class _Step:
    to_status: str
    changed_at: datetime


@dataclass
class CaseResult:
    forums: int
    cases: int
    meetings: int
    decisions: int
    interventions: int
    overdue: int
    recovered: Decimal


def clear_synthetic(orgs: DemoOrganisations) -> int:
    """Remove the region's synthetic cases (before its synthetic signals are replaced).

    Cases that people made in the demo from synthetic signals go too: their signals are
    about to be replaced. They are marked synthetic first, which is what lets the
    database drop their stage history (migration cases/0003).
    """
    Case.objects.filter(
        is_synthetic=False, signal_links__signal__is_synthetic=True,
        signal_links__signal__municipality__in=orgs.municipalities,
    ).update(is_synthetic=True)
    cases = Case.objects.filter(is_synthetic=True, municipality__in=orgs.municipalities)
    ids = list(cases.values_list("pk", flat=True))
    if ids:
        Intervention.objects.filter(case_id__in=ids).delete()
        Decision.objects.filter(case_id__in=ids).delete()
        subject_ids = list(CaseSubject.objects.filter(case_id__in=ids)
                           .values_list("subject_id", flat=True))
        clear_matches_of_cases(ids)  # candidates point at the entities about to go
        clear_case_statements(ids)
        cases.delete()
        Subject.objects.filter(pk__in=subject_ids, is_synthetic=True).delete()
        record(user=None, action=Action.DELETE, object_type="cases.case", object_ids=ids,
               purpose=PURPOSE_DEMO, detail=f"synthetische casussen {orgs.region.code}")
    Meeting.objects.filter(is_synthetic=True,
                           forum__municipalities__in=orgs.municipalities).delete()
    return len(ids)


def build_forums(orgs: DemoOrganisations) -> dict[str, object]:
    """Signal meeting and triangle per municipality; plaza, steering team and POB for the
    region. Members sit at the table; partners carry out measures."""
    kinds = {k.code: k for k in ForumKind.objects.all()}
    region = orgs.region.name
    core = [orgs.politie, orgs.om, orgs.riec, orgs.belastingdienst]
    partners = [*orgs.woningcorporaties, orgs.netbeheerder, orgs.waterbedrijf, orgs.zorg]

    def forum(name, kind, municipalities, members, partner_orgs):
        item, _ = Forum.objects.update_or_create(name=name, defaults={"kind": kinds[kind],
                                                                      "active": True})
        item.municipalities.set(municipalities)
        item.members.set(members)
        item.partners.set(partner_orgs)
        return item

    local, triangle = {}, {}
    for m in orgs.municipalities:
        gemeente = orgs.gemeenten[m.pk]
        local[m.pk] = forum(f"Signalenoverleg {m.name}", "signalenoverleg", [m],
                            [gemeente, orgs.politie],
                            [orgs.woningcorporatie_for[m.pk], orgs.netbeheerder,
                             orgs.waterbedrijf, orgs.zorg, orgs.om, orgs.belastingdienst])
        triangle[m.pk] = forum(f"Driehoek {m.name}", "driehoek", [m],
                               [gemeente, orgs.politie, orgs.om], [])
    everyone = [*orgs.gemeenten.values(), *core]
    plaza = forum(f"Informatieplein {region}", "informatieplein", orgs.municipalities,
                  everyone, partners)
    steering = forum(f"Stuur- en weegploeg {orgs.riec.name}", "stuur-en-weegploeg",
                     orgs.municipalities, everyone, partners)
    pob = forum(f"POB {region}", "pob", orgs.municipalities, everyone, partners)
    return {"local": local, "triangle": triangle, "informatieplein": plaza,
            "stuur-en-weegploeg": steering, "pob": pob}


def _pick(rng: random.Random, options):
    r, total = rng.random(), 0.0
    for code, share in options:
        total += share
        if r < total:
            return code
    return options[-1][0]


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@transaction.atomic
def generate_cases(orgs: DemoOrganisations, *, seed: int, coordinator, today: date,
                   scale: float = 1.0) -> CaseResult:
    rng = random.Random(f"{seed}:cases:{orgs.region.code}")
    forums = build_forums(orgs)
    # Each municipality's cases are opened, chaired and decided by a person of that
    # municipality; the police member at the table attends too.
    deciders = build_municipal_coordinators(orgs, coordinator)
    police = (orgs.politie.memberships.select_related("user").order_by("user__username")
              .first())
    stages = {s.code: s for s in Stage.objects.all()}
    kinds = {k.code: k for k in DecisionKind.objects.all()}
    types = {t.code: t for t in InterventionType.objects.all()}
    signals = list(
        Signal.objects.filter(is_synthetic=True, municipality__in=orgs.municipalities)
        .exclude(status=Status.RECEIVED)
        .select_related("theme", "municipality", "reporting_organisation")
        .order_by("received_on", "pk")
    )
    # The status history as plain rows: thousands of model instances cost seconds.
    histories: defaultdict[int, list[_Step]] = defaultdict(list)
    for signal_id, to_status, changed_at in (
        StatusChange.objects.filter(signal__in=[s.pk for s in signals])
        .order_by("changed_at", "pk").values_list("signal_id", "to_status", "changed_at")
    ):
        histories[signal_id].append(_Step(to_status, changed_at))
    region_number = int(orgs.region.code[2:])
    counters: defaultdict[int, int] = defaultdict(int)
    plans = []
    for signal in signals:
        history = histories[signal.pk]
        taken = next((h for h in history if h.to_status == Status.IN_PROGRESS), None)
        weighed = next((h for h in history if h.to_status == Status.WEIGHED), None)
        closed = next((h for h in reversed(history) if h.to_status == Status.CLOSED), None)
        theme = signal.theme.code
        if weighed is not None and taken is not None:
            plans.append((signal, taken, weighed, closed, "weighed"))
        elif (taken is not None and signal.status == Status.IN_PROGRESS
              and theme in {"witwassen-vastgoed", "ondermijning-overig", "zorgfraude"}
              and (today - _day(taken.changed_at)).days < POB_OPEN_DAYS
              and rng.random() < 0.5):
            plans.append((signal, taken, None, None, "pob"))
    new_cases: list[dict] = []
    meetings: dict[tuple[int, date], Meeting] = {}
    attendance: dict[tuple[int, date], list[tuple[object, object]]] = {}
    agenda: set[tuple[tuple[int, date], int]] = set()
    for signal, taken, weighed, closed, plan in plans:
        opened = _day(taken.changed_at)
        theme = signal.theme.code
        forum = forums["pob"] if plan == "pob" else forums["local"][signal.municipality_id]
        counters[opened.year] += 1
        case = Case(
            reference=f"CAS-{opened.year}-D{region_number:02d}{counters[opened.year]:05d}",
            title=f"{signal.theme.name}, {signal.municipality.name}", theme=signal.theme,
            municipality=signal.municipality, forum=forum, stage=stages["intake"],
            owner=orgs.gemeenten[signal.municipality_id],
            confidentiality=signal.confidentiality, opened_on=opened,
            decision_due_on=deadlines.due_date(opened, forum.deadline_months),
            is_synthetic=True, created_by=deciders[signal.municipality_id],
        )
        path = [(None, "intake", taken.changed_at, "Casus geopend uit signaal")]
        enrich_at = taken.changed_at + timedelta(days=rng.uniform(1, 6))
        rows = {"case": case, "signal": signal, "decision": None, "interventions": [],
                "history": path, "subject": None, "extra_subjects": []}
        if plan == "pob":
            if enrich_at < timezone.now():
                path.append(("intake", "verrijking", enrich_at, "Verrijken voor POB"))
                case.stage = stages["verrijking"]
            new_cases.append(rows)
            continue
        weigh_day = _day(weighed.changed_at)
        pre_at = enrich_at + (weighed.changed_at - enrich_at) * rng.uniform(0.4, 0.8)
        path += [("intake", "verrijking", enrich_at, "Verrijkt uit registers"),
                 ("verrijking", "preweging", pre_at, "Preweging voorbereid"),
                 ("preweging", "weging", weighed.changed_at, "Besproken in signalenoverleg")]
        decision_code = _pick(rng, DECISIONS.get(theme, DEFAULT_DECISIONS))
        kind = kinds[decision_code]
        meeting_day = _next_meeting(forum, weigh_day)
        key = (forum.pk, meeting_day)
        if key not in meetings:
            chair = deciders[signal.municipality_id]
            meetings[key] = Meeting(forum=forum, held_on=meeting_day, is_synthetic=True,
                                    created_by=chair, chair=chair)
            attendance[key] = [(chair, orgs.gemeenten[signal.municipality_id])]
            if police is not None:
                attendance[key].append((police.user, orgs.politie))
        agenda.add((key, len(new_cases)))
        case.stage = stages["weging"]
        if meeting_day > today:  # weighed, waiting for the next meeting
            new_cases.append(rows)
            continue
        weigh_day = meeting_day
        weighed_at = max(timezone.make_aware(datetime.combine(meeting_day, time(10, 30))),
                         weighed.changed_at + timedelta(minutes=5))
        rows["decision"] = Decision(forum=forum, kind=kind, decided_on=weigh_day,
                                    reason=_reason(decision_code, theme),
                                    decided_by=deciders[signal.municipality_id],
                                    recorded_by=deciders[signal.municipality_id])
        case.decided_on = weigh_day
        end = closed.changed_at if closed is not None else None
        if decision_code == "geen-actie":
            case.stage = stages["afgesloten"]
            case.closed_on = weigh_day
            path.append(("weging", "afgesloten", weighed_at,
                         "Besluit: geen actie"))
        elif decision_code in ("naar-informatieplein", "naar-riec"):
            target = forums["informatieplein" if decision_code == "naar-informatieplein"
                            else "stuur-en-weegploeg"]
            case.forum = target
            case.decided_on = None
            case.decision_due_on = deadlines.due_date(weigh_day, target.deadline_months)
            next_stage = "preweging" if decision_code == "naar-informatieplein" else "weging"
            if next_stage != "weging":
                case.stage = stages[next_stage]
                path.append(("weging", next_stage, weighed_at,
                             f"Besluit: {kind.name}"))
        else:
            case.stage = stages["aanpak"]
            path.append(("weging", "aanpak", weighed_at,
                         f"Besluit: {kind.name}"))
            rows["interventions"] = _interventions(rng, orgs, signal, types, weigh_day, today,
                                                   scale)
            rows["extra_subjects"] = _people_and_companies(rng, signal)
            if end is not None and _day(end) > weigh_day:
                path += [("aanpak", "evaluatie", end - timedelta(days=rng.uniform(3, 10)),
                          "Interventies afgerond; evaluatie"),
                         ("evaluatie", "afgesloten", end, "Afgesloten na evaluatie")]
                case.stage, case.closed_on = stages["afgesloten"], _day(end)
        if signal.address_register_id or signal.street:
            rows["subject"] = Subject(kind=SubjectKind.ADDRESS, name=signal.address_line,
                                      address_register_id=signal.address_register_id,
                                      confidentiality=signal.confidentiality,
                                      supplied_by=signal.reporting_organisation,
                                      supplied_on=signal.received_on, is_synthetic=True)
        new_cases.append(rows)
    return _write(orgs, new_cases, meetings, agenda, stages, today, attendance)


def _next_meeting(forum: Forum, day: date) -> date:
    """Signal meetings every other Thursday (a different week per forum); regional forums
    every four weeks."""
    every = 14 if forum.kind.code == "signalenoverleg" else 28
    anchor = date(2020, 1, 2) + timedelta(days=7 * (forum.pk % 2))  # a Thursday
    return day + timedelta(days=(-(day - anchor).days) % every)


def _people_and_companies(rng: random.Random, signal: Signal) -> list[tuple[Subject, str]]:
    """Made-up persons and companies for a case (synthetic, names marked 'fictief')."""
    found = []
    common = {"confidentiality": signal.confidentiality, "is_synthetic": True,
              "supplied_by": signal.reporting_organisation, "supplied_on": signal.received_on}
    theme = signal.theme.code
    if rng.random() < PERSON_SHARE.get(theme, 0.05):
        name = f"{rng.choice(INITIALS)}. {rng.choice(SURNAMES)} (fictief)"
        born = date(rng.randint(1962, 2002), rng.randint(1, 12), rng.randint(1, 28))
        role = "huurder / bewoner" if theme in ("hennepteelt", "drugshandel") else "betrokkene"
        found.append((Subject(kind=SubjectKind.PERSON, name=name, date_of_birth=born,
                              **common), role))
    if rng.random() < COMPANY_SHARE.get(theme, 0.0):
        name = f"{rng.choice(COMPANY_STEMS)} B.V. (fictief)"
        found.append((Subject(kind=SubjectKind.COMPANY, name=name,
                              kvk_number=f"99{rng.randint(0, 999_999):06d}", **common),
                      "eigenaar pand" if theme == "witwassen-vastgoed" else "exploitant"))
    return found


def _reason(code: str, theme: str) -> str:
    return {
        "lokale-aanpak": "Signaal bevestigd door politie; lokale integrale aanpak met "
                         "bestuurlijke en strafrechtelijke maatregelen.",
        "naar-informatieplein": "Aanwijzingen voor meer dan één adres of bedrijf; verder "
                                "onderzoek via het informatieplein.",
        "naar-riec": "Georganiseerde context vermoed; inbreng bij de stuur- en weegploeg.",
        "korte-klap": "Onverklaarbaar bezit; snelle bestuurlijke interventie.",
        "geen-actie": "Onvoldoende aanwijzingen na verrijking; signaal blijft bekend.",
    }.get(code, "Besluit van het overleg.")


def _interventions(rng, orgs, signal, types, decided: date, today: date, scale: float):
    found = []
    for code, share, org_key in INTERVENTIONS.get(signal.theme.code, DEFAULT_INTERVENTIONS):
        if rng.random() >= share or code not in types:
            continue
        if code == "huurontbinding":
            organisation = orgs.woningcorporatie_for[signal.municipality_id]
        else:
            organisation = orgs.reporter(org_key, signal.municipality)
        planned = decided + timedelta(days=rng.randint(2, 21))
        started = planned + timedelta(days=rng.randint(0, 20))
        low, high = (3, 6) if code == "sluiting-13b" else (10, 120)
        duration = rng.randint(low, high) * (30 if code == "sluiting-13b" else 1)
        ended = started + timedelta(days=duration)
        item = Intervention(type=types[code], organisation=organisation, planned_on=planned,
                            updated_by=None)
        if code == "sluiting-13b":
            item.duration_months = low if duration < 120 else rng.randint(low, high)
        if started > today:
            item.status = InterventionStatus.PLANNED
        elif ended > today:
            item.status, item.started_on = InterventionStatus.RUNNING, started
        else:
            item.status = (InterventionStatus.STOPPED if rng.random() < 0.08
                           else InterventionStatus.DONE)
            item.started_on, item.ended_on = started, ended
            item.result = ("Uitgevoerd" if item.status == InterventionStatus.DONE
                           else "Gestopt: geen grond meer")
        hours_low, hours_high = HOURS.get(code, (2, 12))
        if item.started_on:
            item.hours_spent = Decimal(rng.randint(hours_low, hours_high))
        if code in ("afpakken", "fiscaal") and item.status == InterventionStatus.DONE:
            median = AFPAK_MEDIAN if code == "afpakken" else FISCAL_MEDIAN
            amount = median * rng.lognormvariate(0, AFPAK_SIGMA)
            item.amount_recovered = Decimal(round(amount / 50) * 50)
        found.append(item)
    return found


def _write(orgs, new_cases, meetings, agenda, stages, today: date,
           attendance) -> CaseResult:
    cases = Case.objects.bulk_create([r["case"] for r in new_cases], batch_size=500)
    now = timezone.now()
    CaseSignal.objects.bulk_create(
        [CaseSignal(case=c, signal=r["signal"], linked_at=r["history"][0][2])
         for c, r in zip(cases, new_cases, strict=True)], batch_size=1000)
    StageChange.objects.bulk_create(
        [StageChange(case=c, from_stage=stages[a] if a else None, to_stage=stages[b],
                     changed_at=min(when, now), changed_by=c.created_by, reason=reason)
         for c, r in zip(cases, new_cases, strict=True) for a, b, when, reason in r["history"]],
        batch_size=1000)
    meeting_rows = Meeting.objects.bulk_create(list(meetings.values()), batch_size=500)
    by_key = dict(zip(meetings.keys(), meeting_rows, strict=True))
    MeetingAttendee.objects.bulk_create(
        [MeetingAttendee(meeting=by_key[key], person=person, organisation=organisation)
         for key, people in attendance.items() for person, organisation in people],
        batch_size=1000)
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=by_key[key], case=cases[index], order=n)
         for n, (key, index) in enumerate(sorted(agenda, key=lambda a: a[1]))],
        batch_size=1000)
    decisions = []
    for case, rows in zip(cases, new_cases, strict=True):
        if rows["decision"] is not None:
            rows["decision"].case = case
            rows["decision"].meeting = by_key.get((rows["decision"].forum_id,
                                                   rows["decision"].decided_on))
            decisions.append(rows["decision"])
    Decision.objects.bulk_create(decisions, batch_size=1000)
    subjects = [r["subject"] for r in new_cases if r["subject"] is not None]
    subjects += [subject for r in new_cases for subject, _role in r["extra_subjects"]]
    Subject.objects.bulk_create(subjects, batch_size=1000)
    CaseSubject.objects.bulk_create(
        [CaseSubject(case=c, subject=subject, role=role, valid_from=c.opened_on,
                     supplied_by=subject.supplied_by)
         for c, r in zip(cases, new_cases, strict=True) for subject, role in r["extra_subjects"]],
        batch_size=1000)
    CaseSubject.objects.bulk_create(
        [CaseSubject(case=c, subject=r["subject"], role="adres van het signaal",
                     valid_from=c.opened_on, supplied_by=r["subject"].supplied_by)
         for c, r in zip(cases, new_cases, strict=True) if r["subject"] is not None],
        batch_size=1000)
    items = []
    for case, rows in zip(cases, new_cases, strict=True):
        for item in rows["interventions"]:
            item.case, item.decision = case, rows["decision"]
            if item.type.code in ("sluiting-13b", "huurontbinding", "afsluiting-energie"):
                item.subject = rows["subject"]
            items.append(item)
    Intervention.objects.bulk_create(items, batch_size=1000)
    previews = [PreweighDocument(case=c, number=1, created_at=r["history"][0][2],
                                 frozen_at=r["history"][0][2] + timedelta(days=14),
                                 content=f"Preweegdocument {c.reference} (synthetisch).")
                for c, r in zip(cases, new_cases, strict=True)
                if c.stage_id == stages["preweging"].pk and r["decision"] is not None]
    PreweighDocument.objects.bulk_create(previews)
    build_entities([c.pk for c in cases])  # subjects as entities, the register around them
    if cases:
        record(user=None, action=Action.CREATE, object_type="cases.case",
               object_ids=[c.pk for c in cases], purpose=PURPOSE_DEMO,
               detail=f"synthetische casussen {orgs.region.code}")
    return CaseResult(
        forums=Forum.objects.filter(municipalities__in=orgs.municipalities).distinct().count(),
        cases=len(cases), meetings=len(meeting_rows), decisions=len(decisions),
        interventions=len(items),
        overdue=sum(1 for c in cases if c.is_overdue(today)),
        recovered=sum((i.amount_recovered or Decimal(0) for i in items), Decimal(0)),
    )

