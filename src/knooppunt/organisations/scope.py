"""The one place that decides who may see what.

Every view, API endpoint, export and report asks this module; none filters by hand.

A user acts through their memberships. Per membership (organisation O, role R):

* Roles `bestuurder` and `beheerder` never see individual signals (aggregates only /
  functional management without access to case content).
* Each other role has a clearance: `medewerker` up to *vertrouwelijk*, `analist` and
  `coordinator` up to *RIEC*. A signal above the clearance is never visible.
* Within the clearance O sees a signal when
  1. O reported it or is recorded as involved (what it delivered), or
  2. the signal is linked to a case where O has a seat at the table (owner or member of
     the case's forum) or has an intervention assigned (a partner carrying out a measure
     reads what the measure is based on), and lies in a municipality O serves, or
  3. a covenant valid today has O and the reporting organisation as parties, names the
     signal's theme *and* its source type, allows the signal's confidentiality, and the
     signal lies in a municipality O serves. A covenant shares nothing of a source type it
     does not name: MMA tips and police notices reach a partner only when its covenant
     names those sources (decision 0027).

What a user may *do* (register, change, link, decide, deliver, review, ...) is decided in
`organisations.permissions`, from these reads and the roles.

Aggregates (counts per area) are allowed for every role, for the municipalities the
user's organisations serve. Small counts in them are hidden from every audience that may
not open all the records behind a figure (`sees_every_record`, rules in
`figure_audience`; decision 0026): bestuurders, partners outside the covenant, and every
report for the board or council (`board_audience`). A user cleared for every record
behind a figure sees it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.db.models.lookups import Exact
from django.utils import timezone

from .models import Confidentiality, Covenant, Membership, Organisation, Role

CLEARANCE: dict[str, int] = {
    Role.MEDEWERKER: Confidentiality.VERTROUWELIJK,
    Role.ANALIST: Confidentiality.RIEC,
    Role.COORDINATOR: Confidentiality.RIEC,
}
PERSONAL_DATA_ROLES = frozenset(CLEARANCE)
CREATE_ROLES = frozenset({Role.MEDEWERKER, Role.ANALIST, Role.COORDINATOR})


@dataclass(frozen=True)
class Grant:
    """One membership's view on signals, with the covenants that widen it."""

    organisation_id: int
    clearance: int
    served_municipality_ids: frozenset[int]
    covenants: tuple[tuple[frozenset[int], frozenset[int], frozenset[int], int], ...]
    # each covenant: (party ids, theme ids, source type ids, max confidentiality)


def _memberships(user) -> list[Membership]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cache = getattr(user, "_knooppunt_memberships", None)
    if cache is None:
        cache = list(
            Membership.objects.filter(user=user, organisation__active=True).select_related(
                "organisation"
            )
        )
        user._knooppunt_memberships = cache
    return cache


def grants_for(user, today: date | None = None) -> list[Grant]:
    today = today or timezone.localdate()
    grants: list[Grant] = []
    for membership in _memberships(user):
        clearance = CLEARANCE.get(membership.role)
        if clearance is None:
            continue
        org = membership.organisation
        covenants = []
        for covenant in (
            Covenant.objects.filter(parties=org, valid_from__lte=today)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .prefetch_related("parties", "themes", "source_types")
        ):
            covenants.append(
                (
                    frozenset(p.pk for p in covenant.parties.all()),
                    frozenset(t.pk for t in covenant.themes.all()),
                    frozenset(s.pk for s in covenant.source_types.all()),
                    covenant.max_confidentiality,
                )
            )
        grants.append(
            Grant(
                organisation_id=org.pk,
                clearance=clearance,
                served_municipality_ids=frozenset(
                    org.municipalities.values_list("pk", flat=True)
                ),
                covenants=tuple(covenants),
            )
        )
    return grants


def _on_case_q(grant: Grant) -> Q:
    """Linked to a case where the organisation sits at the table or carries out a measure
    (the caller adds: in a municipality it serves; a seat at a regional table is not a view
    on the whole region's signals)."""
    from knooppunt.cases.models import CaseSignal

    organisation_id = grant.organisation_id
    seat = CaseSignal.objects.filter(
        Q(case__owner_id=organisation_id)
        | Q(case__forum__members=organisation_id)
        | Q(case__interventions__organisation_id=organisation_id)
    ).values("signal_id")
    return Q(pk__in=seat)


