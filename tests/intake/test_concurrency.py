"""Two deliveries with overlapping rows at the same moment: both succeed, nothing twice.

Runs on the configured database (the suite runs on SQLite and on PostgreSQL): two threads,
each with its own connection, deliver files that share rows; a barrier holds both until
each has read its file, so both are mid-import together and race for the lock.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from knooppunt.intake import importer
from knooppunt.intake.examples import example_rows, to_csv
from knooppunt.intake.models import DeliveryProfile, DeliveryRecord, DeliveryStatus
from knooppunt.intake.submit import submit
from knooppunt.signals.models import Signal


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _run_together(monkeypatch, jobs):
    """Run each job in its own thread, all past the file reading before any stores."""
    barrier = threading.Barrier(len(jobs), timeout=60)
    match_columns = importer.match_columns

    def waiting_match_columns(*args, **kwargs):
        barrier.wait()
        return match_columns(*args, **kwargs)

    monkeypatch.setattr(importer, "match_columns", waiting_match_columns)
    results: list = [None] * len(jobs)
    failures: list[BaseException] = []

    def work(i, job):
        try:
            results[i] = job()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures
    return results


# serialized_rollback: the flush at the end would otherwise also remove the seeded themes,
# profiles and geography that later tests in this process rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_media", "_flushable_log")
def test_simultaneous_overlapping_deliveries_count_duplicates(monkeypatch, deliverer,
                                                              partner):
    profile = DeliveryProfile.objects.get(code="politie-hennep")
    first = example_rows("politie-hennep", 60, seed=1)
    header, shared = first[0], first[31:]  # the last 30 rows come in both files
    second = [header, *shared, *example_rows("politie-hennep", 20, seed=2)[1:]]

    def deliver(rows, name):
        return lambda: submit(profile=profile, organisation=partner, user=deliverer,
                              data=to_csv(rows), filename=name, inline=True)

    one, two = _run_together(monkeypatch, [deliver(first, "een.csv"), deliver(second, "twee.csv")])
    assert {one.status, two.status} == {DeliveryStatus.ACCEPTED}, (one.message, two.message)
    assert one.accepted + two.accepted == 80  # 60 + 20 new; the 30 shared rows stored once
    assert sorted([one.duplicates, two.duplicates]) == [0, 30]
    assert Signal.objects.filter(reporting_organisation=partner).count() == 80
    assert DeliveryRecord.objects.filter(organisation=partner).count() == 80
    later = one if one.duplicates else two
    assert "30 al eerder ontvangen" in later.message
