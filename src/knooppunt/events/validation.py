"""Rows of an events delivery into event columns, or reasons per line (Dutch, translated).

The same rules as signal deliveries (decisions 0016-0023, 0031): every row is checked,
nothing is stored here, a refused row is named by its line with the column, the value as
delivered (made safe) and why. Scalars are checked per row (dates remembered per distinct
cell); coordinates are projected and placed a batch at a time (`placing`).

Place rules: a point must lie in the dataset's declared area (for Dutch data: inside a
Dutch municipality). A point that would lie in the area with latitude and longitude (or
x and y) exchanged is refused with that reason, since it is the usual mistake.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from knooppunt.intake.conventions import ConversionError, parse_date, parse_number, safe_value
from knooppunt.intake.validation import (
    EARLIEST,
    Columns,
    RecordRules,
    RowError,
    normalise_key_text,
    partner_key,
    record_errors,
)

from .models import EventDataset, OffenceCode
from .placing import MunicipalityPlacer, project, unproject

# The column names an events profile accepts for each event field (first match wins).
DEFAULT_MAPPING: dict[str, list[str]] = {
    "occurred_on": ["occurred_on", "pleegdatum", "datum", "begindatum", "date"],
    "hour": ["hour", "uur", "pleeguur"],
    "time": ["tijd", "pleegtijd", "begintijd", "time"],
    "offence": ["offence", "incidentcode", "delictcode", "soort misdrijf",
                "maatschappelijke klasse", "mci_category", "code"],
    "premises_type": ["premises_type", "soort locatie", "locatietype", "premisetype"],
    "area_name": ["neighbourhood", "buurt", "wijk", "gebied"],
    "latitude": ["lat", "latitude", "breedtegraad"],
    "longitude": ["lon", "long", "longitude", "lengtegraad"],
    "x": ["x", "x_rd", "x-coördinaat", "x-coordinaat"],
    "y": ["y", "y_rd", "y-coördinaat", "y-coordinaat"],
}
TEXT_LIMITS = {"premises_type": 60, "area_name": 120}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
_TIME_IN_DATE = re.compile(r"[ T](\d{1,2}):(\d{2})")
# The fields of `Event` an accepted row fills, in this order.
FIELDS = ("key", "occurred_on", "hour", "offence_id", "premises_type", "area_name",
          "x", "y", "latitude", "longitude", "municipality_id")


def missing_event_columns(columns: Columns) -> list[str]:
    """Dutch descriptions of the required columns the header lacks."""
    found = set(columns.index)
    missing = []
    if "occurred_on" not in found:
        missing.append(_("pleegdatum (bijv. 'pleegdatum' of 'occurred_on')"))
    if "offence" not in found:
        missing.append(_("delict- of incidentcode (bijv. 'incidentcode' of 'offence')"))
    if not ({"latitude", "longitude"} <= found or {"x", "y"} <= found):
        missing.append(_("coördinaten: 'lat' en 'lon', of 'x' en 'y'"))
    return missing


@dataclass
class _Pending:
    """A row whose scalars are good; its place is checked with the rest of the batch."""

    line: int
    values: dict
    identity: str
    first: float
    second: float
    cells: tuple[str, str]  # the coordinate cells as delivered, for a reason


class EventValidator:
    """Checks the rows of one events delivery; lookups and the municipality tree once."""

    def __init__(self, dataset: EventDataset, columns: Columns, *,
                 rules: RecordRules | None = None, today: date | None = None):
        self.dataset = dataset
        self.columns = columns
        self.rules = rules
        self.today = today or timezone.localdate()
        self.fold_case = bool(dataset.profile.keys_ignore_case)
        self.number_convention = dataset.profile.number_convention
        self.codes: dict[str, int] = {}
        for pk, code, label, label_en in OffenceCode.objects.filter(
                code_list=dataset.code_list_id).values_list("pk", "code", "label", "label_en"):
            for name in (label_en, label, code):  # the code wins over a label
                if name:
                    self.codes[name.strip().lower()] = pk
        self.uses_latlon = {"latitude", "longitude"} <= set(columns.index)
        self._positions = list(columns.index.items())
        self._dates: dict[str, object] = {}
        self._placer: MunicipalityPlacer | None = None
        self._occurrences: Counter[str] = Counter()

    # ------------------------------------------------------------------ per row

    def _cells(self, cells: list) -> dict[str, object]:
        got: dict[str, object] = {}
        count = len(cells)
        for name, pos in self._positions:
            value = cells[pos] if pos < count else None
            if isinstance(value, str):
                value = value.strip() or None
            got[name] = value
        return got

    def _date(self, raw: object) -> date:
        key = raw if isinstance(raw, str) else None
        found = self._dates.get(key) if key is not None else None
        if found is None:
            try:
                found = parse_date(raw)
            except ConversionError as exc:
                found = exc
            if key is not None and len(self._dates) < 100_000:
                self._dates[key] = found
        if isinstance(found, ConversionError):
            raise ConversionError(str(found))
        return found

    def _hour(self, got: dict, fail) -> int | None:
        raw_hour, raw_time = got.get("hour"), got.get("time")
        if raw_hour is not None:
            try:
                hour = parse_number(raw_hour, self.number_convention)
            except ConversionError:
                hour = -1
            if hour != int(hour) or not 0 <= hour <= 23:
                fail("hour", raw_hour, _("Het uur moet een geheel getal van 0 tot en met 23 "
                                         "zijn."))
                return None
            return int(hour)
        if raw_time is not None:
            match = _TIME.match(str(raw_time))
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                fail("time", raw_time, _("Geen tijd (verwacht bijv. 14:30)."))
                return None
            return int(match[1])
        match = _TIME_IN_DATE.search(str(got.get("occurred_on") or ""))
        return int(match[1]) if match and int(match[1]) <= 23 else None

    def _row(self, line: int, cells: list) -> _Pending | list[RowError]:
        if self.rules is not None:
            broken = record_errors(line, cells, self.rules)
            if broken:
                return broken
        got = self._cells(cells)
        errors: list[RowError] = []

        def fail(name: str, value: object, reason: str) -> None:
            errors.append(RowError(line, self.columns.names.get(name, name),
                                   safe_value(value), reason))

        values: dict = {}
        raw_date = got.get("occurred_on")
        if raw_date is None:
            fail("occurred_on", "", _("De pleegdatum ontbreekt."))
        else:
            try:
                day = self._date(raw_date)
            except ConversionError as exc:
                fail("occurred_on", raw_date, str(exc))
            else:
                if day > self.today:
                    fail("occurred_on", raw_date, _("De pleegdatum ligt in de toekomst."))
                elif day < EARLIEST:
                    fail("occurred_on", raw_date, _("De pleegdatum ligt voor %(year)d.")
                         % {"year": EARLIEST.year})
                values["occurred_on"] = day
        values["hour"] = self._hour(got, fail)
        raw_offence = got.get("offence")
        offence = self.codes.get(str(raw_offence).lower()) if raw_offence is not None else None
        if raw_offence is None:
            fail("offence", "", _("De delict- of incidentcode ontbreekt."))
        elif offence is None:
            fail("offence", raw_offence, _(
                "Onbekende delict- of incidentcode: niet in de codelijst '%(list)s' van dit "
                "bestand.") % {"list": self.dataset.code_list.name})
        values["offence_id"] = offence
        for name, limit in TEXT_LIMITS.items():
            text = "" if got.get(name) is None else str(got[name])
            if len(text) > limit:
                fail(name, text, _("Te lang (hoogstens %(limit)d tekens).") % {"limit": limit})
            values[name] = text
        first_name, second_name = ("latitude", "longitude") if self.uses_latlon else ("x", "y")
        numbers = []
        for name in (first_name, second_name):
            raw = got.get(name)
            if raw is None:
                fail(name, "", _("De coördinaat ontbreekt."))
                continue
            try:
                numbers.append(parse_number(raw, self.number_convention))
            except ConversionError as exc:
                fail(name, raw, str(exc))
        if errors:
            return errors
        identity = "|".join((values["occurred_on"].isoformat(), str(values["hour"]),
                             str(offence), normalise_key_text(values["premises_type"]),
                             normalise_key_text(values["area_name"]),
                             f"{numbers[0]:.6f}", f"{numbers[1]:.6f}"))
        if "partner_id" in got and got["partner_id"] is not None:
            identity = partner_key(got["partner_id"], self.fold_case) or identity
        return _Pending(line, values, identity, numbers[0], numbers[1],
                        (str(got[first_name]), str(got[second_name])))

    # ------------------------------------------------------------------ per batch

    def _in_area(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        d = self.dataset
        return ((lat >= d.min_latitude) & (lat <= d.max_latitude)
                & (lon >= d.min_longitude) & (lon <= d.max_longitude))

    def _place(self, pending: list[_Pending]) -> tuple[dict[str, list], list[list[RowError]]]:
        crs = self.dataset.crs
        first = np.fromiter((p.first for p in pending), float, len(pending))
        second = np.fromiter((p.second for p in pending), float, len(pending))
        with np.errstate(invalid="ignore"):
            if self.uses_latlon:
                lat, lon = first, second
                inside = self._in_area(lat, lon)
                swapped = ~inside & self._in_area(second, first)
                x, y = project(crs, lat, lon)
            else:
                x, y = first, second
                lat, lon = unproject(crs, x, y)
                inside = self._in_area(lat, lon) & np.isfinite(lat) & np.isfinite(lon)
                slat, slon = unproject(crs, second, first)
                swapped = ~inside & self._in_area(slat, slon)
        municipality: list[int | None] = [None] * len(pending)
        if self.dataset.is_dutch and inside.any():
            if self._placer is None:
                self._placer = MunicipalityPlacer()
            at = np.flatnonzero(inside)
            for i, pk in zip(at.tolist(), self._placer.place(x[at], y[at]), strict=True):
                municipality[i] = pk
        names = ((self.columns.names.get("latitude", "lat"), self.columns.names.get(
            "longitude", "lon")) if self.uses_latlon else
                 (self.columns.names.get("x", "x"), self.columns.names.get("y", "y")))
        refused: list[list[RowError]] = []
        keep = []
        for i, row in enumerate(pending):
            reason = None
            if swapped[i]:
                reason = (_("Breedte- en lengtegraad lijken verwisseld.") if self.uses_latlon
                          else _("x en y lijken verwisseld."))
            elif not inside[i]:
                reason = _("Het punt ligt buiten het gebied van dit bestand (%(area)s).") % {
                    "area": self._area_text()}
            elif self.dataset.is_dutch and municipality[i] is None:
                reason = _("Het punt ligt niet in een Nederlandse gemeente (buiten "
                           "Nederland of in zee).")
            if reason:
                value = safe_value(f"{row.cells[0]}, {row.cells[1]}")
                refused.append([RowError(row.line, f"{names[0]}/{names[1]}", value, reason)])
            keep.append(reason is None)
        if refused:
            return {}, refused
        columns: dict[str, list] = {name: [] for name in (*FIELDS, "line")}
        for i, row in enumerate(pending):
            # Rows alike in every field are all kept (two offences at one place and hour):
            # the n-th such row of a file has key "…#n", the same in every re-delivery.
            if row.identity.startswith("id:"):  # the partner's id: the same id, the same row
                columns["key"].append(row.identity)
            else:
                self._occurrences[row.identity] += 1
                digest = hashlib.sha256(row.identity.encode()).hexdigest()[:40]
                columns["key"].append(f"{digest}#{self._occurrences[row.identity]}")
            for name in ("occurred_on", "hour", "offence_id", "premises_type", "area_name"):
                columns[name].append(row.values[name])
            columns["x"].append(float(x[i]))
            columns["y"].append(float(y[i]))
            columns["latitude"].append(float(lat[i]))
            columns["longitude"].append(float(lon[i]))
            columns["municipality_id"].append(municipality[i])
            columns["line"].append(row.line)
        return columns, refused

    def _area_text(self) -> str:
        d = self.dataset
        if d.is_dutch:
            return _("Nederland")
        return _("breedte %(a).2f tot %(b).2f, lengte %(c).2f tot %(d).2f") % {
            "a": d.min_latitude, "b": d.max_latitude, "c": d.min_longitude,
            "d": d.max_longitude}

    def validate_columns(self, batch: list[tuple[int, list]]
                         ) -> tuple[dict[str, list], list[list[RowError]]]:
        """The batch's accepted rows as columns (`FIELDS` and `line`), and the errors of
        each refused row. Once a row is refused the columns are left empty."""
        pending: list[_Pending] = []
        refused: list[list[RowError]] = []
        for line, cells in batch:
            result = self._row(line, cells)
            if isinstance(result, list):
                refused.append(result)
            else:
                pending.append(result)
        if not pending:
            return {}, refused
        columns, bad_places = self._place(pending)
        refused.extend(bad_places)
        refused.sort(key=lambda errors: errors[0].line)
        return ({} if refused else columns), refused
