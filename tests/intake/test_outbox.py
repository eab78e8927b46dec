"""The public side's emails go through the outbox (issue 18): written with the submission, sent
by the cluster once, their fate on the request's timeline, and "send the link again" doing the
same work and giving the same answer for every address."""

from __future__ import annotations

import re
import socket
import time

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django_q.models import OrmQ

from dsar.intake.services import RESEND_TASK, NewRequest, intake_submit
from dsar.outbox.models import Email, EmailStatus
from dsar.requests.models import EventKind, PrivacyRequest
from tests.conftest import deliver_outbox, run_queued_tasks

from .conftest import NOW


@pytest.fixture
def hanging_mail_server(settings):
    """The SMTP backend pointed at a socket that accepts connections and never answers, with a
    long EMAIL_TIMEOUT: a web request that talked to it would take that long. Yields the socket,
    which tells whether anyone knocked."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.close()


def knocked(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def test_the_email_is_written_in_the_submissions_transaction(img):
    new = NewRequest(
        organization=img,
        right_kind="access",
        name="Dana Requester",
        email="dana@example.org",
        jurisdiction="FR",
        language="en",
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        submission = intake_submit(new=new, received_at=NOW, link_for=lambda path: path)
        (email,) = Email.objects.all()
        assert email.request == submission.request
        assert email.kind == "intake_confirm" and email.to == ["dana@example.org"]
        raise RuntimeError("the submission's transaction rolls back")

    assert not PrivacyRequest.objects.exists()
    assert not Email.objects.exists()


def test_the_confirmation_is_sent_once_by_the_cluster_and_put_on_the_timeline(img, submit):
    submit(img, deliver=False)
    request = PrivacyRequest.objects.get()
    # Stored and queued; nothing has left yet, so receipt is not acknowledged yet either.
    assert not mail.outbox
    assert Email.objects.get().status == EmailStatus.QUEUED
    assert request.acknowledged_at is None

    assert deliver_outbox()["sent"] == 1
    assert deliver_outbox()["sent"] == 0

    (message,) = mail.outbox
    assert message.to == ["dana@example.org"]
    request.refresh_from_db()
    assert request.acknowledged_at is not None
    sent = request.events.get(kind=EventKind.REQUESTER_EMAILED)
    assert sent.data == {"email": "intake_confirm", "outbox": Email.objects.get().pk}
    assert sent.summary == "The intake_confirm email was sent to the requester"


def test_a_confirmation_that_keeps_failing_is_marked_failed_on_the_timeline(
    img, submit, hanging_mail_server, settings, time_machine
):
    settings.DSAR_OUTBOX_MAX_ATTEMPTS = 2
    settings.DSAR_OUTBOX_RETRY_AFTER = 60
    submit(img, deliver=False)
    settings.EMAIL_TIMEOUT = 1  # the cluster's wait on the hanging server, kept short here

    deliver_outbox()
    time_machine.shift(60)
    deliver_outbox()

    request = PrivacyRequest.objects.get()
    email = Email.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 2)
    assert [e.kind for e in request.events.filter(kind__startswith="send_")] == [
        EventKind.SEND_RETRY,
        EventKind.SEND_FAILED,
    ]
    failed = request.events.get(kind=EventKind.SEND_FAILED)
    assert failed.summary == "The intake_confirm email to the requester could not be sent"
    assert failed.data["error"] == "SMTPServerDisconnected"
    assert request.acknowledged_at is None  # nothing acknowledged receipt
    assert not mail.outbox


def test_a_hanging_mail_server_does_not_slow_the_form(img, submit, hanging_mail_server):
    started = time.perf_counter()
    response = submit(img, deliver=False)
    took = time.perf_counter() - started

    assert response.status_code == 302
    assert took < 5  # EMAIL_TIMEOUT is 10 s: the form never waited on the mail server
    assert not knocked(hanging_mail_server)
    assert Email.objects.get().status == EmailStatus.QUEUED


def _page_text(response) -> str:
    """The page without what differs on every response anyway (CSP nonces, CSRF tokens)."""
    body = response.content.decode()
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_resend_does_the_same_work_for_a_known_and_an_unknown_address(
    img, submit, hanging_mail_server, django_capture_on_commit_callbacks
):
    submit(img, deliver=False)
    Email.objects.all().delete()

    answers = {}
    for address in ("dana@example.org", "nobody@example.org"):
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post("/o/img/request/resend/", {"email": address})
        took = time.perf_counter() - started
        assert response.status_code == 200
        assert took < 5  # EMAIL_TIMEOUT is 10 s
        answers[address] = _page_text(response)

    # The same page, one task each, no email written and no mail server touched in the request.
    assert answers["dana@example.org"] == answers["nobody@example.org"]
    assert "If that address has an open request" in answers["nobody@example.org"]
    assert [row.task["func"] for row in OrmQ.objects.order_by("id")].count(RESEND_TASK) == 2
    assert not Email.objects.exists()
    assert not knocked(hanging_mail_server)

    # On the cluster: the known address gets a fresh link, the unknown one nothing.
    assert run_queued_tasks("dsar.intake.jobs.") == 2
    (email,) = Email.objects.all()
    assert email.kind == "intake_confirm" and email.to == ["dana@example.org"]
