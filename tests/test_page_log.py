"""Every page and API endpoint logs the personal-data records it shows (issue 13, finding 5).

The test resolves every URL pattern, fills each object parameter from a small demo-like
world (signals at one address and nearby, a grid operator's report with an energy anomaly,
cases with subjects, a meeting with an agenda, an intervention for a partner, a stored
bestuurlijke rapportage light, a delivery), and requests every GET URL as every role. In
each answer it finds the records rendered: signal and case references (KNP-…, CAS-…) and
subject names (unique in this world). Every one must be named in a processing-log row that
the same request wrote. A URL pattern the walk does not know fails the test, so a new page
is checked from the day it is added.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import Confidentiality, OrganisationKind, Role
from knooppunt.taxonomy.models import SourceType

from .cases.factories import ForumFactory
from .factories import CovenantFactory, OrganisationFactory, SignalFactory, member, municipality
from .registers.factories import (
    ENSCHEDE_X,
    ENSCHEDE_Y,
    AddressFactory,
    CompanyFactory,
    EnergyAnomalyFactory,
)

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"\b(?:KNP|CAS)-\d{4}-[A-Z0-9]{6,10}\b")

@dataclass
class World:
    signals: dict[str, object] = field(default_factory=dict)
    cases: dict[str, object] = field(default_factory=dict)
    subjects: dict[str, object] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    kwargs: dict[str, dict] = field(default_factory=dict)
    extra_urls: list[str] = field(default_factory=list)
    # A record logged under another type that is the same record (a subject read as its
    # entity, issue 16): (shown type, id) -> (logged type, id).
    aliases: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


def _signal(org, address=None, dx: float = 0.0, **kwargs):
    fields = {"x_rd": ENSCHEDE_X + dx, "y_rd": ENSCHEDE_Y, "reporting_organisation": org,
              "received_on": timezone.localdate() - dt.timedelta(days=30)}
    if address is not None:
        fields.update(address_register_id=address.nummeraanduiding_id,
                      postcode=address.postcode, house_number=address.house_number,
                      street=address.street, city=address.city, address_status="gevonden")
    fields.update(kwargs)
    return SignalFactory(**fields)


def _candidate(coordinator, case, entity_id: str):
    """A candidate match between the subject's entity and a second subject (issue 16)."""
    from knooppunt.cases import services
    from knooppunt.matches.models import CandidateMatch, LinkageRun

    twin = services.add_subject(user=coordinator, case=case, kind="persoon",
                                name="Z. Subjectus", role="huurder")
    left, right = sorted((entity_id, f"knp-subject-{twin.subject_id}"))
    run = LinkageRun.objects.create(data_version="log", records=2, settings={})
    return CandidateMatch.objects.create(left_id=left, right_id=right, match_probability=0.9,
                                         match_weight=3.0, prior_weight=-5.0, run=run)


