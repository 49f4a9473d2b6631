"""Scheduled reports: the due period, the runner (once per period, stored in any case,
a link mailed only to recipients who may still read it, logged), the command for cron,
and managing schedules on the page and in /beheer/. Time is passed in as `today`, as
elsewhere in the project; mail goes to Django's locmem backend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from knooppunt.audit.models import ProcessingLogEntry
from knooppunt.organisations.models import Membership, Role
from knooppunt.reports import schedules, services
from knooppunt.reports.models import GeneratedReport, Recurrence, ReportSchedule, ScheduleRun
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KNOOPPUNT_BASE_URL = "https://knooppunt.example.nl"


@pytest.fixture
def coordinator(world):
    organisation = world.mayor.memberships.get().organisation
    world.mayor.email = "burgemeester@example.nl"
    world.mayor.save()
    return member(Role.COORDINATOR, organisation, username="coordinator",
                  email="coordinator@example.nl")


def _schedule(owner, recipients, *, kind="factsheet", code="GM0153", recurrence="jaar",
              month=3, next_run_on, theme=""):
    schedule = ReportSchedule.objects.create(
        kind=kind, subject_code=code, subject_name=code, recurrence=recurrence, month=month,
        owner=owner, next_run_on=next_run_on, theme=theme)
    schedule.recipients.set(recipients)
    return schedule


INLINE = {"runs-TOTAL_FORMS": "0", "runs-INITIAL_FORMS": "0"}  # the admin's runs inline


@given(day=st.dates(dt.date(2001, 1, 1), dt.date(2090, 12, 31)),
       recurrence=st.sampled_from(list(Recurrence)), month=st.integers(1, 12))
def test_the_due_period_is_the_last_complete_one_whose_day_has_come(day, recurrence, month):
    period = schedules.latest_due(recurrence, month, day)
    assert period.kind == schedules.PERIOD_OF[recurrence]
    assert period.end < day  # complete
    assert schedules.due_on(recurrence, month, period) <= day
    following = schedules.next_due(recurrence, month, day)
    assert following > day
    assert schedules.latest_due(recurrence, month, following) == schedules._following(period)
    if recurrence == Recurrence.YEARLY:
        assert following == dt.date(following.year, month, 1)
        assert period.year in (day.year - 1, day.year - 2)


def test_runner_makes_the_period_once_and_mails_a_link_to_who_may_read_it(world, coordinator):
    world.analyst.email = "analist@example.nl"
    world.analyst.save()
    world.outsider.email = "amsterdam@example.nl"
    world.outsider.save()
    day = dt.date(world.year + 1, 3, 1)
    schedule = _schedule(coordinator, [world.mayor, world.analyst, world.outsider],
                         next_run_on=day)
    Membership.objects.filter(user=world.analyst).delete()  # left since it was planned

    result = schedules.run_due(day)
    (report,) = result.made
    assert (report.kind, report.subject_code, report.period) == ("factsheet", "GM0153",
                                                                 str(world.year))
    assert report.generated_by == coordinator
    assert [m.to for m in mail.outbox] == [[world.mayor.email]]
    assert f"https://knooppunt.example.nl/rapportages/{report.pk}/" in mail.outbox[0].body
    assert not mail.outbox[0].attachments  # a link: opening it is checked and logged
    run = ScheduleRun.objects.get()
    assert run.report == report and run.sent_to == world.mayor.username
    assert set(run.not_sent_to.split(", ")) == {world.analyst.username,
                                                world.outsider.username}
    schedule.refresh_from_db()
    assert schedule.last_period == str(world.year)
    assert schedule.next_run_on == dt.date(world.year + 2, 3, 1)
    sent = ProcessingLogEntry.objects.filter(channel="planning").get()
    assert sent.action == "export" and world.mayor.username in sent.detail

    # Again the same day, later that year, or a second runner: nothing new.
    assert schedules.run_due(day).made == []
    assert schedules.run_due(dt.date(world.year + 1, 11, 1)).made == []
    assert GeneratedReport.objects.count() == 1 and len(mail.outbox) == 1


def test_a_period_is_never_made_twice_even_when_the_schedule_is_reset(world, coordinator):
    day = dt.date(world.year + 1, 3, 1)
    schedule = _schedule(coordinator, [world.mayor], next_run_on=day)
    schedules.run_due(day)
    ReportSchedule.objects.filter(pk=schedule.pk).update(next_run_on=day)  # e.g. by hand
    assert schedules.run_due(day).made == []
    assert ScheduleRun.objects.count() == 1 and GeneratedReport.objects.count() == 1


def test_owner_without_access_makes_nothing_and_it_is_logged(world, coordinator):
    day = dt.date(world.year + 1, 3, 1)
    _schedule(coordinator, [world.mayor], next_run_on=day)
    Membership.objects.filter(user=coordinator).delete()
    result = schedules.run_due(day)
    assert result.made == [] and len(result.failed) == 1
    assert not GeneratedReport.objects.exists() and mail.outbox == []
    assert "NoAccess" in ScheduleRun.objects.get().error
    assert ProcessingLogEntry.objects.filter(channel="planning", outcome="denied").exists()


def test_raadsvragen_with_its_theme_and_the_command_for_cron(world, coordinator):
    day = dt.date(world.year + 1, 2, 1)
    _schedule(coordinator, [world.mayor], kind="raadsvragen", month=2, theme="hennepteelt",
              next_run_on=day)
    call_command("run_report_schedules", "--today", day.isoformat())
    report = GeneratedReport.objects.get()
    assert (report.kind, report.theme, report.period) == ("raadsvragen", "hennepteelt",
                                                          str(world.year))
    with pytest.raises(CommandError):
        call_command("run_report_schedules", "--today", "morgen")


def test_confidential_reports_and_wrong_period_kinds_cannot_be_scheduled(world, coordinator):
    with pytest.raises(schedules.ScheduleError, match="vertrouwelijke"):
        schedules.check(coordinator, "bestuurlijke-rapportage-light", "1", "jaar", 3, "", [])
    with pytest.raises(schedules.ScheduleError, match="niet per"):
        schedules.check(coordinator, "factsheet", "GM0153", "kwartaal", 3, "", [])
    with pytest.raises(schedules.ScheduleError, match=world.outsider.username):
        schedules.check(coordinator, "factsheet", "GM0153", "jaar", 3, "", [world.outsider])
    _builder, name = schedules.check(coordinator, "factsheet", "gm0153", "jaar", 3, "",
                                     [world.mayor])
    assert name == "Enschede"


def test_coordinator_plans_pauses_and_removes_on_the_page(client, world, coordinator):
    client.force_login(coordinator)
    url = reverse("reports:schedules")
    page = client.get(url)
    assert page.status_code == 200
    assert "Bestuurlijke rapportage" not in page.content.decode()  # not offered
    made = client.post(url, {"soort": "factsheet", "gebied": "GM0153", "thema": "",
                             "herhaling": "jaar", "maand": "3", "taal": "nl",
                             "ontvangers": [str(world.mayor.pk)]})
    assert made.status_code == 302
    assert "<th scope=\"row\">Factsheet</th>" in client.get(url).content.decode()
    schedule = ReportSchedule.objects.get()
    assert schedule.owner == coordinator and list(schedule.recipients.all()) == [world.mayor]
    assert schedule.next_run_on.month == 3 and schedule.next_run_on.day == 1
    assert schedule.subject_name == "Enschede"
    wrong = client.post(url, {"soort": "factsheet", "gebied": "GM0153", "herhaling":
                              "kwartaal", "maand": "3", "taal": "nl"})
    assert wrong.status_code == 400 and "niet per" in wrong.content.decode()
    change = reverse("reports:schedule-change", args=[schedule.pk])
    assert client.post(change, {"actie": "pauzeren"}).status_code == 302
    schedule.refresh_from_db()
    assert not schedule.active
    assert schedules.run_due(schedule.next_run_on).made == []  # paused: nothing made
    assert client.post(change, {"actie": "iets"}).status_code == 400
    other = member(Role.COORDINATOR, coordinator.memberships.get().organisation)
    client.force_login(other)
    assert client.post(change, {"actie": "verwijderen"}).status_code == 404
    client.force_login(coordinator)
    assert client.post(change, {"actie": "verwijderen"}).status_code == 302
    assert not ReportSchedule.objects.exists()
    actions = list(ProcessingLogEntry.objects.filter(
        object_type="reports.reportschedule").order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "update", "delete"]


def test_only_coordinators_plan(client, world):
    client.force_login(world.mayor)
    assert client.get(reverse("reports:schedules")).status_code == 403
    assert "Rapportages inplannen" not in client.get(reverse("reports:index")).content.decode()


def test_beheer_refuses_a_confidential_schedule(admin_client, world, coordinator):
    url = reverse("admin:reports_reportschedule_add")
    assert admin_client.get(url).status_code == 200
    answer = admin_client.post(url, {"kind": "bestuurlijke-rapportage-light",
                                     "subject_code": "1", "theme": "", "recurrence": "jaar",
                                     "month": "3", "language": "nl", "owner": coordinator.pk,
                                     "active": "on", **INLINE})
    assert answer.status_code == 200 and "vertrouwelijke" in answer.content.decode()
    made = admin_client.post(url, {"kind": "factsheet", "subject_code": "GM0153", "theme": "",
                                   "recurrence": "jaar", "month": "3", "language": "nl",
                                   "owner": coordinator.pk, "recipients": [world.mayor.pk],
                                   "active": "on", **INLINE})
    assert made.status_code == 302
    assert ReportSchedule.objects.get().subject_name == "Enschede"


def test_a_scheduled_ondermijningsbeeld_takes_the_last_saved_texts_or_says_none(world):
    """Decision 0042: a scheduled ondermijningsbeeld has no maker to write its texts: it
    takes those of the last saved ondermijningsbeeld of the area, and says from which;
    without one it says plainly that they are not filled in."""
    day = dt.date(world.year + 1, 3, 1)
    _schedule(world.analyst, [], kind="ondermijningsbeeld", next_run_on=day)
    (first,) = schedules.run_due(day).made
    assert first.texts == {}
    assert "volgens planning gemaakt en er is nog geen eerder opgeslagen" in first.html
    assert "de teksten zijn niet ingevuld" in first.html

    saved = services.generate(world.analyst, "ondermijningsbeeld", "GM0153",
                              str(world.year), "nl",
                              texts={"aanbevelingen": "Betrek de woningcorporatie.",
                                     "duiding": ""})
    assert saved.texts == {"aanbevelingen": "Betrek de woningcorporatie."}  # empty left out
    services.generate(world.analyst, "ondermijningsbeeld", "GM0153", str(world.year), "nl",
                      texts={})  # a later one without texts does not wipe them out
    next_year = dt.date(world.year + 2, 3, 1)
    ReportSchedule.objects.update(next_run_on=next_year)
    (second,) = schedules.run_due(next_year).made
    assert "Betrek de woningcorporatie." in second.html
    assert f"(rapportage {saved.pk})" in second.html
    assert second.texts["aanbevelingen"] == "Betrek de woningcorporatie."
    assert "nog geen eerder opgeslagen" not in second.html

