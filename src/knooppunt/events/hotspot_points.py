"""Police incidents as a points source of the hotspot service (`points=events`).

The events of one dataset (optionally some offence codes) in the hotspot area and period,
through `events.points.event_points`: the events a user may read one by one, or for
aggregate-only audiences the events in their municipalities (counted, suppressed by the
service). A dataset outside the Netherlands (another CRS) is asked for without an area:
its points come with their CRS and the service grids their hull. A user who may read
none of the dataset gets a refusal (403), not an empty map that would look like "no
incidents here".
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from knooppunt.analytics import hotspot_service as service
from knooppunt.organisations import scope

from .models import EventDataset
from .points import event_points

RD_NEW = 28992


def event_hotspot_points(user, query: service.Query, area: service.Area | None,
                         aggregate_only: bool) -> service.Points:
    if not query.dataset:
        raise service.HotspotError(_("Geef de dataset van de incidenten (dataset=…)."),
                                   "dataset")
    dataset = EventDataset.objects.filter(code=query.dataset).first()
    if dataset is None:
        raise service.HotspotError(_("Onbekende dataset."), "dataset")
    allowed = (scope.counts_events(user) if aggregate_only
               else scope.event_datasets_for(user).filter(pk=dataset.pk).exists())
    if not allowed:
        raise service.NotAllowed(_("U mag de incidenten van deze dataset niet gebruiken."),
                                 "dataset")
    if dataset.crs != RD_NEW and area is not None:
        raise service.HotspotError(_("Deze dataset ligt niet in Nederland: laat het gebied "
                                     "leeg, dan is het studiegebied de omhullende van de "
                                     "incidenten."), "area")
    if dataset.crs == RD_NEW and area is None:
        raise service.HotspotError(_("Geef een gebied (gemeente, regio of wijk)."), "area")
    table = event_points(user, dataset, query.codes or None, query.start, query.end,
                         municipality_ids=area.municipality_ids if area else None,
                         aggregate=aggregate_only)
    data = _("politie-incidenten %(name)s") % {"name": dataset.name}
    if query.codes:
        data += f" {_('code')} {', '.join(query.codes)}"
    if not aggregate_only:
        data += _(" die u mag zien")
    points = service.points_from_arrow(table, data, day="occurred_on")
    return replace(points, crs=f"EPSG:{dataset.crs}", name=dataset.name)


def register() -> None:
    service.register_points_source("events", event_hotspot_points)
