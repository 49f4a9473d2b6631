"""The area scan (gebiedsscan): what the registers and Knooppunt's own records say about
one area, each figure beside the same figure for its municipality and safety region.

The RIEC describes a gebiedsscan as "een helder inzicht in de specifieke problemen binnen
een afgebakend gebied: vastgoed, ondernemingen, gebruik en bewoning, vergunningen en
bestemming" (jaarplan RIEC Oost-Nederland 2016, seed 003). `scan(user, area)` gathers:

* buildings (BAG, `registers.Address`): use, construction year, floor area, status;
* companies (KvK, `registers.Company`): SBI section, registered in the last 12 months,
  addresses with many companies (`CROWDED` or more);
* signals per theme and per source type, per quarter over the last 24 months;
* energy anomalies (the grid operator's reports) reported in the last 24 months;
* cases and interventions (definitions of `monitoring.catalogue`) of the last 24 months;
* permits (omgevingsvergunningen per kind, last 24 months) and zoning (the omgevingsplan's
  function per address) where a planning register adapter provides them
  (`registers.planning`, setting `KNOOPPUNT_PLANNING_REGISTER`; a note says when none is).

Every figure names its source and date. Rates are per 1,000 addresses of the BAG (the
only denominator every kind of area has: a buffer has no population).

Access (`organisations.scope`): the area must lie in the user's municipalities
(`areas.resolve`). Register figures are public and shown exactly. Figures from
Knooppunt's own records (signals, anomalies, cases, interventions) are aggregates of
records the user may not open: they are counted from `scope.signals_for_aggregates` and
the catalogue, and shown through `scope.suppress_small` / `suppress_breakdown` (with the
secondary suppression of a table whose totals are shown). Lists that name addresses and
companies, and the energy anomalies the user may see (`scope.energy_anomalies_visible`),
are given only to roles that see personal data (`scope.sees_personal_data`), never to
bestuurders, and every scan that holds them writes the processing log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.organisations import scope

from .areas import ScanArea
from .sbi import section_label, section_of

CROWDED = 5  # companies at one address from which the address is listed
MONTHS = 24  # signals, anomalies, cases: the last two years, by quarter
MAX_LISTED = 50  # addresses with many companies listed at most
PER = 1000


@dataclass(frozen=True)
class Row:
    """One figure in the area and, as a rate, in the area, municipality and region.
    `value` None with `hidden`: withheld (small count); rates None when not computable
    or withheld."""

    label: str
    value: int | None
    hidden: bool = False
    rate: float | None = None
    municipality_rate: float | None = None
    region_rate: float | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    source: str
    source_date: dt.date | None
    rows: tuple[Row, ...]
    note: str = ""


@dataclass(frozen=True)
class Grid:
    """Counts per row label and quarter, with totals; None = withheld."""

    key: str
    title: str
    source: str
    source_date: dt.date | None
    quarters: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int | None, ...], int | None], ...]
    totals: tuple[int | None, ...]
    total: int | None


@dataclass(frozen=True)
class CrowdedAddress:
    nummeraanduiding_id: str
    address: str
    companies: int
    names: tuple[str, ...]
    x_rd: float
    y_rd: float


@dataclass(frozen=True)
class Anomaly:
    address: str
    reported_on: dt.date
    ratio: float | None
    source: str


@dataclass(frozen=True)
class Scan:
    kind: str
    code: str
    name: str
    municipality_code: str
    municipality_name: str
    region_code: str
    region_name: str
    made_on: dt.date
    since: dt.date  # start of the 24 months (first day of a quarter)
    basis: str  # what the rates are per
    addresses: int
    municipality_addresses: int
    region_addresses: int
    population: int | None
    sections: tuple[Section, ...]
    grids: tuple[Grid, ...]
    personal: bool  # the scan holds lists that name addresses and companies
    crowded: tuple[CrowdedAddress, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    centre: tuple[float, float] | None = None
    radius: int | None = None
    polygon: object | None = None  # a drawn area's shapely Polygon, RD New
    notes: tuple[str, ...] = field(default_factory=tuple)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def grid(self, key: str) -> Grid:
        return next(g for g in self.grids if g.key == key)


# ------------------------------------------------------------------ counting helpers


@dataclass
class _Counts:
    """Counts per key in the area, per municipality of the region."""

    area: Counter
    by_municipality: dict[int, Counter]

    def municipality(self, pk: int) -> Counter:
        return self.by_municipality.get(pk, Counter())

    def region(self) -> Counter:
        total: Counter = Counter()
        for counts in self.by_municipality.values():
            total.update(counts)
        return total


class _Context:
    """The area with its municipality and region, and the address counts (denominators)."""

    def __init__(self, user, area: ScanArea, today: dt.date) -> None:
        from knooppunt.geo.models import Municipality
        from knooppunt.registers.models import Address

        self.user = user
        self.area = area
        self.today = today
        self.since = _quarter_start(today, MONTHS // 3 - 1)
        region = area.region
        self.region_ids = (list(Municipality.objects.filter(safety_region=region)
                                .values_list("pk", flat=True))
                           if region is not None else [area.municipality.pk])
        rows = (Address.objects.filter(municipality_id__in=self.region_ids)
                .values("municipality_id").annotate(n=Count("pk")).order_by())
        per = {r["municipality_id"]: r["n"] for r in rows}
        self.municipality_addresses = per.get(area.municipality.pk, 0)
        self.region_addresses = sum(per.values())
        self.addresses = (self.municipality_addresses if area.kind == "gemeente"
                          else Address.objects.filter(area.address_q()).count())

    def counts(self, qs: QuerySet, municipality_path: str, area_q: Q | None,
               key: str, mapper: Callable[[object], str] | None = None) -> _Counts:
        """Counts of `qs` grouped by `key` (mapped) in the area and per municipality."""
        mapper = mapper or (lambda value: value)
        region_rows = (qs.filter(**{f"{municipality_path}__in": self.region_ids})
                       .values(municipality_path, key).annotate(n=Count("pk")).order_by())
        by_municipality: dict[int, Counter] = {}
        for r in region_rows:
            by_municipality.setdefault(r[municipality_path], Counter())[mapper(r[key])] += r["n"]
        if area_q is None:
            area = Counter(by_municipality.get(self.area.municipality.pk, Counter()))
        else:
            area = Counter()
            for r in qs.filter(area_q).values(key).annotate(n=Count("pk")).order_by():
                area[mapper(r[key])] += r["n"]
        return _Counts(area, by_municipality)

    def rate(self, n: int | None, addresses: int) -> float | None:
        if n is None or not addresses:
            return None
        return round(n / addresses * PER, 1)

    def rows(self, counts: _Counts, labels: Iterable[tuple[object, str]], *,
             own_data: bool, shown: list[int | None] | None = None) -> tuple[Row, ...]:
        """A row per (key, label); own-data counts suppressed as a breakdown (or as
        `shown`, the totals of a table suppressed with it)."""
        labels = list(labels)
        municipality = counts.municipality(self.area.municipality.pk)
        region = counts.region()
        values = [counts.area.get(key, 0) for key, _label in labels]
        if shown is None:
            shown = (scope.suppress_breakdown(self.user, values) if own_data
                     else list(values))
        out = []
        for (key, label), value in zip(labels, shown, strict=True):
            m = municipality.get(key, 0)
            r = region.get(key, 0)
            if own_data:
                m, r = scope.suppress_small(self.user, m), scope.suppress_small(self.user, r)
            out.append(Row(label=label, value=value, hidden=value is None,
                           rate=self.rate(value, self.addresses),
                           municipality_rate=self.rate(m, self.municipality_addresses),
                           region_rate=self.rate(r, self.region_addresses)))
        return tuple(out)


def _quarter_start(day: dt.date, back: int = 0) -> dt.date:
    """First day of the quarter `back` quarters before the one holding `day`."""
    index = day.year * 4 + (day.month - 1) // 3 - back
    return dt.date(index // 4, (index % 4) * 3 + 1, 1)


def _quarter_label(day: dt.date) -> str:
    return f"{day.year} K{(day.month - 1) // 3 + 1}"


def _ordered(counter: Counter, *others: Counter) -> list[object]:
    """Keys by descending count in the area, then the rest by name."""
    keys = set(counter)
    for other in others:
        keys |= set(other)
    return sorted(keys, key=lambda k: (-counter.get(k, 0), str(k)))


# ------------------------------------------------------------------ sections


YEAR_BANDS = ((0, 1945, "vóór 1945"), (1945, 1975, "1945–1974"), (1975, 1995, "1975–1994"),
              (1995, 2015, "1995–2014"), (2015, 10_000, "2015 en later"))
AREA_BANDS = ((0, 50, "< 50 m²"), (50, 100, "50–99 m²"), (100, 250, "100–249 m²"),
              (250, 1000, "250–999 m²"), (1000, 10**9, "≥ 1.000 m²"))
UNKNOWN = "onbekend"


def _band(bands) -> Callable[[object], str]:
    def mapper(value: object) -> str:
        if value is None:
            return UNKNOWN
        return next((label for low, high, label in bands if low <= value < high), UNKNOWN)
    return mapper


def _source(qs: QuerySet, source: str, date_field: str) -> tuple[str, dt.date | None]:
    found = qs.values(source).annotate(last=Max(date_field)).order_by(source)[:5]
    names = [r[source] for r in found if r[source]]
    last = max((r["last"] for r in found if r["last"]), default=None)
    return ", ".join(names) or _("geen gegevens"), last


def _buildings(ctx: _Context) -> list[Section]:
    from knooppunt.registers.models import Address

    area_q = None if ctx.area.kind == "gemeente" else ctx.area.address_q()
    qs = Address.objects.all()
    source, date = _source(qs.filter(ctx.area.address_q()), "source", "source_date")
    sections = []
    for key, title, field_name, mapper, ordered in (
        ("gebruiksdoel", _("Gebouwen naar gebruiksdoel"), "usage",
         lambda v: v or UNKNOWN, None),
        ("bouwjaar", _("Gebouwen naar bouwjaar"), "construction_year", _band(YEAR_BANDS),
         [b[2] for b in YEAR_BANDS] + [UNKNOWN]),
        ("oppervlakte", _("Gebouwen naar oppervlakte"), "floor_area", _band(AREA_BANDS),
         [b[2] for b in AREA_BANDS] + [UNKNOWN]),
        ("status", _("Gebouwen naar status (leegstand waar het register het zegt)"),
         "status", lambda v: v or UNKNOWN, None),
    ):
        counts = ctx.counts(qs, "municipality_id", area_q, field_name, mapper)
        keys = ordered or _ordered(counts.area, counts.municipality(ctx.area.municipality.pk))
        sections.append(Section(
            key, title, source, date,
            ctx.rows(counts, [(k, _label(k)) for k in keys], own_data=False)))
    return sections


# Band labels with words in them, translated when shown (the keys stay Dutch).
WORDED = {"vóór 1945": gettext_lazy("vóór 1945"),
          "2015 en later": gettext_lazy("2015 en later"), UNKNOWN: gettext_lazy("onbekend")}


def _label(key: object) -> str:
    return str(WORDED.get(key, key))


def _companies(ctx: _Context) -> tuple[list[Section], list[tuple[int, int]]]:
    """Sections per SBI section and the key figures; (address id, companies) of the
    area's addresses with many companies."""
    from knooppunt.registers.models import Company

    qs = Company.objects.all()
    area_q = None if ctx.area.kind == "gemeente" else ctx.area.address_q("address__")
    path = "address__municipality_id"
    in_area = qs.filter(ctx.area.address_q("address__"))
    source, date = _source(in_area, "source", "source_date")
    sectors = ctx.counts(qs, path, area_q, "sbi_code", section_of)
    keys = _ordered(sectors.area, sectors.municipality(ctx.area.municipality.pk))
    by_sector = Section("sbi", _("Bedrijven naar sector (SBI-sectie)"), source, date,
                        ctx.rows(sectors, [(k, section_label(k)) for k in keys],
                                 own_data=False))
    year_ago = ctx.today - dt.timedelta(days=365)
    new = ctx.counts(qs.filter(registered_on__gt=year_ago), path, area_q, "source",
                     lambda _v: "new")
    total = ctx.counts(qs, path, area_q, "source", lambda _v: "all")
    crowded_rows = (qs.filter(**{f"{path}__in": ctx.region_ids}).exclude(address=None)
                    .values("address_id", path).annotate(n=Count("pk"))
                    .filter(n__gte=CROWDED).order_by())
    crowded_by_municipality: dict[int, Counter] = {}
    for r in crowded_rows:
        crowded_by_municipality.setdefault(r[path], Counter())["crowded"] += 1
    area_crowded = [(r["address_id"], r["n"]) for r in in_area.exclude(address=None)
                    .values("address_id").annotate(n=Count("pk")).filter(n__gte=CROWDED)
                    .order_by("-n", "address_id")]
    crowded = _Counts(Counter({"crowded": len(area_crowded)}), crowded_by_municipality)
    key_rows = (ctx.rows(total, [("all", _("Bedrijven (vestigingen)"))], own_data=False)
                + ctx.rows(new, [("new", _("Ingeschreven in de laatste 12 maanden"))],
                           own_data=False)
                + ctx.rows(crowded, [("crowded", _("Adressen met %(n)d of meer bedrijven")
                                      % {"n": CROWDED})], own_data=False))
    key = Section("bedrijven", _("Bedrijven: kerncijfers"), source, date, key_rows)
    return [by_sector, key], area_crowded


