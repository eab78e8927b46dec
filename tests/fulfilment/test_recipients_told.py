"""Recipients told (GDPR Art. 19): after an erasure, each recipient of the register is emailed
once, one without an address is recorded as such, and each answer is recorded."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from dsar.fulfilment.models import NoticeStatus, Recipient, RecipientNotice
from dsar.fulfilment.notices import notice_answer, recipients_tell
from dsar.fulfilment.tasks import TaskError
from dsar.requests.models import EventKind
from tests.conftest import deliver_outbox

from .conftest import TODAY, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipients(img: Any, make_system: Any) -> Any:
    crm = make_system("Zoho CRM")
    newsletter = make_system("Newsletter", rights=["marketing_opt_out"])
    zoho = Recipient.objects.create(
        organization=img, name="Zoho", contact_email="privacy@zoho.example"
    )
    zoho.systems.set([crm])
    courts = Recipient.objects.create(organization=img, name="Courts")  # no system, no address
    mailer = Recipient.objects.create(
        organization=img, name="Mailer", contact_email="dpo@mailer.example"
    )
    mailer.systems.set([newsletter])  # not a system erasure applies to
    return zoho, courts, mailer


def test_after_an_erasure_each_recipient_is_told_once(
    recipients: Any, log_request: Any, olivia: Any
) -> None:
    request = verify(log_request("erasure"), olivia)

    made = recipients_tell(request=request, actor=olivia)
    again = recipients_tell(request=request, actor=olivia)

    assert {(n.recipient_name, n.status) for n in made} == {
        ("Zoho", NoticeStatus.QUEUED),
        ("Courts", NoticeStatus.NO_CONTACT),
    }
    assert again == []
    event = request.events.get(kind=EventKind.RECIPIENTS_TOLD)
    assert "Zoho (being sent)" in event.summary
    assert "Courts (no address in the register)" in event.summary
    assert not mail.outbox  # written with the notices, sent by the task cluster

    deliver_outbox()
    (message,) = mail.outbox
    assert message.to == ["privacy@zoho.example"]
    assert request.reference in message.subject and "Article 19" in message.body
    zoho = RecipientNotice.objects.get(recipient_name="Zoho")
    assert zoho.status == NoticeStatus.SENT and zoho.sent_at is not None
    sent = request.events.get(kind=EventKind.REQUESTER_EMAILED)
    assert sent.summary == "The recipient_notice email was sent to a recipient of the data"


def test_a_notice_whose_email_fails_for_good_says_so(
    recipients: Any, log_request: Any, olivia: Any, settings: Any
) -> None:
    request = verify(log_request("erasure"), olivia)
    recipients_tell(request=request, actor=olivia)
    settings.EMAIL_BACKEND = "tests.fulfilment.test_recipients_told.RefusingBackend"
    settings.DSAR_OUTBOX_MAX_ATTEMPTS = 1
    deliver_outbox()

    zoho = RecipientNotice.objects.get(recipient_name="Zoho")
    assert zoho.status == NoticeStatus.FAILED and zoho.error == "ConnectionRefusedError"
    failed = request.events.get(kind=EventKind.SEND_FAILED)
    assert (
        failed.summary == "The recipient_notice email to a recipient of the data could not be sent"
    )


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("no mail server")


def test_an_answer_is_recorded_on_the_notice_and_the_trail(
    recipients: Any, log_request: Any, olivia: Any, alice: Any, client: Any
) -> None:
    request = verify(log_request("erasure"), olivia)
    recipients_tell(request=request, actor=olivia)
    notice = RecipientNotice.objects.get(recipient_name="Zoho")
    client.force_login(alice)

    page = client.get(reverse("admin:requests_privacyrequest_change", args=[request.pk]))
    assert "Recipients told (GDPR Art. 19)" in page.content.decode()
    client.post(
        reverse("admin:fulfilment_answer_notice", args=[notice.pk]),
        {"answer": "Erased on 6 March"},
    )

    notice.refresh_from_db()
    assert (notice.status, notice.answer) == (NoticeStatus.ANSWERED, "Erased on 6 March")
    assert request.events.filter(summary="Zoho answered: Erased on 6 March").exists()
    with pytest.raises(TaskError):
        notice_answer(notice=notice, actor=alice, answer=" ")


def test_an_access_request_tells_no_recipient(
    recipients: Any, log_request: Any, olivia: Any
) -> None:
    request = verify(log_request("access"), olivia)

    with pytest.raises(TaskError, match="rectification, erasure or restriction"):
        recipients_tell(request=request, actor=olivia)
    assert not mail.outbox


def test_staff_tell_the_requester_the_recipients_when_they_ask(
    recipients: Any, log_request: Any, olivia: Any, client: Any
) -> None:
    """Art. 19, last sentence: the list goes as a message of the request, so it is on the
    timeline, emailed to the requester and in the evidence pack."""
    from dsar.correspondence.models import Direction, Message

    zoho, _courts, _mailer = recipients
    zoho.category = "CRM processor"
    zoho.save()
    request = verify(log_request("erasure"), olivia)
    page_url = reverse("admin:requests_privacyrequest_change", args=[request.pk])
    send_url = reverse("admin:fulfilment_send_recipients_list", args=[request.pk])
    client.force_login(olivia)
    assert "Tell the requester the recipients" not in client.get(page_url).content.decode()
    refused = client.post(send_url, follow=True).content.decode()
    assert "No recipient has been told of this request yet" in refused
    assert not Message.objects.exists()

    recipients_tell(request=request, actor=olivia)
    assert "Tell the requester the recipients" in client.get(page_url).content.decode()
    mail.outbox.clear()
    response = client.post(send_url)

    assert response.status_code == 302 and response["Location"].endswith("#messages")
    (message,) = Message.objects.filter(request=request)
    assert message.direction == Direction.OUT and message.created_by == olivia
    assert "- Courts\n- Zoho (CRM processor)" in message.body_text
    assert "Mailer" not in message.body_text  # never told: not a recipient of this erasure
    assert request.events.filter(kind=EventKind.MESSAGE_SENT).count() == 1
    deliver_outbox()
    (email,) = [m for m in mail.outbox if m.to == ["dana@example.org"]]
    assert "Zoho (CRM processor)" in email.body
    assert "Zoho (CRM processor)" in client.get(page_url).content.decode()


def test_the_recipients_list_is_in_spanish_for_a_spanish_requester(
    recipients: Any, log_request: Any, olivia: Any
) -> None:
    from dsar.fulfilment.notices import recipients_list_send

    request = verify(log_request("erasure", language="es"), olivia)
    recipients_tell(request=request, actor=olivia)

    message = recipients_list_send(request=request, actor=olivia)

    assert message.subject == f"Su solicitud {request.reference}: los destinatarios informados"
    assert "supresión" in message.body_text and "- Zoho" in message.body_text
    assert "Puede responder a este mensaje" in message.body_text


def test_a_handler_of_another_organization_cannot_send_the_list(
    recipients: Any, log_request: Any, olivia: Any, client: Any, imt: Any
) -> None:
    from dsar.organizations.models import Role

    from .conftest import staff

    request = verify(log_request("erasure"), olivia)
    recipients_tell(request=request, actor=olivia)
    client.force_login(staff("mallory", imt, Role.HANDLER))

    response = client.post(reverse("admin:fulfilment_send_recipients_list", args=[request.pk]))

    assert response.status_code == 404
    assert not request.events.filter(kind=EventKind.MESSAGE_SENT).exists()


# -- Told by HTTP: a real local server -------------------------------------------------------------

HTTP_SECRET = "whsec_" + __import__("base64").b64encode(b"a" * 24).decode()
HTTP_SECRET_ENV = "DSAR_TEST_PAYROLL_SECRET"


@pytest.fixture
def http_recipient(img: Any, make_system: Any, settings: Any, monkeypatch: Any) -> Any:
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = False
    settings.DSAR_WEBHOOK_TIMEOUT = 2.0
    settings.DSAR_WEBHOOK_RETRY_SECONDS = 60
    settings.DSAR_WEBHOOK_MAX_ATTEMPTS = 2
    monkeypatch.setenv(HTTP_SECRET_ENV, HTTP_SECRET)
    crm = make_system("Zoho CRM")
    payroll = Recipient.objects.create(
        organization=img,
        name="Payroll Co",
        category="payroll processor",
        contact_email="dpo@payroll.example",
        contact_url=server.url_for("/dsar/notices"),
        secret_env=HTTP_SECRET_ENV,
    )
    payroll.systems.set([crm])
    yield server
    server.clear()
    server.stop()


def _tell_by_http(log_request: Any, olivia: Any, capture: Any) -> tuple[Any, RecipientNotice]:
    from dsar.fulfilment.notices import notice_post

    request = verify(log_request("erasure"), olivia)
    with capture() as queued:
        (notice,) = recipients_tell(request=request, actor=olivia)
    assert len(queued) == 1  # queued for the cluster after the commit, not sent in the request
    assert notice.sent_to_url.endswith("/dsar/notices") and notice.email is None
    with capture(execute=True):  # as the cluster runs it: a retry is scheduled on commit
        notice_post(notice.pk)
    notice.refresh_from_db()
    return request, notice


def test_a_recipient_with_a_contact_url_gets_a_signed_post_and_its_answer_is_recorded(
    http_recipient: Any,
    log_request: Any,
    olivia: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    import json

    from standardwebhooks import Webhook

    http_recipient.expect_request("/dsar/notices", method="POST").respond_with_data(
        "Erased customer 4411 and their payslips.", status=200
    )

    request, notice = _tell_by_http(log_request, olivia, django_capture_on_commit_callbacks)

    (call, _response) = http_recipient.log[0]
    body = call.get_data(as_text=True)
    Webhook(HTTP_SECRET).verify(body, dict(call.headers))  # raises unless signed with the secret
    sent = json.loads(body)
    assert sent["type"] == "recipient_notice" and sent["reference"] == request.reference
    assert sent["right"] == "erasure" and sent["identity"]["email"] == "dana@example.org"
    assert notice.status == NoticeStatus.SENT and notice.http_status == 200
    assert notice.answer == "HTTP 200: Erased customer 4411 and their payslips."
    assert notice.attempts == 1 and not mail.outbox  # the URL, not the email
    told = request.events.filter(kind=EventKind.RECIPIENTS_TOLD).order_by("pk").last()
    assert told.summary == "Payroll Co was told by HTTP and answered 200"


def test_a_failing_contact_url_is_retried_then_recorded_as_failed(
    http_recipient: Any,
    log_request: Any,
    olivia: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_q.models import Schedule

    from dsar.fulfilment.notices import notice_post

    http_recipient.expect_request("/dsar/notices").respond_with_data("busy", status=503)

    request, notice = _tell_by_http(log_request, olivia, django_capture_on_commit_callbacks)

    assert notice.status == NoticeStatus.QUEUED and notice.attempts == 1
    assert notice.http_status == 503 and "HTTP 503" in notice.error
    retry = Schedule.objects.get(func="dsar.fulfilment.notices.notice_post")
    assert str(notice.pk) in retry.args
    assert retry.next_run == TODAY + datetime.timedelta(seconds=60)  # the webhooks' first wait
    notice_post(notice.pk)  # the retry: the last of DSAR_WEBHOOK_MAX_ATTEMPTS = 2
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FAILED and notice.attempts == 2
    assert len(http_recipient.log) == 2
    failed = request.events.filter(kind=EventKind.RECIPIENTS_TOLD).order_by("pk").last()
    assert "Telling Payroll Co by HTTP failed after 2 tries" in failed.summary
    assert "dana@example.org" not in failed.summary


def test_a_loopback_contact_url_is_refused_unless_the_installation_allows_it(
    http_recipient: Any,
    log_request: Any,
    olivia: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    settings.DSAR_WEBHOOK_MAX_ATTEMPTS = 1

    _request, notice = _tell_by_http(log_request, olivia, django_capture_on_commit_callbacks)

    assert notice.status == NoticeStatus.FAILED and "refused" in notice.error
    assert http_recipient.log == []  # nothing left the machine
