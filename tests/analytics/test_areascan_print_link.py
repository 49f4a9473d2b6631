"""The area scan page leads to its printable form: the report form with the gebiedsscan
and the same wijk chosen (a new user looks for "print" on the scan)."""

from __future__ import annotations

import pytest

from knooppunt.geo.models import District
from knooppunt.organisations.models import Role
from tests.factories import OrganisationFactory, member, municipality
from tests.registers.factories import AddressFactory

pytestmark = pytest.mark.django_db


def test_scan_of_a_wijk_links_to_the_report_form_with_it_chosen(client):
    enschede = municipality("GM0153")
    wijk = District.objects.filter(municipality=enschede).order_by("code").first()
    AddressFactory(district=wijk)
    client.force_login(member(Role.ANALIST, OrganisationFactory(municipalities=[enschede])))
    page = client.get("/gebiedsscan/", {"gebied": wijk.code}).content.decode()
    link = f"/rapportages/?soort=gebiedsscan&amp;gebied={wijk.code}"
    assert link in page and "Afdrukken als rapportage" in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert '<option value="gebiedsscan" selected>' in form
    assert f'<option value="{wijk.code}" selected>' in form
    # An address with a radius is no report subject: no link there.
    assert "Afdrukken als rapportage" not in client.get(
        "/gebiedsscan/", {"gebied": ""}).content.decode()
