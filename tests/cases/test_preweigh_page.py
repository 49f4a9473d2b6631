"""The preweegdocument page of a case with a version without author (issue 13, finding 10).

Every demo case with versions has such a version (the demo writes them without a user);
the page answered 500 for all of them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from knooppunt.cases.models import PreweighDocument

from .conftest import open_case

pytestmark = pytest.mark.django_db


def test_version_without_author_is_shown(chain, client):
    case = open_case(chain)
    PreweighDocument.objects.create(case=case, number=1, content="Opzet zonder auteur.",
                                    created_at=timezone.now(), created_by=None)
    client.force_login(chain.coordinator)
    response = client.get(f"/casussen/{case.reference}/preweegdocument/")
    assert response.status_code == 200
    assert "Opzet zonder auteur." in response.content.decode()
    version = client.get(f"/casussen/{case.reference}/preweegdocument/1/")
    assert version.status_code == 200


def test_version_with_author_names_the_author(chain, client):
    from knooppunt.cases import services

    case = open_case(chain)
    services.save_preweigh(user=chain.coordinator, case=case, content="Opzet.")
    client.force_login(chain.analist)
    html = client.get(f"/casussen/{case.reference}/preweegdocument/").content.decode()
    assert chain.coordinator.get_full_name() in html
