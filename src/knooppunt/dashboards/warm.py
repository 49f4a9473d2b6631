"""Warm the figure cache after the monitoring job, so the first visitor of a dashboard
does not pay for computing its figures, charts or panels.

The cache is keyed by figure scope (`figures.scope_signature`), so one user per distinct
scope is enough: for each of them the mayor's overview of every municipality they serve
is built in Dutch (the default language), as a first visit without filters would build
it: the figures, the chart SVGs (`charts.render`) and the rendered panels
(`dashboards.fragments`). All of it lives in the shared cache (`CACHES["figures"]`,
file-based by default), so this works when the job runs in its own process too: the web
process reads the page's panels in one cache read. Off with
``KNOOPPUNT_DASHBOARD_WARM = False``.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.http import QueryDict
from django.utils import timezone, translation

from knooppunt.monitoring import memo, queries
from knooppunt.monitoring.events import figures_computed
from knooppunt.monitoring.models import AreaLevel
from knooppunt.organisations import scope

from .figures import scope_signature

logger = logging.getLogger(__name__)


def users_per_scope() -> list:
    """One active user for every distinct figure scope among the members of active
    organisations (superusers without a membership are left out: their scope is all)."""
    chosen: dict[str, object] = {}
    users = get_user_model().objects.filter(
        is_active=True, memberships__organisation__active=True).distinct().order_by("pk")
    for user in users:
        signature = scope_signature(user)
        if signature and signature not in chosen:
            chosen[signature] = user
    return list(chosen.values())


def warm(year: int | None = None) -> int:
    """Build the overview of every served municipality once per scope; returns how many."""
    from . import fragments
    from .views import blank_form, form_state, overview_html

    year = year or timezone.localdate().year
    built = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users_per_scope():
            for code in sorted(scope.figure_municipality_codes(user)):
                with memo.active():
                    try:
                        area = queries.area(user, AreaLevel.MUNICIPALITY, code)
                        fragments.fragment(
                            user, "municipality", (area.code, year, "", ""),
                            partial(overview_html, user, area, year, blank_form(user)))
                        # The form as a first visit shows it, as a link to a year opens it
                        # and as "Toon" sends it back.
                        for query in ("", f"jaar={year}", f"indicator=&jaar={year}"):
                            sent = QueryDict(query)
                            fragments.fragment(
                                user, "municipality-form", (area.code, sorted(sent.lists())),
                                partial(form_state, area, blank_form(user, sent or None)))
                    except Exception:  # one bad area must not stop the others
                        logger.exception("warming the dashboard of %s failed", code)
                        continue
                built += 1
    return built


@receiver(figures_computed)
def _after_job(**kwargs) -> None:
    if getattr(settings, "KNOOPPUNT_DASHBOARD_WARM", True):
        warm()
