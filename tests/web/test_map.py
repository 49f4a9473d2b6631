"""The SVG map: real municipality names, legend, colour classes, labels that do not overlap."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from knooppunt.geo.models import Municipality
from knooppunt.web.map_labels import Box, LabelRequest, place_labels, text_width
from knooppunt.web.maps import colour_classes, region_map_svg
from knooppunt.web.overview import AreaFigure

from ..factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

TWENTE = ["Almelo", "Borne", "Dinkelland", "Enschede", "Haaksbergen", "Hellendoorn",
          "Hengelo (O.)", "Hof van Twente", "Losser", "Oldenzaal", "Rijssen-Holten",
          "Tubbergen", "Twenterand", "Wierden"]


def test_map_svg_names_the_users_municipalities(client, bestuurder, signals):
    client.force_login(bestuurder)
    response = client.get(reverse("web:map"))
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*class=\"region-map\".*?</svg>", html, re.S).group(0)
    assert ">Enschede<" in svg  # a label
    assert "Enschede: 7 signalen" in svg  # the tooltip of the own municipality
    for name in TWENTE:  # the whole safety region Twente is drawn, with real names
        assert f"<title>{name}" in svg
    assert "<path" in svg and 'role="img"' in svg
    assert 'class="legend"' in svg and "buiten uw werkgebied" in svg
    assert "km</text>" in svg  # scale bar


def test_map_lists_the_same_figures_in_a_table(client, bestuurder, signals):
    client.force_login(bestuurder)
    html = client.get(reverse("web:map")).content.decode()
    assert '<th scope="row">Enschede</th><td class="num">7</td>' in html


def test_region_of_all_own_municipalities_gets_every_label_without_overlap():
    municipalities = list(Municipality.objects.filter(name__in=TWENTE))
    figures = [AreaFigure(m, i, i, 0) for i, m in enumerate(municipalities)]
    svg = region_map_svg(figures, year=2025)
    for name in TWENTE:
        assert f">{name}</text>" in svg
    boxes = []
    for match in re.finditer(
        r'<text class="label-name" x="([\d.]+)" y="([\d.]+)" font-size="([\d.]+)">([^<]+)</text>',
        svg,
    ):
        x, y, size, text = float(match[1]), float(match[2]), float(match[3]), match[4]
        width = text_width(text, size)
        boxes.append(Box(x - width / 2, y - size, x + width / 2, y))
    assert len(boxes) == len(TWENTE)
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlap(b) > 0]
    assert overlaps == []


def test_user_without_area_gets_no_map(client):
    user = member("medewerker", OrganisationFactory())
    client.force_login(user)
    response = client.get(reverse("web:map"))
    assert response.status_code == 200
    assert response.context["svg"] == ""
    assert "geen werkgebied" in response.content.decode()


def test_colour_classes_are_round_and_cover_the_maximum():
    assert colour_classes(0) == []
    classes = colour_classes(42)
    assert [(c.low, c.high) for c in classes] == [(1, 20), (21, 40), (41, 60)]
    assert [c.label for c in colour_classes(3)] == ["1", "2", "3"]
    assert colour_classes(10_000)[-1].high >= 10_000
    # With small counts withheld, no class may suggest a value under the threshold.
    assert [(c.low, c.high) for c in colour_classes(42, start=5)] == [(5, 14), (15, 24),
                                                                      (25, 34), (35, 44)]
    assert colour_classes(4, start=5) == []


def test_place_labels_moves_colliding_labels_apart():
    requests = [
        LabelRequest(key=str(i), lines=("Gemeente", "12"), x=100, y=100, priority=10 - i)
        for i in range(3)
    ]
    placed = place_labels(requests, 400, 300)
    assert len(placed) == 3
    boxes = [p.box for p in placed]
    assert all(a.overlap(b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert placed[0].leader is False and any(p.leader for p in placed[1:])


def test_place_labels_drops_labels_on_a_crowded_map_when_asked():
    requests = [LabelRequest(key=str(i), lines=("Naam",), x=50, y=20, priority=1)
                for i in range(50)]
    placed = place_labels(requests, 100, 40, allow_overlap=False)
    assert 0 < len(placed) < 50
