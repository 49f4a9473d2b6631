"""Regressions found in review: anonymous kept files, queue claims, profile kinds, odd ids."""

from __future__ import annotations

import pytest

from knooppunt.intake import jobs
from knooppunt.intake.examples import example_rows, to_csv, to_xlsx
from knooppunt.intake.models import Delivery, DeliveryProfile, DeliveryStatus
from knooppunt.intake.storage import read_kept
from knooppunt.intake.submit import submit
from knooppunt.signals.models import Signal
from tests.factories import issue_key, system_like

pytestmark = pytest.mark.django_db


def _deliver(user, org, code, data, name="bestand.csv"):
    return submit(profile=DeliveryProfile.objects.get(code=code), organisation=org, user=user,
                  data=data, filename=name)


def test_queued_anonymous_xlsx_is_read_from_its_stripped_copy(deliverer, partner, settings):
    settings.KNOOPPUNT_INLINE_IMPORT_BYTES = 10
    rows = example_rows("mma", 6)
    delivery = _deliver(deliverer, partner, "mma", to_xlsx(rows), "tips.xlsx")
    assert delivery.status == DeliveryStatus.QUEUED
    assert jobs.run_pending() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.accepted) == (DeliveryStatus.ACCEPTED, 6)


def test_every_reporter_column_is_removed_from_the_kept_file(deliverer, partner):
    rows = example_rows("mma", 4)
    header = rows[0]
    # A second reporter column under another alias, and the same header twice.
    extra = [[*r, f"Geheime Naam {i}", f"Dubbel {i}"] for i, r in enumerate(rows[1:])]
    data = to_csv([[*header, "Naam melder", header[8]], *extra])
    delivery = _deliver(deliverer, partner, "mma", data)
    kept = read_kept(delivery).decode()
    assert "Geheime Naam" not in kept
    assert "Dubbel" not in kept


def test_unreadable_anonymous_file_is_refused_whole_even_when_queued(
    deliverer, partner, settings
):
    settings.KNOOPPUNT_INLINE_IMPORT_BYTES = 10
    rows = example_rows("mma", 5)
    data = to_csv(rows[:3]) + b'x;"' + b"a" * (11 * 1024 * 1024) + b'"\r\n' + to_csv(rows[3:])
    delivery = _deliver(deliverer, partner, "mma", data)
    assert delivery.status == DeliveryStatus.REFUSED
    assert jobs.run_pending() == 0
    assert Signal.objects.count() == 0


def test_a_delivery_cannot_be_claimed_before_its_file_is_kept(deliverer, partner, monkeypatch):
    from knooppunt.intake import submit as submit_module

    claimed = []
    original = submit_module.keep_original

    def spy(delivery, data):
        claimed.append(jobs.claim_next())
        return original(delivery, data)

    monkeypatch.setattr(submit_module, "keep_original", spy)
    delivery = _deliver(deliverer, partner, "politie-hennep",
                        to_csv(example_rows("politie-hennep", 3)))
    assert claimed == [None]
    assert delivery.status == DeliveryStatus.ACCEPTED


def test_profile_for_another_kind_of_organisation_is_refused(client, deliverer, partner):
    profile = DeliveryProfile.objects.get(code="woningcorporatie")
    assert profile.organisation_kind and profile.organisation_kind != partner.kind
    client.force_login(deliverer)
    response = client.post("/aanleveringen/", {
        "profile": profile.pk, "organisation": partner.pk,
        "file": _upload(to_csv(example_rows("woningcorporatie", 2))),
    })
    assert response.status_code in (200, 400)
    assert "niet voor uw soort organisatie" in response.content.decode()
    assert not Delivery.objects.exists()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("lijst.csv", data, content_type="text/csv")


def test_api_delivery_id_with_unicode_digit_is_404(client, deliverer):
    _token, key = issue_key(system_like(deliverer), name="test")
    response = client.get("/api/v1/deliveries/²", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 404


def test_xlsx_that_unpacks_to_a_huge_size_is_refused(deliverer, partner):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "a" * (50 * 1024 * 1024))
    delivery = _deliver(deliverer, partner, "politie-hennep", buffer.getvalue(), "bom.xlsx")
    assert delivery.status == DeliveryStatus.REFUSED
    assert "onredelijk grote omvang" in delivery.errors.get().reason
    assert Signal.objects.count() == 0


def test_error_values_only_for_the_deliverer_and_riec_cleared_colleagues(
    client, deliverer, partner
):
    from knooppunt.organisations.models import Role
    from tests.factories import member

    bad = example_rows("politie-hennep", 3, bad_rows=3)
    delivery = _deliver(deliverer, partner, "politie-hennep", to_csv(bad))
    assert delivery.status == DeliveryStatus.REFUSED
    values = [e.value for e in delivery.errors.all() if e.value]
    assert values
    colleague = member(Role.MEDEWERKER, organisation=partner, username="collega")
    for user, sees in ((deliverer, True), (colleague, False)):
        client.force_login(user)
        page = client.get(f"/aanleveringen/{delivery.pk}/").content.decode()
        assert ("afgeschermd" not in page) is sees
        _token, key = issue_key(system_like(user), name="t")
        api = client.get(f"/api/v1/deliveries/{delivery.pk}",
                         headers={"Authorization": f"Token {key}"}).json()
        assert any(e["value"] for e in api["errors"]) is sees


def test_a_delivery_abandoned_by_a_crashed_worker_is_requeued(deliverer, partner, settings):
    import datetime as dt

    from django.utils import timezone

    settings.KNOOPPUNT_INLINE_IMPORT_BYTES = 10
    delivery = _deliver(deliverer, partner, "politie-hennep",
                        to_csv(example_rows("politie-hennep", 4)))
    assert jobs.claim_next().pk == delivery.pk  # the worker takes it, then "crashes"
    assert jobs.run_pending() == 0  # a fresh heartbeat: still someone else's
    Delivery.objects.filter(pk=delivery.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert jobs.run_pending() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.accepted) == (DeliveryStatus.ACCEPTED, 4)
    assert Signal.objects.count() == 4
