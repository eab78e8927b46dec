"""What staff type for themselves never reaches the requester, and what they type for the requester
does: a handler closes a web-form request in Chromium with reasons for the requester and an
internal note, then every output the requester gets is read (the status page in Chromium, each
email sent, each letter's PDF, downloaded from the status page too). Closing a request whose letter
was issued but not sent asks the handler to confirm it, keeping what was typed.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from dsar.intake.services import NewRequest, intake_confirm, intake_submit
from dsar.letters import jobs
from dsar.letters.models import Letter
from dsar.letters.services import letter_issue, letter_send
from dsar.requests import services
from dsar.requests.models import PrivacyRequest, Status
from tests.browser.conftest import sign_in
from tests.conftest import deliver_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "INTERNAL-ZX9 call legal"
SECRET = "ZX9"  # the note's one word that no template, name or reference can hold
REASON = "We kept back the notes of our internal investigation: they concern other people."
REASONS_LABEL = "Reasons given to the requester — shown on their status page and in letters"
NOTE_LABEL = "Internal note (staff only, never shown to the requester)"


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace runs collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _email_texts(message: Any) -> list[str]:
    """Everything a requester can read in an email: subject, text and HTML bodies, attachments
    (a PDF as its text)."""
    texts = [message.subject, message.body]
    texts += [content for content, _mimetype in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        _name, content, mimetype = attachment
        if isinstance(content, bytes) and mimetype == "application/pdf":
            texts.append(pdf_text(content))
        else:
            texts.append(content if isinstance(content, str) else content.decode(errors="replace"))
    return texts


@pytest.fixture
def outputs(settings: Any, tmp_path: Any, live_server: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_SITE_URL = live_server.url
    mail.outbox = []


def _web_form_request(live_server: Any, alice: Any) -> tuple[PrivacyRequest, str]:
    """A French resident's access request through the public form, confirmed: the request and
    the requester's status link (as the confirmation email gives it)."""
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
    _submission, status_url = intake_confirm(
        submission=submission, now=timezone.now(), link_for=link_for
    )
    return PrivacyRequest.objects.get(pk=submission.request_id), status_url


def test_an_internal_note_never_reaches_the_requester(live_server, page, alice, outputs):
    privacy_request, status_url = _web_form_request(live_server, alice)
    assert privacy_request.status == Status.IN_PROGRESS
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/staff/requests/privacyrequest/{privacy_request.pk}/change/")

    partial = page.locator("details.action-partially_fulfil")
    partial.locator("summary").click()
    partial.get_by_label(REASONS_LABEL).fill(REASON)
    partial.get_by_label("clearly unfounded, repetitive or excessive").check()
    partial.get_by_label(NOTE_LABEL).fill(NOTE)
    partial.get_by_role("button", name="Partially fulfil").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partially fulfilled")
    # Staff read both, each where it belongs.
    expect(page.locator(".outcome-reason")).to_have_text(REASON)
    expect(page.locator("ol.timeline")).to_contain_text(NOTE)

    # The letters the request gets: issued, and sent by email (the PDF attached).
    privacy_request.refresh_from_db()
    assert privacy_request.outcome_reason == REASON
    for kind in ("access", "refusal"):
        letter = letter_issue(request=privacy_request, kind=kind, actor=alice)
        jobs.deliver(letter_send(letter=letter, actor=alice).pk)
    letters = list(Letter.objects.filter(request=privacy_request))
    assert len(letters) == 2
    for letter in letters:
        text = pdf_text(letter.read())
        assert SECRET not in text, letter.kind
        assert "internal investigation" in text, letter.kind  # the reasons, as given

    # Every email the requester got: confirmation, status link, the letters.
    deliver_outbox()
    sent = [m for m in mail.outbox if "dana@example.org" in m.to]
    assert len(sent) >= 4
    assert any(m.attachments for m in sent)
    for message in sent:
        for text in _email_texts(message):
            assert SECRET not in text, message.subject

    # The status page, as the requester opens it.
    page.context.clear_cookies()
    page.goto(status_url)
    expect(page.locator("body")).to_contain_text(REASON)
    assert SECRET not in page.content()
    # The letters it offers, downloaded as the requester would.
    links = page.locator("ul.files a")
    expect(links).to_have_count(2)
    for index in range(2):
        download = page.request.get(live_server.url + links.nth(index).get_attribute("href"))
        assert download.ok
        assert SECRET not in pdf_text(download.body())


def test_closing_with_a_letter_issued_but_not_sent_asks_for_confirmation(
    live_server, page, alice, outputs
):
    img = alice.memberships.get().organization
    privacy_request = services.request_start(
        request=services.request_log(
            organization=img,
            right_kind="access",
            channel_kind="email",
            received_at=timezone.now(),
            requester_name="Dana Data",
            requester_email="dana@example.org",
            jurisdiction="FR",
        ),
        actor=alice,
    )
    letter = letter_issue(request=privacy_request, kind="acknowledgement", actor=alice)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/staff/requests/privacyrequest/{privacy_request.pk}/change/")

    fulfil = page.locator("details.action-fulfil")
    fulfil.locator("summary").click()
    fulfil.get_by_label(REASONS_LABEL).fill("Your copy is attached.")
    fulfil.get_by_label(NOTE_LABEL).fill(NOTE)
    fulfil.get_by_role("button", name="Fulfil").click()

    expect(fulfil).to_have_attribute("open", "")
    expect(fulfil.get_by_role("alert")).to_contain_text(
        f"Letter {letter.reference} (acknowledgement of receipt) was issued but never sent"
    )
    expect(fulfil.get_by_label(REASONS_LABEL)).to_have_value("Your copy is attached.")
    expect(fulfil.get_by_label(NOTE_LABEL)).to_have_value(NOTE)
    privacy_request.refresh_from_db()
    assert privacy_request.is_open

    fulfil.get_by_label(f"I know letter {letter.reference}").check()
    fulfil.get_by_role("button", name="Fulfil").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Fulfilled")
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.FULFILLED
    assert privacy_request.outcome_reason == "Your copy is attached."
