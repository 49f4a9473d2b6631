"""/incidenten/: the police incidents a user may read, as a list, or as counts.

A role that reads records (medewerker, analist, coordinator) of a gemeente, politie, RIEC
or OM organisation sees the events `scope.events_for` allows, filtered, sorted and paged;
every page is written to the processing log with the ids shown, like the signal list. A
bestuurder of such an organisation sees counts only (decision 0044): from
`scope.events_for_aggregates`, small counts suppressed; no event, no place finer than a
wijk. Everyone else is refused.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from knooppunt.audit.log import Action, Outcome, record
from knooppunt.organisations import permissions, scope

from .aggregates import incident_counts
from .api import OBJECT_TYPE, PURPOSE
from .filters import EventFilterForm
from .models import EventDataset

PAGE_SIZE = 50


def _aggregate_datasets(user):
    return EventDataset.objects.filter(
        pk__in=scope.events_for_aggregates(user).values("dataset_id"))


@login_required
@require_GET
@permissions.read_only
def event_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    reads_rows = scope.sees_personal_data(user) and scope.offers_incidents(user)
    if not reads_rows and not scope.counts_events(user):
        record(user=user, action=Action.LIST, object_type=OBJECT_TYPE, purpose=PURPOSE,
               outcome=Outcome.DENIED, detail="rol zonder toegang tot incidenten")
        raise PermissionDenied(_("Uw rol of organisatie geeft geen toegang tot "
                                 "politie-incidenten."))
    datasets = scope.event_datasets_for(user) if reads_rows else _aggregate_datasets(user)
    form = EventFilterForm(request.GET or None, user=user, datasets=datasets)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, object] = {"form": form, "query": query.urlencode(),
                                  "reads_rows": reads_rows}
    status = 400 if form.is_bound and not form.is_valid() else 200
    if reads_rows:
        queryset = form.apply(scope.events_for(user).select_related(
            "dataset", "offence", "municipality", "district"))
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        record(user=user, action=Action.LIST, object_type=OBJECT_TYPE,
               object_ids=[e.pk for e in page.object_list], purpose=PURPOSE,
               detail=request.GET.urlencode()[:500])
        context.update(page=page, has_datasets=datasets.exists())
    else:
        area = form.cleaned_data.get("gebied", "") if status == 200 and form.is_bound else ""
        counts = incident_counts(user, form.apply(scope.events_for_aggregates(user)), area)
        context.update(counts=counts, breakdowns=[counts.by_area, counts.by_code])
    return render(request, "events/list.html", context, status=status)
