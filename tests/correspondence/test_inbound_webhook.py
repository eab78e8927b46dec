"""Inbound mail posted by an email service provider: Mailgun's "forward" route to Anymail's
inbound URL, in Mailgun's payload shape (multipart form, raw MIME in ``body-mime``), signed with
the webhook signing key and behind the basic-auth secret, as Mailgun sends it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pytest

from dsar.correspondence.models import HeldReason, Message, MessageKind
from dsar.requests.models import EventKind
from tests.correspondence.conftest import raw_fixture

pytestmark = pytest.mark.django_db

URL = "/anymail/mailgun/inbound_mime/"
SIGNING_KEY = "key-" + "3" * 32
BASIC = ("mailgun", "webhook-password-from-env")


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": ":".join(BASIC),
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
    }


def mailgun_post(client, raw: bytes, *, key: str = SIGNING_KEY, auth=BASIC):
    timestamp = str(int(time.time()))
    token = secrets.token_hex(25)
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    credentials = base64.b64encode(":".join(auth).encode()).decode()
    return client.post(
        URL,
        {
            "recipient": "replies@dsar.example.org",
            "sender": "ann@example.com",
            "from": "Ann Example <ann@example.com>",
            "subject": "Re: Your request",
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
            "body-mime": raw.decode("utf-8"),
        },
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )


def test_a_signed_post_stores_the_message_on_its_request(client, ann_request):
    response = mailgun_post(client, raw_fixture("with_attachment.eml", ann_request))

    assert response.status_code == 200
    message = Message.objects.get()
    assert message.request == ann_request
    assert message.via == "webhook"
    assert message.attachments.get().content_type == "application/pdf"
    event = ann_request.events.get(kind=EventKind.MESSAGE_RECEIVED)
    assert event.data["via"] == "webhook"


def test_an_auto_reply_by_webhook_is_marked(client, ann_request):
    mailgun_post(client, raw_fixture("auto_reply.eml", ann_request))
    assert Message.objects.get().kind == MessageKind.AUTO_REPLY


def test_an_unknown_token_by_webhook_is_held(client, ann_request):
    mailgun_post(client, raw_fixture("unknown_token.eml"))
    assert Message.objects.get().held_reason == HeldReason.UNKNOWN_TOKEN


def test_a_wrong_signature_is_refused_and_nothing_is_stored(client, ann_request):
    response = mailgun_post(client, raw_fixture("plain.eml", ann_request), key="key-forged")
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_a_wrong_basic_auth_secret_is_refused(client, ann_request):
    response = mailgun_post(
        client, raw_fixture("plain.eml", ann_request), auth=("mailgun", "guessed")
    )
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_a_provider_not_set_up_is_a_404_and_a_body_it_cannot_read_a_400(client):
    """Anymail raises on both (a 500 each, found by tests/security/test_malformed_walk.py)."""
    credentials = base64.b64encode(":".join(BASIC).encode()).decode()
    auth = {"HTTP_AUTHORIZATION": f"Basic {credentials}"}

    assert client.post("/anymail/brevo/inbound/", {}, **auth).status_code == 404
    broken = client.post(
        "/anymail/mailjet/inbound/", "{not json", content_type="application/json", **auth
    )
    assert broken.status_code == 400
    assert client.get("/anymail/mailgun/tracking/").status_code == 404  # inbound routes only
    assert not Message.objects.exists()
