"""Deliveries end to end: example files, refusal, idempotency, anonymity, CLI and worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.intake import jobs
from knooppunt.intake.examples import example_file, example_rows, to_csv
from knooppunt.intake.models import Delivery, DeliveryProfile, DeliveryRecord, DeliveryStatus
from knooppunt.intake.storage import read_kept
from knooppunt.intake.submit import submit
from knooppunt.signals.models import Signal, StatusChange
from tests.factories import issue_key, system_like

EXAMPLES = Path(__file__).resolve().parents[2] / "src/knooppunt/intake/examples"
pytestmark = pytest.mark.django_db


def deliver(user, org, code, data, name="bestand.csv", **kwargs):
    profile = DeliveryProfile.objects.get(code=code)
    return submit(profile=profile, organisation=org, user=user, data=data, filename=name,
                  **kwargs)


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_each_committed_example_imports(path, deliverer, partner):
    code = path.stem
    delivery = deliver(deliverer, partner, code, path.read_bytes(), path.name)
    assert delivery.status == DeliveryStatus.ACCEPTED, list(delivery.errors.values())
    assert delivery.accepted == 12
    assert Signal.objects.filter(reporting_organisation=partner).count() == 12


def test_bulk_rules_reference_history_and_one_log_row(deliverer, partner):
    data, name = example_file("politie-hennep", example_rows("politie-hennep", 30))
    before = ProcessingLogEntry.objects.count()
    delivery = deliver(deliverer, partner, "politie-hennep", data, name)
    signals = list(Signal.objects.filter(reporting_organisation=partner))
    assert len(signals) == 30
    for signal in signals:
        assert signal.reference == f"KNP-{signal.received_on.year}-{signal.pk:06d}"
        assert signal.created_by == deliverer
    # Decision 0007: no stored "ontvangen" row per delivered signal; the history shows the
    # registration from the signal's own creation time and creator.
    assert StatusChange.objects.filter(signal__in=signals).count() == 0
    for signal in signals:
        (first,) = signal.status_history
        assert (first.from_status, first.to_status) == ("", "ontvangen")
        assert first.changed_at == signal.created_at and first.changed_by == deliverer
        assert first.note == "Geregistreerd via aanlevering"
    entries = ProcessingLogEntry.objects.all()[before:] if False else \
        ProcessingLogEntry.objects.filter(object_type="signals.signal", object_count=30)
    assert entries.count() == 1
    assert sorted(map(int, entries.get().object_ids)) == sorted(s.pk for s in signals)
    assert ProcessingLogEntry.objects.count() == before + 1
    assert delivery.checksum and read_kept(delivery) == data


def test_broken_file_stores_nothing_and_names_every_bad_line(deliverer, partner):
    rows = example_rows("politie-hennep", 20, bad_rows=4)
    delivery = deliver(deliverer, partner, "politie-hennep", to_csv(rows))
    assert delivery.status == DeliveryStatus.REFUSED
    assert delivery.rejected == 4
    assert Signal.objects.count() == 0
    assert len({e.line for e in delivery.errors.all()}) == 4
    assert all(e.reason for e in delivery.errors.all())


def test_redelivery_adds_nothing(deliverer, partner):
    data = to_csv(example_rows("netbeheerder", 15))
    first = deliver(deliverer, partner, "netbeheerder", data)
    second = deliver(deliverer, partner, "netbeheerder", data)
    assert (first.accepted, second.accepted, second.duplicates) == (15, 0, 15)
    assert second.duplicate_of == first
    assert Signal.objects.count() == 15
    # Same rows in another file (extra row added) are recognised by their partner id.
    third = deliver(deliverer, partner, "netbeheerder",
                    to_csv(example_rows("netbeheerder", 16)))
    assert (third.accepted, third.duplicates) == (1, 15)


def test_generic_profile_recognises_rows_by_fingerprint(deliverer, partner):
    data = to_csv(example_rows("generiek", 10))
    deliver(deliverer, partner, "generiek", data)
    again = deliver(deliverer, partner, "generiek", data.replace(b"\r\n", b"\n"))
    assert again.duplicates == 10 and again.accepted == 0
    assert DeliveryRecord.objects.count() == 10


def test_anonymous_tips_keep_no_reporter_anywhere(deliverer, partner):
    rows = example_rows("mma", 10)
    names = {r[8] for r in rows[1:]} | {r[9] for r in rows[1:]}
    delivery = deliver(deliverer, partner, "mma", to_csv(rows))
    assert delivery.accepted == 10
    assert not Signal.objects.exclude(reporter_name="", reporter_contact="").exists()
    assert all(Signal.objects.values_list("is_anonymous", flat=True))
    kept = read_kept(delivery).decode()
    logs = " ".join(str(v) for v in ProcessingLogEntry.objects.values_list())
    for name in names:
        assert name not in kept and name not in logs
    assert "Melder" not in kept.splitlines()[0]
    bad = example_rows("mma", 5, bad_rows=5)
    refused = deliver(deliverer, partner, "mma", to_csv(bad))
    shown = " ".join(f"{e.value} {e.reason}" for e in refused.errors.all())
    assert not any(r[8] in shown or r[9] in shown for r in bad[1:])


def test_other_organisation_is_refused(deliverer, partner):
    from tests.factories import OrganisationFactory

    other = OrganisationFactory()
    delivery = deliver(deliverer, other, "politie-hennep",
                       to_csv(example_rows("politie-hennep", 3)))
    assert delivery.status == DeliveryStatus.REFUSED
    assert Signal.objects.count() == 0


def test_confidentiality_above_clearance_is_a_row_error(partner):
    from knooppunt.organisations.models import Role
    from tests.factories import member

    clerk = member(Role.MEDEWERKER, organisation=partner)
    rows = example_rows("politie-hennep", 3)
    rows[2][10] = "RIEC"
    delivery = deliver(clerk, partner, "politie-hennep", to_csv(rows))
    assert delivery.status == DeliveryStatus.REFUSED
    assert [e.line for e in delivery.errors.all()] == [3]


def test_cli_prints_counts_and_fails_on_refusal(deliverer, partner, tmp_path, capsys):
    good = tmp_path / "goed.csv"
    good.write_bytes(to_csv(example_rows("politie-hennep", 5)))
    call_command("import-signals", str(good), profile="politie-hennep",
                 organisation=partner.name)
    out = capsys.readouterr().out
    assert "opgeslagen: 5" in out and "afgekeurd: 0" in out
    bad = tmp_path / "fout.csv"
    bad.write_bytes(to_csv(example_rows("politie-hennep", 5, seed=2, bad_rows=2)))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import-signals", str(bad), profile="politie-hennep",
                     organisation=str(partner.pk), user="aanleveraar")
    assert exit_info.value.code == 1
    assert "afgekeurd: 2" in capsys.readouterr().out


def test_cli_refuses_a_profile_of_another_kind_of_organisation(deliverer, partner, tmp_path):
    """The police cannot deliver as a housing corporation from the command line either."""
    from django.core.management.base import CommandError

    path = tmp_path / "woning.csv"
    path.write_bytes(to_csv(example_rows("woningcorporatie", 3)))
    with pytest.raises(CommandError, match="woningcorporatie"):
        call_command("import-signals", str(path), profile="woningcorporatie",
                     organisation=partner.name)
    assert not Delivery.objects.exists() and not Signal.objects.exists()


def test_large_file_is_queued_and_processed_by_worker(deliverer, partner, settings):
    settings.KNOOPPUNT_INLINE_IMPORT_BYTES = 10
    delivery = deliver(deliverer, partner, "politie-hennep",
                       to_csv(example_rows("politie-hennep", 40)))
    assert delivery.status == DeliveryStatus.QUEUED
    assert jobs.run_pending() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.accepted, delivery.progress) == ("verwerkt", 40, 100)
    assert jobs.claim_next() is None
    assert Delivery.objects.count() == 1


def test_addresses_are_placed_on_the_register_or_flagged(deliverer, partner):
    from tests.registers.factories import AddressFactory

    known = AddressFactory(house_number=7, postcode="7511GA")
    rows = example_rows("politie-hennep", 2)
    rows[1][2], rows[1][4], rows[1][5], rows[1][6] = "GM0153", "7", "", "7511 GA"
    rows[2][2], rows[2][4], rows[2][6] = "GM0153", "999", "7511 GA"
    deliver(deliverer, partner, "politie-hennep", to_csv(rows))
    found = Signal.objects.get(house_number=7)
    assert (found.address_status, found.address_register_id) == (
        "gevonden", known.nummeraanduiding_id)
    assert found.x_rd == known.x_rd and found.street == "Oude Markt"
    assert Signal.objects.get(house_number=999).address_status == "niet_gevonden"


def test_an_unexpected_error_fails_the_delivery_and_stores_nothing(deliverer, partner,
                                                                   monkeypatch):
    from knooppunt.intake import importer

    def boom(rows):
        raise RuntimeError("register down")

    monkeypatch.setattr(importer, "place", boom)
    monkeypatch.setattr(importer, "place_columns", boom)
    delivery = deliver(deliverer, partner, "politie-hennep",
                       to_csv(example_rows("politie-hennep", 3)))
    assert delivery.status == DeliveryStatus.FAILED
    assert "niets opgeslagen" in delivery.message
    assert Signal.objects.count() == 0


def test_placed_row_shows_wijk_and_buurt_on_page_and_api(client, deliverer, partner):
    from rest_framework.test import APIClient

    from knooppunt.geo.models import District, Neighbourhood
    from tests.factories import municipality
    from tests.registers.factories import AddressFactory

    wijk = District.objects.create(code="WK015399", municipality=municipality("GM0153"))
    buurt = Neighbourhood.objects.create(code="BU01539999", district=wijk,
                                         municipality=wijk.municipality)
    AddressFactory(house_number=7, postcode="7511GA", district=wijk, neighbourhood=buurt)
    rows = example_rows("politie-hennep", 1)
    rows[1][2], rows[1][4], rows[1][5], rows[1][6] = "GM0153", "7", "", "7511 GA"
    deliver(deliverer, partner, "politie-hennep", to_csv(rows))
    signal = Signal.objects.get()
    assert (signal.district, signal.neighbourhood) == (wijk, buurt)
    client.force_login(deliverer)
    html = client.get(f"/signalen/{signal.reference}/").content.decode()
    assert "WK015399 / BU01539999" in html
    _, key = issue_key(system_like(deliverer), name="partnersysteem")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = api.get(f"/api/v1/signals/{signal.reference}").json()
    assert (body["district"], body["neighbourhood"]) == ("WK015399", "BU01539999")
