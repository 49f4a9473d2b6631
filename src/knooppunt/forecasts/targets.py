"""What a forecast is of (its target): the signals of a theme, or police incidents.

An analyst chooses "a theme or event type" (issue 15, decision 0057): a `Target` is either
the signals of a theme, or the incidents of an events dataset — all its offences or one
offence code. The target knows which rows it counts (`rows`: signals by date received at
`x_rd`/`y_rd`; incidents by date of the offence at `x`/`y`), what a user may read of them
(`scoped`: `scope.signals_for` or `scope.events_for`), its data version, which rows are
"of another type" for the cross-type features (`others`), and the default features of its
learned model.

Incident targets are Dutch datasets only (RD New, country NL): a forecast is made per
Dutch area. Foreign datasets (Toronto) are evaluated as whole datasets
(`evaluation.evaluate`). A dataset the user may not read is refused as unknown, so its
existence is not told.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from knooppunt.analytics.forecasts import (
    BASE_FEATURES,
    CROSS_TYPE_FEATURES,
    INCIDENT_FEATURES,
    REGISTER_FEATURES,
    SIGNAL_SOURCE_FEATURES,
)
from knooppunt.analytics.hotspot_service import Area, HotspotError
from knooppunt.events.models import Event, EventDataset, OffenceCode
from knooppunt.organisations import scope
from knooppunt.taxonomy.models import Theme

RD_NEW_EPSG = 28992
INCIDENTS = "incidenten"  # the prefix of an incident target's code ("incidenten:ds:code")

# The learned model's default features per kind of target (stored with each evaluation;
# a map uses the features its evaluation was made with).
THEME_FEATURES = BASE_FEATURES + CROSS_TYPE_FEATURES + INCIDENT_FEATURES + REGISTER_FEATURES
OFFENCE_FEATURES = BASE_FEATURES + CROSS_TYPE_FEATURES + SIGNAL_SOURCE_FEATURES + \
    REGISTER_FEATURES
DATASET_FEATURES = BASE_FEATURES + SIGNAL_SOURCE_FEATURES + REGISTER_FEATURES


def in_area(queryset: QuerySet, area: Area, x: str, y: str,
            municipality: str = "municipality_id") -> QuerySet:
    """Rows placed in the area's municipalities and inside its bounding box (the grid
    drops what lies outside its cells)."""
    min_x, min_y, max_x, max_y = area.geometry.bounds
    return queryset.filter(**{f"{municipality}__in": area.municipality_ids,
                              f"{x}__gte": min_x, f"{x}__lte": max_x,
                              f"{y}__gte": min_y, f"{y}__lte": max_y}).order_by()


@dataclass(frozen=True)
class Target:
    theme: Theme | None = None
    dataset: EventDataset | None = None
    offence: OffenceCode | None = None

    @property
    def is_incidents(self) -> bool:
        return self.dataset is not None

    @property
    def code(self) -> str:
        """"hennepteelt", or "incidenten:<dataset>" / "incidenten:<dataset>:<offence>"."""
        if not self.is_incidents:
            return self.theme.code
        return choice_value("", self.dataset.code, self.offence.code if self.offence else "")

    def label(self) -> str:
        if not self.is_incidents:
            return str(self.theme)
        what = str(self.offence) if self.offence else _("alle delicten")
        return _("%(dataset)s: %(what)s") % {"dataset": self.dataset.name, "what": what}

    @property
    def fields(self) -> tuple[str, str, str]:
        """x, y (RD New) and the date that places a row in a month."""
        return ("x", "y", "occurred_on") if self.is_incidents else (
            "x_rd", "y_rd", "received_on")

    def _filter(self, queryset: QuerySet) -> QuerySet:
        if not self.is_incidents:
            return queryset.filter(theme=self.theme)
        queryset = queryset.filter(dataset=self.dataset)
        return queryset.filter(offence=self.offence) if self.offence else queryset

    def all_rows(self) -> QuerySet:
        """Every row of the target (for an evaluation made by the job, never a user)."""
        from knooppunt.signals.models import Signal

        return (Event if self.is_incidents else Signal).objects.all()

    def scoped(self, user) -> QuerySet:
        """What `user` may read of the target's kind (the access layer decides)."""
        return scope.events_for(user) if self.is_incidents else scope.signals_for(user)

    def rows(self, area: Area, queryset: QuerySet | None = None) -> QuerySet:
        """The target's rows placed in the area, of `queryset` (default: all rows)."""
        x, y, _day = self.fields
        base = self.all_rows() if queryset is None else queryset
        return in_area(self._filter(base), area, x, y)

    def data_version(self, area_code: str, queryset: QuerySet) -> str:
        """Target, area, rows counted, highest id and last date: changes whenever a row
        is added, removed or replaced."""
        day = self.fields[2]
        summary = queryset.aggregate(n=Count("id"), last_id=Max("id"), last=Max(day))
        noun = "incidenten" if self.is_incidents else "signalen"
        prefix = self.code if self.is_incidents else f"signalen:{self.code}"
        return (f"{prefix}:{area_code}:{summary['n']} {noun}, id≤{summary['last_id']}, "
                f"t/m {summary['last']}")

    def others(self, area: Area, signals: QuerySet, events: QuerySet) -> QuerySet | None:
        """Rows "of another type" for the cross-type features, of what the caller may
        read: the other themes' signals, or the dataset's other offences (None for all
        offences of a dataset: there is no other type within it)."""
        if not self.is_incidents:
            return in_area(signals.filter(~Q(theme=self.theme), x_rd__isnull=False), area,
                           "x_rd", "y_rd")
        if self.offence is None:
            return None
        return in_area(events.filter(dataset=self.dataset).exclude(offence=self.offence),
                       area, "x", "y")

    def incidents(self, area: Area, events: QuerySet) -> QuerySet:
        """Police incidents in RD New beside the target (for an incident target: those of
        the other datasets)."""
        events = events.filter(dataset__crs=RD_NEW_EPSG)
        if self.is_incidents:
            events = events.exclude(dataset=self.dataset)
        return in_area(events, area, "x", "y")

    def default_features(self) -> tuple[str, ...]:
        if not self.is_incidents:
            return THEME_FEATURES
        return OFFENCE_FEATURES if self.offence else DATASET_FEATURES

    def lookup(self) -> dict:
        """Field values naming the target on a stored evaluation or decision."""
        return {"theme": self.theme, "dataset": self.dataset, "offence": self.offence}