def _signal_grid(ctx: _Context, qs: QuerySet, key: str, label_of: dict[object, str],
                 grid_key: str, title: str, source: str, last: dt.date | None
                 ) -> tuple[Grid, Section]:
    """Counts per `key` and quarter in the area, and the 24-month rates beside the
    municipality and region; all suppressed as aggregates."""
    quarters = []
    day = ctx.since
    while day <= ctx.today:
        quarters.append(day)
        day = _quarter_start(day + dt.timedelta(days=93))
    cells: dict[object, Counter] = {}
    for r in (qs.filter(ctx.area.signal_q()).annotate(q=TruncQuarter("received_on"))
              .values(key, "q").annotate(n=Count("pk")).order_by()):
        quarter = r["q"].date() if isinstance(r["q"], dt.datetime) else r["q"]
        cells.setdefault(r[key], Counter())[quarter] += r["n"]
    area_q = None if ctx.area.kind == "gemeente" else ctx.area.signal_q()
    counts = ctx.counts(qs, "municipality_id", area_q, key)
    keys = _ordered(counts.area, counts.municipality(ctx.area.municipality.pk))
    keys = [k for k in keys if k in label_of]
    matrix = [[cells.get(k, Counter()).get(q, 0) for q in quarters] for k in keys]
    shown, row_totals, column_totals, grand = suppress_grid(ctx.user, matrix)
    grid = Grid(grid_key, title, source, last, tuple(_quarter_label(q) for q in quarters),
                tuple((label_of[k], tuple(row), row_total)
                      for k, row, row_total in zip(keys, shown, row_totals, strict=True)),
                tuple(column_totals), grand)
    section = Section(grid_key, title, source, last,
                      ctx.rows(counts, [(k, label_of[k]) for k in keys], own_data=True,
                               shown=row_totals))
    return grid, section