def build_world() -> World:
    """Enschede with a municipality, police, a housing corporation and a grid operator."""
    from knooppunt.cases import services
    from knooppunt.cases.models import InterventionType, PreweighDocument
    from knooppunt.intake.models import Delivery, DeliveryProfile
    from knooppunt.reports import services as reports

    enschede = municipality("GM0153")
    gemeente = OrganisationFactory(name="Gemeente Enschede (log)", municipalities=[enschede])
    politie = OrganisationFactory(name="Politie (log)", kind=OrganisationKind.POLITIE,
                                  municipalities=[enschede])
    corporatie = OrganisationFactory(name="Corporatie (log)",
                                     kind=OrganisationKind.WONINGCORPORATIE,
                                     municipalities=[enschede])
    netbeheerder = OrganisationFactory(name="Netbeheerder (log)",
                                       kind=OrganisationKind.NETBEHEERDER,
                                       municipalities=[enschede])
    CovenantFactory(parties=[gemeente, politie],
                    max_confidentiality=Confidentiality.VERTROUWELIJK)
    world = World()
    world.users = {
        "coordinator.gemeente": member(Role.COORDINATOR, gemeente),
        "analist.gemeente": member(Role.ANALIST, gemeente),
        "medewerker.gemeente": member(Role.MEDEWERKER, gemeente),
        "bestuurder.gemeente": member(Role.BESTUURDER, gemeente),
        "beheerder.gemeente": member(Role.BEHEERDER, gemeente),
        "medewerker.politie": member(Role.MEDEWERKER, politie),
        "analist.politie": member(Role.ANALIST, politie),
        "medewerker.corporatie": member(Role.MEDEWERKER, corporatie),
        "medewerker.netbeheerder": member(Role.MEDEWERKER, netbeheerder),
        # The functional administrator, who manages Knooppunt in /beheer/ (as in the demo).
        "beheerder.admin": member(Role.BEHEERDER, gemeente, is_staff=True,
                                  is_superuser=True),
    }
    coordinator = world.users["coordinator.gemeente"]
    address = AddressFactory()
    CompanyFactory(address=address, name="Vastgoed (log test)")
    anomaly = EnergyAnomalyFactory(address=address, reported_on=timezone.localdate()
                         - dt.timedelta(days=60))
    grid = SourceType.objects.get(code="netbeheerder")
    today = timezone.localdate()
    s = world.signals
    s["main"] = _signal(gemeente, address)
    s["earlier"] = _signal(politie, address, received_on=today - dt.timedelta(days=400))
    s["near"] = _signal(gemeente, dx=120.0)
    s["grid"] = _signal(netbeheerder, address, source_type=grid,
                        received_on=today - dt.timedelta(days=60))
    s["riec"] = _signal(politie, dx=60.0, confidentiality=Confidentiality.RIEC)
    s["other"] = _signal(gemeente, dx=2000.0)
    s["corporatie"] = _signal(corporatie, dx=3000.0)
    forum = ForumFactory(name="Signalenoverleg (log)", members=[gemeente, politie],
                         municipalities=[enschede])
    forum.partners.set([corporatie])
    case = services.open_case(user=coordinator, signals=[s["main"], s["earlier"]],
                              forum=forum, title="Woning (log)", opened_on=today)
    spare = services.open_case(user=coordinator, signals=[s["other"]], forum=forum,
                               title="Loods (log)", opened_on=today)
    world.cases = {"case": case, "spare": spare}
    link = services.add_subject(user=coordinator, case=case, kind="persoon",
                                name="Zeldzaamnaam Subjectus", role="bewoner")
    world.subjects = {"Zeldzaamnaam Subjectus": link.subject}
    entity_id = f"knp-subject-{link.subject_id}"
    world.aliases = {("subjects.subject", str(link.subject_id)): ("entities.entity", entity_id)}
    match = _candidate(coordinator, case, entity_id)
    intervention = services.add_intervention(
        user=coordinator, case=case,
        intervention_type=InterventionType.objects.get(code="huurontbinding"),
        organisation=corporatie, planned_on=today, subject=link.subject)
    services.save_preweigh(user=coordinator, case=case, content="Eerste opzet.")
    # A version without author, as every demo case with versions has (finding 10).
    PreweighDocument.objects.create(case=case, number=2, content="Zonder auteur.",
                                    created_at=timezone.now(), created_by=None)
    meeting = services.plan_meeting(user=coordinator, forum=forum, held_on=today)
    services.put_on_agenda(user=coordinator, meeting=meeting, case=case)
    report = reports.generate(coordinator, "bestuurlijke-rapportage-light", str(s["main"].pk),
                              str(today.year))
    profile = DeliveryProfile.objects.filter(source_type=grid).first() \
        or DeliveryProfile.objects.first()
    delivery = Delivery.objects.create(
        profile=profile, organisation=netbeheerder,
        delivered_by=world.users["medewerker.netbeheerder"], delivered_by_name="netbeheerder",
        original_name="levering.csv", checksum="0" * 64,
    ) if profile is not None else None
    relation_id = 1
    from knooppunt.signals.models import SignalRelation

    relation = SignalRelation.objects.first()
    if relation is not None:
        relation_id = relation.pk
    world.kwargs = {
        "signals:detail": {"reference": s["main"].reference},
        "signals:status": {"reference": s["main"].reference},
        "signals:address": {"reference": s["main"].reference},
        "signals:relation": {"reference": s["main"].reference, "relation_id": relation_id},
        "api:signal-detail": {"reference": s["main"].reference},
        "api:map-signal": {"id": s["main"].pk},
        "api:map-points": {"layer": "signals"},
        "api:map-case": {"id": case.pk},
        "cases:detail": {"reference": case.reference},
        "entities:detail": {"entity_id": entity_id},
        "entities:network": {"entity_id": entity_id},
        "entities:network_data": {"entity_id": entity_id},
        "entities:network_svg": {"entity_id": entity_id},
        "entities:reveal": {"entity_id": entity_id},
        "cases:network": {"reference": case.reference},
        "cases:network_data": {"reference": case.reference},
        "cases:network_svg": {"reference": case.reference},
        "api:entity": {"id": entity_id},
        "matches:detail": {"match_id": match.pk},
        "matches:decide": {"match_id": match.pk},
        **{f"api:match{suffix}": {"id": match.pk}
           for suffix in ("", "-confirm", "-reject", "-undo")},
        "cases:stage": {"reference": case.reference},
        "cases:decide": {"reference": case.reference},
        "cases:add_intervention": {"reference": case.reference},
        "cases:link": {"reference": case.reference},
        "cases:subject": {"reference": case.reference},
        "cases:preweigh": {"reference": case.reference},
        "cases:preweigh_version": {"reference": case.reference, "number": 2},
        "cases:intervention": {"pk": intervention.pk},
        "cases:meeting": {"pk": meeting.pk},
        "cases:minutes": {"pk": meeting.pk},
        "cases:attendance": {"pk": meeting.pk},
        "cases:unlist": {"pk": meeting.pk, "reference": case.reference},
        "api:case-detail": {"reference": case.reference},
        "api:case-decisions": {"reference": case.reference},
        "api:case-interventions": {"reference": case.reference},
        "api:case-transitions": {"reference": case.reference},
        "api:meeting-detail": {"pk": meeting.pk},
        "api:meeting-agenda": {"pk": meeting.pk},
        "api:meeting-agenda-item": {"pk": meeting.pk, "reference": case.reference},
        "api:meeting-attendance": {"pk": meeting.pk},
        "api:meeting-decisions": {"pk": meeting.pk},
        "api:intervention-detail": {"pk": intervention.pk},
        "api:report-detail": {"pk": report.pk},
        "api:report-pdf": {"pk": report.pk},
        "reports:detail": {"pk": report.pk},
        "reports:print": {"pk": report.pk},
        "reports:pdf": {"pk": report.pk},
        "reports:signal": {"pk": s["main"].pk},
        "reports:schedule-change": {"pk": 1},
        "intake:detail": {"pk": delivery.pk if delivery else 1},
        "intake:progress": {"pk": delivery.pk if delivery else 1},
        "api:delivery-detail": {"pk": delivery.pk if delivery else 1},
        # Police incidents carry no KNP/CAS reference; their API logs every id it shows
        # (tests/events/test_toronto_and_api.py).
        "api:event-detail": {"pk": 1},
        "dashboards:municipality": {"code": "GM0153"},
        # A reset link with a made-up token: the page says the link is invalid, shows no
        # records.
        "web:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "api:indicator-detail": {"code": "signalen-totaal"},
        "api:indicator-values": {"code": "signalen-totaal"},
        "api:indicator-series": {"code": "signalen-totaal"},
        "api:indicator-breakdown": {"code": "signalen-totaal"},
        "api:alert-review": {"id": 1},
        "api:area-boundary": {"code": "WK015300"},
        "api:forecast-cell": {"cell": "500m_E257500_N471500"},
        "admin:reports_generatedreport_change": {"object_id": report.pk},
        "admin:intake_delivery_change": {"object_id": delivery.pk if delivery else 1},
        "admin:registers_energyanomaly_change": {"object_id": anomaly.pk},
        "admin:registers_address_change": {"object_id": address.pk},
    }
    year = today.year
    world.extra_urls = [
        "/api/v1/map/signals?from=2000-01-01",
        f"/dashboard/analyse/?gebied=GM0153&jaar={year}&punten=1",
        "/dashboard/gemeente/GM0153/?export=csv&tabel=signalen",
        f"/casussen/opvolging/?gemeente=GM0153&van={year - 1}-01-01&tot={year}-12-31",
        f"/api/v1/follow-up?municipality=GM0153&from={year - 1}-01-01&to={year}-12-31",
        "/casussen/nieuw/?signaal=" + s["main"].reference,
        "/signalen/?zoek=log",
        "/api/v1/signals?pageSize=100",
        "/api/v1/cases?pageSize=100",
        "/api/v1/meetings?pageSize=100",
        "/api/v1/interventions?pageSize=100",
        f"/api/v1/entities/export?case={case.reference}",
        "/api/v1/entities?name=Zeldzaamnaam",
        f"/api/v1/networks?case={case.reference}",
        f"/api/v1/networks?entity={entity_id}",
        # Names through the case (decision 0054): the switch is logged with the read.
        f"/entiteiten/{entity_id}/?casus={case.reference}",
        f"/entiteiten/{entity_id}/netwerk/netwerk.json?casus={case.reference}",
        f"/api/v1/entities/{entity_id}?case={case.reference}",
        f"/api/v1/networks?case={case.reference}&entity={entity_id}",
        "/api/v1/networks?area=GM0153",
        "/netwerk/gebied/?gebied=GM0153",
        "/netwerk/gebied/netwerk.json?gebied=GM0153",
        "/netwerk/gebied/netwerk.svg?gebied=GM0153",
        "/kwetsbare-plekken/?gemeente=GM0153",
        "/api/v1/vulnerable-places?municipality=GM0153",
        "/api/v1/vulnerable-places/visits?municipality=GM0153",
        "/voorspellingen/?thema=hennepteelt&gebied=GM0153",
        "/api/v1/forecasts?theme=hennepteelt&area=GM0153",
        "/api/v1/forecasts?theme=hennepteelt&area=GM0153&per=wijk",
        "/api/v1/forecasts/cells/500m_E257500_N471500?theme=hennepteelt&area=GM0153",
        "/api/v1/forecasts/decisions?theme=hennepteelt&area=GM0153",
    ]
    return world


