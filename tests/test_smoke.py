import pytest

from knooppunt.geo.models import Municipality

pytestmark = pytest.mark.django_db


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_geography_loaded_once_per_session():
    assert Municipality.objects.count() == 342
