"""What Knooppunt already knows beside a signal: earlier signals at the address and nearby,
the building, companies, the grid operator's energy anomaly and the organisations involved.

Every signal shown or counted here comes from `scope.signals_for(user)`: enrichment never
reveals that a signal the user may not open exists. The energy anomaly is the grid
operator's report and is shown only when `scope.energy_anomaly_visible` allows it; building
and company facts come from public registers (BAG, KvK). Each fact carries its source and
date. `enrich` writes nothing; whoever shows the result calls `log_shown` (the signal page's
template tag, the API's serializer) or logs it itself (the bestuurlijke rapportage).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunt.audit.shown import SIGNAL, Shown
from knooppunt.organisations import scope
from knooppunt.registers import addresses, companies, energy

from .models import Signal

NEARBY_METRES = 250.0
NEARBY_YEARS = 3
MAX_LISTED = 20


@dataclass(frozen=True)
class RelatedSignal:
    reference: str
    received_on: date
    theme: str
    status: str
    address: str
    distance_m: int | None
    pk: int


@dataclass(frozen=True)
class InvolvedOrganisation:
    name: str
    role: str  # "melder", "betrokken" or "eerder signaal op dit adres"
    since: date


@dataclass
class Enrichment:
    same_address: list[RelatedSignal] = field(default_factory=list)
    same_address_source: str = ""
    nearby: list[RelatedSignal] = field(default_factory=list)
    nearby_total: int = 0
    building: addresses.RegisterAddress | None = None
    companies: list[companies.CompanyFact] = field(default_factory=list)
    energy: energy.EnergyFact | None = None
    organisations: list[InvolvedOrganisation] = field(default_factory=list)
    knooppunt_source: str = ""
    as_of: date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.same_address or self.nearby or self.building or self.companies
                    or self.energy or self.organisations)


def _related(signal: Signal, origin: Signal) -> RelatedSignal:
    distance = None
    if origin.x_rd is not None and signal.x_rd is not None:
        distance = round(math.hypot(signal.x_rd - origin.x_rd, signal.y_rd - origin.y_rd))
    return RelatedSignal(signal.reference, signal.received_on, signal.theme.name,
                         signal.get_status_display(), signal.address_line, distance, signal.pk)


def _same_address_q(signal: Signal) -> Q | None:
    if signal.address_register_id:
        return Q(address_register_id=signal.address_register_id)
    if signal.postcode and signal.house_number:
        return Q(postcode=signal.postcode, house_number=signal.house_number,
                 house_letter=signal.house_letter,
                 house_number_addition=signal.house_number_addition)
    return None


def enrich(user, signal: Signal, *, today: date | None = None) -> Enrichment:
    """The facts beside `signal` that `user` may see."""
    today = today or timezone.localdate()
    result = Enrichment(knooppunt_source=_("Knooppunt (signalen die u mag inzien)"),
                        as_of=today)
    visible = scope.signals_for(user).exclude(pk=signal.pk).select_related("theme")
    same_ids: set[int] = set()
    same_q = _same_address_q(signal)
    if same_q is not None:
        same = list(visible.filter(same_q).select_related("reporting_organisation")
                    .order_by("-received_on", "-id"))
        same_ids = {s.pk for s in same}
        result.same_address = [_related(s, signal) for s in same[:MAX_LISTED]]
        result.same_address_source = (_("BAG-adres") if signal.address_register_id
                                      else _("postcode en huisnummer"))
    if signal.x_rd is not None and signal.y_rd is not None:
        r = NEARBY_METRES
        since = today - timedelta(days=round(365.25 * NEARBY_YEARS))
        candidates = visible.filter(
            received_on__gte=since,
            x_rd__gte=signal.x_rd - r, x_rd__lte=signal.x_rd + r,
            y_rd__gte=signal.y_rd - r, y_rd__lte=signal.y_rd + r,
        ).exclude(pk__in=same_ids)
        near = [_related(s, signal) for s in candidates]
        near = sorted((n for n in near if n.distance_m is not None and n.distance_m <= r),
                      key=lambda n: (n.distance_m, n.reference))
        result.nearby_total = len(near)
        result.nearby = near[:MAX_LISTED]
    if signal.address_register_id:
        result.building = addresses.by_register_id(signal.address_register_id)
        result.companies = companies.companies_at(signal.address_register_id)
        result.energy = next(
            (fact for fact in energy.anomalies(signal.address_register_id)
             if scope.energy_anomaly_visible(user, signal.address_register_id,
                                             fact.reported_on)), None)
    result.organisations = _organisations(signal, visible, same_q)
    return result


def log_shown(user, signal: Signal, result: Enrichment, *, purpose: str,
              channel: str | None = None) -> None:
    """Write the signals listed beside `signal` to the processing log (one LIST row)."""
    shown = Shown()
    shown.add(SIGNAL, [s.pk for s in (*result.same_address, *result.nearby)])
    shown.record(user=user, purpose=purpose, channel=channel,
                 detail=f"signalen op en rond het adres van {signal.reference}")


def _organisations(signal: Signal, visible, same_q: Q | None) -> list[InvolvedOrganisation]:
    registered = signal.history.order_by("changed_at").values_list("changed_at", flat=True)
    first = registered.first() or signal.created_at  # bulk-written: no stored first row
    since = timezone.localtime(first).date() if first else signal.received_on
    found: dict[str, InvolvedOrganisation] = {
        signal.reporting_organisation.name: InvolvedOrganisation(
            signal.reporting_organisation.name, _("melder"), signal.received_on)
    }
    for org in signal.involved_organisations.all():
        found.setdefault(org.name, InvolvedOrganisation(org.name, _("betrokken"), since))
    if same_q is not None:
        for name, received_on in (visible.filter(same_q)
                                  .order_by("received_on")
                                  .values_list("reporting_organisation__name", "received_on")):
            found.setdefault(name, InvolvedOrganisation(
                name, _("eerder signaal op dit adres"), received_on))
    return list(found.values())
