"""Warm the figure cache after the monitoring job, so the first visitor of a dashboard
does not pay for computing its figures.

The cache is keyed by figure scope (`figures.scope_signature`), so one user per distinct
scope is enough: for each of them the mayor's overview of every municipality they serve
is built in Dutch (the default language), as a first visit without filters would build
it. With a cache shared between processes (`CACHES["figures"]`, file-based by default)
this works when the job runs in its own process too; the chart SVGs are kept per process
(`charts.render`), so those are warm only when the job runs inside the web process (as
in the demo). Off with ``KNOOPPUNT_DASHBOARD_WARM = False``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
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
    from .views import blank_form, overview

    year = year or timezone.localdate().year
    built = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users_per_scope():
            for code in sorted(scope.figure_municipality_codes(user)):
                with memo.active():
                    try:
                        area = queries.area(user, AreaLevel.MUNICIPALITY, code)
                        overview(user, area, year, blank_form(user))
                    except Exception:  # one bad area must not stop the others
                        logger.exception("warming the dashboard of %s failed", code)
                        continue
                built += 1
    return built


@receiver(figures_computed)
def _after_job(**kwargs) -> None:
    if getattr(settings, "KNOOPPUNT_DASHBOARD_WARM", True):
        warm()
