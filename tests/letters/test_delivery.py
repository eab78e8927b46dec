"""Sending letters by email: queued through django-q2, retried with backoff, and recorded."""

from __future__ import annotations

import datetime
import smtplib
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule

from dsar.letters import jobs, tokens
from dsar.letters.context import LetterNotApplicable
from dsar.letters.models import DeliveryStatus, Letter, LetterDelivery
from dsar.letters.services import letter_issue, letter_send

from .conftest import TODAY

pytestmark = pytest.mark.django_db

FAILING = "tests.letters.test_delivery.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message (the external system, doubled)."""

    attempts = 0

    def send_messages(self, email_messages: Any) -> int:
        type(self).attempts += 1
        raise smtplib.SMTPException("451 4.3.0 Mail server temporarily rejected message")


@pytest.fixture
def letter(shared_acknowledgement: int, olivia: Any) -> Letter:
    """Olivia's acknowledgement, issued once for the module (conftest)."""
    return Letter.objects.select_related("request").get(pk=shared_acknowledgement)


def _letter_events(letter: Letter) -> list[str]:
    return [e.data["letter"]["event"] for e in letter.request.events.all() if "letter" in e.data]


def test_sending_releases_the_letter_and_queues_a_task(
    letter: Letter, olivia: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        delivery = letter_send(letter=letter, actor=olivia)

    letter.refresh_from_db()
    assert letter.released_at == timezone.now()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.to == "dana@example.org"
    # The ORM broker holds the task until a qcluster worker takes it.
    assert OrmQ.objects.count() == 1
    assert list(Letter.objects.released_to_requester(letter.request)) == [letter]
    assert _letter_events(letter) == ["letter_issued", "letter_queued"]


def test_a_successful_send_attaches_the_archived_pdf(letter: Letter, olivia: Any) -> None:
    delivery = letter_send(letter=letter, actor=olivia)

    assert jobs.deliver(delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.org"]
    assert message.subject == f"Our letter about your request {letter.request.reference}"
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == (letter.filename, "application/pdf")
    assert content == letter.read()
    assert _letter_events(letter)[-1] == "letter_sent"


def test_a_failed_send_is_retried_with_backoff_and_recorded(
    letter: Letter, olivia: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = FAILING
    settings.DSAR_LETTER_SEND_MAX_ATTEMPTS = 3
    settings.DSAR_LETTER_SEND_BACKOFF_SECONDS = 60
    FailingBackend.attempts = 0
    delivery = letter_send(letter=letter, actor=olivia)

    # 1st attempt fails: back to pending, retry in 60 s, scheduled in django-q2, recorded.
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.deliver(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert "SMTPException" in delivery.last_error
    assert delivery.next_attempt_at == TODAY + datetime.timedelta(seconds=60)
    retry = Schedule.objects.get(func="dsar.letters.jobs.deliver", schedule_type=Schedule.ONCE)
    assert retry.next_run == delivery.next_attempt_at
    assert retry.args == f"({delivery.pk},)"

    # Not due yet: nothing is sent, nothing counted.
    assert jobs.deliver(delivery.pk) == "not due"
    assert FailingBackend.attempts == 1

    # 2nd attempt after 60 s, 3rd after a further 120 s: then it gives up.
    with time_machine.travel(TODAY + datetime.timedelta(seconds=61), tick=False):
        assert jobs.send_due_deliveries() == 0
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.status) == (2, DeliveryStatus.PENDING)
    assert delivery.next_attempt_at == TODAY + datetime.timedelta(seconds=61 + 120)
    with time_machine.travel(TODAY + datetime.timedelta(seconds=200), tick=False):
        assert jobs.deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.status) == (3, DeliveryStatus.FAILED)
    assert delivery.next_attempt_at is None
    assert FailingBackend.attempts == 3
    assert mail.outbox == []
    assert _letter_events(letter) == [
        "letter_issued",
        "letter_queued",
        "send_retry",
        "send_retry",
        "send_failed",
    ]
    failed = [e for e in letter.request.events.all() if "letter" in e.data][-1]
    assert failed.data["letter"]["error"] == "SMTPException"
    assert "failed after 3 attempts" in failed.summary
    # A failed delivery is never tried again by the sweep.
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        jobs.send_due_deliveries()
    assert FailingBackend.attempts == 3


def test_a_retry_that_succeeds_is_recorded_as_sent(
    letter: Letter, olivia: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = FAILING
    delivery = letter_send(letter=letter, actor=olivia)
    assert jobs.deliver(delivery.pk) == "retry"

    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(TODAY + datetime.timedelta(minutes=5), tick=False):
        assert jobs.send_due_deliveries() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert len(mail.outbox) == 1
    assert _letter_events(letter)[-2:] == ["send_retry", "letter_sent"]


def test_the_cluster_runs_the_queued_task(
    letter: Letter,
    olivia: Any,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # django-q2's own synchronous mode: the task is signed, queued and run by its worker code.
    monkeypatch.setattr(Conf, "SYNC", True)
    settings.EMAIL_BACKEND = FAILING

    with django_capture_on_commit_callbacks(execute=True):
        delivery = letter_send(letter=letter, actor=olivia)

    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.status == DeliveryStatus.PENDING
    assert Schedule.objects.filter(func="dsar.letters.jobs.deliver").count() == 1


def test_a_stale_claim_is_freed(letter: Letter, olivia: Any) -> None:
    delivery = letter_send(letter=letter, actor=olivia)
    LetterDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, claimed_at=TODAY
    )

    with time_machine.travel(TODAY + datetime.timedelta(minutes=20), tick=False):
        assert jobs.send_due_deliveries() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_a_link_email_gives_a_signed_link_to_the_letter(
    letter: Letter, olivia: Any, client: Any
) -> None:
    delivery = letter_send(letter=letter, actor=olivia, method="link")
    jobs.deliver(delivery.pk)

    body = mail.outbox[0].body
    assert mail.outbox[0].attachments == []
    url = next(line for line in body.splitlines() if line.startswith("https://dsar.example.org/"))
    response = client.get(url.removeprefix("https://dsar.example.org"))
    assert response.status_code == 200
    assert response.content == letter.read()
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_letter_link_is_refused_when_tampered_or_expired(
    letter: Letter, olivia: Any, client: Any
) -> None:
    letter_send(letter=letter, actor=olivia, method="link")
    token = tokens.letter_token(letter)

    assert client.get(reverse("letters:requester_letter", args=[token + "x"])).status_code == 404
    with time_machine.travel(TODAY + datetime.timedelta(days=91), tick=False):
        assert client.get(reverse("letters:requester_letter", args=[token])).status_code == 404
    assert client.get(reverse("letters:requester_letter", args=[token])).status_code == 200


def test_an_unreleased_letter_has_no_working_link(letter: Letter, client: Any) -> None:
    token = tokens.letter_token(letter)

    assert client.get(reverse("letters:requester_letter", args=[token])).status_code == 404
    assert list(Letter.objects.released_to_requester(letter.request)) == []


def test_spanish_requesters_get_spanish_emails(make_request: Any, olivia: Any) -> None:
    request = make_request("img", "access", language="es")
    letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)

    jobs.deliver(letter_send(letter=letter, actor=olivia).pk)

    assert mail.outbox[0].subject == f"Nuestra carta sobre su solicitud {request.reference}"
    assert "Estimado/a Dana Ortiz:" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("language", "greeting", "closing"),
    [
        ("fr", "Bonjour Dana Ortiz,", "Cordialement,"),
        ("de", "Guten Tag Dana Ortiz,", "Mit freundlichen Grüßen"),
        ("pt-br", "Prezado(a) Dana Ortiz,", "Atenciosamente,"),
    ],
)
def test_requesters_get_the_letter_email_in_their_language(
    make_request: Any, olivia: Any, language: str, greeting: str, closing: str
) -> None:
    request = make_request("img", "access", language=language)
    letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)

    jobs.deliver(letter_send(letter=letter, actor=olivia).pk)

    message = mail.outbox[0]
    assert request.reference in message.subject
    assert "Our letter" not in message.subject
    assert message.body.startswith(greeting)
    assert closing in message.body
    assert "Dear" not in message.body
    html = message.alternatives[0][0]
    assert f'<html lang="{language}">' in html
    assert greeting in html


