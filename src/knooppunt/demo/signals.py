"""Synthetic signals with their status history, written in bulk.

Generation is deterministic: a fixed seed, the region and today's date give the same
signals, references and histories. Re-running replaces the region's synthetic signals
(Signal.is_synthetic) and nothing else; real signals are never touched. Rows are written
with bulk_create, so three years of a region take seconds, not minutes.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from knooppunt.audit.log import Action, record
from knooppunt.geo.projection import rd_to_wgs84
from knooppunt.organisations.models import Confidentiality, Organisation
from knooppunt.signals.models import Signal, Status, StatusChange
from knooppunt.taxonomy.models import SourceType, Theme

from . import calibration as cal
from . import rural, texts
from .organisations import DemoOrganisations
from .places import MunicipalityPlaces, build_places
from .registers import RegisterResult, build_register

PURPOSE_DEMO = "Opbouw demo-omgeving (synthetische gegevens)"

# Sources that deliver on working days; residents and MMA tips come in all week.
ALL_WEEK_SOURCES = frozenset({"bewoner", "mma"})
# Seasonal peak (day of year) and strength per theme: more drug dumps in the dark months,
# a summer peak in resident reports of cannabis smell.
SEASON: dict[str, tuple[int, float]] = {
    "hennepteelt": (200, 0.12),
    "drugsdump": (15, 0.25),
    "drugslab": (15, 0.15),
    "drugshandel": (180, 0.08),
}


@dataclass
class GenerationResult:
    created: int
    deleted: int
    status_changes: int
    per_theme: dict[str, int] = field(default_factory=dict)
    per_source: dict[str, int] = field(default_factory=dict)
    register: RegisterResult | None = None
    rural: dict[str, int] = field(default_factory=dict)


@dataclass
class _Draft:
    signal: Signal
    history: list[tuple[str, str, datetime, str]]  # from, to, when, note
    involved: list[Organisation]
    handler: object | None  # the user recorded on status changes after registration


def generate_signals(
    orgs: DemoOrganisations,
    *,
    seed: int,
    years: float = 3.0,
    scale: float = 1.0,
    handlers: dict[int, object] | None = None,
    today: date | None = None,
) -> GenerationResult:
    """Replace the region's synthetic signals with a fresh, reproducible set.

    `scale` multiplies the calibrated volumes (tests use a small one); `handlers` maps a
    municipality pk to the user recorded on its status changes.
    """
    today = today or timezone.localdate()
    handlers = handlers or {}
    drafts = _draw(orgs, seed=seed, years=years, scale=scale, handlers=handlers,
                   today=today)
    # Five years of findings at the rural municipality's buildings (`demo.rural`).
    places = build_places(orgs.region.code, orgs.municipalities, seed)
    rural_drafts, plan = rural.draw(orgs, places, seed=seed, scale=scale, years=years,
                                    today=today,
                                    make_draft=_rural_drafter(orgs, today, handlers))
    if rural_drafts:
        drafts += rural_drafts
        _assign_references(drafts, orgs.region.code)
    result = _write(orgs, drafts, seed=seed, today=today)
    result.rural = rural.finish(plan, orgs, places, seed=seed, today=today)
    if result.register is not None:  # the register's totals include the rural additions
        result.register.addresses += result.rural.get("buildings_added", 0) + \
            result.rural.get("cores", 0)
        result.register.companies += result.rural.get("companies", 0)
        result.register.anomalies += result.rural.get("anomalies", 0)
    return result


def _rural_drafter(orgs: DemoOrganisations, today: date, handlers: dict[int, object]):
    themes = {t.code: t for t in Theme.objects.all()}
    sources = {s.code: s for s in SourceType.objects.all()}
    now = min(timezone.now(), timezone.make_aware(datetime.combine(today, time(23, 59))))

    def make(rng: random.Random, place: MunicipalityPlaces, theme: str, source: str,
             reporter: str, received_on: date) -> _Draft | None:
        if theme not in themes or source not in sources:  # removed by a beheerder
            return None
        return _draft(rng, orgs, place, themes[theme], sources[source], reporter,
                      cal.THEME_PROFILES[theme], received_on, today, now,
                      handlers.get(place.municipality.pk))
    return make


def _draw(orgs: DemoOrganisations, *, seed: int, years: float, scale: float,
          handlers: dict[int, object], today: date) -> list[_Draft]:
    region = orgs.region
    rng = random.Random(f"{seed}:signals:{region.code}")
    places = build_places(region.code, orgs.municipalities, seed)
    themes = {t.code: t for t in Theme.objects.all()}
    sources = {s.code: s for s in SourceType.objects.all()}
    population = sum(m.population for m in orgs.municipalities)
    factor = population / cal.TWENTE_POPULATION * scale
    span_days = max(1, round(365.25 * years))
    start = today - timedelta(days=span_days)
    # Histories end by `today` when a past day is asked for (tests), else by now.
    now = min(timezone.now(), timezone.make_aware(datetime.combine(today, time(23, 59))))

    drafts: list[_Draft] = []
    for theme_code, profile in cal.THEME_PROFILES.items():
        theme = themes.get(theme_code)
        if theme is None:  # a beheerder removed it; generate nothing for it
            continue
        weights = _municipality_weights(orgs, places, profile.population_weight)
        trends = _trends(orgs, seed, theme_code, profile.trend)
        for flow in profile.flows:
            source = sources.get(flow.source)
            if source is None:
                continue
            expected = flow.per_year * years * factor
            count = int(expected) + (rng.random() < expected - int(expected))
            for _ in range(count):
                municipality = rng.choices(orgs.municipalities, cum_weights=weights)[0]
                received_on = _draw_date(rng, start, span_days, trends[municipality.pk],
                                         theme_code, flow.source)
                drafts.append(
                    _draft(rng, orgs, places[municipality.pk], theme, source, flow.reporter,
                           profile, received_on, today, now, handlers.get(municipality.pk))
                )
    _assign_references(drafts, region.code)
    return drafts


def _municipality_weights(orgs: DemoOrganisations, places: dict[int, MunicipalityPlaces],
                          population_weight: float) -> list[float]:
    """Cumulative weights: population^a * area^(1-a), so rural themes favour large areas."""
    total, cumulative = 0.0, []
    for m in orgs.municipalities:
        area_km2 = places[m.pk].geometry.area / 1e6
        total += max(m.population, 1) ** population_weight * area_km2 ** (1 - population_weight)
        cumulative.append(total)
    return cumulative


def _trends(orgs: DemoOrganisations, seed: int, theme: str, base: float) -> dict[int, float]:
    """Yearly trend per municipality: the theme's trend with local variation.

    One municipality per theme rises sharply, so early-warning and displacement
    ("waterbedeffect") views have something to find.
    """
    rng = random.Random(f"{seed}:trend:{theme}")
    trends = {m.pk: base + rng.uniform(-0.08, 0.12) for m in orgs.municipalities}
    rising = rng.choice(orgs.municipalities)
    trends[rising.pk] = base + 0.45
    return trends


def _draw_date(rng: random.Random, start: date, span_days: int, trend: float, theme: str,
               source: str) -> date:
    years = span_days / 365.25
    peak_day, strength = SEASON.get(theme, (0, 0.0))
    top = max(1.0, (1 + trend) ** years) * (1 + strength)
    for _ in range(1000):
        offset = rng.randrange(span_days + 1)
        day = start + timedelta(days=offset)
        weight = (1 + trend) ** (offset / 365.25)
        weight *= 1 + strength * math.cos(2 * math.pi * (day.timetuple().tm_yday - peak_day)
                                          / 365.25)
        if source not in ALL_WEEK_SOURCES and day.weekday() >= 5:
            weight *= 0.15
        if rng.random() * top < weight:
            return day
    return day


def _confidentiality(rng: random.Random, theme: str, source: str) -> int:
    normaal, vertrouwelijk, _riec = cal.CONFIDENTIALITY_MIX.get(
        theme, cal.DEFAULT_CONFIDENTIALITY_MIX
    )
    r = rng.random()
    level = (Confidentiality.NORMAAL if r < normaal
             else Confidentiality.VERTROUWELIJK if r < normaal + vertrouwelijk
             else Confidentiality.RIEC)
    # Information from the RIEC, the OM and tip lines is more sensitive than the average.
    if source == "riec":
        level = max(level, Confidentiality.RIEC if rng.random() < 0.7
                    else Confidentiality.VERTROUWELIJK)
    elif source in {"om", "mma"} and rng.random() < 0.5:
        level = max(level, Confidentiality.VERTROUWELIJK)
    return int(level)


def _status(rng: random.Random, age_days: int) -> str:
    shares = next(s for limit, s in cal.STATUS_BY_AGE if age_days <= limit)
    statuses = (Status.RECEIVED, Status.IN_PROGRESS, Status.WEIGHED, Status.CLOSED)
    return rng.choices(statuses, weights=shares)[0]


def _path(rng: random.Random, status: str) -> list[str]:
    """The statuses a signal went through, following signals.models.TRANSITIONS."""
    if status == Status.RECEIVED:
        return [Status.RECEIVED]
    if status == Status.IN_PROGRESS:
        return [Status.RECEIVED, Status.IN_PROGRESS]
    if status == Status.WEIGHED:
        return [Status.RECEIVED, Status.IN_PROGRESS, Status.WEIGHED]
    r = rng.random()
    if r < cal.CLOSED_WITHOUT_HANDLING:
        path = [Status.RECEIVED, Status.CLOSED]
    elif r < cal.CLOSED_WITHOUT_HANDLING + 0.25:
        path = [Status.RECEIVED, Status.IN_PROGRESS, Status.CLOSED]
    else:
        path = [Status.RECEIVED, Status.IN_PROGRESS, Status.WEIGHED, Status.CLOSED]
    if rng.random() < cal.REOPENED:
        path += [Status.IN_PROGRESS, Status.CLOSED]
    return path


# Days between two statuses: (low, high) of a uniform draw.
_GAPS: dict[tuple[str, str], tuple[float, float]] = {
    (Status.RECEIVED, Status.IN_PROGRESS): (0.3, 10),
    (Status.RECEIVED, Status.CLOSED): (0.2, 7),
    (Status.IN_PROGRESS, Status.WEIGHED): (7, 45),
    (Status.IN_PROGRESS, Status.CLOSED): (5, 60),
    (Status.WEIGHED, Status.CLOSED): (10, 120),
    (Status.CLOSED, Status.IN_PROGRESS): (20, 120),
}


def _office_time(rng: random.Random, day: date, after: datetime | None = None) -> datetime:
    """A moment in office hours on `day` (local time), later than `after` if given."""
    moment = timezone.make_aware(
        datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randint(0, 510))
    )
    if after is not None and moment <= after:
        moment = after + timedelta(minutes=rng.randint(10, 120))
    return moment


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _history(rng: random.Random, path: list[str], received_on: date, theme: str,
             now: datetime) -> list[tuple[str, str, datetime, str]]:
    """Dated status changes from registration on, in office hours, between received_on
    and now."""
    lag = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))  # some signals are registered a day or so late
    days = [received_on + timedelta(days=lag)]
    for previous, current in zip(path, path[1:], strict=False):
        low, high = _GAPS[(previous, current)]
        days.append(_working_day(days[-1] + timedelta(days=round(rng.uniform(low, high)))))
    moments: list[datetime] = []
    for day in days:
        moments.append(_office_time(rng, day, moments[-1] if moments else None))
    if moments[-1] > now:
        # A recent signal: squeeze its history into the time there was.
        base = timezone.make_aware(datetime.combine(received_on, time(0, 0)))
        span = max((now - base).total_seconds(), 60.0) * 0.95
        last = (moments[-1] - base).total_seconds()
        moments = [base + timedelta(seconds=(m - base).total_seconds() * span / last)
                   for m in moments]
    history = []
    previous = ""
    for status, when in zip(path, moments, strict=True):
        if previous == "":
            note = rng.choice(texts.REGISTERED)
        elif status == Status.IN_PROGRESS and previous == Status.CLOSED:
            note = texts.REOPENED
        elif status == Status.IN_PROGRESS:
            note = rng.choice(texts.TAKEN_UP)
        elif status == Status.WEIGHED:
            note = texts.weighed_note(rng, timezone.localtime(when).date())
        elif previous == Status.RECEIVED:
            note = rng.choice(texts.CLOSED_AT_INTAKE)
        else:
            note = texts.closed_note(rng, theme)
        history.append((previous, status, when, note))
        previous = status
    return history


def _draft(rng: random.Random, orgs: DemoOrganisations, place: MunicipalityPlaces,
           theme: Theme, source: SourceType, reporter_key: str, profile: cal.ThemeProfile,
           received_on: date, today: date, now: datetime, handler: object | None) -> _Draft:
    municipality = place.municipality
    home_share, countryside_share, _hotspot_share = profile.placement
    r = rng.random()
    if r < home_share:
        x, y, buurt = place.home(rng)
        outdoors = False
    elif r < home_share + countryside_share:
        x, y, buurt = place.countryside(rng)
        outdoors = theme.code == "drugsdump"
    else:
        x, y, buurt = place.hotspot(rng, profile.hotspot_kind)
        outdoors = theme.code == "drugsdump"
    address = place.address(rng, buurt, x, y, numbered=not outdoors)
    latitude, longitude = rd_to_wgs84(address.x, address.y)

    anonymous = source.code == "mma" or (
        source.code == "bewoner" and rng.random() < cal.ANONYMOUS_RESIDENT
    )
    reporter_name = reporter_contact = ""
    if source.code == "bewoner" and not anonymous:
        reporter_name, reporter_contact = texts.reporter(rng)

    status = _status(rng, (today - received_on).days)
    path = _path(rng, status)
    history = _history(rng, path, received_on, theme.code, now)
    reporting = orgs.reporter(reporter_key, municipality)
    signal = Signal(
        theme=theme,
        source_type=source,
        received_on=received_on,
        municipality=municipality,
        neighbourhood_id=address.neighbourhood_id,
        street=address.street,
        house_number=address.house_number,
        house_letter=address.house_letter,
        house_number_addition=address.house_number_addition,
        postcode=address.postcode,
        city=municipality.name,
        x_rd=address.x,
        y_rd=address.y,
        latitude=round(latitude, 7),
        longitude=round(longitude, 7),
        description=texts.description(rng, theme.code, source.code, address.street,
                                      repeat=address.repeat),
        confidentiality=_confidentiality(rng, theme.code, source.code),
        reporting_organisation=reporting,
        is_anonymous=anonymous,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        status=status,
        is_synthetic=True,
    )
    return _Draft(signal, history, _involved(rng, orgs, signal, path, history, source.code),
                  handler)


def _involved(rng: random.Random, orgs: DemoOrganisations, signal: Signal, path: list[str],
              history: list[tuple[str, str, datetime, str]], source: str) -> list[Organisation]:
    """Who else took part: the mayor receives every hennepbericht, a weighed signal
    involves the municipality, and measures name the partner that took them."""
    municipality = signal.municipality
    gemeente = orgs.gemeenten[municipality.pk]
    involved: list[Organisation] = []
    theme = signal.theme.code
    if source == "politie" and theme in {"hennepteelt", "drugslab"}:
        involved.append(gemeente)
    if Status.WEIGHED in path:
        involved.append(gemeente)
        if theme in {"drugshandel", "mensenhandel", "omg", "witwassen-vastgoed"} and (
            rng.random() < 0.5
        ):
            involved.append(orgs.politie)
    final_note = history[-1][3]
    if "woningcorporatie" in final_note:
        involved.append(orgs.woningcorporatie_for[municipality.pk])
    if "netbeheerder" in final_note:
        involved.append(orgs.netbeheerder)
    if "Belastingdienst" in final_note:
        involved.append(orgs.belastingdienst)
    if "OM" in final_note:
        involved.append(orgs.om)
    unique = []
    for org in involved:
        if org.pk != signal.reporting_organisation.pk and org not in unique:
            unique.append(org)
    return unique


def _assign_references(drafts: list[_Draft], region_code: str) -> None:
    """KNP-<year>-D<region><n>: unique per region, stable for a seed, apart from
    the KNP-<year>-<pk> references of real signals."""
    drafts.sort(key=lambda d: (d.signal.received_on, d.history[0][2], d.signal.theme.code,
                               d.signal.description))
    region_number = int(region_code[2:])
    counters: Counter[int] = Counter()
    for draft in drafts:
        year = draft.signal.received_on.year
        counters[year] += 1
        draft.signal.reference = f"KNP-{year}-D{region_number:02d}{counters[year]:05d}"


@transaction.atomic
def _write(orgs: DemoOrganisations, drafts: list[_Draft], *, seed: int,
           today: date) -> GenerationResult:
    existing = Signal.objects.filter(is_synthetic=True, municipality__in=orgs.municipalities)
    old_ids = list(existing.values_list("pk", flat=True))
    if old_ids:
        # Queryset delete cascades to the status history and involvement rows; the
        # processing log keeps a row saying the synthetic set was replaced.
        existing.delete()
        record(user=None, action=Action.DELETE, object_type="signals.signal",
               object_ids=old_ids, purpose=PURPOSE_DEMO,
               detail=f"synthetische signalen {orgs.region.code} vervangen")

    register = build_register(orgs.municipalities, drafts, seed=seed, today=today)
    signals = Signal.objects.bulk_create([d.signal for d in drafts], batch_size=500)
    Through = Signal.involved_organisations.through
    Through.objects.bulk_create(
        [Through(signal_id=s.pk, organisation_id=o.pk)
         for s, d in zip(signals, drafts, strict=True) for o in d.involved],
        batch_size=1000,
    )
    changes = [
        StatusChange(signal_id=s.pk, from_status=old, to_status=new, changed_at=when,
                     changed_by=d.handler if old else None, note=note)
        for s, d in zip(signals, drafts, strict=True)
        for old, new, when, note in d.history
    ]
    StatusChange.objects.bulk_create(changes, batch_size=1000)
    if signals:
        record(user=None, action=Action.CREATE, object_type="signals.signal",
               object_ids=[s.pk for s in signals], purpose=PURPOSE_DEMO,
               detail=f"synthetische signalen {orgs.region.code} gegenereerd")
    return GenerationResult(
        register=register,
        created=len(signals),
        deleted=len(old_ids),
        status_changes=len(changes),
        per_theme=dict(Counter(d.signal.theme.code for d in drafts)),
        per_source=dict(Counter(d.signal.source_type.code for d in drafts)),
    )
