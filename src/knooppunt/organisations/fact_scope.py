"""Which facts beside a signal (enrichment) a user may see: only those whose own source
the user may see.

* Signals at the address and nearby: `scope.signals_for(user)`, like every signal.
* An energy anomaly is the grid operator's report about the address. It is shown only
  when the user may open a grid-operator report at that address (a signal whose source
  type is the grid operator's, or that a grid operator reported) received on or after
  the anomaly was reported: then the user already knows that the grid operator reported
  the address, and the anomaly adds the measured figures of that report. Otherwise its
  presence alone would reveal a report the user may not see (issue 13, finding 4).
* Building facts (BAG) and companies (KvK Handelsregister) come from public registers
  and are shown to every user who may open the signal.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .models import OrganisationKind

GRID_SOURCE_TYPE = "netbeheerder"


def grid_reports_q() -> Q:
    """Signals that are a grid operator's report."""
    return (Q(source_type__code=GRID_SOURCE_TYPE)
            | Q(reporting_organisation__kind=OrganisationKind.NETBEHEERDER))


def energy_anomaly_visible(user, address_register_id: str, reported_on: date) -> bool:
    from . import scope

    if not address_register_id:
        return False
    return scope.signals_for(user).filter(
        grid_reports_q(), address_register_id=address_register_id,
        received_on__gte=reported_on,
    ).exists()


def energy_anomalies_visible(user, anomalies) -> list:
    """The anomalies (with `address` loaded) that `energy_anomaly_visible` would show,
    decided in one query: per address, the latest grid report the user may open."""
    from django.db.models import Max

    from . import scope

    anomalies = list(anomalies)
    ids = {a.address.nummeraanduiding_id for a in anomalies}
    if not ids:
        return []
    latest = dict(scope.signals_for(user).filter(grid_reports_q(),
                                                  address_register_id__in=ids)
                  .values("address_register_id").annotate(last=Max("received_on"))
                  .order_by().values_list("address_register_id", "last"))
    return [a for a in anomalies
            if a.address.nummeraanduiding_id in latest
            and latest[a.address.nummeraanduiding_id] >= a.reported_on]
