"""One delivery at a time per profile and organisation, while it decides what is new.

Two deliveries with overlapping rows that run at the same moment must not both decide a
row is new: the second would then violate the unique (profile, organisation, key) and
end as "mislukt" with nothing stored. The lock is taken inside the storing transaction,
before the re-delivery check, and released when that transaction ends, so the second
delivery sees the first one's rows and counts them as already received.

PostgreSQL: a transaction-level advisory lock on the pair (other pairs run in parallel).
SQLite: the database's single write lock, taken up front by a no-op write; waiting for it
is retried up to KNOOPPUNT_DELIVERY_LOCK_SECONDS (a large delivery holds it for minutes,
longer than the connection's busy timeout).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F

from .models import DeliveryProfile

RETRY_SECONDS = 0.05


def lock_key(profile_id: int, organisation_id: int) -> int:
    """A signed 64-bit advisory-lock key for the pair, in Knooppunt's own namespace."""
    digest = hashlib.blake2b(
        f"knooppunt.intake:{profile_id}:{organisation_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hold_delivery_lock(profile_id: int, organisation_id: int) -> None:
    """Wait until no other delivery of this profile and organisation is storing.

    Call as the first statement inside the storing transaction; the lock lasts until
    that transaction commits or rolls back.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("hold_delivery_lock needs a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(profile_id,
                                                                          organisation_id)])
        return
    wait = float(getattr(settings, "KNOOPPUNT_DELIVERY_LOCK_SECONDS", 3600))
    deadline = time.monotonic() + wait
    while True:
        try:
            with transaction.atomic():  # a savepoint: a refused attempt leaves ours usable
                DeliveryProfile.objects.filter(pk=profile_id).update(active=F("active"))
            return
        except OperationalError as exc:
            # "database is locked" (busy timeout passed) or "database table is locked"
            # (shared-cache connections): another writer is busy; anything else is real.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(RETRY_SECONDS)