def _patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, name, pattern) of every URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def _path(name: str, pattern: URLPattern, kwargs: dict) -> str:
    from django.urls import reverse

    if name == "api:not-found":
        return "/api/v1/bestaat-niet"
    needed = set(pattern.pattern.regex.groupindex)
    missing = needed - set(kwargs)
    assert not missing, f"{name}: give the page-log walk a value for {sorted(missing)}"
    return reverse(name, kwargs={k: kwargs[k] for k in needed})


def walk_urls(world: World) -> list[str]:
    urls = []
    for route, name, pattern in _patterns():
        kwargs = world.kwargs.get(name, {})
        needed = set(pattern.pattern.regex.groupindex)
        if route.startswith("beheer/"):  # requested as the staff user only (below)
            # The admin: every list, and the change page of the objects the world has.
            if name.endswith("_changelist") or (needed and name in world.kwargs):
                urls.append(_path(name, pattern, kwargs))
            continue
        if needed:
            assert name in world.kwargs, f"{name}: add it to the page-log walk"
        urls.append(_path(name, pattern, kwargs))
    return urls + world.extra_urls


def rendered(world: World, body: str) -> set[tuple[str, str]]:
    """The personal-data records named in an answer, as (object type, id)."""
    found = set()
    refs = set(REFERENCE.findall(body))
    for signal in world.signals.values():
        if signal.reference in refs:
            found.add(("signals.signal", str(signal.pk)))
    for case in world.cases.values():
        if case.reference in refs:
            found.add(("cases.case", str(case.pk)))
    for name, subject in world.subjects.items():
        if name in body:
            found.add(("subjects.subject", str(subject.pk)))
    return found


