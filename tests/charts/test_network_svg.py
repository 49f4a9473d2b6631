"""The SVG of a network for reports: well-formed whatever the labels hold, deterministic,
and drawn by typst into a PDF."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knooppunt.analytics.networks import Edge, Network, Node
from knooppunt.analytics.networks.layout import MAX_NODES, TooLarge, spring_positions
from knooppunt.analytics.networks.synthetic import generated_network
from knooppunt.charts.network_svg import HIDDEN_FILL, LABEL_LENGTH, network_svg

SVG = "{http://www.w3.org/2000/svg}"
# Text XML 1.0 can carry (the labels come from partners' files).
LABELS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)


def pair(label_a: str, label_b: str) -> Network:
    return Network.of([Node("a", "Person", label_a), Node("b", "Company", label_b)],
                      [Edge("e1", "a", "b", "Directorship")], {"a": 2})


@settings(max_examples=60, deadline=None)
@given(LABELS, LABELS, LABELS)
def test_labels_and_title_are_escaped(label, other, title):
    svg = network_svg(pair(label, other + '<&"\''), title=title, description=label)
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG; well-formed: nothing from the labels became markup
    assert root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").text == label
    tooltips = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert sorted(tooltips) == sorted([label, other + '<&"\''])
    assert "<script" not in svg


def test_a_script_in_a_label_is_text():
    svg = network_svg(pair("<script>alert(1)</script>", 'Bedrijf "X" & Zn'), title="t")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; Zn" in svg and "&quot;X&quot;" in svg


def test_long_labels_are_cut_and_hidden_nodes_grey():
    network = Network.of([Node("a", "Person", "x" * 80), Node("h", "Person", "afgeschermd",
                                                                hidden=True)], [])
    root = ET.fromstring(network_svg(network, title="t"))  # noqa: S314 - our own SVG
    labels = [t.text for t in root.find(f"{SVG}g[@class='labels']")]
    assert "x" * (LABEL_LENGTH - 1) + "…" in labels
    fills = {c.get("fill") for c in root.find(f"{SVG}g[@class='nodes']")}
    assert HIDDEN_FILL in fills


def test_hidden_neighbours_are_counted_beside_the_label():
    svg = network_svg(pair("Jan", "Bedrijf"), title="t")
    assert "Jan (+2 afgeschermd)" in svg


def test_the_drawing_is_deterministic_and_inside_the_frame():
    network = generated_network(80)
    assert network_svg(network, title="t") == network_svg(network, title="t")
    positions = spring_positions(network)
    assert set(positions) == {n.id for n in network.nodes}
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in positions.values())
    shuffled = Network.of(reversed(network.nodes), reversed(network.edges),
                          network.hidden_count)
    assert spring_positions(shuffled) == positions  # input order does not move nodes


def test_too_large_for_a_drawing():
    with pytest.raises(TooLarge, match="te groot"):
        network_svg(generated_network(MAX_NODES + 20), title="t")


def test_typst_draws_it_in_a_pdf(tmp_path):
    import typst

    (tmp_path / "network.svg").write_text(network_svg(generated_network(40), title="t"),
                                          encoding="utf-8")
    (tmp_path / "main.typ").write_text('#image("network.svg", width: 16cm)\n', "utf-8")
    pdf = typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path),
                        ignore_system_fonts=True, format="pdf")
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
