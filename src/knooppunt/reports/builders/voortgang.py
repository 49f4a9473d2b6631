"""The voortgangsrapportage ("marap"): the half-year progress report of the regional
platform (seed 003, Platform IVZ note ch. 7), per safety region or municipality.

The figures are the voortgang gatherer's (`gather.voortgang`): per theme the indicators
of the half year beside the half year before, and for each target how far it is reached
at the end of the half year against the pro rata target; the alerts of the half year.
Programmes and projects are not recorded in Knooppunt yet: the report says so.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knooppunt.charts.tables import NO_DATA

from ..gather import voortgang as gather_voortgang
from ..periods import PeriodKind, ReportPeriod
from . import gathered as g
from .base import Audience, ReportBuilder, Subject, SubjectKind


class Voortgang(ReportBuilder):
    code = "voortgang"
    title = gettext_lazy("Voortgangsrapportage")
    audience = Audience.BOARD
    subject_kinds = (SubjectKind.MUNICIPALITY, SubjectKind.REGION)
    period_kinds = (PeriodKind.HALF_YEAR,)
    html_template = "reports/chapters.html"
    typst_template = "chapters.typ"

    def gather(self, user, subject: Subject, period: ReportPeriod) -> g.ChapteredData:
        found = gather_voortgang.gather(user, subject.code, period)
        return build(self.header(user, subject, period), found, period)


def on_track(progress: gather_voortgang.Progress | None) -> str:
    if progress is None:
        return ""
    if progress.realised_so_far.incomplete:
        return str(NO_DATA)
    if progress.on_track is None:
        return _("afgeschermd")
    return _("op koers") if progress.on_track else _("achter op schema")


def build(header: dict, found: gather_voortgang.Voortgang,
          period: ReportPeriod) -> g.ChapteredData:
    """The chapters of the progress report from the gatherer's data."""
    head = found.header
    data = g.ChapteredData(**header, area_level=head.area_level,
                           population=head.population, notice=found.projects_note)
    data.synthetic = data.synthetic or head.synthetic
    data.notes.extend(found.notes)
    if found.targets_no_data:
        data.notes.append(_("Streefcijfers zonder gegevens (het jaar begon voordat Knooppunt "
                            "de bron registreerde): %(n)s; die zijn niet beoordeeld.") % {
            "n": found.targets_no_data})
    now, before = period.label, period.previous().label
    # A running half year is judged up to today, as the dashboard (decision 0024).
    through = min(period.end, timezone.localdate())
    so_far = (_("t/m %(end)s") % {"end": through.strftime("%d-%m")})
    data.summary = [_(
        "Streefcijfers voor %(year)s: %(total)s; aan het eind van het %(half)s op koers: "
        "%(on_track)s, achter op schema: %(behind)s, niet te beoordelen (afgeschermd): "
        "%(hidden)s.") % {
        "total": found.targets_total, "year": period.year, "half": period.label,
        "on_track": found.targets_on_track, "hidden": found.targets_hidden,
        "behind": found.targets_total - found.targets_on_track - found.targets_hidden
        - found.targets_no_data,
    }] if found.targets_total else [
        _("Voor %(year)s zijn geen streefcijfers vastgesteld.") % {"year": period.year}]
    # One table each, the theme in the first column where it changes: a page, not a
    # table per theme.
    rows = [(t.theme_name, r) for t in found.themes for r in t.rows]
    data.tables.append(g.indicator_table(
        "ontwikkeling", _("Indicatoren per thema, %(period)s") % {"period": now},
        [r.indicator for _t, r in rows], current=now, previous=before,
        groups=[t for t, _r in rows]))
    judged = [(t, r) for t, r in rows if r.progress]
    progress_keys = ["streefcijfers"] if judged else []
    if judged:
        data.tables.append(g.table(
            "streefcijfers", _("Streefcijfers %(year)s aan het eind van het %(period)s") % {
                "year": period.year, "period": now},
            [("indicator", _("Indicator"), False),
             ("streef", _("Streefcijfer %(year)s") % {"year": period.year}, True),
             ("naar_rato", _("Naar rato %(so_far)s") % {"so_far": so_far}, True),
             ("gerealiseerd", _("Gerealiseerd %(so_far)s") % {"so_far": so_far}, True),
             ("percentage", _("Deel van streefcijfer"), True),
             ("stand", _("Stand"), False)],
            [[g.text(r.indicator.name),
              g.number(r.progress.target, r.indicator.unit),
              g.number(r.progress.expected_so_far, r.indicator.unit),
              g.figure(r.progress.realised_so_far),
              g.number(r.progress.share_of_target, "procent"),
              g.text(on_track(r.progress))] for _t, r in judged],
            _("Naar rato: het streefcijfer maal het deel van het jaar dat voorbij is; bij "
              "‘hoogstens’ is op koers: niet boven die lijn.")))
    g.add_charts(data, found.charts, {
        "targets": _("Deel van het jaardoel bereikt, %(period)s") % {"period": now}})
    data.chapters = [
        g.Chapter("streefcijfers", _("Streefcijfers en voortgang"), _(
            "Per thema hoe ver de streefcijfers van het jaar aan het eind van het halfjaar "
            "zijn bereikt."), charts=[k for k in ("targets",) if k in data.charts],
            tables=progress_keys),
        g.Chapter("ontwikkeling", _("Ontwikkeling per thema"), _(
            "De indicatoren van het halfjaar naast het halfjaar ervoor."),
            tables=["ontwikkeling"]),
    ]
    data.tables.append(g.alert_table(
        "signaleringen", _("Signaleringen in het %(period)s") % {"period": now},
        found.alerts))
    data.chapters.append(g.Chapter("signaleringen", _("Vroegsignalering"), _(
        "Cijfers die in het halfjaar afweken van wat te verwachten was."),
        tables=["signaleringen"]))
    return data


VOORTGANG = Voortgang()
__all__ = ["VOORTGANG", "Voortgang", "build"]
