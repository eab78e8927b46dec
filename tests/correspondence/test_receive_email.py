"""Raw emails piped through ``manage.py receive_email``, as Postfix's pipe transport does.

Each fixture is a real message; what staff would notice is asserted: where it went (the request
or the held list), what it says, which files were kept, and the event on the request's timeline.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dsar.correspondence.models import Direction, HeldReason, Message, MessageKind
from dsar.intake import files
from dsar.requests.models import EventKind
from tests.correspondence.conftest import pipe, raw_fixture, token_of

pytestmark = pytest.mark.django_db


def received_events(request):
    return list(request.events.filter(kind=EventKind.MESSAGE_RECEIVED))


def test_it_attaches_a_plain_reply_to_its_request(ann_request, caplog):
    caplog.set_level(logging.DEBUG)
    message = pipe(raw_fixture("plain.eml", ann_request))

    assert message.request == ann_request
    assert message.direction == Direction.IN
    assert message.kind == MessageKind.NORMAL
    assert message.held_reason == ""
    assert message.sender == "ann@example.com"
    # RFC 2047 subject and quoted-printable body, decoded.
    assert message.subject == "Re: Your request — my account number"
    assert "ann.old@example.com before 2024. ¡Gracias!" in message.body_text
    assert message.message_id == "<plain-1@mail.example.com>"
    assert message.in_reply_to == "<out-1@dsar.example.org>"
    [event] = received_events(ann_request)
    assert event.actor_label == "requester"
    assert event.data["message"] == message.pk
    # The trail and the logs name the message, never what it says or who sent it.
    assert "4471" not in str(event.data) + event.summary
    assert "4471" not in caplog.text and "ann@example.com" not in caplog.text


def test_the_same_message_delivered_twice_is_kept_once(ann_request):
    raw = raw_fixture("plain.eml", ann_request)
    first = pipe(raw)
    again = pipe(raw)
    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert len(received_events(ann_request)) == 1


def test_an_html_only_message_is_sanitized_and_read_as_text(ann_request):
    message = pipe(raw_fixture("html_only.eml", ann_request))

    assert message.request == ann_request
    assert "I never agreed to the newsletter." in message.body_text
    html = message.body_html
    assert "<b>never</b>" in html
    assert 'href="https://example.com/terms"' in html
    for dangerous in ("<script", "alert(", "onclick", "javascript:", "<img", "tracker", "<form"):
        assert dangerous not in html, dangerous


def test_attachments_are_checked_by_their_bytes_and_kept_privately(ann_request):
    message = pipe(raw_fixture("with_attachment.eml", ann_request))

    # A PDF sent as application/octet-stream is a PDF by its bytes: kept.
    [kept] = message.attachments.all()
    assert kept.filename == "id-card.pdf"
    assert kept.content_type == "application/pdf"
    with files.open_verified(kept.path, kept.sha256) as handle:
        assert handle.read().startswith(b"%PDF-")
    assert not kept.path.startswith("/") and ".." not in kept.path
    # A program named .pdf is refused, noted, not stored; its name loses its path.
    assert message.rejected_attachments == [
        {"filename": "statement.pdf", "reason": "type", "size": 64}
    ]
    [event] = received_events(ann_request)
    assert event.data["attachments"] == 1
    assert event.data["attachments_refused"] == 1


def test_an_attachment_over_the_upload_limit_is_refused(ann_request, settings):
    settings.DSAR_INTAKE_MAX_UPLOAD_BYTES = 20
    message = pipe(raw_fixture("with_attachment.eml", ann_request))
    assert not message.attachments.exists()
    reasons = {each["filename"]: each["reason"] for each in message.rejected_attachments}
    assert reasons == {"id-card.pdf": "size", "statement.pdf": "size"}


def test_an_auto_reply_is_attached_and_marked(ann_request):
    message = pipe(raw_fixture("auto_reply.eml", ann_request))
    assert message.request == ann_request
    assert message.kind == MessageKind.AUTO_REPLY
    [event] = received_events(ann_request)
    assert event.data["message_kind"] == MessageKind.AUTO_REPLY
    assert "Automatic reply" in event.summary


def test_a_bounce_from_the_mailer_daemon_is_attached_and_marked(ann_request):
    message = pipe(raw_fixture("bounce.eml", ann_request))
    # Not from the requester, yet not held: it tells staff that our email did not arrive.
    assert message.request == ann_request
    assert message.kind == MessageKind.BOUNCE
    assert "mailbox full" in message.body_text
    # The report's parts are not files the requester sent.
    assert message.rejected_attachments == []
    assert not message.attachments.exists()


@pytest.mark.parametrize(
    "report_type",
    [b"report-type=delivery-status", b"report-type*=us-ascii''delivery-status"],
    ids=["plain", "rfc2231-encoded"],
)
def test_a_delivery_report_from_any_sender_is_marked_a_bounce(ann_request, report_type):
    # Some relays send reports from an ordinary address with a return path: the report's
    # content type alone says what it is, however its parameter is written.
    raw = (
        raw_fixture("bounce.eml", ann_request)
        .replace(b"Return-Path: <>", b"Return-Path: <relay@mx.example.com>")
        .replace(b"MAILER-DAEMON@mx.example.com", b"relay@mx.example.com")
        .replace(b"report-type=delivery-status", report_type)
    )
    message = pipe(raw)
    assert message.request == ann_request
    assert message.kind == MessageKind.BOUNCE


def test_a_message_to_an_unknown_token_is_held(ann_request):
    message = pipe(raw_fixture("unknown_token.eml"))
    assert message.request is None
    assert message.held_reason == HeldReason.UNKNOWN_TOKEN
    assert message.is_held
    assert received_events(ann_request) == []


def test_a_message_from_someone_else_is_held_not_attached(ann_request):
    message = pipe(raw_fixture("unknown_sender.eml", ann_request))
    assert message.request is None
    assert message.held_reason == HeldReason.UNKNOWN_SENDER
    # Staff see which request's address it was sent to, and only that organization's staff.
    assert message.addressed_to == ann_request
    assert message.organization == ann_request.organization
    assert received_events(ann_request) == []


def test_a_token_in_another_case_still_finds_its_request(ann_request):
    # Some mail servers change the case of the local part.
    raw = raw_fixture("plain.eml").replace(b"TOKEN", token_of(ann_request).upper().encode())
    assert pipe(raw).request == ann_request


def test_the_envelope_recipient_finds_the_request_when_headers_do_not(ann_request):
    raw = raw_fixture("plain.eml", ann_request)
    token = token_of(ann_request).encode()
    raw = raw.replace(b"replies+" + token, b"privacy")  # sent to a list, Bcc, etc.
    message = pipe(raw, "--recipient", f"replies+{token.decode()}@dsar.example.org")
    assert message.request == ann_request


def test_an_empty_input_is_an_error_and_stores_nothing(db):
    with pytest.raises(CommandError, match="no message"):
        call_command("receive_email", stdin=io.BytesIO(b"  \n"), stdout=io.StringIO())
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_reads_standard_input_of_a_real_process(ann_request):
    """The command as Postfix runs it: a process whose standard input is the message."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the child process needs a database it can reach: PostgreSQL")
    raw = raw_fixture("plain.eml", ann_request)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "manage.py", "receive_email"],
        input=raw,
        capture_output=True,
        cwd=root,
        timeout=120,
        env=_child_env(),
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"stored" in done.stdout
    assert Message.objects.get().request == ann_request


def _child_env() -> dict[str, str]:
    """The test database and settings for the child process (it runs outside pytest)."""
    import os

    from django.conf import settings
    from django.db import connection

    env = dict(os.environ)
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    env["DATABASE_URL"] = f"postgres://{user}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env.setdefault("SECRET_KEY", "insecure-key-for-tests-only-never-deploy-this-value")
    env["DEBUG"] = "false"
    env["ALLOWED_HOSTS"] = "localhost"
    env["DSAR_REPLY_ADDRESS"] = settings.DSAR_REPLY_ADDRESS
    env["PRIVATE_STORAGE_ROOT"] = str(settings.PRIVATE_STORAGE_ROOT)
    return env
