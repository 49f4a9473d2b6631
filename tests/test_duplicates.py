"""Possible duplicates: linked on creation, never merged silently; a person merges or unlinks."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import Role
from knooppunt.signals.models import RelationKind, Signal, SignalRelation
from knooppunt.taxonomy.models import SourceType, Theme

from .factories import OrganisationFactory, SignalFactory, member, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(municipalities=[municipality()])


def _post(client, org, received_on="2025-06-02", theme="hennepteelt"):
    return client.post("/signalen/nieuw/", {
        "reporting_organisation": org.pk,
        "theme": Theme.objects.get(code=theme).pk,
        "source_type": SourceType.objects.get(code="politie").pk,
        "received_on": received_on,
        "municipality": municipality().pk,
        "street": "Lasondersingel", "house_number": "12", "postcode": "7514 BP",
        "city": "Enschede", "description": "Hennepgeur", "confidentiality": "1",
    })


def test_same_address_and_theme_within_window_is_linked_not_merged(client, org, settings):
    settings.KNOOPPUNT_DUPLICATE_WINDOW_DAYS = 90
    client.force_login(member(Role.COORDINATOR, org))
    assert _post(client, org, "2025-03-01").status_code == 302
    assert _post(client, org, "2025-05-01").status_code == 302  # 61 days later: linked
    assert _post(client, org, "2025-05-02", theme="drugshandel").status_code == 302  # other theme
    assert _post(client, org, "2025-12-01").status_code == 302  # outside the window
    assert Signal.objects.count() == 4
    relation = SignalRelation.objects.get()
    assert relation.kind == RelationKind.POSSIBLE_DUPLICATE
    assert relation.from_signal.received_on == dt.date(2025, 5, 1)
    assert relation.to_signal.received_on == dt.date(2025, 3, 1)
    page = client.get(f"/signalen/{relation.from_signal.reference}/").content.decode()
    assert relation.to_signal.reference in page


def test_merge_closes_the_later_signal_with_a_reason(client, org):
    user = member(Role.COORDINATOR, org)
    client.force_login(user)
    _post(client, org, "2025-03-01")
    _post(client, org, "2025-04-01")
    relation = SignalRelation.objects.get()
    url = f"/signalen/{relation.from_signal.reference}/koppelingen/{relation.pk}/"
    assert client.post(url, {"action": "merge", "note": ""}).status_code == 302
    relation.refresh_from_db()
    assert relation.kind == RelationKind.POSSIBLE_DUPLICATE  # no reason, nothing changed
    before = ProcessingLogEntry.objects.count()
    client.post(url, {"action": "merge", "note": "Zelfde kwekerij, tweede melding"})
    relation.refresh_from_db()
    later = relation.from_signal
    later.refresh_from_db()
    assert relation.kind == RelationKind.MERGED
    assert later.status == "afgesloten"
    assert "Samengevoegd" in later.history.last().note
    assert ProcessingLogEntry.objects.count() == before + 1
    assert client.post(url, {"action": "unlink", "note": "x"}).status_code == 302
    assert SignalRelation.objects.filter(pk=relation.pk).exists()  # merged cannot be unlinked


def test_unlink_removes_the_link(client, org):
    client.force_login(member(Role.COORDINATOR, org))
    _post(client, org, "2025-03-01")
    _post(client, org, "2025-04-01")
    relation = SignalRelation.objects.get()
    url = f"/signalen/{relation.to_signal.reference}/koppelingen/{relation.pk}/"
    client.post(url, {"action": "unlink", "note": "Ander pand, zelfde postcode"})
    assert not SignalRelation.objects.exists()
    assert Signal.objects.count() == 2


def test_links_to_signals_the_user_may_not_see_stay_hidden(client, org):
    other = OrganisationFactory(municipalities=[municipality()])
    hidden = SignalFactory(reporting_organisation=other, postcode="7514BP", house_number=12,
                           received_on=dt.date(2025, 3, 1), description="Geheim")
    user = member(Role.COORDINATOR, org)
    client.force_login(user)
    _post(client, org, "2025-04-01")
    mine = Signal.objects.exclude(pk=hidden.pk).get()
    relation = SignalRelation.objects.get()  # linked in the data: same address and theme
    assert relation.to_signal == hidden
    page = client.get(f"/signalen/{mine.reference}/").content.decode()
    assert hidden.reference not in page
    url = f"/signalen/{mine.reference}/koppelingen/{relation.pk}/"
    client.post(url, {"action": "merge", "note": "poging"})
    relation.refresh_from_db()
    assert relation.kind == RelationKind.POSSIBLE_DUPLICATE
    hidden.refresh_from_db()
    assert hidden.status == "ontvangen"


def test_a_delivery_links_its_rows_among_themselves_and_to_earlier_signals(org):
    from knooppunt.signals.bulk import bulk_create_signals

    user = member(Role.COORDINATOR, org)
    earlier = SignalFactory(reporting_organisation=org, postcode="7514BP", house_number=12,
                            received_on=dt.date(2025, 3, 1))
    theme = Theme.objects.get(code="hennepteelt")
    base = {"theme_id": theme.pk, "source_type_id": SourceType.objects.get(code="politie").pk,
            "municipality_id": municipality().pk, "description": "Hennepbericht",
            "postcode": "7514BP", "house_number": 12, "confidentiality": 1}
    ids = bulk_create_signals(user=user, organisation=org, rows=[
        {**base, "received_on": dt.date(2025, 4, 1)},
        {**base, "received_on": dt.date(2025, 4, 15)},
        {**base, "received_on": dt.date(2025, 4, 15), "house_number": 14},
    ])
    pairs = set(SignalRelation.objects.values_list("from_signal_id", "to_signal_id"))
    assert pairs == {(ids[0], earlier.pk), (ids[1], ids[0]), (ids[1], earlier.pk)}


def test_a_large_delivery_matches_in_one_pass_and_agrees_with_reading_back(org):
    """More addresses than one lookup chunk: the window pass finds earlier signals too, and
    the in-memory rows give the same links as reading the new signals back."""
    from knooppunt.signals.bulk import bulk_create_signals
    from knooppunt.signals.duplicates import CHUNK, link_new_signals

    user = member(Role.COORDINATOR, org)
    earlier = SignalFactory(reporting_organisation=org, postcode="7514BP", house_number=12,
                            received_on=dt.date(2025, 3, 1))
    theme = Theme.objects.get(code="hennepteelt")
    base = {"theme_id": theme.pk, "source_type_id": SourceType.objects.get(code="politie").pk,
            "municipality_id": municipality().pk, "description": "Hennepbericht",
            "confidentiality": 1, "received_on": dt.date(2025, 4, 1)}
    rows = [{**base, "postcode": f"{1000 + i}AB", "house_number": 1} for i in range(CHUNK + 5)]
    rows.append({**base, "postcode": "7514BP", "house_number": 12})
    rows.append({**base, "postcode": "1000AB", "house_number": 1,
                 "received_on": dt.date(2025, 4, 2)})
    ids = bulk_create_signals(user=user, organisation=org, rows=rows)
    pairs = set(SignalRelation.objects.values_list("from_signal_id", "to_signal_id"))
    assert pairs == {(ids[-2], earlier.pk), (ids[-1], ids[0])}
    SignalRelation.objects.all().delete()
    assert link_new_signals(ids) == 2  # read back from the database: the same links
    assert set(SignalRelation.objects.values_list("from_signal_id", "to_signal_id")) == pairs