def _signal_q(grant: Grant) -> Q:
    """One grant's signals: clearance AND (own OR involved OR (served municipality AND
    (on a case OR shared by a covenant))).

    The joins to other tables are uncorrelated `pk IN (subquery)`: the database builds each
    id set once, where a correlated EXISTS was probed for every signal row (SQLite does
    that; benchmarks/scope_benchmark.py). The municipality condition, common to the case
    and covenant branches, is written once. `reporting_organisation_id + 0` is the same
    value without its index: with an index under every branch SQLite reads the OR through
    the indexes one branch at a time (MULTI-INDEX OR), three times slower than one pass
    when the served municipality holds most signals, and without the `received_on` order
    the list relies on (decision 0011). Which rows match is unchanged.
    """
    from knooppunt.signals.models import Signal

    involved = Signal.involved_organisations.through.objects.filter(
        organisation_id=grant.organisation_id
    ).values("signal_id")
    own = (Q(Exact(F("reporting_organisation_id") + 0, grant.organisation_id))
           | Q(pk__in=involved))
    in_area = _on_case_q(grant)
    for parties, themes, source_types, max_level in grant.covenants:
        if not (themes and source_types):
            continue  # a covenant that names no theme or no source shares nothing
        in_area |= Q(
            reporting_organisation_id__in=parties,
            theme_id__in=themes,
            source_type_id__in=source_types,
            confidentiality__lte=max_level,
        )
    return Q(confidentiality__lte=grant.clearance) & (
        own | (Q(municipality_id__in=grant.served_municipality_ids) & in_area))


def signals_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The signals `user` may see, as a queryset to filter further."""
    from knooppunt.signals.models import Signal

    qs = Signal.objects.all() if queryset is None else queryset
    grants = grants_for(user)
    if not grants:
        return qs.none()
    condition = Q(pk__in=[])
    for grant in grants:
        condition |= _signal_q(grant)
    return qs.filter(condition)


def can_view_signal(user, signal) -> bool:
    return signals_for(user).filter(pk=signal.pk).exists()


def clearance_for(user, organisation_id: int) -> int:
    """The highest confidentiality `user` may see for signals of that organisation (0: none)."""
    return max(
        (CLEARANCE.get(m.role, 0) for m in _memberships(user)
         if m.organisation_id == organisation_id),
        default=0,
    )


def sees_personal_data(user) -> bool:
    return any(m.role in PERSONAL_DATA_ROLES for m in _memberships(user))


def organisations_for_create(user) -> QuerySet:
    """Organisations on whose behalf `user` may register a signal."""
    ids = [m.organisation_id for m in _memberships(user) if m.role in CREATE_ROLES]
    return Organisation.objects.filter(pk__in=ids, active=True)


def municipalities_for(user) -> QuerySet:
    """Municipalities the user's organisations serve: the area of their aggregates."""
    from knooppunt.geo.models import Municipality

    org_ids = [m.organisation_id for m in _memberships(user)]
    if user is not None and user.is_authenticated and user.is_superuser and not org_ids:
        return Municipality.objects.all()
    return Municipality.objects.filter(organisations__pk__in=org_ids).distinct()


def roles_of(user) -> set[str]:
    return {m.role for m in _memberships(user)}


