"""Adressen controleren: the queue of unresolved addresses and correcting them."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.geo.models import Neighbourhood
from knooppunt.organisations.models import Role
from knooppunt.signals.address_fix import AddressCorrection, correct_address
from knooppunt.signals.models import AddressStatus, Signal

from .factories import OrganisationFactory, SignalFactory, member, municipality
from .registers.factories import ENSCHEDE_X, ENSCHEDE_Y, AddressFactory

pytestmark = pytest.mark.django_db

OTHER = "GM0363"  # Amsterdam


@pytest.fixture
def org():
    return OrganisationFactory(municipalities=[municipality()])


@pytest.fixture
def officer(org):
    return member(Role.MEDEWERKER, organisation=org)


def _unresolved(org, **kwargs) -> Signal:
    values = {"postcode": "7511GA", "house_number": 999, "street": "Oude Mrkt",
              "city": "Enschede", "address_status": AddressStatus.UNRESOLVED}
    values.update(kwargs)
    return SignalFactory(reporting_organisation=org, **values)


def _post(client, signal, **data):
    payload = {"postcode": "7511 GA", "house_number": "12", "house_letter": "",
               "house_number_addition": "", "street": "", "city": ""}
    payload.update(data)
    return client.post(reverse("signals:address", args=[signal.reference]), payload)


def test_queue_lists_only_visible_unresolved_signals(client, org, officer):
    mine = _unresolved(org)
    resolved = SignalFactory(reporting_organisation=org, address_status=AddressStatus.RESOLVED)
    no_address = SignalFactory(reporting_organisation=org)
    hidden = _unresolved(OrganisationFactory())
    client.force_login(officer)
    response = client.get(reverse("signals:addresses"))
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.reference in html
    for other in (resolved, no_address, hidden):
        assert other.reference not in html
    entry = ProcessingLogEntry.objects.filter(action="list").latest("pk")
    assert entry.object_ids == [str(mine.pk)]


def test_queue_filters_by_municipality_and_paginates(client, officer, org):
    other_org = OrganisationFactory(municipalities=[municipality(OTHER)])
    officer.memberships.create(organisation=other_org, role=Role.MEDEWERKER)
    enschede = [_unresolved(org) for _ in range(27)]
    amsterdam = _unresolved(other_org, municipality=municipality(OTHER))
    client.force_login(officer)
    url = reverse("signals:addresses")
    first = client.get(url).content.decode()
    assert "page=2" in first
    only = client.get(url, {"gemeente": municipality(OTHER).pk}).content.decode()
    assert amsterdam.reference in only
    assert not any(s.reference in only for s in enschede)
    bad = client.get(url, {"gemeente": "<script>x</script>"})
    assert bad.status_code == 400
    assert "<script>x" not in bad.content.decode()


def test_queue_is_in_menu_and_signal_list(client, officer):
    client.force_login(officer)
    html = client.get(reverse("signals:list")).content.decode()
    assert html.count(reverse("signals:addresses")) >= 2


@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.BEHEERDER])
def test_aggregate_roles_get_no_queue(client, role):
    client.force_login(member(role))
    assert client.get(reverse("signals:addresses")).status_code == 403
    assert reverse("signals:addresses") not in client.get("/").content.decode()


def test_correction_to_known_address_resolves_and_fills(client, org, officer):
    buurt = Neighbourhood.objects.filter(municipality=municipality()).first()
    reg = AddressFactory(postcode="7511GA", house_number=12, house_letter="B",
                         street="Oude Markt", neighbourhood=buurt, district=buurt.district)
    signal = _unresolved(org)
    client.force_login(officer)
    detail = client.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert "Adres corrigeren" in detail and 'for="id_postcode"' in detail
    response = _post(client, signal, postcode="7511 ga", house_number="12", house_letter="b")
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.address_status == AddressStatus.RESOLVED
    assert signal.address_register_id == reg.nummeraanduiding_id
    assert (signal.street, signal.city, signal.house_letter) == ("Oude Markt", "Enschede", "B")
    assert (signal.x_rd, signal.y_rd) == (ENSCHEDE_X, ENSCHEDE_Y)
    assert signal.latitude is not None
    assert signal.neighbourhood_id == buurt.pk and signal.district_id == buurt.district_id
    entry = ProcessingLogEntry.objects.filter(action="update").latest("pk")
    assert entry.object_id == str(signal.pk)
    assert "gevonden" in entry.detail and "street" in entry.detail
    assert "Oude Markt" not in entry.detail and officer.last_name not in entry.detail
    detail = client.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert "Adres corrigeren" not in detail


def test_correction_to_other_municipality_is_refused(client, org, officer):
    AddressFactory(postcode="1012JS", house_number=1, city="Amsterdam",
                   municipality=municipality(OTHER))
    signal = _unresolved(org)
    before = Signal.objects.values().get(pk=signal.pk)
    logged = ProcessingLogEntry.objects.filter(action="update").count()
    client.force_login(officer)
    response = _post(client, signal, postcode="1012 JS", house_number="1")
    assert response.status_code == 400
    assert "Amsterdam" in response.content.decode()
    assert "niet gewijzigd" in response.content.decode()
    assert Signal.objects.values().get(pk=signal.pk) == before
    assert ProcessingLogEntry.objects.filter(action="update").count() == logged


def test_unknown_address_keeps_status_and_corrected_values(client, org, officer):
    signal = _unresolved(org)
    client.force_login(officer)
    response = _post(client, signal, postcode="7512 ab", house_number="4",
                     house_number_addition="bis", street="Markt", city="Enschede")
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.address_status == AddressStatus.UNRESOLVED
    assert (signal.postcode, signal.house_number, signal.house_number_addition,
            signal.street) == ("7512AB", 4, "BIS", "Markt")
    page = client.get(response["Location"]).content.decode()
    assert "niet gevonden" in page
    assert ProcessingLogEntry.objects.filter(action="update", object_id=str(signal.pk)).exists()


def test_resolved_signal_cannot_be_corrected(officer, org):
    signal = SignalFactory(reporting_organisation=org, address_status=AddressStatus.RESOLVED)
    with pytest.raises(Exception, match="niet gecorrigeerd"):
        correct_address(user=officer, signal=signal,
                        correction=AddressCorrection("7511GA", 1))


def test_invisible_signal_gives_404_on_page_and_post(client, officer):
    hidden = _unresolved(OrganisationFactory())
    before = Signal.objects.values().get(pk=hidden.pk)
    client.force_login(officer)
    assert client.get(reverse("signals:detail", args=[hidden.reference])).status_code == 404
    assert _post(client, hidden).status_code == 404
    assert client.get(reverse("signals:address", args=[hidden.reference])).status_code == 405
    assert Signal.objects.values().get(pk=hidden.pk) == before


def test_anonymous_user_is_sent_to_login(client, org):
    signal = _unresolved(org)
    assert _post(client, signal).status_code == 302
    assert client.get(reverse("signals:addresses")).status_code == 302


texts = st.one_of(
    st.text(max_size=30),
    st.text(min_size=200, max_size=400),
    st.sampled_from(["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "7511 GA",
                     "1234", "0000AA", "12a", "-1", "100000", "", " ", "\x00"]),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(payload=st.fixed_dictionaries({
    "postcode": texts, "house_number": texts, "house_letter": texts,
    "house_number_addition": texts, "street": texts, "city": texts,
}))
def test_bad_input_gives_a_dutch_error_never_a_500(client, payload):
    with transaction.atomic():
        org = OrganisationFactory(municipalities=[municipality()])
        user = member(Role.MEDEWERKER, organisation=org)
        signal = _unresolved(org)
        client.force_login(user)
        response = client.post(reverse("signals:address", args=[signal.reference]), payload)
        assert response.status_code in (302, 400)
        html = response.content.decode()
        assert "<script>alert" not in html
        if response.status_code == 400:
            assert "Het adres is niet gewijzigd" in html
            signal.refresh_from_db()
            assert signal.postcode == "7511GA" and signal.house_number == 999
        transaction.set_rollback(True)


def test_queue_and_form_are_translated(client, org, officer):
    from django.conf import settings as django_settings

    signal = _unresolved(org)
    client.force_login(officer)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    queue = client.get(reverse("signals:addresses")).content.decode()
    assert "Check addresses" in queue and "1 signal with an address not found" in queue
    detail = client.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert "Correct address" in detail and "Look up address again" in detail
