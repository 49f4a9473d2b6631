"""Server-side Vega-Lite SVG, colour scales and choropleths of the real boundaries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import vl_convert
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.charts import render
from knooppunt.charts.choropleth import MapArea, choropleth_svg
from knooppunt.charts.scales import SUPPRESSED_FILL, equal_classes, fill_for, index_band
from knooppunt.charts.vega import Point, bar_spec, trend_spec
from knooppunt.geo.models import Municipality, SafetyRegion


def test_trend_with_target_renders_offline_as_accessible_svg():
    points = [Point(dt.date(2024, m, 1), m * 2.0, "gerealiseerd") for m in range(1, 13)]
    points.append(Point(dt.date(2025, 1, 1), None, "gerealiseerd"))
    targets = [Point(dt.date(2024, 1, 1), 20.0, "streefcijfer"),
               Point(dt.date(2024, 12, 1), 20.0, "streefcijfer")]
    spec = trend_spec(points, targets=targets, y_title="Aantal", x_title="Maand")
    data = spec["datasets"][spec["layer"][0]["data"]["name"]]
    # The suppressed/absent value stays as null, never 0, and the line breaks there
    # (decision 0025: a gap, not a line across it).
    assert len(data) == 13 and data[-1]["waarde"] is None
    assert all(r["waarde"] is not None for r in data[:12])
    assert "url" not in str(spec)
    svg = render.chart_svg(spec, title="Trend <hennep>", description="Zie tabel", css_id="t1")
    assert svg.startswith("<svg")
    assert 'role="img"' in svg and 'aria-labelledby="t1-title t1-desc"' in svg
    assert "Trend &lt;hennep&gt;" in svg and "<hennep>" not in svg
    assert "viewBox" in svg and ' width="' not in svg.split(">", 1)[0]
    assert "streefcijfer" in svg


def test_bar_labels_from_data_are_escaped_in_the_svg():
    spec = bar_spec([("<script>alert(1)</script>", 5.0), ("Enschede", 9.0)], x_title="Index",
                    highlight="Enschede", reference=100, reference_label="gemiddelde")
    svg = render.chart_svg(spec, title="t", description="d")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_rendered_svg_is_cached_per_spec():
    spec = bar_spec([("A", 1.0)], x_title="x")
    render.spec_svg(spec)
    calls = []
    original = render._convert
    render._convert = lambda *args: calls.append(args) or "<svg></svg>"
    try:
        render.spec_svg(spec)
        assert calls == []
        render.spec_svg(bar_spec([("A", 2.0)], x_title="x"))
        assert len(calls) == 1
    finally:
        render._convert = original


def test_a_chart_drawn_by_another_process_is_read_from_the_shared_cache(monkeypatch):
    """The compute job (another process) draws the charts while warming; a web process
    reads them from `CACHES["figures"]` instead of drawing them again."""
    spec = bar_spec([("Shared", 3.0), ("Other", 4.0)], x_title="gedeeld")
    drawn = render.spec_svg(spec)
    render._cache.clear()  # a web process that did not draw it
    monkeypatch.setattr(render, "_convert", lambda *args: pytest.fail("drawn again"))
    assert render.spec_svg(spec) == drawn


@pytest.mark.parametrize("spec", [
    trend_spec([Point(dt.date(2024, m, 1), m * 3.0, "gerealiseerd") for m in range(1, 13)],
               targets=[Point(dt.date(2024, 1, 1), 9.0, "streefcijfer")], y_title="Aantal",
               x_title="Maand"),
    bar_spec([("Enschede", 120.0), ("Hengelo", 80.5)], x_title="Index", highlight="Enschede",
             reference=100, reference_label="groepsgemiddelde"),
])
def test_drawing_from_the_compiled_shape_equals_drawing_the_whole_spec(spec):
    """The compiled Vega of a chart shape, with the data put in, draws the same SVG as
    vl-convert's own Vega-Lite path; a second chart of the same shape is not compiled."""
    spec_json = json.dumps(render._without_tooltips(spec))
    whole = vl_convert.vegalite_to_svg(spec_json, allowed_base_urls=[],
                                       format_locale="nl-NL", time_format_locale="nl-NL")
    assert render._convert(spec_json, "nl-NL") == whole
    other = json.loads(spec_json)
    first = next(iter(other["datasets"]))
    other["datasets"][first] = other["datasets"][first][:1]
    misses = render._compiled.cache_info().misses
    render._convert(json.dumps(other), "nl-NL")
    assert render._compiled.cache_info().misses == misses


