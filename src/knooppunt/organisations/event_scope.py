"""Which police incident registrations (events, decision 0037) a user may read.

Events are police data: times and places of crimes and nuisance, sometimes at a home.
Per membership (organisation O of kind K, role R with clearance C, see `scope`):

* Bestuurders and beheerders read no events: bestuurders get aggregates only
  (`events_for_aggregates`, counted and suppressed like signals), beheerders nothing.
* An event is never readable above C: the dataset's confidentiality must be at most C.
* O holds the dataset (the police unit that registered and delivered it): every event.
* Otherwise O must be of a kind that works with police information in the integrated
  approach (`EVENT_READER_KINDS`: gemeente, politie, RIEC, OM) and share a covenant valid
  today with the dataset's holder that names the police source type (`politie`, or the
  source type of the dataset's profile) and allows the dataset's confidentiality; then O
  reads the events placed in a municipality it serves. Partners (grid operator, housing
  corporation, water company, care office) never read events, whatever their covenant
  says; the Belastingdienst neither (it does not need incident registrations).
* An event that is not placed in a Dutch municipality (a foreign dataset such as the
  Toronto test data) is read by the holder only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import OrganisationKind, Role

EVENT_READER_KINDS = frozenset({OrganisationKind.GEMEENTE, OrganisationKind.POLITIE,
                                OrganisationKind.RIEC, OrganisationKind.OM})


def _grant_q(grant, kind: str) -> Q:
    from knooppunt.events.models import EventDataset

    condition = Q(dataset__organisation_id=grant.organisation_id)
    if kind in EVENT_READER_KINDS and grant.served_municipality_ids:
        for parties, _themes, source_types, max_level in grant.covenants:
            datasets = EventDataset.objects.filter(
                organisation_id__in=parties, profile__source_type_id__in=source_types,
                confidentiality__lte=max_level,
            ).values("pk")
            condition |= Q(dataset_id__in=datasets,
                           municipality_id__in=grant.served_municipality_ids)
    return Q(dataset__confidentiality__lte=grant.clearance) & condition


def events_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """The events `user` may read one by one, as a queryset to filter further."""
    from knooppunt.events.models import Event

    from . import scope

    qs = Event.objects.all() if queryset is None else queryset
    kinds = {m.organisation_id: m.organisation.kind for m in scope._memberships(user)}
    grants = scope.grants_for(user)
    if not grants:
        return qs.none()
    condition = Q(pk__in=[])
    for grant in grants:
        condition |= _grant_q(grant, kinds.get(grant.organisation_id, ""))
    return qs.filter(condition)


def event_datasets_for(user) -> QuerySet:
    """The datasets of which `user` may read at least some events (for filters and lists)."""
    from knooppunt.events.models import EventDataset

    return EventDataset.objects.filter(
        pk__in=events_for(user).values("dataset_id").distinct())


def events_for_aggregates(user) -> QuerySet:
    """The events placed in the user's municipalities, for counting only.

    Callers take aggregates (counts per area, grid cell or code) from this queryset, never
    rows, and suppress small counts with `scope.suppress_small`, as for signals.
    """
    from knooppunt.events.models import Event

    from . import scope

    return Event.objects.filter(municipality__in=scope.municipalities_for(user))


def counts_events(user) -> bool:
    """Whether `user` may take aggregates of events at all: a role without personal data
    (bestuurder) in an organisation of a kind that works with police information."""
    from . import scope

    return any(m.role == Role.BESTUURDER and m.organisation.kind in EVENT_READER_KINDS
               for m in scope._memberships(user))


def offers_incidents(user) -> bool:
    """Whether the incident page is offered (menu, links): a role that reads events one by
    one or counts them, in an organisation of a kind that works with police information.
    What the page then shows is decided by `events_for` / `counts_events` (decision 0044)."""
    from . import scope

    return any(m.role != Role.BEHEERDER and m.organisation.kind in EVENT_READER_KINDS
               for m in scope._memberships(user))
