"""Bestuurlijke rapportage light: the notice's location and what is known of it, the
mayor's options from the catalogue, what has been done; only a coordinator or case worker
of the municipality gets it, every gather and every refusal is logged."""

from __future__ import annotations

import datetime as dt

import pytest

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.cases import services
from knooppunt.cases.models import DecisionKind, InterventionType, Stage
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from knooppunt.reports.gather import brl
from knooppunt.reports.gather.errors import ReportNotAllowed
from knooppunt.taxonomy.models import SourceType, Theme
from tests.cases.conftest import chain  # noqa: F401  (fixture)
from tests.cases.factories import ForumFactory
from tests.factories import (
    CovenantFactory,
    OrganisationFactory,
    SignalFactory,
    member,
    municipality,
)
from tests.registers.factories import (
    ENSCHEDE_X,
    ENSCHEDE_Y,
    AddressFactory,
    CompanyFactory,
    EnergyAnomalyFactory,
)

pytestmark = pytest.mark.django_db


def _notice(org, address, **kwargs):
    fields = {"reporting_organisation": org, "received_on": dt.date(2025, 3, 1),
              "source_type": SourceType.objects.get(code="politie"),
              "theme": Theme.objects.get(code="hennepteelt"),
              "address_register_id": address.nummeraanduiding_id,
              "postcode": address.postcode, "house_number": address.house_number,
              "street": address.street, "city": address.city, "address_status": "gevonden",
              "x_rd": ENSCHEDE_X, "y_rd": ENSCHEDE_Y}
    fields.update(kwargs)
    return SignalFactory(**fields)


@pytest.fixture
def notice(chain):  # noqa: F811
    CovenantFactory(parties=[chain.gemeente, chain.politie])  # police notices to the mayor
    address = AddressFactory()
    CompanyFactory(address=address, name="Kweek BV (test)", kvk_number="90000077")
    EnergyAnomalyFactory(address=address, reported_on=dt.date(2024, 4, 20))
    # The grid operator's report of the anomaly, which the municipality may see (finding 4).
    earlier = _notice(chain.gemeente, address, received_on=dt.date(2024, 5, 1),
                      source_type=SourceType.objects.get(code="netbeheerder"))
    near = _notice(chain.gemeente, AddressFactory(), x_rd=ENSCHEDE_X + 40)
    signal = _notice(chain.politie, address, description="Hennepkwekerij 300 planten")
    case = services.open_case(user=chain.coordinator, signals=[signal], forum=chain.forum,
                              title="Kwekerij", opened_on=dt.date(2025, 3, 5))
    for code in ("verrijking", "preweging", "weging"):
        case.refresh_from_db()
        services.change_stage(user=chain.coordinator, case=case,
                              to_stage=Stage.objects.get(code=code), reason=f"naar {code}",
                              version=case.version)
    case.refresh_from_db()
    services.decide(user=chain.coordinator, case=case,
                    kind=DecisionKind.objects.get(code="lokale-aanpak"),
                    reason="13b voorbereiden", decided_on=dt.date(2025, 3, 20),
                    version=case.version)
    case.refresh_from_db()
    services.add_intervention(user=chain.coordinator, case=case,
                              intervention_type=InterventionType.objects.get(code="sluiting-13b"),
                              organisation=chain.gemeente, planned_on=dt.date(2025, 3, 21))
    return signal, case, earlier, near


def test_location_known_facts_options_and_what_was_done(chain, notice):  # noqa: F811
    signal, case, earlier, near = notice
    report = brl.gather(chain.coordinator, signal.reference)
    assert report.confidential and report.is_police_cannabis_notice
    assert report.signal_reference == signal.reference
    assert report.location.municipality_code == "GM0153"
    assert report.location.building.construction_year == 1931
    assert [s.reference for s in report.known.same_address] == [earlier.reference]
    assert [s.reference for s in report.known.nearby] == [near.reference]
    assert [c.name for c in report.known.companies] == ["Kweek BV (test)"]
    assert report.known.energy is not None
    options = {o.code: o for o in report.options}
    assert options["sluiting-13b"].legal_basis == "art. 13b Opiumwet"
    assert options["sluiting-13b"].mayors_power and options["sluiting-13b"].applied
    assert options["bibob"].legal_basis == "Wet Bibob" and not options["bibob"].applied
    assert "geen-actie" not in options
    assert not options["huurontbinding"].mayors_power
    # the mayor's powers come first
    assert [o.mayors_power for o in report.options] == sorted(
        (o.mayors_power for o in report.options), reverse=True)
    (file,) = report.cases
    assert file.reference == case.reference and file.stage == "Integrale aanpak"
    assert [s.to_stage for s in file.history][-3:] == ["Preweging", "Weging",
                                                      "Integrale aanpak"]
    assert [d.reason for d in file.decisions] == ["13b voorbereiden"]
    assert [i.type_code for i in file.interventions] == ["sluiting-13b"]


