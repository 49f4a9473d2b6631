"""The network core (analytics.networks): measures on small graphs checked by hand,
expansion with its filters, the patterns and the interface's refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.analytics.networks import (
    Edge,
    InvalidNetwork,
    Network,
    Node,
    Provenance,
    UnknownNode,
    betweenness,
    components,
    crowded_addresses,
    degree,
    frequent_movers,
    neighbourhood,
    shared_officers,
    short_lived,
)
from knooppunt.analytics.networks.synthetic import generated_network

D = dt.date


def person(i):
    return Node(i, "Person", f"Persoon {i}")


def company(i, **attributes):
    return Node(i, "Company", f"Bedrijf {i}", attributes=attributes)


def address(i):
    return Node(i, "Address", f"Straat {i}")


def edge(n, a, b, kind="Associate", start=None, end=None):
    return Edge(f"e{n}", a, b, kind, start, end)


def path(*ids):
    return Network.of([person(i) for i in ids],
                      [edge(n, a, b) for n, (a, b) in enumerate(zip(ids, ids[1:], strict=False))])


# Measures, by hand: a path a-b-c-d; b lies on the shortest paths a-c and a-d, 2 of the
# (4-1)(4-2)/2 = 3 pairs without b, so 2/3. A star's centre lies on all 6 leaf pairs: 1.
def test_degree_and_betweenness_of_a_path():
    network = path("a", "b", "c", "d")
    assert degree(network) == {"a": 1, "b": 2, "c": 2, "d": 1}
    values, method = betweenness(network)
    assert method.exact
    assert values == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})


def test_betweenness_of_a_star_centre_is_one():
    leaves = ["l1", "l2", "l3", "l4"]
    network = Network.of([person("m"), *map(person, leaves)],
                         [edge(n, "m", leaf) for n, leaf in enumerate(leaves)])
    values, _method = betweenness(network)
    assert values["m"] == pytest.approx(1.0)
    assert all(values[leaf] == 0 for leaf in leaves)


def test_two_links_between_one_pair_are_one_neighbour():
    network = Network.of([person("a"), company("c")],
                         [edge(1, "a", "c", "Directorship"), edge(2, "a", "c", "Employment")])
    assert degree(network) == {"a": 1, "c": 1}


def test_sampled_betweenness_above_the_limit_says_so():
    network = path("a", "b", "c", "d")
    values, method = betweenness(network, exact_up_to=3, samples=200, seed=7)
    # Four sampled sources out of four nodes is every source: the exact values.
    assert (method.exact, method.samples, method.seed) == (False, 4, 7)
    assert "4" in method.describe() and "seed 7" in method.describe()
    assert values == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})


def test_components_largest_first_then_by_smallest_id():
    network = Network.of([person(i) for i in "abcdef"],
                         [edge(1, "e", "d"), edge(2, "a", "b"), edge(3, "c", "b")])
    assert components(network) == [["a", "b", "c"], ["d", "e"], ["f"]]


# Expansion: p1 -directs(2020)- c1 -registered- a1 -lived(2015-2016)- p2
CHAIN = Network.of(
    [person("p1"), company("c1"), address("a1"), person("p2")],
    [edge(1, "p1", "c1", "Directorship", D(2020, 1, 1)),
     edge(2, "c1", "a1", "UnknownLink"),
     edge(3, "p2", "a1", "Occupancy", D(2015, 1, 1), D(2016, 12, 31))],
    {"p2": 3})


def ids(network):
    return {node.id for node in network.nodes}


def test_expansion_step_by_step():
    assert ids(neighbourhood(CHAIN, ["c1"], 0)) == {"c1"}
    assert ids(neighbourhood(CHAIN, ["c1"], 1)) == {"p1", "c1", "a1"}
    two = neighbourhood(CHAIN, ["c1"], 2)
    assert ids(two) == {"p1", "c1", "a1", "p2"}
    assert {e.id for e in two.edges} == {"e1", "e2", "e3"}
    assert two.hidden_count == {"p2": 3}
    assert neighbourhood(CHAIN, ["c1"], 1).hidden_count == {}


def test_expansion_walks_only_filtered_links():
    assert ids(neighbourhood(CHAIN, ["c1"], 3, link_types={"Directorship"})) == {"c1", "p1"}
    window = neighbourhood(CHAIN, ["c1"], 3, start=D(2019, 1, 1), end=D(2021, 1, 1))
    assert ids(window) == {"p1", "c1", "a1"}  # the occupancy ended in 2016
    before = neighbourhood(CHAIN, ["c1"], 3, end=D(2019, 12, 31))
    assert ids(before) == {"c1", "a1", "p2"}  # the directorship began in 2020


def test_expansion_refuses_unknown_nodes_and_depths():
    with pytest.raises(UnknownNode):
        neighbourhood(CHAIN, ["x"], 1)
    with pytest.raises(ValueError, match="Diepte"):
        neighbourhood(CHAIN, ["c1"], 5)


@given(st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.dates()),
       st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.dates()))
def test_a_link_overlaps_a_window_when_some_day_lies_in_both(s, e, ws, we):
    if s and e and e < s:
        s, e = e, s
    link = Edge("x", "a", "b", "Associate", s, e)
    lo = max(d for d in (s, ws, dt.date.min) if d)
    hi = min(d for d in (e, we, dt.date.max) if d)
    assert link.overlaps(ws, we) == (lo <= hi)


# Patterns
def test_an_address_with_many_registrations():
    nodes = [address("a1"), address("a2"), *(company(f"c{i}") for i in range(3)),
             person("p1"), person("p2")]
    edges = [edge(i, f"c{i}", "a1", "UnknownLink") for i in range(3)]
    edges += [edge(10, "p1", "a1", "Occupancy"),
              edge(11, "p2", "a1", "Occupancy", D(2010, 1, 1), D(2011, 1, 1)),
              edge(12, "p1", "a2", "Occupancy")]
    network = Network.of(nodes, edges)
    [found] = crowded_addresses(network, threshold=5)
    assert (found.address, found.companies, found.persons) == ("a1", ("c0", "c1", "c2"),
                                                               ("p1", "p2"))
    assert crowded_addresses(network, threshold=6) == []
    # In 2020 p2 no longer lived there: four registered.
    assert crowded_addresses(network, threshold=5, start=D(2020, 1, 1)) == []
    assert crowded_addresses(network, threshold=4, start=D(2020, 1, 1))[0].registered == 4


def test_a_company_that_moves_often():
    starts = [D(2020, 1, 1), D(2020, 6, 1), D(2021, 12, 1), D(2022, 1, 1)]
    nodes = [company("c1"), *(address(f"a{i}") for i in range(4))]
    edges = [edge(i, "c1", f"a{i}", "UnknownLink", s) for i, s in enumerate(starts)]
    network = Network.of(nodes, edges)
    [found] = frequent_movers(network, addresses=3, years=2)
    # 2022-01-01 is exactly two years after the first move: outside that window, but the
    # window from 2020-06-01 holds three as well; the first densest window is kept.
    assert found.addresses == 3 and found.window_start == D(2020, 1, 1)
    assert found.window_end == D(2021, 12, 1)
    assert frequent_movers(network, addresses=4, years=2) == []
    assert frequent_movers(network, addresses=3, years=1) == []


def test_a_company_that_lived_briefly():
    network = Network.of([
        company("c1", incorporationDate="2020-01-31", dissolutionDate="2020-12-30"),
        company("c2", incorporationDate="2020-01-31", dissolutionDate="2021-01-31"),
        company("c3", incorporationDate="2020-01-31"),
        company("c4", incorporationDate="2020-01-31", dissolutionDate="eergisteren"),
    ], [])
    [found] = short_lived(network, months=12)
    assert (found.company, found.days) == ("c1", 334)


def test_persons_who_direct_several_companies():
    nodes = [person("p1"), person("p2"), company("c1"), company("c2"), company("c3")]
    edges = [edge(1, "p1", "c1", "Directorship"), edge(2, "p1", "c2", "Directorship"),
             edge(3, "p1", "c2", "Directorship"), edge(4, "p2", "c1", "Directorship"),
             edge(5, "p2", "c3", "Employment"),
             edge(6, "c3", "c2", "Directorship")]  # a company directing one: not a person
    network = Network.of(nodes, edges)
    [found] = shared_officers(network)
    assert (found.officer, found.companies) == ("p1", ("c1", "c2"))
    assert shared_officers(network, at_least=3) == []


def test_the_generated_network_holds_each_pattern():
    network = generated_network(60)
    assert crowded_addresses(network)[0].address == "a1"
    assert frequent_movers(network)[0].company == "c1"
    assert short_lived(network)[0].company == "c2"
    assert shared_officers(network)[0].officer == "p1"
    assert generated_network(60) == network  # the same seed, the same network


# The interface
def test_the_interface_refuses_what_does_not_fit():
    with pytest.raises(InvalidNetwork):
        Node("x", "Vessel", "boot")
    with pytest.raises(InvalidNetwork):
        Edge("e", "a", "b", "Friendship")
    with pytest.raises(InvalidNetwork):
        Edge("e", "a", "b", "Family", D(2020, 1, 2), D(2020, 1, 1))
    with pytest.raises(InvalidNetwork):
        Network.of([person("a")], [edge(1, "a", "b")])
    with pytest.raises(InvalidNetwork):
        Network.of([person("a"), company("a")], [])


@given(st.text(min_size=1, max_size=40), st.text(max_size=40))
def test_json_round_trip(label, organisation):
    network = Network.of(
        [Node("a", "Person", label, attributes={"birthDate": "1978-03-12"}),
         Node("b", "Company", label, hidden=True)],
        [Edge("e1", "a", "b", "Directorship", D(2020, 1, 1), None,
              (Provenance(organisation, D(2024, 5, 1), "signaal"),), "bestuurder")],
        {"b": 2})
    assert Network.from_json(network.to_json()) == network
