"""The figure cache: cleared when what a figure depends on changes, warmed after the job."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knooppunt.dashboards import figures, warm
from knooppunt.geo.models import Municipality
from knooppunt.monitoring import queries
from knooppunt.monitoring.events import announce

pytestmark = pytest.mark.django_db


def _benchmark_index(client, world) -> float | None:
    url = reverse("dashboards:municipality", args=["GM0153"])
    response = client.get(url, {"jaar": world.year, "indicator": "signalen-hennepteelt"})
    figure = next(f for f, *_ in response.context["key"].extra["figures"]
                  if f.indicator.code == "signalen-hennepteelt")
    return figure.benchmark_index


def test_served_municipalities_change_the_own_data_benchmark_at_once(client, world):
    """A RIEC starting to serve Haaksbergen (no signals) adds it to the peers Enschede's
    own-data figures are compared with; the mayor's cached page must show that."""
    client.force_login(world.mayor)
    before = _benchmark_index(client, world)
    riec = world.regional.memberships.get().organisation
    riec.municipalities.add(Municipality.objects.get(code="GM0158"))
    after = _benchmark_index(client, world)
    fresh = queries.benchmark(world.mayor, "signalen-hennepteelt", "GM0153", world.year)
    assert after == fresh.index
    assert after != before
    assert "GM0158" in {m.area.code for m in fresh.members}


def test_deactivating_an_organisation_changes_the_benchmark_too(client, world):
    client.force_login(world.mayor)
    before = _benchmark_index(client, world)
    riec = world.regional.memberships.get().organisation
    riec.active = False
    riec.save()
    after = _benchmark_index(client, world)
    assert after == queries.benchmark(world.mayor, "signalen-hennepteelt", "GM0153",
                                      world.year).index
    assert after != before


def test_job_warms_the_cache_once_per_scope(world, django_assert_max_num_queries, settings):
    """After the job announces new figures, a mayor's first view finds its figures in the
    cache: the monitoring functions are not called again."""
    figures.figure_cache().clear()
    users = warm.users_per_scope()
    signatures = [figures.scope_signature(u) for u in users]
    assert len(signatures) == len(set(signatures))
    # The mayor's scope once; the analyst's apart from it, since figures are exact for
    # whom may open every record behind them (decision 0026).
    assert figures.scope_signature(world.mayor) in signatures
    assert figures.scope_signature(world.mayor).startswith("GM0153|")
    assert figures.scope_signature(world.analyst) != figures.scope_signature(world.mayor)
    announce(["signalen-totaal"])
    cached = figures.CachedQueries(world.mayor)
    calls = []
    original = queries.key_figures

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    queries.key_figures = spy
    try:
        from django.utils import timezone

        cached.key_figures(world.mayor, "GM0153", timezone.localdate().year)
    finally:
        queries.key_figures = original
    assert calls == []


def test_warming_is_off_when_configured(world, settings, monkeypatch):
    settings.KNOOPPUNT_DASHBOARD_WARM = False
    monkeypatch.setattr(warm, "warm", lambda year=None: pytest.fail("warmed"))
    announce(["signalen-totaal"])