def of(record) -> Target:
    """The target a stored evaluation or decision is of."""
    if record.dataset_id:
        return Target(dataset=record.dataset, offence=record.offence)
    return Target(theme=record.theme)


def resolve(theme: str = "", incidents: str = "", offence: str = "", user=None) -> Target:
    """The target named by a theme code, or a dataset code with an optional offence code;
    HotspotError (with the parameter) otherwise. With `user`, a dataset must be one the
    user may read events of (else it is unknown)."""
    if bool(theme) == bool(incidents):
        raise HotspotError(_("Kies een thema of een incidentenbestand (niet allebei)."),
                           "theme")
    if offence and not incidents:
        raise HotspotError(_("Een delictcode hoort bij een incidentenbestand."), "offence")
    if theme:
        found = Theme.objects.filter(code=theme, active=True).first()
        if found is None:
            raise HotspotError(_("Onbekend thema."), "theme")
        return Target(theme=found)
    datasets = EventDataset.objects.all() if user is None else scope.event_datasets_for(user)
    dataset = datasets.filter(code=incidents).select_related("code_list").first()
    if dataset is None:
        raise HotspotError(_("Onbekend incidentenbestand, of u mag het niet lezen."),
                           "incidents")
    if dataset.crs != RD_NEW_EPSG or not dataset.is_dutch:
        raise HotspotError(_("Dit incidentenbestand ligt niet in Nederland (RD New): een "
                             "voorspelling per Nederlands gebied kan er niet van gemaakt "
                             "worden. Zie de evaluaties per bestand."), "incidents")
    code = None
    if offence:
        code = OffenceCode.objects.filter(code_list_id=dataset.code_list_id,
                                          code=offence).first()
        if code is None:
            raise HotspotError(_("Onbekende delictcode in de codelijst van dit bestand."),
                               "offence")
    return Target(dataset=dataset, offence=code)


def choice_value(theme: str, incidents: str, offence: str) -> str:
    """A target's code from its parts, as `parse_choice` reads it back."""
    if theme:
        return theme
    return ":".join([INCIDENTS, incidents] + ([offence] if offence else []))


def parse_choice(value: str) -> tuple[str, str, str]:
    """A page's choice ("hennepteelt", "incidenten:ds" or "incidenten:ds:code") as
    (theme, incidents, offence)."""
    if value.startswith(f"{INCIDENTS}:"):
        _prefix, _sep, rest = value.partition(":")
        dataset, _sep, offence = rest.partition(":")
        return "", dataset, offence
    return value, "", ""


def incident_choices(user) -> list[tuple[str, str]]:
    """The incident targets `user` may forecast: per Dutch dataset they read, all
    offences, then each offence code with events they may read (value, label)."""
    choices: list[tuple[str, str]] = []
    readable = scope.events_for(user)
    for dataset in (scope.event_datasets_for(user).filter(crs=RD_NEW_EPSG, country="NL")
                    .order_by("name")):
        choices.append((f"{INCIDENTS}:{dataset.code}",
                        Target(dataset=dataset).label()))
        offence_ids = (readable.filter(dataset=dataset).order_by()
                       .values_list("offence_id", flat=True).distinct())
        for code in OffenceCode.objects.filter(pk__in=offence_ids).order_by("code"):
            choices.append((f"{INCIDENTS}:{dataset.code}:{code.code}",
                            Target(dataset=dataset, offence=code).label()))
    return choices