def logged_since(last_id: int) -> set[tuple[str, str]]:
    shown = set()
    for row in ProcessingLogEntry.objects.filter(pk__gt=last_id):
        for object_id in row.object_ids or [row.object_id]:
            shown.add((row.object_type, str(object_id)))
    return shown


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    content = response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return _pdf_text(content)
    return content.decode("utf-8", "replace")


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)


def unlogged(client, world: World) -> tuple[list[str], list[str], int]:
    """(records shown but not logged, server errors, answers that showed records)."""
    missing, errors, showing = [], [], 0
    urls = walk_urls(world)
    client.raise_request_exception = False  # a server error is a finding, not a stop
    for username, user in world.users.items():
        client.force_login(user)
        for url in urls:
            if url.startswith("/beheer/") and not user.is_staff:
                continue  # the admin lets in staff only
            last = ProcessingLogEntry.objects.order_by("-pk").values_list("pk", flat=True)
            last_id = last.first() or 0
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"{username} {url}: {response.status_code}")
                continue
            # The request's own path and query are the user's input: an answer that repeats
            # them (a problem's "instance", a prefilled form) shows nothing new.
            path, _sep, query = url.partition("?")
            body = _body(response).replace(path, "")
            shown = rendered(world, body) - rendered(world, query)
            showing += bool(shown)
            logged = logged_since(last_id)
            logged |= {key for key, alias in world.aliases.items() if alias in logged}
            for kind, pk in sorted(shown - logged):
                missing.append(f"{username} {url}: {kind} {pk} shown, not logged")
        client.logout()
    return missing, errors, showing


def test_every_record_shown_is_logged(client):
    world = build_world()
    missing, errors, showing = unlogged(client, world)
    assert not errors and not missing, (
        f"{len(errors)} server errors, {len(missing)} records shown but not logged:\n"
        + "\n".join(errors + missing))
    # The walk really saw records: every role that reads personal data saw some.
    assert showing > 50

