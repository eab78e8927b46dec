"""Issue and send in one step, from the letter's preview: the requester receives the email with
the issued PDF after one action, and the timeline records both steps."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from dsar.letters.models import Letter, LetterDelivery
from dsar.requests.models import PrivacyRequest
from tests.conftest import run_queued_tasks

from .helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(make_request: Any) -> PrivacyRequest:
    return make_request("img", "access")


def _preview(request: PrivacyRequest, kind: str = "acknowledgement") -> str:
    return reverse("letters:preview", args=[request.pk, kind])


def _events(request: PrivacyRequest) -> list[str]:
    return [e.data["letter"]["event"] for e in request.events.all() if "letter" in e.data]


def test_one_action_issues_the_letter_and_emails_it_to_the_requester(
    client: Any, olivia: Any, request_: PrivacyRequest, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(olivia)
    assert "Issue and send" in client.get(_preview(request_)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _preview(request_), {"action": "issue_send", "method": "attachment"}, follow=True
        )
    run_queued_tasks("dsar.letters.")  # the cluster sends it

    letter = Letter.objects.get()
    assert f"Letter {letter.reference} issued, archived and queued for sending." in (
        response.content.decode()
    )
    [message] = mail.outbox
    assert message.to == [request_.requester_email]
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (letter.filename, "application/pdf")
    assert content == letter.read()
    assert request_.reference in pdf_text(content)
    assert letter.issued_by == olivia and letter.released_at is not None
    assert _events(request_) == ["letter_issued", "letter_queued", "letter_sent"]


def test_without_an_email_address_nothing_is_issued(
    client: Any, olivia: Any, request_: PrivacyRequest
) -> None:
    PrivacyRequest.objects.filter(pk=request_.pk).update(requester_email="")
    client.force_login(olivia)

    response = client.post(_preview(request_), {"action": "issue_send", "method": "attachment"})

    assert response.status_code == 200
    assert "send the letter by post" in response.content.decode()
    assert not Letter.objects.exists() and not LetterDelivery.objects.exists()


def test_an_auditor_cannot(client: Any, audrey: Any, request_: PrivacyRequest) -> None:
    client.force_login(audrey)

    response = client.post(_preview(request_), {"action": "issue_send", "method": "attachment"})

    assert response.status_code == 403
    assert not Letter.objects.exists()