def is_beheerder(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or Role.BEHEERDER in roles_of(user)


def signals_for_aggregates(user) -> QuerySet:
    """All signals in the user's municipalities, for counting only.

    Callers may only take aggregates (`values(...).annotate(Count)`) from this queryset,
    never rows; small counts pass `suppress_small` / `suppress_breakdown`.
    """
    from knooppunt.signals.models import Signal

    return Signal.objects.filter(municipality__in=municipalities_for(user))


def signals_for_region_aggregates(user, region) -> QuerySet:
    """All signals in a safety region, for counting only, when the user may see the
    region's own-data figures (it holds one of their municipalities, `figure_scope`);
    otherwise none. The same duties as `signals_for_aggregates`: aggregates only,
    suppressed."""
    from knooppunt.signals.models import Signal

    if region is None or not figure_visible(user, "veiligheidsregio", region.code,
                                            public=False):
        return Signal.objects.none()
    return Signal.objects.filter(municipality__safety_region=region)



def sees_every_record(user, domain) -> bool:
    """Whether `user` may open every record behind a figure over `domain` (a
    `figure_audience.RecordDomain`), so the figure is shown exactly: rules in
    `figure_audience`'s docstring and decision 0026. False when in doubt."""
    from .figure_audience import sees_every_record as decide

    return decide(user, domain)


def suppressed_audience(user, domain=None) -> bool:
    """Whether `user` gets figures over `domain` with small counts hidden (and so only
    fixed periods: decision 0026). None: a figure whose records are not named."""
    return not sees_every_record(user, domain)


def board_audience():
    """Context manager: figures gathered inside it are for the board, the council or the
    public, suppressed whoever asks (reports with a board audience)."""
    from .figure_audience import board_audience as block

    return block()


def _threshold() -> int:
    from django.conf import settings

    return settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD


def suppress_small(user, count: int, behind=None) -> int | None:
    """None (shown as '<N') for a count between 1 and the threshold, unless the user may
    open every record behind it (`behind`: a `figure_audience.RecordDomain`; without it
    the count is always judged as suppressed, the conservative default).

    An aggregate counts records the user may not open, so a small number would reveal
    that they exist; a user cleared for every one of them learns nothing new.
    """
    if behind is not None and sees_every_record(user, behind):
        return count
    if 0 < count < _threshold():
        return None
    return count


def unsafe_hidden(weights: list[int], total_shown: bool = True) -> bool:
    """Whether hidden cells of one sum (cells beside a shown total) can be worked out:
    one hidden cell alone, or hidden cells whose sum is itself a small count."""
    if not weights:
        return False
    return len(weights) < 2 or (total_shown and 0 < sum(weights) < _threshold())


def complement(hidden: list[int], candidates: list[tuple[int, int]]) -> list[int]:
    """Secondary suppression: which of `candidates` ((key, weight), none hidden yet) to
    hide beside the hidden weights so the hidden part is safe (`unsafe_hidden`), taking
    the fewest and then the smallest cells: each step the smallest cell that makes the
    part safe on its own, else the largest one (fewest cells). Returns their keys."""
    chosen: list[int] = []
    pool = sorted(candidates, key=lambda kv: kv[1])
    weights = list(hidden)
    while pool and unsafe_hidden(weights):
        need = _threshold() - sum(weights)
        fits = [kv for kv in pool if kv[1] >= need and kv[1] > 0] if len(weights) >= 1 else []
        pick = fits[0] if fits else pool[-1]
        pool.remove(pick)
        chosen.append(pick[0])
        weights.append(pick[1])
    return chosen


def suppress_breakdown(user, counts: list[int], rest: int | None = None, behind=None,
                       known: list[bool] | None = None,
                       forced: list[bool] | None = None) -> list[int | None]:
    """Suppress a breakdown whose total is shown elsewhere (per municipality, per theme).

    Primary suppression hides small cells; secondary suppression then hides the fewest
    and smallest further cells (`complement`) until at least two are hidden and together
    they are not a small count, so no hidden cell can be worked out by subtracting the
    shown ones from the total.

    `rest` is the part of the total in cells the caller does not show (e.g. the
    municipalities of a region outside the user's scope): a cell of its own, hidden
    when small, and the first one taken for secondary suppression (it is never shown,
    so hiding it costs nothing). `behind`: the records of the whole breakdown; a user
    who may open all of them gets every cell. `known`: cells the user may count
    themselves (every record behind them is theirs), shown exactly and never part of
    the protection. `forced`: cells hidden by another rule (a month hidden in its
    year), treated as hidden here so the complement accounts for them. The result has
    one entry per count (not for `rest`).
    """
    if behind is not None and sees_every_record(user, behind):
        return list(counts)
    known = known or [False] * len(counts)
    forced = forced or [False] * len(counts)
    cells = list(counts) + ([rest] if rest else [])
    is_known = list(known) + ([False] if rest else [])
    is_forced = list(forced) + ([True] if rest else [])
    shown: list[int | None] = [
        c if k else (None if f and c else suppress_small(user, c))
        for c, k, f in zip(cells, is_known, is_forced, strict=True)
    ]
    hidden = [i for i, value in enumerate(shown) if value is None and not is_known[i]]
    if rest and hidden == [len(counts)] and rest >= _threshold():
        # Only the rest is hidden and it is large: a sum over areas the user does not
        # serve, derivable from the total and not a small count (decision 0014).
        return shown[:len(counts)]
    if not hidden:
        return shown[:len(counts)]
    candidates = [(i, cells[i]) for i, value in enumerate(shown)
                  if value and not is_known[i]]
    for index in complement([cells[i] for i in hidden], candidates):
        shown[index] = None
    return shown[:len(counts)]


# Cases, interventions, subjects and meetings: rules in `case_scope`'s docstring.
from . import case_scope as _case_scope  # noqa: E402

cases_for = _case_scope.cases_for
cases_of_signal = _case_scope.cases_of_signal
forums_for = _case_scope.forums_for
interventions_for = _case_scope.interventions_for
interventions_to_update_for = _case_scope.interventions_to_update_for
may_see_whole_case = _case_scope.may_see_whole_case
meetings_for = _case_scope.meetings_for
roles_for_case = _case_scope.roles_for_case
subjects_for = _case_scope.subjects_for


# Entities and their statements (FtM, issue 16): rules in `entities.querysets`' docstring.
def statements_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.entities.querysets import statements_for as decide

    return decide(user, queryset)


def current_statements_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.entities.querysets import current_statements_for as decide

    return decide(user, queryset)


def entities_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.entities.querysets import entities_for as decide

    return decide(user, queryset)


# Names or pseudonyms (decision 0054): rules in `entities.need_to_know`'s docstring.
def needs_pseudonyms(user, entity_id: str | None = None, *, via_case=None) -> bool:
    from knooppunt.entities.need_to_know import needs_pseudonyms as decide

    return decide(user, entity_id, via_case=via_case)


def shown_network(user, network, *, via_case=None):
    """`network` (an `analytics.networks.Network` of what the user may see) as the user
    may see it shown: names where `needs_pseudonyms` says so, pseudonyms elsewhere."""
    from knooppunt.entities.shown import network as decide

    return decide(user, network, via_case=via_case)


# Candidate matches between person entities: rules in `matches.querysets`' docstring.
def matches_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from knooppunt.matches.querysets import matches_for as decide

    return decide(user, queryset)


# Figures (monitoring): which areas' figures a user may see. The rules are in
# figure_scope's docstring; this module stays the one entry point.
def figure_visible(user, level: str, code: str, *, public: bool) -> bool:
    from .figure_scope import figure_visible as decide

    return decide(user, level, code, public=public)


def figure_visible_codes(user, codes: list[str], *, public: bool) -> set[str]:
    from .figure_scope import visible_codes

    return visible_codes(user, codes, public=public)


def figure_municipality_codes(user) -> frozenset[str]:
    from .figure_scope import served_municipality_codes

    return served_municipality_codes(user)


# Facts beside a signal (enrichment): the rules are in fact_scope's docstring.
def energy_anomaly_visible(user, address_register_id: str, reported_on: date) -> bool:
    """May `user` see the grid operator's anomaly at the address reported on that day?"""
    from .fact_scope import energy_anomaly_visible as decide

    return decide(user, address_register_id, reported_on)


# Police incident registrations (events): the rules are in event_scope's docstring.
def events_for(user, queryset: QuerySet | None = None) -> QuerySet:
    from .event_scope import events_for as decide

    return decide(user, queryset)


def event_datasets_for(user) -> QuerySet:
    from .event_scope import event_datasets_for as decide

    return decide(user)


def events_for_aggregates(user) -> QuerySet:
    from .event_scope import events_for_aggregates as decide

    return decide(user)


def energy_anomalies_visible(user, anomalies) -> list:
    """The anomalies among `anomalies` that `energy_anomaly_visible` allows (one query)."""
    from .fact_scope import energy_anomalies_visible as decide

    return decide(user, anomalies)


def counts_events(user) -> bool:
    from .event_scope import counts_events as decide

    return decide(user)


def offers_incidents(user) -> bool:
    from .event_scope import offers_incidents as decide

    return decide(user)


# Vulnerable places (seed 001, module 5): the rules are in place_scope's docstring.
def vulnerable_place_municipalities(user) -> QuerySet:
    from .place_scope import list_municipalities

    return list_municipalities(user)


def place_visit_municipalities(user) -> QuerySet:
    from .place_scope import visit_municipalities

    return visit_municipalities(user)
