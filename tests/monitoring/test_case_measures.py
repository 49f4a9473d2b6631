"""Case-based indicators: cases weighed locally and sent to the RIEC, quick interventions,
13b closures, amount recovered and hours spent, per municipality."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from knooppunt.cases.models import (
    Decision,
    DecisionKind,
    ForumKind,
    InterventionType,
    Stage,
    StageChange,
)
from knooppunt.monitoring import queries
from knooppunt.monitoring.compute import compute_all
from knooppunt.monitoring.models import Indicator, IndicatorValue
from tests.cases.factories import CaseFactory, ForumFactory, InterventionFactory
from tests.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db
YEAR = dt.date(2025, 1, 1)


def yearly(user, code: str, municipality_code: str = "GM0153") -> float | None:
    found = queries.values(user, code, "gemeente", "jaar", YEAR, codes=[municipality_code])
    return found[0].value


def test_case_indicators_count_the_chain(coordinator):
    decider = UserFactory()
    local = ForumFactory(kind=ForumKind.objects.get(code="signalenoverleg"))
    for _ in range(6):
        case = CaseFactory(forum=local, opened_on=dt.date(2025, 2, 1))
        Decision.objects.create(case=case, forum=local, decided_on=dt.date(2025, 3, 1),
                                kind=DecisionKind.objects.get(code="naar-riec"),
                                reason="Complex netwerk", decided_by=decider)
    for amount in (Decimal("12000.00"), Decimal("3500.50")):
        InterventionFactory(type=InterventionType.objects.get(code="afpakken"),
                            status="afgerond", ended_on=dt.date(2025, 5, 1),
                            amount_recovered=amount, hours_spent=Decimal("40.0"))
    for _ in range(5):
        InterventionFactory(status="lopend", started_on=dt.date(2025, 4, 2))  # 13b closure
    InterventionFactory(status="gepland")  # not counted: only planned
    InterventionFactory(status="gestopt", started_on=dt.date(2025, 4, 2))  # not counted
    InterventionFactory(case=CaseFactory(municipality=municipality("GM0164")),
                        status="afgerond", started_on=dt.date(2025, 4, 1),
                        ended_on=dt.date(2025, 6, 1))

    # Weighed: cases on the day they first entered a weighed stage (decision 0024); a
    # second weighing of the same case does not count again.
    weging = Stage.objects.get(code="weging")
    weighed = CaseFactory(opened_on=dt.date(2024, 11, 1))
    for when in (dt.datetime(2025, 2, 3, 12, tzinfo=dt.UTC),
                 dt.datetime(2025, 8, 3, 12, tzinfo=dt.UTC)):
        StageChange.objects.create(case=weighed, to_stage=weging, changed_at=when,
                                   reason="weging")
    # Stopped quickly: closed cases with a finished quick intervention, on the closing
    # day; two quick interventions in one case count that case once.
    stopped = CaseFactory(opened_on=dt.date(2024, 12, 1), closed_on=dt.date(2025, 7, 1))
    for _ in range(2):
        InterventionFactory(case=stopped, status="afgerond", started_on=dt.date(2025, 4, 1),
                            ended_on=dt.date(2025, 6, 1))

    compute_all()

    assert yearly(coordinator, "casussen-geopend") == 6 + 2 + 5 + 1 + 1
    assert yearly(coordinator, "casussen-naar-riec") == 6
    assert yearly(coordinator, "sluitingen-13b") == 5 + 2
    raw = {v.indicator.code: v.value for v in IndicatorValue.objects.filter(
        indicator__code__in=["casussen-lokaal-gewogen", "snelle-interventies"],
        area_code="GM0153", period_type="jaar", period_start=YEAR)}
    assert raw == {"casussen-lokaal-gewogen": 1, "snelle-interventies": 1}  # shown as <5
    stored = {v.indicator.code: (v.value, v.support) for v in IndicatorValue.objects.filter(
        indicator__code__in=["afgepakt-bedrag", "uren-inzet"], area_code="GM0153",
        period_type="jaar")}
    assert stored["afgepakt-bedrag"] == (pytest.approx(15500.50), 2)
    assert stored["uren-inzet"] == (80, 2 + 5 + 2)  # the 13b closures record 0 hours
    # A sum of two interventions would show what one case brought in: hidden like a
    # small count (decision 0013); amounts get no rate per 1,000.
    amount = queries.values(coordinator, "afgepakt-bedrag", "gemeente", "jaar", YEAR)[0]
    assert amount.per_1000 is None and amount.suppressed and amount.value is None


def test_a_beheerder_cannot_save_an_indicator_with_wrong_parameters():
    indicator = Indicator(code="fout", name="Fout", definition="x", source="y",
                          measure="interventions", parameters={"type": "bestaat-niet"})
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "parameters" in error.value.message_dict
    indicator.parameters = {"kleur": "rood"}
    with pytest.raises(ValidationError):
        indicator.full_clean()
    indicator.measure = "bestaat-niet"
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "measure" in error.value.message_dict
    indicator.measure, indicator.parameters = "interventions", {"type": "sluiting-13b"}
    indicator.full_clean()