def test_thirteen_b_only_for_drug_themes(chain):  # noqa: F811
    signal = SignalFactory(reporting_organisation=chain.gemeente,
                           theme=Theme.objects.get(code="mensenhandel"))
    codes = {o.code for o in brl.gather(chain.medewerker, signal.pk).options}
    assert "sluiting-13b" not in codes and "bibob" in codes


def test_every_gather_is_logged_like_the_signal_page(chain, notice):  # noqa: F811
    signal, case, earlier, near = notice
    before = ProcessingLogEntry.objects.count()
    brl.gather(chain.medewerker, signal)
    rows = list(ProcessingLogEntry.objects.order_by("pk")[before:])
    assert [(r.action, r.object_type, r.outcome) for r in rows] == [
        ("view", "signals.signal", "success"), ("list", "cases.case", "success"),
        ("list", "signals.signal", "success")]
    assert rows[0].object_id == str(signal.pk) and rows[0].username == chain.medewerker.username
    assert rows[1].object_ids == [str(case.pk)]
    assert set(rows[2].object_ids) == {str(earlier.pk), str(near.pk)}
    assert all("bestuurlijke rapportage" in r.detail for r in rows)


@pytest.mark.parametrize("who", ["mayor", "analist", "partner"])
def test_mayor_analyst_and_partner_are_refused_and_logged(chain, notice, who):  # noqa: F811
    signal = notice[0]
    user = getattr(chain, who)
    with pytest.raises(ReportNotAllowed) as refused:
        brl.gather(user, signal.reference)
    assert "coördinator" in str(refused.value) or "inzien" in str(refused.value)
    entry = ProcessingLogEntry.objects.order_by("pk").last()
    assert entry.outcome == "denied" and entry.username == user.username


def test_police_case_worker_is_refused(chain, notice):  # noqa: F811
    with pytest.raises(ReportNotAllowed):
        brl.gather(member(Role.MEDEWERKER, chain.politie), notice[0].pk)


def test_outsider_gets_the_same_answer_as_for_a_signal_that_does_not_exist(chain, notice):  # noqa: F811
    hengelo = OrganisationFactory(name="Gemeente Hengelo (test)",
                                  kind=OrganisationKind.GEMEENTE,
                                  municipalities=[municipality("GM0164")])
    outsider = member(Role.COORDINATOR, hengelo)
    with pytest.raises(ReportNotAllowed) as hidden:
        brl.gather(outsider, notice[0].reference)
    with pytest.raises(ReportNotAllowed) as missing:
        brl.gather(outsider, "KNP-2025-X99999")
    assert str(hidden.value) == str(missing.value)


def test_a_case_the_user_may_not_see_refuses_the_report(chain):  # noqa: F811
    signal = SignalFactory(reporting_organisation=chain.gemeente)
    riec = OrganisationFactory(name="RIEC (test)", kind=OrganisationKind.RIEC,
                               municipalities=[municipality("GM0153")])
    forum = ForumFactory(name="Stuurploeg test", members=[riec])
    riec_coordinator = member(Role.COORDINATOR, riec)
    from knooppunt.cases.models import Case, CaseSignal
    from knooppunt.cases.models import Stage as StageModel

    case = Case.objects.create(reference="CAS-2025-Z00001", title="RIEC-casus",
                               theme=signal.theme, municipality=signal.municipality,
                               forum=forum, stage=StageModel.objects.get(code="intake"),
                               owner=riec, confidentiality=Confidentiality.RIEC,
                               opened_on=dt.date(2025, 3, 2))
    CaseSignal.objects.create(case=case, signal=signal, linked_at=dt.datetime(
        2025, 3, 2, tzinfo=dt.UTC), linked_by=riec_coordinator)
    with pytest.raises(ReportNotAllowed) as refused:
        brl.gather(chain.coordinator, signal.pk)
    assert "casus" in str(refused.value)
