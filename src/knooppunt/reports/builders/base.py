"""The builder contract: how a report kind is described, gathered and rendered.

A report kind is one `ReportBuilder` subclass, registered once with `register()` (the
built-in ones in `builders.register_builtin`, called from `ReportsConfig.ready`):

    class Jaarbericht(ReportBuilder):
        code = "jaarbericht"                      # URL/API code, stored on GeneratedReport
        title = gettext_lazy("Jaarbericht")       # Dutch, translated to English by gettext
        audience = Audience.BOARD                 # BOARD: aggregates only, suppressed
                                                  # CONFIDENTIAL: personal data, case workers
        subject_kinds = (SubjectKind.MUNICIPALITY, SubjectKind.REGION)  # or (SIGNAL,)
        period_kinds = (PeriodKind.YEAR,)         # YEAR, HALF_YEAR, QUARTER: fixed only
        html_template = "reports/jaarbericht.html"   # Django template; gets `data`
        typst_template = "jaarbericht.typ"           # in knooppunt/reports/typst/

        def gather(self, user, subject: Subject, period: ReportPeriod) -> JaarberichtData:
            ...  # only through monitoring.queries / dashboards.panels / scope

    register(Jaarbericht())

`gather(user, subject, period)` returns a dataclass derived from `data.ReportData`
(header fields filled by `self.header(...)`); it reads figures only through the access
layer and the indicator engine (`monitoring.queries`, usually via the dashboards' panel
functions so the numbers equal the dashboards'). It never renders.

Rendering (`render.py`) is the same for every kind: the HTML template is included in
`reports/_document.html` with `data` in the context (charts as inline SVG through the
`chart` tag); the typst template is compiled with the data as JSON in
`sys.inputs.data` and every chart in `data.charts` written as `<key>.svg` next to it
(read in typst as `image(data.charts.<key>.file)`). `typst/_common.typ` holds the shared
page set-up (header, page numbers, source and suppression footnote).

Access (`access.py`) is decided from `audience` and `subject_kinds`: board reports need
a role in `BOARD_ROLES` and figures of the area visible to the user
(`monitoring.queries.area`, i.e. `scope.figure_visible`); confidential reports need a
role that sees personal data and, for a signal, `scope.can_view_signal`. A builder may
narrow this further by overriding `allowed(user, subject)`.

A kind with `text_fields` takes prose written by its maker (the ondermijningsbeeld's
interpretation, resilience and recommendations): `check_texts(texts)` returns the
cleaned texts by field or raises InvalidTexts, and `gather(..., texts=...)` prints them.
The texts are part of the stored report (its HTML, PDF and data checksum).

A kind with `takes_theme = True` (raadsvragen) also takes a theme: `check_theme(user,
theme)` returns the normalised code or raises ValueError with a message for people, and
`gather(user, subject, period, theme=code)` receives it; the theme is stored with the
report and its schedule. Other kinds are called without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from ..data import ReportData
from ..periods import PeriodKind, ReportPeriod


class InvalidTheme(ValueError):
    """A theme the kind does not take or does not know (message for people)."""


class InvalidTexts(ValueError):
    """Texts the kind does not take, or too long (message for people)."""


class Audience(StrEnum):
    BOARD = "board"
    CONFIDENTIAL = "confidential"


class SubjectKind(StrEnum):
    MUNICIPALITY = "gemeente"
    REGION = "regio"
    SIGNAL = "signaal"
    AREA = "gebied"  # a municipality or wijk as the area scan takes it (GM…, WK…)


@dataclass(frozen=True)
class Subject:
    """What a report is about: an area (GM…/VR… code) or a signal (its id as text)."""

    kind: SubjectKind
    code: str
    name: str


class ReportBuilder:
    code: str = ""
    title = ""
    audience: Audience = Audience.BOARD
    subject_kinds: tuple[SubjectKind, ...] = ()
    period_kinds: tuple[PeriodKind, ...] = (PeriodKind.YEAR,)
    html_template: str = ""
    typst_template: str = ""
    takes_theme: bool = False
    # (key, label) of prose fields a person fills in when making the report; a kind
    # with fields gets `texts={key: text}` in `gather` (the ondermijningsbeeld).
    text_fields: tuple[tuple[str, object], ...] = ()

    def check_theme(self, user, theme: str) -> str:
        """The theme code to gather with; kinds without a theme take none."""
        if theme:
            from django.utils.translation import gettext as _

            raise InvalidTheme(_("Deze rapportage heeft geen thema."))
        return ""

    def check_texts(self, texts: object) -> dict[str, str]:
        """The texts to gather with; kinds without text fields take none."""
        if texts:
            from django.utils.translation import gettext as _

            raise InvalidTexts(_("Deze rapportage neemt geen eigen teksten."))
        return {}

    def gather(self, user, subject: Subject, period: ReportPeriod) -> ReportData:
        raise NotImplementedError

    def allowed(self, user, subject: Subject) -> bool:
        """Extra narrowing on top of `access.may_generate`; True by default."""
        return True

    def header(self, user, subject: Subject, period: ReportPeriod) -> dict[str, object]:
        """The `ReportData` fields every report shares, as keyword arguments."""
        return {
            "kind": self.code, "title": str(self.title), "subject_code": subject.code,
            "subject_name": subject.name, "subject_kind": str(subject.kind),
            "period_code": period.code, "period_label": period.label,
            "period_running": period.running(), "language": get_language() or "nl",
            "made_at": timezone.localtime().isoformat(timespec="seconds"),
            "made_by": user.get_full_name() or user.get_username(),
            "threshold": settings.KNOOPPUNT_SMALL_COUNT_THRESHOLD,
            "synthetic": bool(getattr(settings, "DEMO_MODE", False)),
        }


_registry: dict[str, ReportBuilder] = {}


def register(builder: ReportBuilder) -> ReportBuilder:
    """Add a report kind; its code must be new and its description complete."""
    missing = [name for name in ("code", "title", "subject_kinds", "period_kinds",
                                 "html_template", "typst_template")
               if not getattr(builder, name)]
    if missing:
        raise ValueError(f"report builder {builder!r} lacks {', '.join(missing)}")
    if builder.code in _registry and _registry[builder.code] is not builder:
        raise ValueError(f"report kind {builder.code!r} is registered twice")
    _registry[builder.code] = builder
    return builder


def get(code: str) -> ReportBuilder:
    """The builder of a kind; KeyError for an unknown code."""
    return _registry[code]


def all_builders() -> Iterable[ReportBuilder]:
    return list(_registry.values())
