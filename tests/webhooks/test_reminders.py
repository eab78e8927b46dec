"""``request.due_soon`` and ``request.overdue`` come from the reminder sweep, once per request and
reminder, exactly as the reminders themselves are recorded once."""

from __future__ import annotations

import datetime as dt

import pytest

from dsar.reminders import jobs
from dsar.reminders.models import Reminder, ReminderKind
from dsar.requests.models import PrivacyRequest
from dsar.webhooks import outbox
from dsar.webhooks.models import Delivery, WebhookEvent

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 15:00 UTC: 10:00 in Florida (IMG's zone), a working day there.
MONDAY = dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC)


def test_the_sweep_queues_due_soon_and_overdue_once_per_reminder(
    subscribe, log, receiver, time_machine
):
    time_machine.move_to(MONDAY, tick=True)
    subscribe(events=[WebhookEvent.REQUEST_DUE_SOON, WebhookEvent.REQUEST_OVERDUE])
    receiver.expect_request("/hook").respond_with_data("ok")
    soon, late, later = log(), log(), log()
    today = dt.date(2026, 12, 7)
    PrivacyRequest.objects.filter(pk=soon.pk).update(due_date=today + dt.timedelta(days=2))
    PrivacyRequest.objects.filter(pk=late.pk).update(due_date=today - dt.timedelta(days=1))
    PrivacyRequest.objects.filter(pk=later.pk).update(due_date=today + dt.timedelta(days=30))

    jobs.send_due_reminders()
    jobs.send_due_reminders()  # the next sweep, or another cluster at once: nothing twice

    deliveries = {d.request_id: d for d in Delivery.objects.all()}
    assert set(deliveries) == {soon.pk, late.pk}
    assert deliveries[soon.pk].event == WebhookEvent.REQUEST_DUE_SOON
    assert deliveries[soon.pk].details["reminder"]["days_before"] == 3
    assert deliveries[late.pk].event == WebhookEvent.REQUEST_OVERDUE
    assert deliveries[late.pk].details["reminder"]["days_late"] == 1
    for request_id, delivery in deliveries.items():
        reminder = Reminder.objects.get(request_id=request_id)
        assert delivery.source == f"reminder:{reminder.pk}"
    assert Reminder.objects.filter(kind=ReminderKind.DEADLINE).count() == 1

    # The sweep also sends the outbox of emails; webhooks go out with their own job.
    assert outbox.deliver_pending().delivered == 2
    # Tomorrow the late request is escalated again: a new reminder, a new message.
    time_machine.move_to(MONDAY + dt.timedelta(days=1), tick=True)
    jobs.send_due_reminders()
    assert Delivery.objects.filter(event=WebhookEvent.REQUEST_OVERDUE).count() == 2


def test_a_preview_of_the_sweep_queues_nothing(subscribe, log, time_machine):
    time_machine.move_to(MONDAY, tick=True)
    subscribe()
    request = log()
    Delivery.objects.all().delete()
    PrivacyRequest.objects.filter(pk=request.pk).update(due_date=dt.date(2026, 12, 8))

    jobs.preview_due_reminders()

    assert not Delivery.objects.exists()
