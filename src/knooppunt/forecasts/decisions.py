"""Recording a decision taken on a forecast: the one writer of `ForecastDecision`.

The forecast decides nothing; a named person does, and says what (extra controle,
preventie, geen actie, anders) with a free text. The decision is tied to what the person
saw: the forecast's period, method, the cell's value and the data version and evaluation
it came from. Only analysts and coordinators of an organisation serving the whole area
may record one (`permissions` `forecast.decide`); refusals are `DecisionRefused` with a
Dutch message and the field; nothing is stored then. Each decision is in the processing
log.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from shapely import contains_xy
from shapely.geometry import shape

from knooppunt.audit.log import Action, record
from knooppunt.organisations import permissions, scope

from .models import DecisionKind, ForecastDecision
from .service import Forecast
from .targets import Target

PURPOSE = "Plaatsgebonden voorspelling: besluit vastleggen"
MAX_NOTE = 2000


class DecisionRefused(Exception):
    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


def _municipality(forecast: Forecast, index: int):
    """The municipality of the area holding the cell's centre (or the only one)."""
    from knooppunt.geo.models import Municipality

    found = Municipality.objects.filter(pk__in=forecast.area.municipality_ids)
    if index < 0:
        return found.first() if len(forecast.area.municipality_ids) == 1 else None
    x, y = forecast.grid.centres()
    for municipality in found.exclude(boundary__isnull=True):
        if contains_xy(shape(municipality.boundary), x[index], y[index]):
            return municipality
    return None


def _organisation(user, municipality_ids: tuple[int, ...]):
    """The user's analyst or coordinator organisation that serves the whole area (else
    the first such organisation: the permission check has passed for the area)."""
    editors = [m.organisation for m in scope._memberships(user)
               if m.role in permissions.EDITOR_ROLES]
    for organisation in editors:
        served = set(organisation.municipalities.values_list("pk", flat=True))
        if set(municipality_ids) <= served:
            return organisation
    return editors[0] if editors else None


@transaction.atomic
def record_decision(user, forecast: Forecast, *, kind: str, note: str = "",
                    cell: str = "") -> ForecastDecision:
    """Append the decision on `forecast` (a cell, or the whole area without `cell`)."""
    if kind not in DecisionKind.values:
        raise DecisionRefused("kind", _("Kies een besluit: extra controle, preventie, geen "
                                        "actie of anders."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DecisionRefused("note", _("De toelichting is te lang: hoogstens %(n)s tekens.")
                              % {"n": MAX_NOTE})
    if kind == DecisionKind.OTHER and not note:
        raise DecisionRefused("note", _("Bij 'anders' is een toelichting nodig."))
    index = -1
    if cell:
        index = forecast.cell_index(cell)
        if index < 0:
            raise DecisionRefused("cell", _("Deze cel ligt niet in het gebied van de "
                                            "voorspelling."))
    if not permissions.may(user, permissions.Action.FORECAST_DECIDE, forecast.area):
        raise DecisionRefused("area", _("U mag geen besluiten op voorspellingen vastleggen "
                                        "in dit gebied."), 403)
    organisation = _organisation(user, forecast.area.municipality_ids)
    decision = ForecastDecision(
        decided_by=user, organisation=organisation, evaluation=forecast.evaluation,
        **forecast.target.lookup(), area_code=forecast.area.code,
        municipality=_municipality(forecast, index), horizon=forecast.query.horizon,
        cell_size=forecast.query.cell_size, period=forecast.period, cell=cell,
        method=forecast.method,
        forecast=float(forecast.shown[index]) if index >= 0 else None,
        data_version=forecast.data_version, kind=kind, note=note)
    decision.save()
    record(user=user, action=Action.CREATE, obj=decision, purpose=PURPOSE,
           detail=f"{kind} {forecast.target.code} {forecast.area.code} {cell}".strip())
    return decision


def decisions_for(target: Target, area_code: str, limit: int = 50) -> list[ForecastDecision]:
    """The latest decisions on forecasts of a target in an area (the caller has checked
    the user may see forecasts of the target and the area)."""
    return list(ForecastDecision.objects.filter(**target.lookup(), area_code=area_code)
                .select_related("decided_by", "organisation", "theme", "dataset",
                                "offence")[:limit])