def test_without_an_email_address_sending_is_refused(make_request: Any, olivia: Any) -> None:
    request = make_request("img", "access", requester_email="")
    letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)

    with pytest.raises(LetterNotApplicable, match="send the letter by post"):
        letter_send(letter=letter, actor=olivia)
    letter.refresh_from_db()
    assert letter.released_at is None


class TestSendingAnAcknowledgementAcknowledgesReceipt:
    """Cal. Code Regs. tit. 11 §7021(a): a request logged by staff is acknowledged when its
    acknowledgement letter goes out; the "acknowledgement overdue" reminder stops then."""

    def test_a_sent_acknowledgement_letter_records_the_acknowledgement(
        self, make_request: Any, olivia: Any
    ) -> None:
        from dsar.requests.models import EventKind

        request = make_request("img", "access", jurisdiction="US-CA")
        assert request.acknowledge_by is not None and request.acknowledged_at is None
        letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)
        delivery = letter_send(letter=letter, actor=olivia)
        request.refresh_from_db()
        assert request.acknowledged_at is None  # queued is not sent

        assert jobs.deliver(delivery.pk) == "sent"

        request.refresh_from_db()
        assert request.acknowledged_at == timezone.now()
        event = request.events.get(kind=EventKind.ACKNOWLEDGED)
        assert (
            event.summary == f"Receipt acknowledged: acknowledgement letter {letter.reference} sent"
        )
        assert event.actor_label == "system"

    def test_an_acknowledgement_recorded_before_is_kept(
        self, make_request: Any, olivia: Any
    ) -> None:
        from dsar.requests.models import EventKind
        from dsar.requests.services import request_acknowledge

        request = make_request("img", "access", jurisdiction="US-CA")
        request = request_acknowledge(request=request, actor=olivia, how="by telephone")
        first = request.acknowledged_at
        letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)

        with time_machine.travel(TODAY + datetime.timedelta(hours=2), tick=False):
            assert jobs.deliver(letter_send(letter=letter, actor=olivia).pk) == "sent"

        request.refresh_from_db()
        assert request.acknowledged_at == first
        assert request.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1

    def test_another_letter_sent_does_not_acknowledge(self, make_request: Any, olivia: Any) -> None:
        request = make_request("img", "access", jurisdiction="US-CA")
        letter = letter_issue(
            request=request, kind="refusal", actor=olivia, parts={"grounds": "No data."}
        )

        assert jobs.deliver(letter_send(letter=letter, actor=olivia).pk) == "sent"

        request.refresh_from_db()
        assert request.acknowledged_at is None

    def test_a_failed_send_does_not_acknowledge(
        self, make_request: Any, olivia: Any, settings: Any
    ):
        request = make_request("img", "access", jurisdiction="US-CA")
        letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)
        delivery = letter_send(letter=letter, actor=olivia)
        settings.EMAIL_BACKEND = FAILING

        assert jobs.deliver(delivery.pk) == "retry"

        request.refresh_from_db()
        assert request.acknowledged_at is None


def test_the_email_of_a_letter_to_an_agent_greets_the_agent(make_request: Any, olivia: Any) -> None:
    request = make_request(
        "img", "access", jurisdiction="US-CA", is_agent=True, agent_name="Pat Agent"
    )
    letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)

    assert jobs.deliver(letter_send(letter=letter, actor=olivia).pk) == "sent"

    assert mail.outbox[0].body.startswith("Dear Pat Agent,")
