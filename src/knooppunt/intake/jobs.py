"""A small database-backed job queue: a delivery with status 'wachtend' is a job.

Works on the embedded SQLite (claiming is one conditional UPDATE) and on PostgreSQL
(several workers claim different rows). See docs/decisions/0005-background-jobs.md.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from . import importer
from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)


def _report(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        rows_done=delivery.rows_done, rows_total=delivery.rows_total,
        heartbeat_at=timezone.now(),
    )


def requeue_stale(max_age: timedelta | None = None) -> int:
    """Put deliveries whose processing stopped without an outcome back in the queue.

    An import is one transaction, so a process that died mid-way stored nothing and the
    kept file can simply be processed again.
    """
    max_age = max_age or timedelta(
        minutes=getattr(settings, "KNOOPPUNT_INTAKE_STALE_MINUTES", 30)
    )
    cutoff = timezone.now() - max_age
    stale = Delivery.objects.filter(status=DeliveryStatus.RUNNING).exclude(stored_file="")
    stale = stale.filter(
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )
    count = stale.update(status=DeliveryStatus.QUEUED, heartbeat_at=None)
    if count:
        logger.warning("%d afgebroken aanlevering(en) opnieuw in de wachtrij gezet", count)
    return count


def claim_next() -> Delivery | None:
    """Take the oldest queued delivery, or None; two workers never get the same one."""
    for pk in Delivery.objects.filter(status=DeliveryStatus.QUEUED).order_by(
            "created_at", "pk").values_list("pk", flat=True)[:5]:
        if Delivery.objects.filter(pk=pk, status=DeliveryStatus.QUEUED).update(
                status=DeliveryStatus.RUNNING, heartbeat_at=timezone.now()):
            return Delivery.objects.select_related("profile", "organisation",
                                                   "delivered_by").get(pk=pk)
    return None


def run_pending(limit: int | None = None) -> int:
    """Process queued deliveries until none is left (or `limit`); returns how many."""
    requeue_stale()
    done = 0
    while limit is None or done < limit:
        delivery = claim_next()
        if delivery is None:
            break
        importer.run(delivery, progress=_report)
        done += 1
    return done


def work_forever(poll_seconds: float = 2.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        close_old_connections()
        try:
            if not run_pending(limit=1):
                stop.wait(poll_seconds)
        except Exception:
            logger.exception("Fout in de aanleverings-worker")
            time.sleep(poll_seconds)


def start_worker_thread(poll_seconds: float = 2.0) -> threading.Thread:
    """Run the worker inside this process (used by `knooppunt demo` while serving)."""
    thread = threading.Thread(target=work_forever, args=(poll_seconds,), daemon=True,
                              name="knooppunt-intake-worker")
    thread.start()
    return thread