def suppress_grid(user, matrix: list[list[int]]
                  ) -> tuple[list[list[int | None]], list[int | None], list[int | None],
                             int | None]:
    """Small counts of a table with row and column totals withheld so that none follows
    from the others: (cells, row totals, column totals, grand total), None = withheld.

    The table is taken with its totals as one grid; each row and each column with its
    total is a line whose members add up. A member below the threshold is withheld
    (`scope.suppress_small`); then, as in `scope.suppress_breakdown`, a line with a
    withheld member withholds its next smallest members until at least two are withheld
    and together they reach the threshold; repeated until no line changes.
    """
    from django.conf import settings

    threshold = settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD
    rows, columns = len(matrix), len(matrix[0]) if matrix else 0
    grid = [list(row) + [sum(row)] for row in matrix]
    grid.append([sum(row[j] for row in matrix) for j in range(columns)]
                + [sum(map(sum, matrix))])
    hidden = {(i, j) for i in range(rows + 1) for j in range(columns + 1)
              if scope.suppress_small(user, grid[i][j]) is None}
    lines = ([[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
             + [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)])
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            withheld = [cell for cell in line if cell in hidden]
            if not withheld:
                continue
            candidates = sorted((cell for cell in line if cell not in hidden
                                 and grid[cell[0]][cell[1]]),
                                key=lambda cell: grid[cell[0]][cell[1]])
            while candidates and (len(withheld) < 2 or sum(
                    grid[i][j] for i, j in withheld) < threshold):
                cell = candidates.pop(0)
                hidden.add(cell)
                withheld.append(cell)
                changed = True
    shown = [[None if (i, j) in hidden else grid[i][j] for j in range(columns + 1)]
             for i in range(rows + 1)]
    return ([row[:columns] for row in shown[:rows]], [row[columns] for row in shown[:rows]],
            shown[rows][:columns], shown[rows][columns])


def _signals(ctx: _Context) -> tuple[list[Grid], list[Section]]:
    from knooppunt.taxonomy.models import SourceType, Theme

    # The region's signals (its comparison), of which the area is a part: the area lies
    # in the user's municipalities (areas.resolve).
    base = (scope.signals_for_region_aggregates(ctx.user, ctx.area.region)
            if ctx.area.region is not None else scope.signals_for_aggregates(ctx.user))
    qs = base.filter(received_on__gte=ctx.since, received_on__lte=ctx.today)
    last = qs.filter(ctx.area.signal_q()).aggregate(last=Max("received_on"))["last"]
    source = _("Knooppunt: signalen van gemeenten en partners (datum ontvangen)")
    themes = {t.pk: t.localized_name for t in Theme.objects.all()}
    sources = {s.pk: s.localized_name for s in SourceType.objects.all()}
    theme_grid, theme_section = _signal_grid(
        ctx, qs, "theme_id", themes, "signalen-thema",
        _("Signalen per thema, laatste 24 maanden"), source, last)
    source_grid, source_section = _signal_grid(
        ctx, qs, "source_type_id", sources, "signalen-bron",
        _("Signalen per bron, laatste 24 maanden"), source, last)
    return [theme_grid, source_grid], [theme_section, source_section]


def _anomalies(ctx: _Context) -> tuple[Section, QuerySet]:
    from knooppunt.registers.models import EnergyAnomaly

    qs = EnergyAnomaly.objects.filter(reported_on__gte=ctx.since, reported_on__lte=ctx.today)
    area_q = None if ctx.area.kind == "gemeente" else ctx.area.address_q("address__")
    in_area = qs.filter(ctx.area.address_q("address__"))
    counts = ctx.counts(qs, "address__municipality_id", area_q, "source", lambda _v: "all")
    source, date = _source(in_area, "source", "reported_on")
    rows = ctx.rows(counts, [("all", _("Energie-afwijkingen gemeld (laatste 24 maanden)"))],
                    own_data=True)
    return Section("energie", _("Energie-afwijkingen"), source, date, rows,
                   _("Meldingen van de netbeheerder; als telling afgeschermd zoals "
                     "signalen.")), in_area


def _planning(ctx: _Context) -> list[Section]:
    """Permits and zoning from the planning register adapter (`registers.planning`), when
    one is configured: per kind and per function, in the area, municipality and region.
    Public decisions and plans: exact figures, like the BAG's."""
    from knooppunt.registers import planning
    from knooppunt.registers.models import Address

    adapter = planning.register()
    if adapter is None:
        return []
    rows = list(Address.objects.filter(municipality_id__in=ctx.region_ids)
                .values_list("pk", "nummeraanduiding_id", "municipality_id", "usage"))
    in_area = (None if ctx.area.kind == "gemeente" else
               set(Address.objects.filter(ctx.area.address_q()).values_list("pk", flat=True)))
    where = {n: (pk, m) for pk, n, m, _use in rows}
    pairs = [(n, use) for _pk, n, _m, use in rows]

    def counts(items: list[tuple[str, str]]) -> _Counts:
        area: Counter = Counter()
        by_municipality: dict[int, Counter] = {}
        for nummeraanduiding_id, key in items:
            pk, municipality = where[nummeraanduiding_id]
            by_municipality.setdefault(municipality, Counter())[key] += 1
            if (pk in in_area) if in_area is not None else (
                    municipality == ctx.area.municipality.pk):
                area[key] += 1
        return _Counts(area, by_municipality)

    def source(facts) -> tuple[str, dt.date | None]:
        names = sorted({f.source for f in facts})
        return (", ".join(names) or _("geen gegevens"),
                max((f.source_date for f in facts), default=None))

    permits = adapter.permits_at(pairs, ctx.since, ctx.today)
    zoning = list(adapter.zoning_at(pairs).values())
    permit_counts = counts([(p.nummeraanduiding_id, p.kind) for p in permits])
    zoning_counts = counts([(z.nummeraanduiding_id, z.function) for z in zoning])
    return [
        Section("vergunningen", _("Omgevingsvergunningen (laatste 24 maanden)"),
                *source(permits),
                ctx.rows(permit_counts, [(k, str(v)) for k, v in
                                         planning.PERMIT_KINDS.items()], own_data=False),
                _("Verleende vergunningen per soort, op de datum van het besluit.")),
        Section("bestemming", _("Functie volgens het omgevingsplan"), *source(zoning),
                ctx.rows(zoning_counts, [(k, str(v)) for k, v in
                                         planning.ZONING_FUNCTIONS.items()], own_data=False),
                _("Adressen naar de functie die het omgevingsplan de plek geeft.")),
    ]


def _casework(ctx: _Context) -> Section:
    """Cases and interventions of the catalogue; in a wijk or buffer: those with a
    signal in the area (a case has no address of its own)."""
    from knooppunt.cases.models import CaseSignal
    from knooppunt.geo.models import Municipality
    from knooppunt.monitoring import catalogue
    from knooppunt.signals.models import Signal

    codes = dict(Municipality.objects.filter(pk__in=ctx.region_ids)
                 .values_list("pk", "code"))
    rows = []
    for code, outer in (("casussen-geopend", "pk"), ("casussen-open", "pk"),
                        ("interventies-gestart-of-afgerond", "case_id"),
                        ("sluitingen-13b", "case_id")):
        definition = catalogue.get(code)
        found_per = catalogue.per_municipality(code, list(codes.values()), ctx.since,
                                               ctx.today)
        per = {pk: Counter({"n": found_per.get(gm, 0)}) for pk, gm in codes.items()}
        if ctx.area.kind == "gemeente":
            area = Counter(per.get(ctx.area.municipality.pk, Counter()))
        else:
            # The cases with a signal in the area, as one uncorrelated subquery.
            signals = Signal.objects.filter(ctx.area.signal_q()).values("pk")
            cases = CaseSignal.objects.filter(signal_id__in=signals).values("case_id")
            found = catalogue.in_period(code, [ctx.area.municipality.code], ctx.since,
                                        ctx.today).filter(**{f"{outer}__in": cases})
            area = Counter({"n": found.count()})
        label = definition.name if ctx.area.kind == "gemeente" else _(
            "%(label)s (met een signaal in het gebied)") % {"label": definition.name}
        rows.extend(ctx.rows(_Counts(area, per), [("n", label)], own_data=True))
    return Section("casussen", _("Casussen en interventies, laatste 24 maanden"),
                   _("Knooppunt: casussen en interventies (catalogus van cijfers)"),
                   ctx.today, tuple(rows),
                   _("Definities uit de catalogus van cijfers; een casus telt in een wijk "
                     "of straal wanneer een van zijn signalen daar ligt."))


# ------------------------------------------------------------------ the scan


def scan(user, area: ScanArea, *, purpose: str = "gebiedsscan",
         today: dt.date | None = None, log: bool = True,
         allow_personal: bool = True) -> Scan:
    """The area scan of `area` (already resolved for `user` by `areas.resolve`).
    `allow_personal=False` leaves the lists out even for a role that sees personal data
    (an API key without a personal-data scope)."""
    ctx = _Context(user, area, today or timezone.localdate())
    sections: list[Section] = _buildings(ctx)
    company_sections, crowded_ids = _companies(ctx)
    sections += company_sections
    grids, signal_sections = _signals(ctx)
    sections += signal_sections
    anomaly_section, anomalies_in_area = _anomalies(ctx)
    sections.append(anomaly_section)
    sections.append(_casework(ctx))
    planned = _planning(ctx)
    sections += planned
    personal = allow_personal and scope.sees_personal_data(user)
    crowded: tuple[CrowdedAddress, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    if personal:
        crowded = _crowded(crowded_ids[:MAX_LISTED])
        visible = scope.energy_anomalies_visible(
            user, anomalies_in_area.select_related("address"))
        anomalies = tuple(Anomaly(str(a.address), a.reported_on, a.ratio, a.source)
                          for a in visible)
        if log:
            _log(user, area, crowded, visible, purpose)
    population = (area.municipality.population if area.kind == "gemeente"
                  else area.district.population if area.kind == "wijk" else None)
    region = area.region
    return Scan(
        kind=area.kind, code=area.code, name=area.name,
        municipality_code=area.municipality.code, municipality_name=area.municipality.name,
        region_code=region.code if region else "", region_name=region.name if region else "",
        made_on=ctx.today, since=ctx.since, basis=_("per 1.000 adressen (BAG)"),
        addresses=ctx.addresses, municipality_addresses=ctx.municipality_addresses,
        region_addresses=ctx.region_addresses, population=population,
        sections=tuple(sections), grids=tuple(grids), personal=personal,
        crowded=crowded, anomalies=anomalies, centre=area.centre, radius=area.radius,
        polygon=area.polygon,
        notes=() if planned else (_("Vergunningen en bestemming: geen registeradapter "
                                    "aangesloten; niet in deze scan."),),
    )


def _crowded(ids: list[tuple[int, int]]) -> tuple[CrowdedAddress, ...]:
    from knooppunt.registers.models import Address, Company

    if not ids:
        return ()
    addresses = Address.objects.in_bulk([pk for pk, _n in ids])
    names: dict[int, list[str]] = {}
    for address_id, name in (Company.objects.filter(address_id__in=addresses)
                             .order_by("name").values_list("address_id", "name")):
        names.setdefault(address_id, []).append(name)
    return tuple(CrowdedAddress(addresses[pk].nummeraanduiding_id, str(addresses[pk]), n,
                                tuple(names.get(pk, ())), addresses[pk].x_rd,
                                addresses[pk].y_rd)
                 for pk, n in ids if pk in addresses)


def _log(user, area: ScanArea, crowded, anomalies, purpose: str) -> None:
    """The addresses, companies and anomalies the scan names, one row per type."""
    from knooppunt.audit.shown import Shown
    from knooppunt.registers.models import Address, Company

    shown = Shown()
    ids = [c.nummeraanduiding_id for c in crowded]
    shown.add("registers.address", Address.objects.filter(nummeraanduiding_id__in=ids)
              .values_list("pk", flat=True))
    shown.add("registers.company", Company.objects.filter(
        address__nummeraanduiding_id__in=ids).values_list("pk", flat=True))
    shown.add("registers.energyanomaly", anomalies)
    shown.record(user=user, purpose=purpose, detail=f"gebiedsscan {area.code}")
