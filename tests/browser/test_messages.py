"""Two-way messages in Chromium: a handler writes to the requester from the request page, the
requester follows the emailed link (which carries no content), reads the message on the status
page and answers there, and the answer appears on the staff page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from dsar.correspondence.models import Direction, Message
from dsar.intake.services import NewRequest, intake_confirm, intake_submit
from dsar.requests.models import EventKind, PrivacyRequest
from tests.browser.conftest import sign_in
from tests.conftest import deliver_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Which of our shops did you buy from? We find two accounts in your name."
ANSWER = "The Lisbon shop, in 2023. The other account is not mine."


@pytest.fixture
def outputs(settings: Any, tmp_path: Any, live_server: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_SITE_URL = live_server.url
    settings.DSAR_REPLY_ADDRESS = "replies@dsar.example.org"
    mail.outbox = []


def _web_form_request(live_server: Any, alice: Any) -> PrivacyRequest:
    img = alice.memberships.get().organization

    def link_for(path: str) -> str:
        return live_server.url + path

    submission = intake_submit(
        new=NewRequest(
            organization=img,
            right_kind="access",
            name="Dana Data",
            email="dana@example.org",
            jurisdiction="FR",
            language="en",
        ),
        received_at=timezone.now(),
        link_for=link_for,
    )
    intake_confirm(submission=submission, now=timezone.now(), link_for=link_for)
    return PrivacyRequest.objects.get(pk=submission.request_id)


def test_staff_write_the_requester_answers_on_the_status_page(
    live_server, page, browser, alice, outputs
):
    privacy_request = _web_form_request(live_server, alice)
    request_page = f"{live_server.url}/staff/requests/privacyrequest/{privacy_request.pk}/change/"
    sign_in(page, live_server)
    page.goto(request_page)
    panel = page.locator("#messages")
    expect(panel).to_contain_text("replies+")
    panel.get_by_label("Message to the requester").fill(QUESTION)
    panel.get_by_role("button", name="Send to the requester").click()
    expect(page.locator(".messagelist")).to_contain_text("Message sent to the requester.")
    expect(page.locator("#messages .message-out")).to_contain_text(QUESTION)

    # The email says there is a message, not what it says, and links to the status page.
    deliver_outbox()
    notice = mail.outbox[-1]
    assert notice.to == ["dana@example.org"]
    assert "shops" not in notice.body
    link = re.search(r"(https?://\S+/o/img/status/\S+/)", notice.body).group(1)

    requester = browser.new_context(locale="en-GB").new_page()
    try:
        requester.goto(link)
        conversation = requester.locator("#conversation")
        expect(conversation).to_contain_text(QUESTION)
        expect(conversation).to_contain_text("From Incident Management Group")
        requester.get_by_label("Write to us about this request").fill(ANSWER)
        requester.get_by_role("button", name="Send the message").click()
        expect(requester.locator("#conversation .message--in")).to_contain_text(ANSWER)
        expect(requester.locator("#conversation .message--in")).to_contain_text("From you")
    finally:
        requester.context.close()

    page.reload()
    expect(page.locator("#messages .message-in")).to_contain_text(ANSWER)
    expect(page.locator("ol.timeline")).to_contain_text("Message received from the requester")
    expect(page.locator("ol.timeline")).to_contain_text("Message sent to the requester")
    answer = Message.objects.get(direction=Direction.IN)
    assert answer.via == "status_page"
    assert privacy_request.events.filter(kind=EventKind.MESSAGE_RECEIVED).count() == 1
