"""Figures for the dashboard pages: `monitoring.queries`, cached per scope and data version.

The mayor's page asks monitoring for some 15 figure sets; computing them takes well over a
hundred small queries. The figures only change when the monitoring job stores new values,
a target, peer group or alert changes, so results are cached:

* key: the function and its arguments, the user's *figure scope* (the municipalities whose
  own-data figures they may see: `scope.figure_municipality_codes`, which is everything
  `scope.figure_visible` decides on), the small-count threshold, the language, and the
  data version below. Two users with the same scope get the same (already suppressed)
  figures, which is exactly what `monitoring.queries` would return to each of them.
* data version: when the job last computed an indicator (`Indicator.computed_at`), and a
  counter bumped on every save or delete of an indicator, target, peer group, alert or
  organisation and on every change of the municipalities an organisation serves (which
  changes the peers of own-data benchmarks), plus their counts, for bulk changes that
  send no signals.
* at most `KNOOPPUNT_DASHBOARD_CACHE_SECONDS` (default 600) old, whatever happens.

When the figure rules in `organisations.scope` start to depend on more than the served
municipalities (e.g. the role), `scope_signature` must include that too; the test
`test_cached_figures_follow_scope` guards the current rule.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language

from knooppunt.monitoring import queries
from knooppunt.monitoring.models import Alert, Indicator, PeerGroup, Target
from knooppunt.organisations import scope
from knooppunt.organisations.models import Organisation

BUMP_KEY = "dashboards:bump"
CACHE_ALIAS = "figures"


def figure_cache():
    """The cache that holds dashboard figures: `CACHES["figures"]` (shared between
    processes by default, so the compute job can warm it), else the default cache."""
    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def _seconds() -> int:
    return int(getattr(settings, "KNOOPPUNT_DASHBOARD_CACHE_SECONDS", 600))


@receiver(post_save, sender=Indicator)
@receiver(post_delete, sender=Indicator)
@receiver(post_save, sender=Target)
@receiver(post_delete, sender=Target)
@receiver(post_save, sender=PeerGroup)
@receiver(post_delete, sender=PeerGroup)
@receiver(post_save, sender=Alert)
@receiver(post_delete, sender=Alert)
# Which municipalities an organisation serves (or whether it is active) decides which
# municipalities own-data benchmarks compare (`monitoring.benchmark.covered_codes`).
@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(m2m_changed, sender=Organisation.municipalities.through)
def _bump(**kwargs) -> None:
    cache = figure_cache()
    try:
        cache.incr(BUMP_KEY)
    except ValueError:
        cache.set(BUMP_KEY, 1, None)


def data_version() -> str:
    """Changes whenever a figure on a dashboard could change (five small queries)."""
    indicators = Indicator.objects.aggregate(at=Max("computed_at"), n=Count("id"))
    targets = Target.objects.aggregate(n=Count("id"), last=Max("id"))
    alerts = Alert.objects.aggregate(n=Count("id"), last=Max("id"), seen=Max("reviewed_at"))
    served = Organisation.municipalities.through.objects.aggregate(n=Count("id"),
                                                                   last=Max("id"))
    return repr((indicators, targets, alerts, served, PeerGroup.objects.count(),
                 figure_cache().get(BUMP_KEY, 0)))


def scope_signature(user) -> str:
    """What the figure scope of `user` depends on (see the module docstring)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return ",".join(sorted(scope.figure_municipality_codes(user)))


class CachedQueries:
    """`monitoring.queries` with the same functions, cached; one data version per request."""

    def __init__(self, user) -> None:
        self._user = user
        self._prefix = "|".join((
            scope_signature(user), str(settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD),
            get_language() or "", data_version()))

    def _call(self, name: str, function: Callable, args: tuple, kwargs: dict):
        raw = pickle.dumps((name, args, sorted(kwargs.items()), self._prefix))
        key = "dashboards:q:" + hashlib.sha256(raw).hexdigest()
        cache = figure_cache()
        found = cache.get(key)
        if found is not None:
            return found
        result = function(self._user, *args, **kwargs)
        cache.set(key, result, _seconds())
        return result

    def __getattr__(self, name: str):
        function = getattr(queries, name)
        if not callable(function) or name.startswith("_") or isinstance(function, type):
            return function

        def call(user, *args, **kwargs):
            if user is not self._user:  # never serve one user's figures to another
                return function(user, *args, **kwargs)
            return self._call(name, function, args, kwargs)

        return call
