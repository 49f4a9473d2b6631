"""The demo's candidate matches: persons supplied by the police and by a housing
corporation to one RIEC case, the same people written differently (initials, dates as
day-month-year, a hyphen), plus persons who only one of them knows. The demo runs
`propose_matches` once, so the RIEC analyst finds candidates in the queue.

Synthetic: every name carries "(fictief)" in its caption; the linkage compares first and
last name only.
"""

from __future__ import annotations

from datetime import date

from django.db import models

from knooppunt.entities.models import OriginKind, Statement
from knooppunt.entities.services import FtmEntity, Provenance, record_entities

from .models import CandidateMatch, LinkageRun, MatchDecision
from .proposing import Proposal, propose_matches

RIEC_ANALYST = "analist.riec"
LEGAL_BASIS = "Convenant RIEC (demo)"
# (first name, last name, birth date) as the police wrote them, and as the corporation did;
# None: only that partner knows the person.
POLICE = [
    ("J.", "de Vries", "1978-03-12"), ("Mohamed", "el Idrissi", "1985-09-01"),
    ("Petra", "van den Berg", "1969-12-24"), ("Kevin", "Smit", "1992-06-30"),
    ("Dirk", "Hoekstra", "1958-02-02"), ("Ilse", "Brouwer", "1988-10-10"),
    ("Marco", "Visser", "1975-07-17"), ("Sanne", "Kok", "1999-01-05"),
]
HOUSING = [
    ("Jan", "de Vries", "12-03-1978"), ("Mohamed", "El-Idrissi", "1985-09-01"),
    ("P.", "Berg, van den", "24-12-1969"), ("Kevin", "Smit", "1992-03-06"),
    ("Anouk", "Meijer", "1994-04-04"), ("Bart", "de Jong", "1961-11-11"),
    ("Youssef", "Amrani", "1980-08-08"), ("Lotte", "Bos", "2001-05-15"),
]


def demo_case(orgs):
    """The first synthetic case of the region that the demo's RIEC analyst may open."""
    from django.contrib.auth import get_user_model

    from knooppunt.organisations import scope

    analyst = get_user_model().objects.filter(username=RIEC_ANALYST).first()
    if analyst is None:
        return None
    return (scope.cases_for(analyst).filter(is_synthetic=True,
                                            municipality__in=orgs.municipalities)
            .order_by("pk").first())


def _people(prefix: str, rows, provenance: Provenance) -> None:
    record_entities([FtmEntity(f"demo-{prefix}-{n}", "Person", {
        "name": (f"{first} {last} (fictief)",), "firstName": (first,), "lastName": (last,),
        "birthDate": (born,)}) for n, (first, last, born) in enumerate(rows, 1)], provenance)


def clear_matches_of_cases(case_ids: list[int]) -> None:
    """Drop the candidates (and their decisions) of entities stated in these demo cases,
    before the cases' statements go; only the demo deletes, past the append-only guard."""
    entity_ids = Statement.objects.filter(origin_kind=OriginKind.CASE,
                                          origin_id__in=[str(i) for i in case_ids]
                                          ).values("entity_id")
    matches = CandidateMatch.objects.filter(models.Q(left__in=entity_ids)
                                            | models.Q(right__in=entity_ids))
    models.QuerySet.delete(MatchDecision.objects.filter(match__in=matches))
    matches.delete()
    LinkageRun.objects.filter(matches__isnull=True).delete()


def build_demo_matches(orgs, today: date) -> Proposal | None:
    """The two partners' persons in the RIEC analyst's case, then one proposal run."""
    case = demo_case(orgs)
    if case is None or not orgs.woningcorporaties:
        return None
    for prefix, organisation, rows in (("politie", orgs.politie, POLICE),
                                       ("corporatie", orgs.woningcorporaties[0], HOUSING)):
        _people(prefix, rows, Provenance(
            origin_kind=OriginKind.CASE, origin_id=str(case.pk), legal_basis=LEGAL_BASIS,
            organisation_id=organisation.pk, first_seen=today, last_seen=today,
            confidentiality=case.confidentiality))
    return propose_matches()
