"""The outbox's delivery: sent once, retried with a doubling wait then marked failed, a dead
worker's claim taken over after the lease, and two workers racing never both sending."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection, transaction
from django_q.models import OrmQ

from dsar.outbox.delivery import deliver_queued
from dsar.outbox.models import Email, EmailStatus
from dsar.outbox.services import SEND_TASK, enqueue

T0 = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


def queue(to: str = "olivia@staff.example") -> Email:
    """A staff email with no request: the webhook-paused notice."""
    return enqueue(
        "webhook_paused",
        to=[to],
        context={
            "organization": SimpleNamespace(name="Incident Management Group"),
            "subscription": SimpleNamespace(url="https://hooks.example/dsar", pk=7),
            "failures": 3,
            "site_url": "https://dsar.example",
        },
    )


@pytest.fixture
def refused_mail_server(settings):
    """The SMTP backend pointed at a local port nobody listens on."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    host, port = probe.getsockname()
    probe.close()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = host, port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.mark.django_db
def test_it_is_rendered_when_queued_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()

    # Rendered now, in the installation's language; the send itself waits for the cluster.
    assert (
        email.subject == "Webhooks paused for Incident Management Group: the receiver keeps failing"
    )
    assert "https://hooks.example/dsar" in email.text
    assert not mail.outbox
    (task,) = OrmQ.objects.all()
    assert task.task["func"] == SEND_TASK and task.task["args"] == ([email.pk],)

    assert deliver_queued() == {"sent": 1, "retrying": 0, "failed": 0, "taken": 0}
    assert deliver_queued() == {"sent": 0, "retrying": 0, "failed": 0, "taken": 0}

    (message,) = mail.outbox
    assert message.to == ["olivia@staff.example"]
    assert message.subject == email.subject and message.body == email.text
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at is not None
    assert email.attempts == 1
    # Once sent, the database keeps no address and no link of it.
    assert (email.to, email.text, email.html) == ([], "", "")
    assert email.subject == message.subject


@pytest.mark.django_db
def test_a_rolled_back_cause_leaves_no_email_and_queues_no_task(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        assert Email.objects.count() == 1  # written in the caller's transaction
        raise RuntimeError("the cause failed")

    assert not Email.objects.exists()
    assert not OrmQ.objects.exists()


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_with_a_doubling_wait_then_failed(
    refused_mail_server, settings, time_machine
):
    settings.DSAR_OUTBOX_MAX_ATTEMPTS = 3
    settings.DSAR_OUTBOX_RETRY_AFTER = 60
    time_machine.move_to(T0, tick=False)
    email = queue()

    assert deliver_queued()["retrying"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert email.next_attempt_at == T0 + dt.timedelta(seconds=60)
    assert email.last_error == "ConnectionRefusedError"
    assert email.claimed_at is None
    # Not due yet: nothing is tried before the wait is over.
    assert deliver_queued() == {"sent": 0, "retrying": 0, "failed": 0, "taken": 0}

    time_machine.move_to(T0 + dt.timedelta(seconds=60), tick=False)
    assert deliver_queued()["retrying"] == 1
    email.refresh_from_db()
    assert email.next_attempt_at == T0 + dt.timedelta(seconds=60 + 120)

    time_machine.move_to(T0 + dt.timedelta(seconds=180), tick=False)
    assert deliver_queued()["failed"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 3)
    assert (email.to, email.text) == ([], "")

    time_machine.move_to(T0 + dt.timedelta(days=1), tick=False)
    assert deliver_queued() == {"sent": 0, "retrying": 0, "failed": 0, "taken": 0}
    assert not mail.outbox


@pytest.mark.django_db
def test_a_dead_workers_claim_is_taken_over_once_its_lease_runs_out(settings, time_machine):
    settings.DSAR_OUTBOX_LEASE = 300
    time_machine.move_to(T0, tick=False)
    email = queue()
    # A worker claimed it (what its claim writes) and was killed before sending.
    Email.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING, claimed_at=T0, attempts=1)

    time_machine.move_to(T0 + dt.timedelta(seconds=299), tick=False)
    assert deliver_queued()["sent"] == 0  # the claim still holds
    time_machine.move_to(T0 + dt.timedelta(seconds=301), tick=False)
    assert deliver_queued()["sent"] == 1

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time: two workers cannot race there",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_send_each_email_once():
    emails = [queue(to=f"officer{n}@staff.example") for n in range(40)]
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(deliver_queued())
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(r["sent"] for r in results) == len(emails)
    sent_to = sorted(message.to[0] for message in mail.outbox)
    assert sent_to == sorted(f"officer{n}@staff.example" for n in range(40))
    assert Email.objects.filter(status=EmailStatus.SENT).count() == len(emails)


@pytest.mark.django_db
def test_the_sweep_runs_every_minute_as_the_safety_net():
    from django_q.models import Schedule

    from dsar.outbox.schedules import ensure_schedules

    # Declared in code (migration 0002 runs the same function); running it again adds nothing.
    ensure_schedules()
    assert ensure_schedules() == [("dsar: outbox sweep", "unchanged")]
    (sweep,) = Schedule.objects.filter(name="dsar: outbox sweep")
    assert sweep.func == "dsar.outbox.delivery.deliver_queued"
    assert (sweep.schedule_type, sweep.minutes, sweep.repeats) == (Schedule.MINUTES, 1, -1)
