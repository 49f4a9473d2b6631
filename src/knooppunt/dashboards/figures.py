"""Figures for the dashboard pages: `monitoring.queries`, cached per scope and data version.

The mayor's page asks monitoring for some 15 figure sets; computing them takes well over a
hundred small queries. The figures only change when the monitoring job stores new values,
a target, peer group or alert changes, so results are cached:

* key: the function and its arguments, the user's *figure scope* (the municipalities whose
  own-data figures they may see: `scope.figure_municipality_codes`, which is everything
  `scope.figure_visible` decides on), the small-count threshold, the language, today's
  date (a running year's target is compared pro rata to the day) and the data version
  below (`key_prefix`). The rendered fragments of the pages (`dashboards.fragments`) use
  the same prefix. Two users with the same scope get the same (already suppressed)
  figures, which is exactly what `monitoring.queries` would return to each of them.
* data version: when the job last computed an indicator (`Indicator.computed_at`), and a
  token renewed on every save or delete of an indicator, target, peer group, alert, theme or
  organisation and on every change of the municipalities an organisation serves (which
  changes the peers of own-data benchmarks), plus their counts, for bulk changes that
  send no signals. All of it is read in one query.
* the code version (`code_version`: a deploy draws pages anew).
* at most `KNOOPPUNT_DASHBOARD_CACHE_SECONDS` (default a day: the key holds the day
  anyway) old, whatever happens, so the pages the job warmed stay warm until the data
  change (decision 0018; it was 600 s).

Since decision 0026 a figure is exact for a user who may open every record behind it, so
`scope_signature` also holds the user's grants on records
(`figure_audience.audience_signature`; "suppressed" for bestuurders and inside a board
report); the test `test_cached_figures_follow_scope` guards the rule.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language

from knooppunt.monitoring import queries
from knooppunt.monitoring.models import Alert, Indicator, PeerGroup, Target
from knooppunt.organisations import scope
from knooppunt.organisations.models import Organisation
from knooppunt.taxonomy.models import Theme

BUMP_KEY = "dashboards:bump"
CACHE_ALIAS = "figures"


def figure_cache():
    """The cache that holds dashboard figures: `CACHES["figures"]` (shared between
    processes by default, so the compute job can warm it), else the default cache."""
    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def seconds() -> int:
    """How long a cached figure or fragment may be kept (`KNOOPPUNT_DASHBOARD_CACHE_SECONDS`)."""
    return int(getattr(settings, "KNOOPPUNT_DASHBOARD_CACHE_SECONDS", 86400))


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
# The themes a filter form accepts (its validation is cached with the form, see views).
@receiver(post_save, sender=Theme)
@receiver(post_delete, sender=Theme)
@receiver(m2m_changed, sender=Organisation.municipalities.through)
def _bump(**kwargs) -> None:
    # A new value every time (not a counter): a counter evicted from the cache would start
    # again at values that older entries were built with.
    figure_cache().set(BUMP_KEY, time.time_ns(), None)


def _version_sql() -> str:
    q = connection.ops.quote_name
    indicator, target, alert = (q(m._meta.db_table) for m in (Indicator, Target, Alert))
    served = q(Organisation.municipalities.through._meta.db_table)
    peers = q(PeerGroup._meta.db_table)
    return (f"SELECT (SELECT MAX(computed_at) FROM {indicator}), "  # noqa: S608 - table names
            f"(SELECT COUNT(*) FROM {indicator}), "
            f"(SELECT COUNT(*) FROM {target}), (SELECT MAX(id) FROM {target}), "
            f"(SELECT COUNT(*) FROM {alert}), (SELECT MAX(id) FROM {alert}), "
            f"(SELECT MAX(reviewed_at) FROM {alert}), "
            f"(SELECT COUNT(*) FROM {served}), (SELECT MAX(id) FROM {served}), "
            f"(SELECT COUNT(*) FROM {peers})")


def data_version() -> str:
    """Changes whenever a figure on a dashboard could change (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return repr((tuple(str(v) for v in row), figure_cache().get(BUMP_KEY, 0)))


def scope_signature(user) -> str:
    """What the figure scope of `user` depends on (see the module docstring)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    from knooppunt.organisations.figure_audience import audience_signature

    # Which figures are exact (decision 0026) depends on the records the user may open.
    return (",".join(sorted(scope.figure_municipality_codes(user))) + "|"
            + hashlib.sha256(audience_signature(user).encode()).hexdigest()[:16])


@functools.cache
def code_version() -> str:
    """Changes when the code, templates or translations that compute and draw the cached
    parts change (a deploy), so no fragment of an older version is served: a hash of the
    contents (not times: the job may run on another machine) of the .py, .html and .mo
    files of dashboards, charts and monitoring, read once per process."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for app in ("dashboards", "charts", "monitoring"):
        for path in sorted(p for pattern in ("*.py", "*.html", "*.mo")
                           for p in (root / app).rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key_prefix(user) -> str:
    """What every cached figure or fragment of `user` depends on besides its arguments."""
    return "|".join((
        scope_signature(user), str(settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD),
        get_language() or "", timezone.localdate().isoformat(), code_version(),
        data_version()))


def cache_key(kind: str, prefix: str, parts: object) -> str:
    """A short cache key for `parts` under `prefix` (hashed: any length, any characters)."""
    return f"dashboards:{kind}:" + hashlib.sha256(pickle.dumps((parts, prefix))).hexdigest()


class CachedQueries:
    """`monitoring.queries` with the same functions, cached; one data version per request."""

    def __init__(self, user) -> None:
        self._user = user
        self.prefix = key_prefix(user)

    def _call(self, name: str, function: Callable, args: tuple, kwargs: dict):
        key = cache_key("q", self.prefix, (name, args, sorted(kwargs.items())))
        cache = figure_cache()
        found = cache.get(key)
        if found is not None:
            return found
        result = function(self._user, *args, **kwargs)
        cache.set(key, result, seconds())
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
