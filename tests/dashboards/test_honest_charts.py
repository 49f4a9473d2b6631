"""Charts and key figures compare honestly (decision 0025): a gap and a legend note where a
value is hidden, the running period marked and never drawn as a drop, one comparison rule."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.dashboards import panels
from knooppunt.geo.models import Municipality
from knooppunt.monitoring import comparison, queries
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.models import AreaLevel, PeriodType
from knooppunt.taxonomy.models import Theme
from tests.factories import SignalFactory


def _area(user):
    return queries.area(user, AreaLevel.MUNICIPALITY, "GM0153")


@pytest.mark.django_db
def test_a_hidden_value_is_a_gap_with_a_reason_in_the_legend(world):
    # Two drug dumps last year, in April and September: hidden from the mayor.
    info = queries.indicator(world.mayor, "signalen-drugsdump")
    panel = panels.trend(world.mayor, info, _area(world.mayor), PeriodType.MONTH,
                         dt.date(world.year, 1, 1), dt.date(world.year, 12, 1))
    data = panel.spec["datasets"]["gerealiseerd"]
    april = next(r for r in data if r["periode"] == f"{world.year}-04-01")
    assert april["waarde"] is None  # in the data as null: the line breaks, no 0
    line = next(layer for layer in panel.spec["layer"] if layer["mark"]["type"] == "line")
    assert line["mark"]["invalid"] == "break-paths-show-path-domains"
    bands = panel.spec["datasets"]["verborgen"]
    assert {b["periode"] for b in bands} >= {f"{world.year}-04-01", f"{world.year}-09-01"}
    assert {b["reeks"] for b in bands} == {"afgeschermd (klein aantal)"}
    assert "afgeschermd (klein aantal)" in str(panel.chart)  # the legend in the SVG
    assert "onderbroken" in panel.table.note


@pytest.mark.django_db
def test_the_running_month_is_marked_and_not_a_drop(world, monkeypatch):
    # Pretend it is 5 September of the demo year: September runs.
    day = dt.date(world.year, 9, 5)
    monkeypatch.setattr(panels, "today", lambda: day)
    enschede = Municipality.objects.get(code="GM0153")
    for month in (8, 9):  # enough in August and September to be shown
        for _i in range(7):
            SignalFactory(theme=Theme.objects.get(code="hennepteelt"),
                          received_on=dt.date(world.year, month, 2), municipality=enschede)
    compute_all(codes=["signalen-hennepteelt"], force=True)
    info = queries.indicator(world.analyst, "signalen-hennepteelt")
    panel = panels.trend(world.analyst, info, _area(world.analyst), PeriodType.MONTH,
                         dt.date(world.year, 1, 1), dt.date(world.year, 9, 1))
    realised = panel.spec["datasets"]["gerealiseerd"]
    # The running September is no point of the line (so no drop) but a band that says so.
    assert f"{world.year}-09-01" not in {r["periode"] for r in realised}
    assert realised[-1]["periode"] == f"{world.year}-08-01"
    running = [b for b in panel.spec["datasets"]["verborgen"]
               if b["reeks"].startswith("lopend")]
    assert running == [{"periode": f"{world.year}-09-01", "tot": f"{world.year}-10-01",
                        "reeks": "lopend, t/m 5 sep (nog niet compleet)"}]
    assert "lopend, t/m 5 sep" in str(panel.chart)  # in the legend of the SVG
    assert panel.table.rows[-1]["periode"].endswith("(t/m 5 sep)")


@pytest.mark.django_db
def test_key_figures_compare_the_same_complete_months(world, monkeypatch, settings):
    settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD = 1  # the rule, not suppression, is tested
    # On 5 July of the year after the data, the year runs: January to June against the
    # same months of the data year, never against the whole data year.
    day = dt.date(world.year + 1, 7, 5)
    monkeypatch.setattr(panels, "today", lambda: day)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    panel = panels.key_figures(world.analyst, _area(world.analyst), world.year + 1)
    labels = [c.label for c in panel.table.columns]
    assert f"{world.year + 1} (t/m 5 jul)" in labels
    assert f"1 jan – 30 jun {world.year}" in labels
    assert "1 jan – 30 jun" in panel.table.note
    hennep = next(k for k, _band in panel.extra["figures"]
                  if k.indicator.code == "signalen-hennepteelt")
    # Enschede's hennep signals of the data year: one on the 3rd of every month, so the
    # same part (Jan-Jun) is 6, the whole year 12.
    assert hennep.compared.previous.value == 6
    assert hennep.compared.current.value == 0
    assert hennep.change_percent == -100.0
    assert hennep.compared.text == (f"1 jan – 30 jun {world.year + 1} t.o.v. "
                                    f"1 jan – 30 jun {world.year}")


@pytest.mark.django_db
def test_a_window_is_hidden_when_a_month_in_it_is(world):
    # Drug dumps: April is hidden from the mayor, so January-June is too (else the year
    # minus the shown months would give April away).
    span = comparison.Span(dt.date(world.year, 1, 1), dt.date(world.year, 6, 30))
    mayor = comparison.span_value(world.mayor, "signalen-drugsdump", AreaLevel.MUNICIPALITY,
                                  "GM0153", span)
    assert mayor.value is None and mayor.suppressed
    analyst = comparison.span_value(world.analyst, "signalen-drugsdump",
                                    AreaLevel.MUNICIPALITY, "GM0153", span)
    if not analyst.suppressed:  # an audience cleared for every record sees the sum
        assert analyst.value == 1


@pytest.mark.django_db
def test_a_window_holding_every_hidden_month_is_shown_exactly(world):
    # Drug trafficking in Enschede: 8 a month January-November except 2 in May (hidden,
    # and secondary suppression hides one more month). The whole Jan-Nov window holds
    # every hidden month: the year minus December (0) gives it, nothing new is revealed.
    enschede = Municipality.objects.get(code="GM0153")
    theme = Theme.objects.get(code="drugshandel")
    for month in range(1, 12):
        for _i in range(2 if month == 5 else 8):
            SignalFactory(theme=theme, received_on=dt.date(world.year, month, 4),
                          municipality=enschede)
    compute_all(codes=["signalen-drugshandel"], force=True)
    code = "signalen-drugshandel"
    whole = comparison.Span(dt.date(world.year, 1, 1), dt.date(world.year, 11, 30))
    found = comparison.span_value(world.mayor, code, AreaLevel.MUNICIPALITY, "GM0153", whole)
    assert (found.value, found.suppressed) == (82, False)
    # January-April leaves May (hidden) outside: shown, it would give May away
    # (year - Jan-Apr - the shown months after May).
    early = comparison.Span(dt.date(world.year, 1, 1), dt.date(world.year, 4, 30))
    months = queries.series(world.mayor, code, AreaLevel.MUNICIPALITY, "GM0153",
                            PeriodType.MONTH, early.start, dt.date(world.year, 12, 1))
    hidden = {f.period.start.month for f in months if f.suppressed}
    found = comparison.span_value(world.mayor, code, AreaLevel.MUNICIPALITY, "GM0153", early)
    if hidden <= {1, 2, 3, 4}:
        assert found.value is not None
    else:
        assert found.value is None and found.suppressed


@pytest.mark.django_db
def test_a_large_theme_year_is_not_taken_to_protect_a_small_theme(world):
    # The same drug trafficking, with all signals recomputed too: the 2 drug dumps of the
    # year (hidden) need a second hidden theme year beside all signals. Hennep's 12, whose
    # only other copies are its wijk and buurt (the same 12), is taken, not the 82.
    enschede = Municipality.objects.get(code="GM0153")
    theme = Theme.objects.get(code="drugshandel")
    for month in range(1, 12):
        for _i in range(2 if month == 5 else 8):
            SignalFactory(theme=theme, received_on=dt.date(world.year, month, 4),
                          municipality=enschede)
    compute_all(codes=["signalen-drugshandel", "signalen-totaal"], force=True)
    year = dt.date(world.year, 1, 1)
    shown = {code: queries.values(world.mayor, code, AreaLevel.MUNICIPALITY,
                                  PeriodType.YEAR, year, codes=["GM0153"])[0]
             for code in ("signalen-drugshandel", "signalen-hennepteelt",
                          "signalen-drugsdump", "signalen-totaal")}
    assert shown["signalen-drugshandel"].value == 82
    # The dumps stay hidden: not all three others are shown (no subtraction gives 2).
    assert shown["signalen-drugsdump"].value is None
    assert any(shown[c].value is None for c in ("signalen-hennepteelt", "signalen-totaal"))
    whole = comparison.Span(year, dt.date(world.year, 11, 30))
    found = comparison.span_value(world.mayor, "signalen-drugshandel",
                                  AreaLevel.MUNICIPALITY, "GM0153", whole)
    assert (found.value, found.suppressed) == (82, False)
