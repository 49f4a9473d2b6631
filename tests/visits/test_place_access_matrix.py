"""Who reads the vulnerable-places list and who records a visit: a matrix of organisation
kind × serving or not × role (decision 0041, `organisations.place_scope`)."""

from __future__ import annotations

import pytest

from knooppunt.organisations import permissions, scope
from knooppunt.organisations.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db

KINDS = [OrganisationKind.GEMEENTE, OrganisationKind.RIEC, OrganisationKind.POLITIE,
         OrganisationKind.NETBEHEERDER, OrganisationKind.WONINGCORPORATIE]


def test_the_place_access_matrix():
    here, elsewhere = municipality("GM0183"), municipality("GM0153")
    checked = 0
    for kind in KINDS:
        for serves in (True, False):
            organisation = OrganisationFactory(kind=kind,
                                               municipalities=[here if serves else elsewhere])
            for role in Role.values:
                user = member(role, organisation)
                reads = scope.vulnerable_place_municipalities(user).filter(pk=here.pk).exists()
                records = permissions.may(user, permissions.Action.PLACE_VISIT, here)
                editor = role in (Role.COORDINATOR, Role.ANALIST)
                assert reads == (serves and editor and kind in (OrganisationKind.GEMEENTE,
                                                                OrganisationKind.RIEC)), (
                    kind, serves, role)
                assert records == (serves and editor and kind == OrganisationKind.GEMEENTE), (
                    kind, serves, role)
                checked += 1
    assert checked == len(KINDS) * 2 * len(Role.values)
