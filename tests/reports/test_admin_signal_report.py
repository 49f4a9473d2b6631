"""The beheerder reads no signals: in /beheer/ a report about a signal (bestuurlijke
rapportage light) is listed without the signal's reference and cannot be found by it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from knooppunt.organisations.models import Role
from knooppunt.reports import services
from tests.cases.conftest import chain  # noqa: F401 - fixture
from tests.factories import member
from tests.reports.gather.test_gather_brl import notice  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_admin_hides_the_signal_of_a_report(chain, notice, client):  # noqa: F811
    signal = notice[0]
    report = services.generate(chain.coordinator, "bestuurlijke-rapportage-light",
                               str(signal.pk), str(timezone.localdate().year))
    beheerder = member(Role.BEHEERDER, chain.gemeente, is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    listing = client.get("/beheer/reports/generatedreport/").content.decode()
    assert "bestuurlijke-rapportage-light" in listing and signal.reference not in listing
    change = client.get(f"/beheer/reports/generatedreport/{report.pk}/change/")
    assert change.status_code == 200 and signal.reference not in change.content.decode()
    found = client.get("/beheer/reports/generatedreport/", {"q": signal.reference})
    assert f"/beheer/reports/generatedreport/{report.pk}/change/" not in found.content.decode()
