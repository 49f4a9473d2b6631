"""Keeping indicator values fresh in a running process (the demo serves with it).

Production runs `knooppunt compute_indicators --watch 300` (or cron); the demo starts this
thread so figures follow new signals and deliveries without a second process.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


def refresh_once() -> list[str]:
    """Recompute indicators whose data changed; run early warning when any did."""
    from .compute import compute_all
    from .early_warning import evaluate
    from .events import announce

    changed = [r.indicator for r in compute_all() if r.recomputed]
    if changed:
        evaluate()
    announce(changed)
    return changed


def announce_all() -> None:
    """Announce every active indicator as fresh, so listeners (the dashboards) warm their
    caches: used once when a process starts serving figures the job computed earlier."""
    from .events import announce
    from .models import Indicator

    _close_stale()
    try:
        announce(list(Indicator.objects.filter(active=True).values_list("code", flat=True)))
    except Exception:  # warming is an optimisation; the pages build what is missing
        logger.exception("warming after start failed")
    finally:
        _close_stale()


def _close_stale() -> None:
    """Close stale connections, but never one inside a caller's transaction: Django
    closes a connection whose autocommit differs from its settings, which on
    PostgreSQL ended the caller's (a test's) transaction under it."""
    if not connection.in_atomic_block:
        close_old_connections()


def refresh_forever(interval_seconds: float) -> None:
    announce_all()  # the first visitors of a fresh process get warmed pages
    while True:
        time.sleep(interval_seconds)
        close_old_connections()
        try:
            refresh_once()
        except Exception:  # keep the thread alive; the next round tries again
            logger.exception("indicator refresh failed")
        finally:
            close_old_connections()


def start_refresh_thread(interval_seconds: float = 60.0) -> threading.Thread:
    thread = threading.Thread(target=refresh_forever, args=(interval_seconds,), daemon=True,
                              name="knooppunt-monitoring-refresh")
    thread.start()
    return thread
