"""Messages through the API: the conversation read with any key of the organization, a message
to the requester written with a write key by the staff page's service (stored, on the
timeline under the key's name, emailed through the outbox from the request's reply address).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from dsar.correspondence.models import Direction, Message
from dsar.requests.models import EventKind, RequestEvent
from dsar.webhooks.models import Delivery, Subscription
from tests.conftest import deliver_outbox
from tests.correspondence.conftest import MAILBOX, pipe, raw_fixture, token_of

pytestmark = pytest.mark.django_db

BODY = "We found two accounts under your address; which one do you mean?"


@pytest.fixture(autouse=True)
def _mail_settings(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_SITE_URL = "https://dsar.example.org"
    settings.DSAR_REPLY_ADDRESS = MAILBOX
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_write_key_writes_to_the_requester_and_the_email_goes_through_the_outbox(
    api: Any, img_key: str, img_reader: str, log_request: Any, django_capture_on_commit_callbacks
) -> None:
    request = log_request()
    url = f"/api/v1/requests/{request.reference}/messages/"

    with django_capture_on_commit_callbacks(execute=True):
        response = api("POST", url, img_key, {"subject": "Which account?", "body": BODY})
    assert response.status_code == 201, response.content
    sent = response.json()
    assert (sent["direction"], sent["kind"], sent["subject"], sent["body"]) == (
        "out",
        "normal",
        "Which account?",
        BODY,
    )
    assert sent["written_by"] is None

    # On the timeline under the key's name, without the text.
    event = RequestEvent.objects.filter(request=request, kind=EventKind.MESSAGE_SENT).get()
    assert (event.actor_id, event.actor_label) == (None, "api:crm-sync")
    assert BODY not in event.summary + str(event.data)

    # Nothing is emailed inside the call: the outbox sends it, from the reply address.
    assert mail.outbox == []
    deliver_outbox()
    [email] = mail.outbox
    assert email.to == ["ann@example.com"]
    assert email.reply_to == [f"replies+{token_of(request)}@dsar.example.org"]
    assert email.extra_headers["Message-ID"] == Message.objects.get().message_id

    # Any key of the organization reads the conversation, bodies included (docs/api.md).
    listed = api("GET", url, img_reader)
    assert listed.status_code == 200
    assert [(m["id"], m["body"]) for m in listed.json()] == [(sent["id"], BODY)]


def test_bad_input_and_a_read_key_store_nothing_and_send_nothing(
    api: Any, img_key: str, img_reader: str, log_request: Any, django_capture_on_commit_callbacks
) -> None:
    request = log_request()
    url = f"/api/v1/requests/{request.reference}/messages/"
    with django_capture_on_commit_callbacks(execute=True):
        blank = api("POST", url, img_key, {"body": "   "})
        too_long = api("POST", url, img_key, {"body": "x" * 20_001})
        read = api("POST", url, img_reader, {"body": BODY})
    assert blank.status_code == 400
    assert blank.json()["errors"][0]["field"] == "body"
    assert too_long.status_code == 400
    assert read.status_code == 403
    assert read.json()["type"] == "urn:dsar:problem:forbidden"
    deliver_outbox()
    assert not Message.objects.exists() and mail.outbox == []
    assert not request.events.filter(kind=EventKind.MESSAGE_SENT).exists()


def test_a_reply_by_email_is_listed_and_queues_a_message_received_webhook(
    api: Any, img: Any, img_reader: str, log_request: Any
) -> None:
    wants = Subscription.objects.create(
        organization=img, url="https://hooks.example.org/messages", events=["message.received"]
    )
    other = Subscription.objects.create(
        organization=img, url="https://hooks.example.org/tasks", events=["task.completed"]
    )
    request = log_request()

    inbound = pipe(raw_fixture("plain.eml", request))

    delivery = Delivery.objects.get(subscription=wants)
    assert (delivery.event, delivery.request) == ("message.received", request)
    assert delivery.details["event"]["message_kind"] == "normal"
    assert inbound.body_text not in str(delivery.details)
    assert not Delivery.objects.filter(subscription=other).exists()

    listed = api("GET", f"/api/v1/requests/{request.reference}/messages/", img_reader).json()
    [row] = listed
    assert (row["id"], row["direction"], row["via"]) == (inbound.pk, Direction.IN, "email")
    assert row["subject"] == "Re: Your request — my account number"
    assert "ann.old@example.com before 2024. ¡Gracias!" in row["body"]
    assert row["written_by"] is None and row["attachments"] == []


def test_an_attachment_is_listed_by_name_not_served(
    api: Any, img_reader: str, log_request: Any
) -> None:
    request = log_request()
    inbound = pipe(raw_fixture("with_attachment.eml", request))
    stored = inbound.attachments.get()
    [row] = api("GET", f"/api/v1/requests/{request.reference}/messages/", img_reader).json()
    assert row["attachments"] == [
        {"filename": stored.filename, "content_type": stored.content_type, "size": stored.size}
    ]
    assert stored.path not in str(row)
