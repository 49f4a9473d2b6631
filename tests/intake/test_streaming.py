"""Uploads are streamed to disk, hashed and read in pieces; the size cap is a setting."""

from __future__ import annotations

import hashlib
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from knooppunt.intake import views
from knooppunt.intake.examples import example_rows, to_csv
from knooppunt.intake.models import Delivery, DeliveryProfile, DeliveryStatus
from knooppunt.intake.reading import read_table
from knooppunt.intake.storage import checksum, keep_original, read_kept
from knooppunt.signals.models import Signal
from tests.factories import issue_key, system_like

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_memory_threshold(settings, monkeypatch):
    """Every upload above 1 KB goes to a temporary file, and reading one whole fails."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024

    def refuse(self, *args, **kwargs):
        raise AssertionError("a large upload was read whole into memory")

    monkeypatch.setattr(TemporaryUploadedFile, "read", refuse)


def _profile():
    return DeliveryProfile.objects.get(code="politie-hennep")


def test_page_streams_a_large_upload(client, deliverer, partner, small_memory_threshold,
                                     monkeypatch):
    data = to_csv(example_rows("politie-hennep", 40))
    assert len(data) > 1024
    seen = []
    submit = views.submit
    monkeypatch.setattr(views, "submit", lambda **kw: seen.append(kw["data"]) or submit(**kw))
    client.force_login(deliverer)
    response = client.post(reverse("intake:list"), {
        "profile": _profile().pk, "organisation": partner.pk,
        "file": SimpleUploadedFile("groot.csv", data),
    })
    assert response.status_code == 302
    assert isinstance(seen[0], str)  # the temporary file's path, not its bytes
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.accepted, delivery.size) == (
        DeliveryStatus.ACCEPTED, 40, len(data))
    assert delivery.checksum == hashlib.sha256(data).hexdigest()
    assert read_kept(delivery) == data


def test_api_streams_a_large_upload(deliverer, partner, small_memory_threshold):
    data = to_csv(example_rows("politie-hennep", 40))
    _, key = issue_key(system_like(deliverer), name="partnersysteem")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post("/api/v1/deliveries", {
        "profile": "politie-hennep", "file": SimpleUploadedFile("groot.csv", data),
    }, format="multipart")
    assert response.status_code == 201, response.content
    assert (response.json()["accepted"], response.json()["checksum"]) == (
        40, hashlib.sha256(data).hexdigest())


def test_cap_is_a_setting(client, deliverer, partner, settings):
    settings.KNOOPPUNT_MAX_UPLOAD_BYTES = 2048
    data = to_csv(example_rows("politie-hennep", 40))
    client.force_login(deliverer)
    response = client.post(reverse("intake:list"), {
        "profile": _profile().pk, "organisation": partner.pk,
        "file": SimpleUploadedFile("groot.csv", data),
    })
    assert response.status_code == 200
    assert "Het bestand is groter dan" in response.content.decode()
    _, key = issue_key(system_like(deliverer), name="partnersysteem")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    refused = api.post("/api/v1/deliveries", {
        "profile": "politie-hennep", "file": SimpleUploadedFile("groot.csv", data),
    }, format="multipart")
    assert refused.status_code == 400
    assert not Delivery.objects.exists() and not Signal.objects.exists()


def test_hash_and_keep_use_bounded_memory(tmp_path, deliverer, partner):
    rows = example_rows("politie-hennep", 2000)
    data = to_csv(rows + rows[1:] * 30)  # ~7 MB
    path = tmp_path / "groot.csv"
    path.write_bytes(data)
    delivery = Delivery.objects.create(
        profile=_profile(), organisation=partner, delivered_by=deliverer,
        delivered_by_name="x", original_name="groot.csv", checksum="0" * 64)
    tracemalloc.start()
    try:
        digest = checksum(path)
        kept = keep_original(delivery, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest == hashlib.sha256(data).hexdigest() and kept
    assert peak < len(data) / 3, peak


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_reading_a_path_equals_reading_the_bytes(tmp_path, encoding):
    text = "Naam;Plaats\r\nJosé;Enschedé\r\n\r\n\"a;b\";€ 1.234,56\r\n"
    data = text.encode(encoding)
    path = tmp_path / "lijst.csv"
    path.write_bytes(data)
    from_bytes, from_path = read_table(data), read_table(path)
    assert from_path.header == from_bytes.header
    assert (from_path.encoding, from_path.delimiter) == (from_bytes.encoding,
                                                         from_bytes.delimiter)
    assert list(from_path.rows) == list(from_bytes.rows)


def test_new_messages_have_english_translations(settings):
    from django.utils import translation

    from knooppunt.intake.forms import too_large_message

    settings.KNOOPPUNT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
    with translation.override("en"):
        assert too_large_message() == "The file is larger than 200 MB."
        assert translation.gettext("Wijk en buurt") == "District and neighbourhood"
    with translation.override("nl"):
        assert too_large_message() == "Het bestand is groter dan 200 MB."


def test_progress_is_estimated_while_reading(tmp_path, deliverer, partner):
    from knooppunt.intake.submit import submit

    path = tmp_path / "lijst.csv"
    path.write_bytes(to_csv(example_rows("politie-hennep", 12000)))
    reports = []

    def progress(delivery):
        reports.append((delivery.rows_done, delivery.rows_total, delivery.progress))

    delivery = submit(profile=_profile(), organisation=partner, user=deliverer, data=path,
                      filename="lijst.csv", inline=True, progress=progress)
    assert delivery.status == DeliveryStatus.ACCEPTED and delivery.progress == 100
    assert [done for done, _total, _pct in reports] == [5000, 10000]
    for _done, total, percent in reports:
        assert abs(total - 12000) < 1200  # estimated from the bytes read
        assert 0 < percent < 100
    assert reports[0][2] < reports[1][2]