def test_tooltips_are_left_out_of_the_server_svg_only():
    spec = trend_spec([Point(dt.date(2024, 1, 1), 3.0, "gerealiseerd")], y_title="y",
                      x_title="x")
    assert all("tooltip" in layer["encoding"] for layer in spec["layer"])
    drawn = render._without_tooltips(spec)
    assert all("tooltip" not in layer["encoding"] for layer in drawn["layer"])
    assert spec["layer"][0]["encoding"]["tooltip"]  # the page's spec is untouched
    assert render.spec_svg(spec) == render.spec_svg(drawn)


@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6)), max_size=40),
       st.sampled_from([0, 5]))
def test_equal_classes_cover_every_value_in_order(values, start):
    classes = equal_classes(values, start=start)
    present = [v for v in values if v is not None]
    if not present or max(present) <= start:
        assert classes == []
        return
    assert classes[0].low == start
    assert classes[-1].high >= max(present)
    assert all(a.high == b.low for a, b in zip(classes, classes[1:], strict=False))
    fills = [c.fill for c in classes]
    assert len(set(fills)) == len(fills)
    for value in present:
        if value >= start:
            assert fill_for(value, classes) in fills


def test_index_bands_and_suppressed_fill():
    assert index_band(None) is None
    assert index_band(100).label == "rond gemiddelde"
    assert index_band(79.9).position == 0 and index_band(130).position == 4
    assert fill_for(3, [], suppressed=True) == SUPPRESSED_FILL


@pytest.mark.django_db
def test_choropleth_of_a_safety_region_with_suppressed_and_linked_areas():
    region = SafetyRegion.objects.get(code="VR05")
    municipalities = list(Municipality.objects.filter(safety_region=region))
    areas = []
    for index, m in enumerate(municipalities):
        suppressed = index == 0
        value = None if suppressed else float(index * 10)
        areas.append(MapArea(code=m.code, name=m.name, boundary=m.boundary, value=value,
                             shown="<5" if suppressed else str(index * 10),
                             suppressed=suppressed, highlight=m.code == "GM0153",
                             href=f"/dashboard/gemeente/{m.code}/"))
    classes = equal_classes([a.value for a in areas], start=5)
    svg = choropleth_svg(areas, classes, title="Kaart", description="Zie tabel",
                         legend_title="Per gemeente", points=[(257000.0, 471000.0)],
                         point_label="signaal")
    assert svg.count('<path class="area own') == len(municipalities)
    assert "url(#kp-suppressed)" in svg and "afgeschermd" in svg
    assert 'href="/dashboard/gemeente/GM0153/"' in svg
    assert "Enschede" in svg
    assert '<g class="points"' in svg and "signaal" in svg


@pytest.mark.django_db
def test_choropleth_draws_no_points_unless_given_and_handles_no_boundaries():
    m = Municipality.objects.get(code="GM0153")
    area = MapArea(code=m.code, name=m.name, boundary=m.boundary, value=1.0, shown="1")
    svg = choropleth_svg([area], equal_classes([1.0]), title="t", description="d",
                         legend_title="l")
    assert "<g class=\"points\"" not in svg
    assert choropleth_svg([MapArea("X", "x", None, 1.0, "1")], [], title="t",
                          description="d", legend_title="l") == ""


def test_specs_are_valid_vega_lite(monkeypatch):
    from knooppunt.charts import vega

    monkeypatch.setattr(vega, "VALIDATE", True)  # Altair raises on an invalid spec
    points = [Point(dt.date(2024, m, 1), float(m), "gerealiseerd") for m in range(1, 4)]
    assert trend_spec(points, targets=points, y_title="y", x_title="x")["layer"]
    assert bar_spec([("A", 1.0)], x_title="x", reference=100, reference_label="r")["layer"]
