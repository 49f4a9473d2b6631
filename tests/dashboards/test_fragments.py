"""Cached page fragments: what the job warmed is what users get, and never someone else's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from knooppunt.charts import render
from knooppunt.dashboards import figures, views
from knooppunt.geo.models import Municipality
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.events import announce
from knooppunt.taxonomy.models import Theme
from tests.dashboards.conftest import INDICATORS
from tests.factories import SignalFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboards:municipality", args=["GM0153"])


def _card_value(html: str, name: str) -> str:
    """The number on the key-figure card of indicator `name`."""
    match = re.search(rf"<h3>{re.escape(name)}</h3>\s*<p class=\"dash-card__value\">([^<]*)<",
                      html)
    assert match, name
    return match.group(1)


def _map_rows(html: str) -> set[str]:
    """The municipalities in the region map's table."""
    table = html[html.index('id="kaart-caption"'):]
    table = table[:table.index("</table>")]
    return set(re.findall(r'<th scope="row">([^<]*)</th>', table))


def _fail(*args, **kwargs):
    pytest.fail("the page was built again instead of read from the cache")


def test_page_after_the_job_comes_from_the_cache_without_building_or_drawing(
        client, world, monkeypatch):
    figures.figure_cache().clear()
    render._cache.clear()  # as in a web process that did not run the job
    announce(INDICATORS)  # the job: figures_computed -> dashboards.warm
    render._cache.clear()
    monkeypatch.setattr(views, "overview", _fail)
    monkeypatch.setattr(render, "_convert", _fail)
    client.force_login(world.mayor)
    year = timezone.localdate().year
    first = client.get(URL)  # the first visit, and what "Toon" sends back
    sent = client.get(URL, {"indicator": "", "jaar": year})
    assert first.status_code == sent.status_code == 200
    assert first.context["panels_html"] == sent.context["panels_html"]
    html = first.content.decode()
    # The frame is per request: the user's own name and a CSRF token.
    shown_name = world.mayor.get_full_name() or world.mayor.username
    # Escaped as the template escapes it ("Suus van 't Erve" -> "van &#x27;t Erve").
    assert escape(shown_name) in html and "csrfmiddlewaretoken" in html
    assert "Kerncijfers" in html


def test_new_figures_show_new_numbers(client, world):
    client.force_login(world.mayor)
    name = "Signalen ondermijning (totaal)"
    before = client.get(URL, {"jaar": world.year}).content.decode()
    assert _card_value(before, name) == "14"
    enschede = Municipality.objects.get(code="GM0153")
    for month in range(1, 7):
        SignalFactory(theme=Theme.objects.get(code="hennepteelt"), municipality=enschede,
                      received_on=dt.date(world.year, month, 20))
    compute_all(codes=INDICATORS, force=True)
    after = client.get(URL, {"jaar": world.year}).content.decode()
    assert _card_value(after, name) == "20"


def test_a_wider_scope_shows_more_at_once(client, world):
    """The mayor's organisation starting to serve Hengelo puts Hengelo's own-data figure on
    the mayor's map (withheld: three signals) on the next view."""
    client.force_login(world.mayor)
    params = {"jaar": world.year, "indicator": "signalen-totaal"}
    assert _map_rows(client.get(URL, params).content.decode()) == {"Enschede"}
    organisation = world.mayor.memberships.get().organisation
    organisation.municipalities.add(Municipality.objects.get(code="GM0164"))
    assert _map_rows(client.get(URL, params).content.decode()) == {"Enschede", "Hengelo (O.)"}


@pytest.mark.parametrize("order", [("regional", "mayor"), ("mayor", "regional")])
def test_two_figure_scopes_never_share_a_fragment(client, world, order):
    params = {"jaar": world.year, "indicator": "signalen-totaal"}
    served = {}
    for who in order:
        client.force_login(getattr(world, who))
        served[who] = client.get(URL, params).context["panels_html"]
    assert served["mayor"] != served["regional"]
    for who in order:  # what each got equals what is built for them from nothing
        figures.figure_cache().clear()
        client.force_login(getattr(world, who))
        assert client.get(URL, params).context["panels_html"] == served[who]
    assert "Hengelo (O.)" in _map_rows(served["regional"])
    assert "Hengelo (O.)" not in _map_rows(served["mayor"])


