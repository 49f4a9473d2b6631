"""Reports never print a change from a year Knooppunt has only part of (decision 0021).

As in the demo, signals begin on 1 December 2023: 2023 holds only December (6), 2024
has 66 and 2025 has 80 (Enschede). Before, raadsvragen printed "2024 +1000%".
"""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.geo.models import Municipality
from knooppunt.monitoring.benchmark import ensure_peer_groups
from knooppunt.monitoring.compute import compute_all
from knooppunt.organisations.models import OrganisationKind, Role
from knooppunt.reports.access import resolve
from knooppunt.reports.builders import get
from knooppunt.reports.periods import parse
from tests.factories import OrganisationFactory, member
from tests.monitoring.conftest import add_signals

pytestmark = pytest.mark.django_db


@pytest.fixture
def mayor(db, records_from_data):
    enschede = Municipality.objects.get(code="GM0153")
    gemeente = OrganisationFactory(name="Gemeente Enschede", kind=OrganisationKind.GEMEENTE,
                                   municipalities=[enschede])
    add_signals(6, day=dt.date(2023, 12, 1))
    for month in range(1, 12):
        add_signals(6, day=dt.date(2024, month, 10))  # 66 in 2024
    for month in range(1, 11):
        add_signals(8, day=dt.date(2025, month, 10))  # 80 in 2025
    compute_all(force=True, codes=["signalen-totaal", "signalen-hennepteelt"])
    ensure_peer_groups()
    return member(Role.BESTUURDER, gemeente)


def _gather(user, kind: str, period: str, **options):
    builder = get(kind)
    return builder.gather(user, resolve(user, builder, "GM0153"), parse(period), **options)


def _texts(data) -> str:
    return " ".join([getattr(data, "answer", ""), *getattr(data, "summary", []),
                     *(c.text for t in data.tables for r in t.rows for c in r),
                     *(t.note for t in data.tables)])


def test_raadsvragen_prints_no_change_from_a_year_with_only_december(mayor):
    data = _gather(mayor, "raadsvragen", "2024", theme="hennepteelt")
    years = data.table("jaren")
    cells = dict(zip([c.value for c in years.column("jaar")],
                     zip(years.column("aantal"), years.column("verandering"), strict=True),
                     strict=True))
    assert cells[2023][0].text == "geen gegevens" and cells[2023][0].value is None
    assert cells[2024][0].value == 66
    assert cells[2024][1].text == "–"  # not +1000%
    assert "%" not in data.answer
    assert "Over 2023 zijn er geen volledige gegevens" in data.answer
    assert "1 december 2023" in data.answer
    assert "Geen verandering over de jaren te berekenen" in years.note
    assert "+1" not in _texts(data)


def test_raadsvragen_gives_the_change_since_the_first_year_with_data(mayor):
    data = _gather(mayor, "raadsvragen", "2025", theme="hennepteelt")
    note = data.table("jaren").note
    assert "Verandering sinds 2024 (2024–2025): +21%" in note
    assert "vijf jaar" not in note
    assert "Het aantal is gestegen (+21%)" in data.answer


def test_raadsvragen_in_english_says_no_data(mayor):
    from django.utils import translation

    with translation.override("en"):
        data = _gather(mayor, "raadsvragen", "2024", theme="hennepteelt")
    assert data.table("jaren").rows[3][1].text == "no data"
    assert "For 2023 there are no complete figures" in data.answer
    assert "since 1 December 2023" in data.answer


def test_jaarbericht_compares_with_no_data_not_with_december(mayor):
    data = _gather(mayor, "jaarbericht", "2024")
    signals = data.table("signalen")
    total = signals.rows[0]
    columns = [c.key for c in signals.columns]
    assert total[columns.index("waarde")].value == 66
    assert total[columns.index("vorige")].text == "geen gegevens"
    assert total[columns.index("verandering")].text == "–"
    assert "(2023: geen gegevens)" in " ".join(data.summary)
    note = next(n for n in data.notes if n.startswith("Geen gegevens"))
    assert "signalen (datum ontvangst) sinds 1 december 2023" in note
    # No case was ever opened here: the case indicators say so, by their own source.
    assert "casussen" in note and "nog geen registraties" in note


def test_voortgang_half_year_before_the_first_record_is_no_data(mayor):
    data = _gather(mayor, "voortgang", "2024-H1")
    table = data.table("ontwikkeling")
    columns = [c.key for c in table.columns]
    total = next(r for r in table.rows if "totaal" in r[columns.index("indicator")].text)
    assert total[columns.index("vorige")].text == "geen gegevens"  # 2023-H2
    assert total[columns.index("verandering")].text == "–"


def test_factsheet_key_figure_of_the_previous_year_reads_no_data(mayor):
    data = _gather(mayor, "factsheet", "2024")
    card = next(c for c in data.cards if c.indicator == "Signalen ondermijning (totaal)")
    assert card.value.value == 66
    assert (card.previous.text, card.previous.value) == ("geen gegevens", None)
    assert card.change.value is None and card.direction == ""


def test_factsheet_of_a_year_before_the_first_record_shows_no_data_not_hidden_peers(mayor):
    data = _gather(mayor, "factsheet", "2023")
    card = next(c for c in data.cards if c.indicator == "Signalen ondermijning (totaal)")
    assert card.value.text == "geen gegevens"
    benchmark = data.table("benchmark")  # peers without data: rows of "geen gegevens"
    assert benchmark.rows and "niet zichtbaar" not in benchmark.note
    assert {c.text for c in benchmark.column("index")} == {"geen gegevens"}
    assert "Knooppunt registreert deze bron sinds 1 december 2023" in benchmark.note


def test_jaarbericht_of_a_year_before_the_first_record_compares_no_peers(mayor):
    data = _gather(mayor, "jaarbericht", "2023")
    total = data.table("signalen").rows[0]
    assert total[1].text == "geen gegevens"
    peers = data.table("vergelijking")
    assert peers.rows
    assert {c.text for c in peers.column("index")} == {"geen gegevens"}
