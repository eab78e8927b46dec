"""Task owners are reminded through the reminders' sweep, once: the working day before their
tasks fall due, in the same one-email-per-person message as the deadline reminders."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail

from dsar import deadlines
from dsar.fulfilment.models import Task
from dsar.fulfilment.tasks import task_complete
from dsar.reminders import jobs
from dsar.reminders.models import Reminder, ReminderKind

from .conftest import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(make_system: Any, log_request: Any, olivia: Any, alice: Any, bob: Any) -> Any:
    for user in (olivia, alice, bob):
        user.email = f"{user.username}@staff.example"
        user.save()
    make_system("Zoho CRM", owner=alice)
    make_system("Shop", owner=bob)
    return verify(log_request("access"), olivia)


def _sweep(day: datetime.date) -> dict[str, Any]:
    # 15:00 UTC: past the reminders' 08:00 in Florida, where IMG counts its days.
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(15), datetime.UTC), tick=False
    ):
        return jobs.send_due_reminders()


def _to(username: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [f"{username}@staff.example"]]


def test_each_owner_is_reminded_once_the_working_day_before(owned: Any, img: Any) -> None:
    due = Task.objects.filter(request=owned).first().due_date
    the_day_before = deadlines.add_business_days(due, -1, img.holiday_calendar or None)

    _sweep(the_day_before - datetime.timedelta(days=1))
    assert not _to("alice")  # not yet
    _sweep(the_day_before)

    (alice_mail,) = _to("alice")
    (bob_mail,) = _to("bob")
    assert owned.reference in alice_mail.body and "task due" in alice_mail.body
    assert owned.reference in bob_mail.body
    assert Reminder.objects.filter(kind=ReminderKind.TASK_DUE).count() == 1

    mail.outbox.clear()
    _sweep(the_day_before)  # a second sweep, the same day
    _sweep(due)  # and on the day itself (when the request's own 7-day reminder goes out)

    assert not any("task due" in m.body for m in mail.outbox)
    assert Reminder.objects.filter(kind=ReminderKind.TASK_DUE).count() == 1


def test_a_finished_task_is_not_reminded(owned: Any, img: Any, alice: Any) -> None:
    tasks = Task.objects.filter(request=owned)
    due = tasks.first().due_date
    task_complete(
        task=tasks.get(owner=alice), actor=alice, outcome="Nothing there", not_applicable=True
    )

    _sweep(deadlines.add_business_days(due, -1, img.holiday_calendar or None))

    assert not _to("alice")
    assert len(_to("bob")) == 1