def test_the_same_scope_shares_the_fragment(client, world, monkeypatch):
    """Two bestuurders of Enschede have one figure scope: one build serves both. The
    analyst gets figures exact where they may open every record (decision 0026), so
    never the mayor's fragment."""
    from knooppunt.organisations.models import Membership, Role
    from tests.factories import member

    other_mayor = member(Role.BESTUURDER, Membership.objects.filter(
        user=world.mayor).first().organisation)
    client.force_login(world.mayor)
    built = client.get(URL, {"jaar": world.year}).context["panels_html"]
    monkeypatch.setattr(views, "overview", _fail)
    client.force_login(other_mayor)
    assert client.get(URL, {"jaar": world.year}).context["panels_html"] == built
    client.force_login(world.analyst)
    with pytest.raises(pytest.fail.Exception):  # built again: not the mayor's fragment
        client.get(URL, {"jaar": world.year})


@pytest.mark.parametrize("change", ["day", "code"])
def test_a_new_day_or_a_new_code_version_builds_the_page_again(client, world, monkeypatch,
                                                                 change):
    """A running year's target is compared pro rata to the day: yesterday's page is not
    today's; and a deploy draws the pages anew."""
    client.force_login(world.mayor)
    client.get(URL, {"jaar": world.year})
    calls = []
    original = views.overview

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(views, "overview", spy)
    client.get(URL, {"jaar": world.year})
    assert calls == []
    if change == "day":
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        monkeypatch.setattr(figures.timezone, "localdate", lambda: tomorrow)
    else:
        monkeypatch.setattr(figures, "code_version", lambda: "another deploy")
    client.get(URL, {"jaar": world.year})
    assert len(calls) == 1


def test_a_form_with_errors_is_never_kept(client, world):
    client.force_login(world.mayor)
    for _ in range(2):
        response = client.get(URL, {"jaar": "1850"})
        assert response.status_code == 400
        assert "Kies een jaar van 2000" in response.content.decode()
    assert client.get(URL, {"jaar": world.year}).status_code == 200


def test_export_links_in_a_cached_fragment_carry_the_filters_that_decide_it(client, world):
    client.force_login(world.regional)
    page = client.get(URL, {"jaar": world.year, "indicator": "signalen-totaal",
                            "periode": "maand"}).content.decode()
    links = re.findall(r'href="([^"]*export=csv[^"]*tabel=kaart[^"]*)"', page)
    assert links, "no CSV link for the map"
    link = links[0].replace("&amp;", "&")
    assert f"jaar={world.year}" in link and "indicator=signalen-totaal" in link
    assert "periode" not in link  # not something the overview depends on
    export = client.get(link)
    assert export.status_code == 200
    assert "Hengelo (O.)" in export.content.decode("utf-8-sig")


def test_the_server_svg_leaves_out_tooltips_the_page_spec_keeps_them(client, world):
    client.force_login(world.mayor)
    html = client.get(URL, {"jaar": world.year}).content.decode()
    spec = html[html.index('id="spec-trend"'):]
    assert '"tooltip"' in spec[:spec.index("</script>")]
    assert 'class="chart-svg"' in html


@hsettings(max_examples=12, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["indicator", "jaar", "thema", "periode", "export"]),
                       st.sampled_from(["", "signalen-totaal", "signalen-hennepteelt",
                                        "hennepteelt", "2025", "1850", "jaar", "x<y"]),
                       max_size=4))
def test_any_query_gets_the_panels_built_for_it(client, world, params):
    """Whatever was cached before, a page shows what building it afresh would show."""
    client.force_login(world.mayor)
    cached = client.get(URL, params)
    assert cached.status_code in (200, 400, 404)
    if cached.status_code != 200 or "panels_html" not in cached.context:
        return
    figures.figure_cache().clear()
    fresh = client.get(URL, params)
    assert fresh.context["panels_html"] == cached.context["panels_html"]
