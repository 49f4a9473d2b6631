"""Recording a visit step: the one writer of `PlaceVisit` (checked, logged).

The place must be a register address in a municipality where the user may record visits
(`permissions.place.visit`); the date lies within the five years the analysis covers and
not in the future; an outcome belongs to a step that met the owner (contacted, visited,
referred), a planned visit has none. Refusals are `VisitRefused` with a Dutch message and
the field it is about; nothing is stored then.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from knooppunt.audit.log import Action, record
from knooppunt.organisations import permissions
from knooppunt.organisations.place_scope import visit_organisation
from knooppunt.registers.models import Address

from .models import Outcome, PlaceVisit, Step

PURPOSE = "Kwetsbare plekken buitengebied (module 5): bezoek vastleggen"
OLDEST_DAYS = 5 * 365


class VisitRefused(Exception):
    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


def check(user, *, address_id: int, step: str, outcome: str, on: date,
          today: date) -> Address:
    """The address if the step may be recorded (see the module text), else VisitRefused."""
    if step not in Step.values:
        raise VisitRefused("step", _("Kies een stap: gepland, benaderd, bezocht of "
                                     "doorverwezen."))
    if outcome not in Outcome.values:
        raise VisitRefused("outcome", _("Kies een uitkomst uit de lijst."))
    if step == Step.PLANNED and outcome:
        raise VisitRefused("outcome", _("Een gepland bezoek heeft nog geen uitkomst."))
    if on > today:
        raise VisitRefused("on", _("De datum ligt in de toekomst."))
    if on < today - timedelta(days=OLDEST_DAYS):
        raise VisitRefused("on", _("De datum ligt meer dan vijf jaar terug."))
    address = Address.objects.select_related("municipality").filter(pk=address_id).first()
    if address is None or address.municipality is None:
        raise VisitRefused("place", _("Deze plek staat niet in het adresregister."), 404)
    if not permissions.may(user, permissions.Action.PLACE_VISIT, address.municipality):
        raise VisitRefused("place", _("U mag geen bezoeken vastleggen in deze gemeente."),
                           403)
    return address


@transaction.atomic
def record_visit(user, *, address_id: int, step: str, outcome: str = "", on: date,
                 today: date, score: float | None = None) -> PlaceVisit:
    """Append one step to the place's history and log it."""
    address = check(user, address_id=address_id, step=step, outcome=outcome, on=on,
                    today=today)
    visit = PlaceVisit(address=address, municipality=address.municipality, step=step,
                       outcome=outcome, on=on,
                       organisation=visit_organisation(user, address.municipality),
                       recorded_by=user, score=score)
    visit.save()
    record(user=user, action=Action.CREATE, obj=visit, purpose=PURPOSE,
           detail=f"{step} {outcome}".strip())
    return visit
