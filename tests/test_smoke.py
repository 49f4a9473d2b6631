import pytest

from knooppunt.geo.models import Municipality

pytestmark = pytest.mark.django_db


def test_healthz_answers_anonymous_callers_with_status_only(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}  # no version or database for strangers


def test_geography_loaded_once_per_session():
    assert Municipality.objects.count() == 342
