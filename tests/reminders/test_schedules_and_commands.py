"""Schedules registered idempotently; the send_reminders and setup_schedules commands; the admin."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule

from dsar.organizations.models import Role
from dsar.reminders.models import Notification, Reminder
from dsar.reminders.schedules import SCHEDULES, Spec, ensure_schedules
from dsar.reminders.selectors import reminders_for_request
from tests.reminders.conftest import make_member, make_org, make_request, utc

pytestmark = pytest.mark.django_db

D = datetime.date
NAMES = sorted(spec.name for spec in SCHEDULES)


def ours():
    return Schedule.objects.filter(name__in=NAMES)


def test_the_migration_registered_the_schedules():
    assert sorted(ours().values_list("name", flat=True)) == NAMES


def test_registering_twice_creates_nothing_new():
    Schedule.objects.all().delete()
    assert {outcome for _, outcome in ensure_schedules()} == {"created"}
    first = list(
        ours().order_by("name").values("pk", "func", "schedule_type", "minutes", "next_run")
    )

    out = io.StringIO()
    call_command("setup_schedules", stdout=out)

    assert (
        list(ours().order_by("name").values("pk", "func", "schedule_type", "minutes", "next_run"))
        == first
    )
    assert out.getvalue().count("unchanged") == len(SCHEDULES)


def test_a_changed_schedule_is_brought_in_line_without_moving_its_next_run():
    sweep = Schedule.objects.get(name="dsar: reminder sweep")
    Schedule.objects.filter(pk=sweep.pk).update(minutes=60, next_run=utc(2030, 1, 1))

    assert ("dsar: reminder sweep", "updated") in ensure_schedules()

    sweep.refresh_from_db()
    assert (sweep.minutes, sweep.next_run) == (15, utc(2030, 1, 1))


def test_the_schedules_are_what_the_issue_asks():
    by_func = {s.func.rsplit(".", 1)[1]: s for s in ours()}
    assert by_func["send_due_reminders"].schedule_type == Schedule.MINUTES
    assert by_func["send_due_reminders"].minutes <= 60  # at least hourly
    assert by_func["send_daily_digests"].schedule_type == Schedule.HOURLY
    assert by_func["housekeeping"].schedule_type == Schedule.DAILY


@pytest.mark.parametrize(
    ("spec", "now", "first"),
    [
        (Spec("a", "f", "I", minutes=15), utc(2026, 5, 4, 10, 7), utc(2026, 5, 4, 10, 15)),
        (Spec("a", "f", "H", at_minute=5), utc(2026, 5, 4, 10, 7), utc(2026, 5, 4, 11, 5)),
        (Spec("a", "f", "D", at_hour=3, at_minute=30), utc(2026, 5, 4, 10), utc(2026, 5, 5, 3, 30)),
    ],
)
def test_first_runs_fall_at_even_times(spec, now, first):
    assert spec.first_run(now) == first


def test_send_reminders_dry_run_prints_and_records_nothing(london):
    make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.hank, reference="L-1")
    out = io.StringIO()

    with time_machine.travel(utc(2026, 3, 31, 8), tick=False):
        call_command("send_reminders", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "To: hank@staff.example" in text
    assert "L-1" in text and "7 days left" in text
    assert "1 email(s) would go out now" in text
    assert (Reminder.objects.count(), Notification.objects.count(), len(mail.outbox)) == (0, 0, 0)

    with time_machine.travel(utc(2026, 3, 31, 8), tick=False):
        call_command("send_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["hank@staff.example"]]


def test_staff_see_which_reminders_of_a_request_went_out(london, client):
    request = make_request(london.org, "gdpr", D(2026, 3, 3), reference="L-1")
    with time_machine.travel(utc(2026, 3, 31, 8), tick=False):
        call_command("send_reminders", stdout=io.StringIO())

    [reminder] = reminders_for_request(request)
    assert sorted(n.user.username for n in reminder.notifications.all()) == [
        "hank",
        "hannah",
        "olivia",
    ]

    # A handler of London with the view permission sees it; one of another organization not.
    london.hank.is_staff = True
    london.hank.save()
    london.hank.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_reminder", "view_notification"])
    )
    client.force_login(london.hank)
    page = client.get(f"/staff/reminders/reminder/?request__id__exact={request.pk}")
    assert page.status_code == 200
    assert "L-1" in page.content.decode()
    assert client.get("/staff/reminders/notification/").status_code == 200

    paris = make_org("paris", time_zone="Europe/Paris", calendar="FR")
    pierre = make_member(paris, "pierre", Role.HANDLER)
    pierre.is_staff = True
    pierre.save()
    pierre.user_permissions.add(*Permission.objects.filter(codename="view_reminder"))
    client.force_login(pierre)
    assert "L-1" not in client.get("/staff/reminders/reminder/").content.decode()


def test_the_reminder_inline_is_read_only(london, rf):
    from django.contrib.admin.sites import site

    from dsar.reminders.admin import ReminderInline

    inline = ReminderInline(Reminder, site)
    request = rf.get("/")
    request.user = User(is_superuser=True)
    assert not inline.has_add_permission(request) and not inline.has_change_permission(request)


def test_bad_reminder_settings_fail_the_system_checks(settings):
    from dsar.reminders.checks import check_reminder_settings

    assert check_reminder_settings() == []
    settings.DSAR_REMINDER_OFFSETS = (7, -1)
    settings.DSAR_DIGEST_HOUR = 24
    settings.DSAR_UNVERIFIED_CLOSE_AFTER_DAYS = 0
    assert sorted(error.id for error in check_reminder_settings()) == [
        "reminders.E002",
        "reminders.E003",
        "reminders.E005",
    ]
    settings.DSAR_REMINDER_LEASE_SECONDS = "ten minutes"
    assert [error.id for error in check_reminder_settings()] == ["reminders.E001"]
