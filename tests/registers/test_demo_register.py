"""The demo's synthetic register: signals found, a few typos for the fix-list, idempotent.
Starts from the session's Twente demo (tests/shared_demo.py)."""

from __future__ import annotations

import pytest

from knooppunt.registers.models import Address, Company, EnergyAnomaly
from knooppunt.signals.models import AddressStatus, Signal

pytestmark = pytest.mark.django_db


def test_demo_signals_are_resolved_against_the_register(twente_demo):
    result = twente_demo.result
    signals = Signal.objects.filter(is_synthetic=True)
    numbered = signals.exclude(house_number=None)
    found = numbered.filter(address_status=AddressStatus.RESOLVED)
    missing = numbered.filter(address_status=AddressStatus.UNRESOLVED)
    assert missing.exists() and missing.count() < 0.1 * numbered.count()
    assert found.count() + missing.count() == numbered.count()
    assert not signals.filter(house_number=None).exclude(
        address_status=AddressStatus.NOT_GIVEN).exists()
    registered = set(Address.objects.values_list("nummeraanduiding_id", flat=True))
    assert set(found.values_list("address_register_id", flat=True)) <= registered
    sample = found.first()
    address = Address.objects.get(nummeraanduiding_id=sample.address_register_id)
    assert (address.postcode, address.house_number) == (sample.postcode, sample.house_number)
    assert address.municipality_id == sample.municipality_id and address.construction_year
    assert Company.objects.exists()
    assert EnergyAnomaly.objects.count() == result.signals.register.anomalies

    counts = (Address.objects.count(), Company.objects.count(), EnergyAnomaly.objects.count())
    twente_demo.rebuild()
    assert (Address.objects.count(), Company.objects.count(),
            EnergyAnomaly.objects.count()) == counts
