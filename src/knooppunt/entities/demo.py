"""The demo's entities: the case subjects as entities, the company register around their
addresses, and the patterns so a network exists (synthetic, marked 'fictief').

* a hub: one person directs three companies registered at one address, the address of a
  demo case;
* a mover: a company registered at four addresses in four years, the last one the hub;
* a short-lived company: registered at the hub, dissolved `SHORT_LIVED_DAYS` later.

So the hub's wijk shows every area pattern (decision 0055): a crowded address (five
companies or more at the hub), a mover, a short-lived company and a shared officer.

`DemoCompanyExtracts` (`entities.registers`) answers from the demo's companies and asks
`pattern()` which of them take part in a pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.db import models

from knooppunt.registers.models import Address
from knooppunt.registers.models import Company as RegisterCompany

from .models import Entity, OriginKind, Statement
from .registers import DemoCompanyExtracts, Officer, Registration, add_address, add_company
from .services import record_case_subjects

MAX_COMPANIES = 300
SHORT_LIVED_DAYS = 200
HUB_OFFICER = Officer("Ruud Hendriks (fictief)", date(1971, 4, 2), "bestuurder",
                      date(2021, 2, 1))


@dataclass(frozen=True)
class Pattern:
    hub_address: str
    hub_companies: tuple[str, ...]
    mover: str
    mover_addresses: tuple[str, ...]
    short_lived: str = ""
    mover_since: date | None = None  # the first move; the last one lies a year back


@lru_cache(maxsize=1)
def _cached_pattern(_key: tuple) -> Pattern | None:
    from knooppunt.subjects.models import Subject, SubjectKind

    addresses = set(Address.objects.filter(is_synthetic=True)
                    .values_list("nummeraanduiding_id", flat=True))
    hub = next((bag for bag in Subject.objects.filter(
        kind=SubjectKind.ADDRESS, is_synthetic=True).exclude(address_register_id="")
        .order_by("pk").values_list("address_register_id", flat=True)
        if bag in addresses), None)
    companies = list(RegisterCompany.objects.filter(is_synthetic=True)
                     .order_by("kvk_number").values_list("kvk_number", flat=True)[:4])
    if hub is None or len(companies) < 4:
        return None
    hubs = tuple(companies[:3])
    span = timedelta(days=4 * 365)
    mover = _registered_before(hubs, span)
    since = max(mover[1], mover[2] - span) if mover else None
    mover_kvk = mover[0] if mover else companies[3]
    brief = _registered_before((*hubs, mover_kvk), timedelta(days=SHORT_LIVED_DAYS))
    # The mover ends at the hub, so the hub's wijk holds it and the hub is crowded.
    moves = (*sorted(addresses - {hub})[:3], hub)
    return Pattern(hub, hubs, mover_kvk, moves, brief[0] if brief else "", since)


def _registered_before(taken: tuple[str, ...], span: timedelta
                       ) -> tuple[str, date, date] | None:
    """(KvK number, registered on, register date) of the first company registered at
    least `span` before the register's date: the mover's four yearly moves and the
    short-lived company's dissolution then lie in the past."""
    for kvk, registered, seen in (RegisterCompany.objects.filter(
            is_synthetic=True, registered_on__isnull=False).exclude(kvk_number__in=taken)
            .order_by("kvk_number").values_list("kvk_number", "registered_on", "source_date")
            .iterator()):
        if registered <= seen - span:
            return kvk, registered, seen
    return None


def pattern() -> Pattern | None:
    """The demo's patterns (None when the demo data is not there)."""
    key = (RegisterCompany.objects.filter(is_synthetic=True).count(),
           Address.objects.filter(is_synthetic=True).count())
    return _cached_pattern(key)


def patterned(kvk_number: str, addresses: tuple, officers: tuple, start: date
              ) -> tuple[tuple, tuple]:
    """The extract's addresses and officers with the patterns applied."""
    found = pattern()
    if found is None:
        return addresses, officers
    if kvk_number in found.hub_companies:
        return (Registration(found.hub_address, HUB_OFFICER.start),), officers + (HUB_OFFICER,)
    if kvk_number == found.short_lived:
        return (Registration(found.hub_address, start, dissolved(kvk_number, start)),), \
            officers
    if kvk_number == found.mover:
        begin = found.mover_since or start
        moves = []
        for index, bag in enumerate(found.mover_addresses):
            end = (begin + timedelta(days=365)
                   if index < len(found.mover_addresses) - 1 else None)
            moves.append(Registration(bag, begin, end - timedelta(days=1) if end else None))
            begin = end or begin
        return tuple(moves), officers
    return addresses, officers


def dissolved(kvk_number: str, registered_on: date | None) -> date | None:
    """The demo's short-lived company is dissolved `SHORT_LIVED_DAYS` after it began."""
    found = pattern()
    if found is None or kvk_number != found.short_lived or registered_on is None:
        return None
    return registered_on + timedelta(days=SHORT_LIVED_DAYS)


def clear_case_statements(case_ids: list[int]) -> None:
    """Remove the statements of demo cases that are about to be replaced.

    Statements are append-only for everyone else; only the demo, which throws its own
    synthetic cases away, deletes them (by the base QuerySet, past the guard).
    """
    origin_ids = [str(i) for i in case_ids]
    for start in range(0, len(origin_ids), 900):
        chunk = Statement.objects.filter(origin_kind=OriginKind.CASE,
                                         origin_id__in=origin_ids[start:start + 900])
        models.QuerySet.delete(chunk)
    models.QuerySet.delete(Entity.objects.filter(statements__isnull=True))


def build_entities(case_ids: list[int]) -> int:
    """Entities for the demo cases' subjects, and the register around their addresses."""
    from knooppunt.cases.models import CaseSubject

    links = list(CaseSubject.objects.filter(case_id__in=case_ids)
                 .select_related("case", "subject"))
    added = record_case_subjects(links)
    bags = sorted({link.subject.address_register_id for link in links
                   if link.subject.address_register_id})
    for bag in bags:
        add_address(bag)
    kvks = list(RegisterCompany.objects.filter(is_synthetic=True, address__nummeraanduiding_id__in
                                               =bags).order_by("kvk_number")
                .values_list("kvk_number", flat=True)[:MAX_COMPANIES])
    found = pattern()
    if found is not None:
        kvks += [k for k in (*found.hub_companies, found.mover, found.short_lived)
                 if k and k not in kvks]
    extracts = DemoCompanyExtracts()
    for kvk in kvks:
        add_company(kvk, extracts=extracts)
    return added
