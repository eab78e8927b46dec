"""Sending the form: the request is logged, waits for the email confirmation, and says so."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.core import mail

from dsar.intake.models import IntakeSubmission
from dsar.outbox.models import Email, EmailStatus
from dsar.requests.models import EventKind, IdentityStatus, PrivacyRequest, Status, WaitingFor
from tests.conftest import deliver_outbox

from .conftest import link_in, text_of

pytestmark = pytest.mark.django_db


def test_it_logs_a_web_form_request_waiting_for_the_email_confirmation(img, submit):
    response = submit(img)

    assert response.status_code == 302
    assert response["Location"] == "/o/img/request/sent/"
    request = PrivacyRequest.objects.get()
    assert request.channel_kind == "web_form"
    assert request.organization == img
    assert request.right_kind == "access"
    assert request.jurisdiction == "FR"
    assert request.requester_name == "Dana Data"
    assert request.requester_email == "dana@example.org"
    assert request.status == Status.WAITING_REQUESTER
    assert request.waiting_for == WaitingFor.EMAIL
    # IMG may ask a French requester for proof of identity; nothing requires it.
    assert request.identity_status == IdentityStatus.NOT_REQUIRED
    assert request.language == "en"
    kinds = list(request.events.values_list("kind", "actor_label"))
    assert kinds[0] == (EventKind.RECEIVED, "requester")
    # The confirmation email went out (the outbox's sent mark): it acknowledges receipt.
    assert [k for k, _ in kinds] == [
        EventKind.RECEIVED,
        EventKind.ASKED_REQUESTER,
        EventKind.REQUESTER_EMAILED,
        EventKind.ACKNOWLEDGED,
    ]
    assert request.acknowledged_at is not None
    assert IntakeSubmission.objects.get().request == request


def test_the_asked_event_says_no_clock_waits_for_the_confirmation(img, submit):
    submit(img)

    asked = PrivacyRequest.objects.get().events.get(kind=EventKind.ASKED_REQUESTER)
    assert asked.data["waiting_for"] == "email"
    assert asked.summary == (
        "Asked the requester for confirmation of their email address: the clock keeps running"
    )


def test_the_sent_page_shows_the_reference_and_the_deadline(seeds, submit, client):
    response = submit(seeds["imgwg"], residence="US-CA")
    page = client.get(response["Location"])

    request = PrivacyRequest.objects.get()
    text = text_of(page.content.decode())
    assert page.status_code == 200
    assert request.reference in text
    # CCPA: 45 calendar days from receipt on 2 March 2026, verification or not.
    assert request.due_date == dt.date(2026, 4, 16)
    assert "Answer expected: by 16 April 2026 under the California Consumer Privacy Act." in text
    assert "Confirming your email address does not change this date." in text


def test_a_gdpr_deadline_counts_from_receipt_whatever_the_confirmation(img, submit, client):
    text = text_of(client.get(submit(img)["Location"]).content.decode())

    assert "Answer expected: by 2 April 2026 under the GDPR." in text
    assert "confirm your email address today" not in text
    assert "counts from the day you confirm" not in text


def test_the_sent_page_shows_nothing_to_someone_else(img, submit, client):
    submit(img)
    client.cookies.clear()

    page = client.get("/o/img/request/sent/")

    assert PrivacyRequest.objects.get().reference not in page.content.decode()


def test_the_confirmation_email_has_the_reference_the_deadline_and_the_link(img, submit):
    submit(img)

    request = PrivacyRequest.objects.get()
    (message,) = mail.outbox
    assert message.to == ["dana@example.org"]
    assert request.reference in message.subject
    assert "\n" not in message.subject
    assert "2 April 2026" in message.body
    assert link_in(message, "confirm").startswith("/o/img/confirm/")
    assert message.alternatives[0][1] == "text/html"


def test_an_agent_names_the_person_they_act_for(img, submit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    submit(
        img,
        acting_for="agent",
        name="Alex Agent",
        subject_name="Dana Data",
        authorization=SimpleUploadedFile("auth.pdf", PDF, "application/pdf"),
    )

    request = PrivacyRequest.objects.get()
    assert request.is_agent
    assert request.agent_name == "Alex Agent"
    assert request.requester_name == "Dana Data"


@pytest.mark.parametrize(
    ("right", "fields", "details"),
    [
        (
            "rectification",
            {"wrong": "My surname is Dta", "correct": "Data"},
            {"wrong": "My surname is Dta", "correct": "Data"},
        ),
        (
            "minor_content_removal",
            {"content_description": "A photo on the blog, May 2025"},
            {"content": "A photo on the blog, May 2025"},
        ),
        (
            "portability",
            {
                "portability_format": "csv",
                "portability_recipient": "third_party",
                "recipient_details": "Other Co, 1 Main St",
            },
            {
                "format": "csv",
                "recipient": "third_party",
                "recipient_details": "Other Co, 1 Main St",
            },
        ),
    ],
)
def test_it_keeps_what_the_right_needs(img, submit, right, fields, details):
    submit(img, right=right, **fields)

    submission = IntakeSubmission.objects.get()
    assert submission.details == details
    for value in details.values():
        assert value in submission.request.message


@pytest.mark.parametrize(
    ("right", "missing"),
    [
        ("rectification", ["wrong", "correct"]),
        ("minor_content_removal", ["content_description"]),
        ("portability", ["portability_format", "portability_recipient"]),
    ],
)
def test_it_asks_for_what_the_right_needs(img, submit, right, missing):
    response = submit(img, right=right)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(missing)
    assert not PrivacyRequest.objects.exists()


def test_a_portability_request_to_a_third_party_names_it(img, submit):
    response = submit(
        img, right="portability", portability_format="json", portability_recipient="third_party"
    )

    assert list(response.context["form"].errors) == ["recipient_details"]


def test_a_right_the_policy_does_not_promise_is_refused(imt, submit):
    # iMT's policy promises erasure, rectification and a marketing opt-out: no access.
    response = submit(imt, right="access")

    assert "right" in response.context["form"].errors
    assert not PrivacyRequest.objects.exists()


def test_the_request_and_its_emails_are_in_the_language_of_the_form(
    img, client, django_capture_on_commit_callbacks
):
    from .conftest import form_data

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/o/img/request/", form_data(), HTTP_ACCEPT_LANGUAGE="es")
    deliver_outbox()

    request = PrivacyRequest.objects.get()
    assert request.language == "es"
    (message,) = mail.outbox
    assert message.subject == (
        f"Hemos recibido su solicitud {request.reference} a Incident Management Group: "
        "confirme su dirección de correo"
    )
    assert "siga este enlace en un plazo de 72 horas" in message.body
    assert (
        "Cuándo esperar una respuesta: a más tardar el 2 de abril de 2026, según el RGPD."
        in message.body
    )


@pytest.fixture
def mail_server(settings):
    """``mail_server(listening=…)``: the SMTP backend pointed at a local port that refuses
    connections, or that accepts them and never answers (a mail server that hangs: the project's
    EMAIL_TIMEOUT, 1 s in tests, is what lets the form answer)."""
    sockets = []

    def point_at(*, listening: bool) -> socket.socket:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        if listening:
            server.listen(8)
            sockets.append(server)
        else:
            server.close()
        return server

    yield point_at
    for server in sockets:
        server.close()


@pytest.mark.parametrize(
    ("listening", "error"),
    [(False, "ConnectionRefusedError"), (True, "SMTPServerDisconnected")],
    ids=["refused", "hangs"],
)
def test_a_mail_server_failure_still_shows_the_request_as_received(
    img, submit, mail_server, caplog, listening, error
):
    server = mail_server(listening=listening)

    response = submit(img, deliver=False)

    # The form never talked to the mail server, so it never waits EMAIL_TIMEOUT: no try is
    # counted and no connection reached the server.
    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    email = Email.objects.get(request=request)
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 0)
    if listening:
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()

    # The cluster's try fails; the email waits for its retry, and staff see it on the trail.
    assert deliver_outbox() == {"sent": 0, "retrying": 1, "failed": 0, "taken": 0}
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.QUEUED, 1, error)
    assert f"email {email.pk} (intake_confirm) failed on try 1" in caplog.text
    assert "dana@example.org" not in caplog.text
    retry = request.events.get(kind=EventKind.SEND_RETRY)
    assert retry.data == {
        "email": "intake_confirm",
        "outbox": email.pk,
        "attempt": 1,
        "error": error,
    }
    assert retry.summary == (
        "The intake_confirm email to the requester could not be sent; it will be tried again"
    )
