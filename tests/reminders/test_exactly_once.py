"""Each reminder recorded once and sent once: repeated sweeps, leases, retries with backoff."""

from __future__ import annotations

import datetime
import socket
import threading

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction

from dsar.reminders import claims, delivery, jobs
from dsar.reminders.models import Notification, NotificationStatus, Reminder, ReminderKind
from tests.reminders.conftest import make_request, utc

pytestmark = pytest.mark.django_db

D = datetime.date
TUESDAY_09 = utc(2026, 3, 31, 8)  # 09:00 BST: the 7-day reminder of a 7 Apr deadline is due


@pytest.fixture
def due(london):
    """Two of Hank's requests and one unassigned, all with a 7-day reminder due on Tuesday."""
    return [
        make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.hank, reference="L-1"),
        make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.hank, reference="L-2"),
        make_request(london.org, "gdpr", D(2026, 3, 3), reference="L-3"),
    ]


class FlakyBackend(BaseEmailBackend):
    """An email backend whose first ``failures`` sends raise, as an SMTP outage would."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise ConnectionRefusedError("smtp.example: connection refused")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.calls = 0
    FlakyBackend.failures = 0
    return FlakyBackend


def sweep_at(when):
    with time_machine.travel(when, tick=False):
        return jobs.send_due_reminders()


def test_it_sends_one_email_per_person_per_run(london, due):
    result = sweep_at(TUESDAY_09)

    assert result["reminders"] == 3
    # Hank: his two requests and the unassigned one, in one email; Olivia and Hannah: one.
    assert sorted((m.to[0], m.body.count("- L-")) for m in mail.outbox) == [
        ("hank@staff.example", 3),
        ("hannah@staff.example", 1),
        ("olivia@staff.example", 1),
    ]


def test_a_second_sweep_sends_nothing(london, due):
    sweep_at(TUESDAY_09)
    again = sweep_at(TUESDAY_09 + datetime.timedelta(minutes=15))

    assert again["reminders"] == 0 and again["sent"] == 0
    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 3


def test_the_database_refuses_a_second_record_of_the_same_reminder(london, due):
    sweep_at(TUESDAY_09)
    first = Reminder.objects.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            request=first.request,
            kind=first.kind,
            deadline=first.deadline,
            offset=first.offset,
            run=first.run,
        )


def test_claiming_twice_under_two_runs_records_once(london, due):
    """Two sweeps deciding at the same instant: the second INSERT finds every row taken."""
    import uuid

    kwargs = {"now": TUESDAY_09, "offsets": (7, 3, 1), "ack_offsets": (3, 1), "hour": 8}
    assert claims.record_staff_reminders(run=uuid.uuid4(), **kwargs) == 3
    assert claims.record_staff_reminders(run=uuid.uuid4(), **kwargs) == 0


def test_a_claim_held_by_a_killed_worker_is_taken_over_after_the_lease(london, due, settings):
    settings.DSAR_REMINDER_LEASE_SECONDS = 600
    with time_machine.travel(TUESDAY_09, tick=False):
        jobs._record_due(__import__("uuid").uuid4(), jobs.reminder_settings())
        # A worker claimed Hank's email and died before sending it.
        hank = Notification.objects.get(user__username="hank")
        Notification.objects.filter(pk=hank.pk).update(claimed_at=TUESDAY_09, attempts=1)

    within = sweep_at(TUESDAY_09 + datetime.timedelta(minutes=9))
    assert within["taken"] == 0 and within["sent"] == 2  # the others; Hank's is still held
    assert sorted(m.to[0] for m in mail.outbox) == ["hannah@staff.example", "olivia@staff.example"]

    after = sweep_at(TUESDAY_09 + datetime.timedelta(minutes=11))
    assert after["sent"] == 1
    assert [m.to[0] for m in mail.outbox[2:]] == ["hank@staff.example"]
    hank.refresh_from_db()
    assert (hank.status, hank.attempts) == (NotificationStatus.SENT, 2)

    assert sweep_at(TUESDAY_09 + datetime.timedelta(hours=1))["sent"] == 0
    assert len(mail.outbox) == 3


def test_a_failed_send_is_retried_with_backoff_and_recorded(london, due, flaky, settings):
    settings.DSAR_REMINDER_RETRY_SECONDS = 300
    flaky.failures = 3  # the first sweep's three emails all fail

    first = sweep_at(TUESDAY_09)
    assert (first["sent"], first["retrying"]) == (0, 3)
    hank = Notification.objects.get(user__username="hank")
    assert hank.status == NotificationStatus.PENDING
    assert hank.attempts == 1
    assert hank.last_error == "ConnectionRefusedError: smtp.example: connection refused"
    assert hank.next_attempt_at == TUESDAY_09 + datetime.timedelta(minutes=5)
    assert hank.reminders.unsent().count() == 3

    # Not before its time; then once, and the reminders it carries are marked sent.
    assert sweep_at(TUESDAY_09 + datetime.timedelta(minutes=4))["sent"] == 0
    assert sweep_at(TUESDAY_09 + datetime.timedelta(minutes=5))["sent"] == 3
    hank.refresh_from_db()
    assert (hank.status, hank.attempts, hank.sent_at) == (
        NotificationStatus.SENT,
        2,
        TUESDAY_09 + datetime.timedelta(minutes=5),
    )
    assert not Reminder.objects.unsent().exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hank@staff.example",
        "hannah@staff.example",
        "olivia@staff.example",
    ]


def test_it_gives_up_after_the_last_try_and_doubles_the_wait(london, due, flaky, settings):
    settings.DSAR_REMINDER_MAX_ATTEMPTS = 3
    settings.DSAR_REMINDER_RETRY_SECONDS = 300
    flaky.failures = 10**6
    at = TUESDAY_09
    waits = []
    for _ in range(3):
        sweep_at(at)
        hank = Notification.objects.get(user__username="hank")
        waits.append(hank.next_attempt_at - at)
        at = hank.next_attempt_at

    assert waits[:2] == [datetime.timedelta(minutes=5), datetime.timedelta(minutes=10)]
    assert (hank.status, hank.attempts) == (NotificationStatus.FAILED, 3)
    assert sweep_at(at + datetime.timedelta(days=1))["sent"] == 0
    assert mail.outbox == []


def test_an_email_is_skipped_when_its_requests_closed_meanwhile(london, due, flaky, settings):
    flaky.failures = 3
    sweep_at(TUESDAY_09)
    for request in due:
        request.status, request.closed_at = "withdrawn", TUESDAY_09
        request.save()

    result = sweep_at(TUESDAY_09 + datetime.timedelta(minutes=5))

    assert (result["sent"], result["skipped"]) == (0, 3)
    assert set(Notification.objects.values_list("status", flat=True)) == {
        NotificationStatus.SKIPPED
    }
    assert mail.outbox == []


def test_the_outbox_reads_only_pending_due_unclaimed_rows(london, due):
    with time_machine.travel(TUESDAY_09, tick=False):
        jobs._record_due(__import__("uuid").uuid4(), jobs.reminder_settings())
    lease = datetime.timedelta(minutes=10)
    assert Notification.objects.sendable(TUESDAY_09, lease).count() == 3
    Notification.objects.update(next_attempt_at=TUESDAY_09 + datetime.timedelta(minutes=1))
    assert Notification.objects.sendable(TUESDAY_09, lease).count() == 0


def test_preview_records_and_sends_nothing(london, due):
    with time_machine.travel(TUESDAY_09, tick=False):
        previews = jobs.preview_due_reminders()

    assert sorted(m.to[0] for m in previews) == [
        "hank@staff.example",
        "hannah@staff.example",
        "olivia@staff.example",
    ]
    assert "L-1" in delivery.describe(previews[0]) or "L-3" in delivery.describe(previews[0])
    assert (Reminder.objects.count(), Notification.objects.count(), len(mail.outbox)) == (0, 0, 0)


def test_reminder_kinds_know_who_hears_of_them():
    assert ReminderKind.OVERDUE.escalates and not ReminderKind.DEADLINE.escalates
    assert ReminderKind.VERIFY_NUDGE.to_requester
    assert set(ReminderKind.staff_values()) == {
        "acknowledge",
        "acknowledge_overdue",
        "deadline",
        "overdue",
        "task_due",
    }
    assert ReminderKind.task_values() == ["task_due"]


def test_a_long_email_lists_the_most_urgent_and_counts_the_rest(london, due, settings):
    settings.DSAR_REMINDER_EMAIL_LIMIT = 2
    late = make_request(london.org, "gdpr", D(2026, 2, 20), assignee=london.hank, reference="L-0")
    assert late.due_date == D(2026, 3, 20)  # 7 working days late on Tuesday 31 March

    sweep_at(TUESDAY_09)

    [hank] = [m for m in mail.outbox if m.to == ["hank@staff.example"]]
    assert hank.subject == "Reminder: 4 requests need attention (1 late)"
    assert hank.body.count("- L-") == 2
    assert hank.body.index("- L-0") < hank.body.index("- L-1")
    assert "…and 2 more, less urgent: see the staff workspace." in hank.body
    # Every reminder it carries counts as sent: the email told Hank about all four.
    assert Notification.objects.get(user=london.hank).reminders.count() == 4


class DownBackend(BaseEmailBackend):
    """A mail server that cannot be reached at all: opening the connection fails too."""

    def open(self):
        raise ConnectionRefusedError("smtp.example: connection refused")

    def send_messages(self, messages):
        self.open()


def test_an_unreachable_mail_server_is_recorded_on_every_email(london, due, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"

    result = sweep_at(TUESDAY_09)

    assert (result["sent"], result["retrying"]) == (0, 3)
    emails = Notification.objects.all()
    assert {(n.status, n.attempts, n.last_error) for n in emails} == {
        (NotificationStatus.PENDING, 1, "ConnectionRefusedError: smtp.example: connection refused")
    }
    # Once the server is back, the next sweep after the backoff sends them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep_at(TUESDAY_09 + datetime.timedelta(minutes=5))["sent"] == 3


@pytest.fixture
def hanging_mail_server(settings):
    """An SMTP port that accepts connections and never answers; counts the connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_hanging_mail_server_is_not_knocked_on_for_every_email(london, due, hanging_mail_server):
    # Each try waits EMAIL_TIMEOUT (1 s in tests): after a failed send and a failed reconnect,
    # the rest of the pass is recorded as failed tries without another connection.
    result = sweep_at(TUESDAY_09)

    assert (result["sent"], result["retrying"]) == (0, 3)
    assert len(hanging_mail_server) <= 3  # was 7: one open, then a send and a reopen per email
    emails = Notification.objects.all()
    assert all(n.status == NotificationStatus.PENDING and n.last_error for n in emails)
    assert {n.attempts for n in emails} == {1}
