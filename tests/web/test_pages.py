"""Every page renders for the roles that may use it, accessibly, and refuses the others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from knooppunt.organisations.models import Role

from .conftest import parse, visible_text

pytestmark = pytest.mark.django_db

PERSONAL_ROLES = ["medewerker", "analist", "coordinator"]
ALL_ROLES = [*PERSONAL_ROLES, "bestuurder", "beheerder"]


def page_checks(html: str) -> None:
    """What every full page must have: lang, skip link, labelled controls, CSRF on POST."""
    page = parse(html)
    assert page.lang in {"nl", "en"}
    assert 'class="skip-link" href="#main"' in html
    assert 'id="main"' in html
    assert page.unlabelled() == []
    assert page.csrf_inputs >= page.post_forms() > 0  # the language switcher posts too
    assert page.tables == page.captions
    assert page.th_without_scope == 0


def test_login_page_renders_with_labelled_fields(client):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    html = response.content.decode()
    page_checks(html)
    for field in ("username", "password", "otp_token"):
        assert f'name="{field}"' in html
    assert 'autocomplete="one-time-code"' in html


def test_pages_require_login(client):
    for url in (reverse("web:home"), reverse("web:map"), reverse("web:two_factor"),
                reverse("signals:list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_map_and_two_factor_render_for_every_role(client, request, role, signals):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for name in ("web:home", "web:map", "web:two_factor"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        page_checks(response.content.decode())
    home = client.get(reverse("web:home")).content.decode()
    assert "Enschede" in home
    assert reverse("web:two_factor") in home  # linked from the user menu


@pytest.mark.parametrize("role", PERSONAL_ROLES)
def test_signal_pages_render_for_roles_with_personal_data(client, request, role, signals):
    client.force_login(request.getfixturevalue(role))
    signal = signals[0]
    pages = {
        reverse("signals:list"): signal.reference,
        reverse("signals:detail", args=[signal.reference]): signal.description,
        reverse("signals:create"): 'name="description"',
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert expected in html
        page_checks(html)


@pytest.mark.parametrize("role", ["bestuurder", "beheerder"])
def test_aggregate_roles_get_403_on_signal_pages(client, request, role, signals):
    client.force_login(request.getfixturevalue(role))
    reference = signals[0].reference
    for url in (
        reverse("signals:list"),
        reverse("signals:detail", args=[reference]),
        reverse("signals:create"),
        reverse("signals:export"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert "Geen toegang" in html and "No access" in html
        # The reference only comes back in the URL the user asked for (the language
        # switcher's return address), never as page content.
        assert reference not in visible_text(html)
        assert signals[0].description not in html
    response = client.post(
        reverse("signals:status", args=[reference]), {"to_status": "gewogen", "note": "x"}
    )
    assert response.status_code == 403


def test_aggregate_roles_have_no_signal_links_in_menu(client, bestuurder):
    client.force_login(bestuurder)
    html = client.get(reverse("web:home")).content.decode()
    assert reverse("signals:list") not in html
    assert reverse("signals:create") not in html


def test_signal_list_filters_sit_in_the_url_and_htmx_gets_a_partial(client, coordinator, signals):
    client.force_login(coordinator)
    url = reverse("signals:list") + "?q=nummer+3"
    full = client.get(url).content.decode()
    assert "<html" in full and 'hx-push-url="true"' in full
    assert signals[3].reference in full and signals[4].reference not in full

    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert signals[3].reference in partial and signals[4].reference not in partial
    # The result count and the CSV link outside the swapped table follow the filters.
    assert 'id="result-status"' in partial and 'hx-swap-oob="true"' in partial
    assert 'id="export-link"' in partial and "export.csv?q=nummer+3" in partial


def test_signal_list_paginates_with_the_filters_kept(client, coordinator, gemeente, enschede):
    from ..factories import SignalFactory

    SignalFactory.create_batch(30, reporting_organisation=gemeente, municipality=enschede)
    client.force_login(coordinator)
    html = client.get(reverse("signals:list") + "?status=ontvangen").content.decode()
    assert "Pagina 1 van 2" in html
    assert "status=ontvangen&amp;page=2" in html
    second = client.get(reverse("signals:list") + "?status=ontvangen&page=2").content.decode()
    assert "Pagina 2 van 2" in second


def test_invalid_filters_give_an_error_summary_linking_to_the_field(client, coordinator, signals):
    client.force_login(coordinator)
    html = client.get(
        reverse("signals:list") + "?received_from=2025-05-01&received_until=2025-01-01"
    ).content.decode()
    assert 'class="error-summary"' in html
    assert "De begindatum ligt na de einddatum." in html


def test_registration_errors_are_summarised_and_linked_to_fields(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("signals:create"), {"description": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_description"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_description-error"' in html


def test_registration_form_shows_todays_date_in_iso_for_the_date_picker(client, coordinator):
    from django.utils import timezone

    client.force_login(coordinator)
    html = client.get(reverse("signals:create")).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_register_a_signal_through_the_form(client, coordinator, gemeente, enschede):
    from knooppunt.signals.models import Signal
    from knooppunt.taxonomy.models import SourceType, Theme

    client.force_login(coordinator)
    response = client.post(reverse("signals:create"), {
        "reporting_organisation": gemeente.pk,
        "theme": Theme.objects.get(code="hennepteelt").pk,
        "source_type": SourceType.objects.get(code="politie").pk,
        "received_on": "2025-02-03",
        "municipality": enschede.pk,
        "description": "Geur van hennep",
        "confidentiality": 1,
    })
    signal = Signal.objects.get(description="Geur van hennep")
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert signal.reference in detail
    assert "is geregistreerd" in detail


def test_status_change_from_the_detail_page(client, coordinator, signals):
    client.force_login(coordinator)
    signal = signals[0]
    detail = client.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert 'name="to_status"' in detail and "csrfmiddlewaretoken" in detail
    response = client.post(
        reverse("signals:status", args=[signal.reference]),
        {"to_status": "in_behandeling", "note": "Opgepakt door team"},
        follow=True,
    )
    html = response.content.decode()
    assert "Status gewijzigd." in html
    assert "Opgepakt door team" in html  # in the status history table


def test_csv_export_link_and_download(client, coordinator, signals):
    client.force_login(coordinator)
    html = client.get(reverse("signals:list")).content.decode()
    assert reverse("signals:export") in html
    response = client.get(reverse("signals:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert signals[0].reference in response.content.decode("utf-8-sig")


def test_role_labels_are_shown_not_codes(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("web:home")).content.decode()
    assert str(Role.COORDINATOR.label) in html
