"""Staff write to the requester, the requester answers on the status page, held messages are
attached or discarded; every step on the timeline, in the evidence pack and in the webhooks."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from dsar.correspondence import services
from dsar.correspondence.models import CorrespondenceSettings, Direction, Message
from dsar.intake import files
from dsar.requests.models import EventKind, PrivacyRequest
from dsar.webhooks.models import Delivery, Subscription
from tests.conftest import deliver_outbox
from tests.correspondence.conftest import MAILBOX, pipe, raw_fixture, token_of, web_request
from tests.workspace.conftest import change_url

pytestmark = pytest.mark.django_db


def send_url(request: PrivacyRequest) -> str:
    return f"/staff/correspondence/requests/{request.pk}/send/"


def staff_send(client, request, capture, **fields):
    """Post a staff message, then send the outbox as the cluster would."""
    with capture(execute=True):
        response = client.post(send_url(request), {"subject": "", "body": "", **fields})
    deliver_outbox()
    return response


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


# -- Staff write ---------------------------------------------------------------------------------


def test_a_handler_writes_and_the_email_comes_from_the_reply_address(
    login, alice, ann_request, django_capture_on_commit_callbacks
):
    # Ann wrote first: the staff answer is threaded on her message.
    pipe(raw_fixture("plain.eml", ann_request))
    client = login(alice)
    response = staff_send(
        client,
        ann_request,
        django_capture_on_commit_callbacks,
        body="Which customer number did you use before 2024?",
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#messages")

    message = Message.objects.get(direction=Direction.OUT)
    assert message.created_by == alice
    assert message.sent_at is not None
    [email] = mail.outbox
    reply_address = f"replies+{token_of(ann_request)}@dsar.example.org"
    assert email.to == ["ann@example.com"]
    assert email.reply_to == [reply_address]
    assert reply_address in email.from_email
    assert email.extra_headers["In-Reply-To"] == "<plain-1@mail.example.com>"
    assert email.extra_headers["Message-ID"] == message.message_id
    # A request logged from an email has no status page: the message itself is in the email.
    assert "Which customer number did you use before 2024?" in email.body
    event = ann_request.events.get(kind=EventKind.MESSAGE_SENT)
    assert (event.actor, event.data["message"]) == (alice, message.pk)
    assert "customer number" not in event.summary + str(event.data)


def test_the_requesters_email_reply_to_a_staff_message_threads_back(
    login, alice, ann_request, django_capture_on_commit_callbacks
):
    staff_send(login(alice), ann_request, django_capture_on_commit_callbacks, body="Hello Ann.")
    sent = mail.outbox[-1]
    # Ann's mail client answers to Reply-To, In-Reply-To our Message-ID.
    raw = (
        f"From: ann@example.com\r\nTo: {sent.reply_to[0]}\r\nSubject: Re: {sent.subject}\r\n"
        f"Message-ID: <ann-2@mail.example.com>\r\n"
        f"In-Reply-To: {sent.extra_headers['Message-ID']}\r\n\r\nHere is the number: 4471.\r\n"
    ).encode()
    answer = pipe(raw)
    assert answer.request == ann_request
    assert answer.in_reply_to == Message.objects.get(direction=Direction.OUT).message_id


def test_an_empty_message_is_refused_and_nothing_is_sent(
    login, alice, ann_request, django_capture_on_commit_callbacks
):
    client = login(alice)
    response = staff_send(client, ann_request, django_capture_on_commit_callbacks, body="   ")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Write a message first." in page
    assert not Message.objects.exists() and mail.outbox == []


def test_an_auditor_cannot_write_and_another_tenant_cannot_see(
    login, audrey, charlie, ann_request, django_capture_on_commit_callbacks
):
    response = staff_send(login(audrey), ann_request, django_capture_on_commit_callbacks, body="Hi")
    assert response.status_code == 403
    response = staff_send(
        login(charlie), ann_request, django_capture_on_commit_callbacks, body="Hi"
    )
    assert response.status_code == 404
    assert not Message.objects.exists()


# -- The status page -----------------------------------------------------------------------------


def test_the_notice_leaves_the_message_out_unless_the_organization_chooses(
    client, login, img, alice, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    email, _status_path = web_request(client, img, capture)
    request = PrivacyRequest.objects.get(requester_email=email)
    staff = login(alice)
    staff_send(staff, request, capture, body="Please send the last four digits of your card.")

    notice = mail.outbox[-1]
    assert notice.to == [email]
    assert "last four digits" not in notice.body
    assert "last four digits" not in notice.alternatives[0][0]
    link = re.search(r"https://dsar\.example\.org(/o/img/status/[^\s]+/)", notice.body)
    assert link, notice.body
    # The requester follows it (in their own browser) and reads the message on the page.
    page = Client().get(link.group(1), follow=True).content.decode()
    assert "Please send the last four digits of your card." in page

    CorrespondenceSettings.objects.create(organization=img, content_in_email=True)
    staff_send(staff, request, capture, body="Thank you, that is enough.")
    assert "Thank you, that is enough." in mail.outbox[-1].body


def test_the_requester_answers_on_the_status_page(
    client, login, img, alice, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    requester = Client()  # the requester's own browser, holding the status link's session
    email, status_path = web_request(requester, img, capture)
    request = PrivacyRequest.objects.get(requester_email=email)
    staff_send(login(alice), request, capture, body="Which account is this about?")

    response = requester.post(status_path + "messages/", {"body": "The shop account, since 2019."})
    assert response.status_code == 302
    assert response["Location"] == status_path + "#messages"
    answer = Message.objects.get(direction=Direction.IN)
    assert (answer.request, answer.via, answer.sender) == (request, "status_page", email)
    page = requester.get(status_path).content.decode()
    assert "The shop account, since 2019." in page
    event = request.events.get(kind=EventKind.MESSAGE_RECEIVED)
    assert event.actor_label == "requester"
    # Staff see it on the request page.
    staff_page = login(alice).get(change_url(request)).content.decode()
    assert "The shop account, since 2019." in staff_page


def test_a_status_page_answer_needs_text_and_a_valid_link(
    client, img, django_capture_on_commit_callbacks
):
    _email, status_path = web_request(client, img, django_capture_on_commit_callbacks)
    response = client.post(status_path + "messages/", {"body": ""})
    assert response.status_code == 400
    assert "Write a message first." in response.content.decode()
    # Another browser, which never followed the link, cannot answer through its address.
    response = Client().post(status_path + "messages/", {"body": "Hello"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_the_status_page_is_in_spanish_for_a_spanish_requester(
    client, img, django_capture_on_commit_callbacks
):
    _email, status_path = web_request(client, img, django_capture_on_commit_callbacks)
    client.cookies["django_language"] = "es"
    page = client.get(status_path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mensajes" in page
    assert "Enviar el mensaje" in page


# -- Held messages -------------------------------------------------------------------------------


def test_staff_attach_a_held_message_to_the_request(login, alice, ann_request):
    held = pipe(raw_fixture("unknown_sender.eml", ann_request))
    client = login(alice)
    page = client.get("/staff/correspondence/held/").content.decode()
    assert "I am writing for Ann" in page
    assert ann_request.reference in page  # the request its address named

    response = client.post(
        f"/staff/correspondence/held/{held.pk}/attach/", {"reference": ann_request.reference}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.request == ann_request and held.resolved_by == alice
    event = ann_request.events.get(kind=EventKind.MESSAGE_RECEIVED)
    assert event.actor == alice
    assert event.data["held_reason"] == "unknown_sender"
    assert "I am writing for Ann" not in client.get("/staff/correspondence/held/").content.decode()


def test_staff_discard_a_held_message_and_its_content_and_files_go(
    login, alice, ann_request, django_capture_on_commit_callbacks
):
    raw = raw_fixture("with_attachment.eml", ann_request).replace(
        b"ann@example.com", b"stranger@elsewhere.example"
    )
    held = pipe(raw)
    [attachment] = held.attachments.all()
    client = login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/correspondence/held/{held.pk}/discard/")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.discarded_at is not None and held.resolved_by == alice
    assert held.body_text == "" and held.subject == ""
    assert not held.attachments.exists()
    assert not files.exists(attachment.path)
    # Discarded once: a second click changes nothing and says so.
    response = client.post(f"/staff/correspondence/held/{held.pk}/discard/", follow=True)
    assert "already attached or discarded" in response.content.decode()


def test_a_held_message_of_unknown_organization_is_for_superusers_only(
    login, alice, charlie, root, ann_request
):
    held = pipe(raw_fixture("unknown_token.eml"))
    assert "lost the email" not in login(alice).get("/staff/correspondence/held/").content.decode()
    response = login(charlie).post(
        f"/staff/correspondence/held/{held.pk}/attach/", {"reference": ann_request.reference}
    )
    assert response.status_code == 404
    client = login(root)
    assert "lost the email" in client.get("/staff/correspondence/held/").content.decode()
    client.post(
        f"/staff/correspondence/held/{held.pk}/attach/", {"reference": ann_request.reference}
    )
    held.refresh_from_db()
    assert held.request == ann_request


def test_an_unknown_sender_held_for_one_organization_cannot_be_attached_elsewhere(
    login, root, ann_request, log_request, imt
):
    held = pipe(raw_fixture("unknown_sender.eml", ann_request))
    other = log_request(organization=imt)
    client = login(root)
    client.post(f"/staff/correspondence/held/{held.pk}/attach/", {"reference": other.reference})
    held.refresh_from_db()
    assert held.is_held


# -- Evidence, webhooks, the request page ----------------------------------------------------------


def test_every_message_is_in_the_evidence_pack(
    login, alice, ann_request, django_capture_on_commit_callbacks
):
    pipe(raw_fixture("with_attachment.eml", ann_request))
    client = login(alice)
    staff_send(client, ann_request, django_capture_on_commit_callbacks, body="Received, thanks.")
    response = client.get(f"/letters/requests/{ann_request.pk}/evidence-pack.pdf")
    text = pdf_text(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert "Messages with the requester" in text
    assert "Attached are a copy of my ID card" in text
    assert "Received, thanks." in text
    sha = ann_request.messages.get(direction=Direction.IN).attachments.get().sha256
    assert sha[:16] in text.replace(" ", "")


def test_a_received_message_is_a_webhook_event(ann_request, img):
    subscription = Subscription.objects.create(
        organization=img, url="https://hooks.example.org/dsar", events=["message.received"]
    )
    pipe(raw_fixture("plain.eml", ann_request))
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.event == "message.received"
    assert delivery.details["event"]["message_kind"] == "normal"
    assert "4471" not in str(delivery.details)


def test_the_request_page_reads_200_messages_in_as_many_queries_as_one(
    login, alice, ann_request, django_assert_max_num_queries
):
    client = login(alice)
    services.message_send(request=ann_request, actor=alice, body="First")
    with CaptureQueriesContext(connection) as one:
        first = client.get(change_url(ann_request)).content.decode()
    assert "Show every message" not in first
    for number in range(199):
        services.message_send(request=ann_request, actor=alice, body=f"Message {number}")
    pipe(raw_fixture("with_attachment.eml", ann_request))
    with django_assert_max_num_queries(len(one)):
        page = client.get(change_url(ann_request)).content.decode()
    assert MAILBOX.split("@")[0] + "+" in page
    # The latest 20, oldest first, ending with the requester's emailed answer; the link shows all.
    assert page.count('class="message message-') == 20
    assert "The latest 20 messages are shown." in page
    assert "Message 179" not in page and "Message 180" in page
    assert page.index("Message 198") < page.index("message-in")
    with django_assert_max_num_queries(len(one)):
        every = client.get(change_url(ann_request) + "?messages=all").content.decode()
    assert every.count('class="message message-') == 201
    assert "<p>First</p>" in every and "Show every message" not in every


def test_purging_a_closed_request_blanks_its_messages_and_deletes_their_files(
    ann_request, alice, django_capture_on_commit_callbacks
):
    from dsar.reminders.services import request_purge
    from dsar.requests.models import Status
    from dsar.requests.services import request_close

    inbound = pipe(raw_fixture("with_attachment.eml", ann_request))
    services.message_send(request=ann_request, actor=alice, body="Your ID is received.")
    [attachment] = inbound.attachments.all()
    request_close(request=ann_request, actor=alice, as_status=Status.CLOSED_DUPLICATE, note="")
    with django_capture_on_commit_callbacks(execute=True):
        request_purge(request=ann_request)

    for message in Message.objects.filter(request=ann_request):
        assert (message.sender, message.subject, message.body_text) == ("", "", "")
        assert message.recipients == [] and message.rejected_attachments == []
    attachment.refresh_from_db()
    assert not files.exists(attachment.path or "gone")
    # What the trail needs stays: which way, when, and the file's checksum.
    assert attachment.sha256 and attachment.size
    assert Message.objects.filter(request=ann_request).count() == 2
