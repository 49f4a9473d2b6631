"""A small database-backed job queue: a delivery with status 'wachtend' is a job.

Works on the embedded SQLite (claiming is one conditional UPDATE) and on PostgreSQL
(several workers claim different rows). See docs/decisions/0005-background-jobs.md.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from . import importer
from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)


def _report(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(rows_done=delivery.rows_done)


def claim_next() -> Delivery | None:
    """Take the oldest queued delivery, or None; two workers never get the same one."""
    for pk in Delivery.objects.filter(status=DeliveryStatus.QUEUED).order_by(
            "created_at", "pk").values_list("pk", flat=True)[:5]:
        if Delivery.objects.filter(pk=pk, status=DeliveryStatus.QUEUED).update(
                status=DeliveryStatus.RUNNING):
            return Delivery.objects.select_related("profile", "organisation",
                                                   "delivered_by").get(pk=pk)
    return None


def run_pending(limit: int | None = None) -> int:
    """Process queued deliveries until none is left (or `limit`); returns how many."""
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
