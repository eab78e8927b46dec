"""Appeals from the status page. Where the requester's state law gives an appeal of a refusal
(Virginia: Va. Code §59.1-577(C)), the page of the refused request says what the law gives, by
when the organization must decide, until when the requester can appeal and whom to turn to if it
is denied, and offers a form that files the appeal (``request_appeal``); afterwards it shows the
appeal's reference, status and date, and the appeal's own page link is emailed. Where no appeal
exists (California, elsewhere) the page says nothing about appeals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from dsar.intake.models import IntakeSubmission
from dsar.intake.services import status_link
from dsar.requests.models import EventKind, PrivacyRequest, Status
from dsar.requests.services import request_deny, request_start
from tests.conftest import deliver_outbox

from .conftest import NOW, link_in, text_of

pytestmark = pytest.mark.django_db

REASON = "We hold no personal information about you."


@pytest.fixture
def refused(seeds, submit, client, django_capture_on_commit_callbacks):
    """``refused(residence)``: the status path of an access request to imgwg from a resident of
    ``residence``, confirmed and refused on 2 March 2026."""

    def make(residence: str = "US-VA") -> str:
        submit(seeds["imgwg"], residence=residence)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link_in(mail.outbox[-1], "confirm"))
        deliver_outbox()
        request = PrivacyRequest.objects.get()
        request_deny(request=request, actor=None, reason=REASON)
        mail.outbox.clear()
        return response["Location"].removeprefix("http://testserver")

    return make


def appeal_path(status_path: str) -> str:
    return status_path + "appeal/"


def test_a_virginians_refusal_explains_the_appeal(refused, client):
    text = text_of(client.get(refused("US-VA")).content.decode())

    assert "Status Refused" in text
    assert (
        "The Virginia Consumer Data Protection Act gives you the right to appeal this refusal: "
        "imgwg Communications must then look at your request again and tell you its decision, "
        "with its reasons, in writing." in text
    )
    # Va. Code §59.1-577(C): 60 days from receipt of the appeal; 2 March + 60 = 1 May.
    assert (
        "If you appeal today, imgwg Communications must decide by 1 May 2026 under the Virginia "
        "Consumer Data Protection Act." in text
    )
    # DSAR_APPEAL_WINDOW_DAYS (90) after the refusal, on 2 March.
    assert "You can appeal until 31 May 2026." in text
    assert (
        "If imgwg Communications denies your appeal, you can contact the Office of the Attorney "
        "General of Virginia, Consumer Protection Section:" in text
    )
    assert "Appeal this refusal" in text


def test_the_appeal_is_filed_and_shown(refused, client, django_capture_on_commit_callbacks):
    status_path = refused("US-VA")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            appeal_path(status_path), {"message": "You do hold my loyalty card data."}
        )
    deliver_outbox()

    assert response.status_code == 303
    assert response["Location"] == status_path
    original = PrivacyRequest.objects.get(right_kind="access")
    appeal = PrivacyRequest.objects.get(right_kind="appeal")
    assert appeal.appeal_of == original
    assert appeal.channel_kind == "web_form"
    assert appeal.message == "You do hold my loyalty card data."
    assert appeal.jurisdiction == "US-VA"
    assert appeal.due_date == dt.date(2026, 5, 1)
    assert original.events.filter(kind=EventKind.APPEALED).exists()
    assert not IntakeSubmission.objects.get(request=appeal).confirmation_asked

    text = text_of(client.get(status_path).content.decode())
    assert (
        f"You appealed this refusal on 2 March 2026: your appeal is request {appeal.reference}."
        in text
    )
    assert f"Reference {appeal.reference}" in text
    assert "Status Received" in text
    assert "Decision due by 1 May 2026 under the Virginia Consumer Data Protection Act" in text
    assert "Appeal this refusal" not in text

    (receipt,) = mail.outbox
    assert receipt.subject == f"We received your appeal {appeal.reference} to imgwg Communications"
    assert (
        f"we received your appeal of the refusal of your request {original.reference} to imgwg "
        "Communications" in " ".join(receipt.body.split())
    )
    assert (
        "When to expect an answer: by 1 May 2026 under the Virginia Consumer Data Protection Act."
        in " ".join(receipt.body.split())
    )
    appeal_page = text_of(client.get(link_in(receipt, "status"), follow=True).content.decode())
    assert f"Your request {appeal.reference}" in appeal_page
    assert f"Appeal of {original.reference}" in appeal_page
    assert "Right Appeal of a refusal" in appeal_page


def test_a_denied_appeal_points_to_the_attorney_general(
    refused, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(appeal_path(refused("US-VA")), {"message": ""})
    deliver_outbox()
    appeal = PrivacyRequest.objects.get(right_kind="appeal")
    appeal = request_start(request=appeal, actor=None)
    request_deny(request=appeal, actor=None, reason="The refusal stands.")

    html = client.get(link_in(mail.outbox[-1], "status"), follow=True).content.decode()

    assert (
        "If you disagree with the decision on your appeal, you can contact the Office of the "
        "Attorney General of Virginia, Consumer Protection Section:" in text_of(html)
    )
    assert re.search(r'<a href="https://[^"]+" rel="noopener noreferrer">', html)


def test_the_appeal_page_speaks_spanish(refused, client):
    text = text_of(client.get(refused("US-VA"), HTTP_ACCEPT_LANGUAGE="es").content.decode())

    assert (
        "Si recurre hoy, imgwg Communications debe decidir a más tardar el 1 de mayo de 2026, "
        "según la ley «Virginia Consumer Data Protection Act»." in text
    )
    assert "Puede recurrir hasta el 31 de mayo de 2026." in text
    assert "Recurrir esta denegación" in text


def test_a_state_whose_appeal_period_was_not_read_gets_the_organizations_date(refused, client):
    """Texas: the statute's period was not read (docs/us-state-laws.md), so dsar gives the
    organization the shortest of any state (45 days) and does not call it the law's."""
    text = text_of(client.get(refused("US-TX")).content.decode())

    assert (
        "If you appeal today, imgwg Communications will decide by 16 April 2026, within the time "
        "the Texas Data Privacy and Security Act gives it." in text
    )


@pytest.mark.parametrize("residence", ["US-CA", "FR", "US-FL", "OTHER"])
def test_where_no_appeal_exists_the_page_says_nothing_about_it(refused, client, residence):
    status_path = refused(residence)

    html = client.get(status_path).content.decode()

    assert "Refused" in html
    assert "appeal" not in text_of(html).casefold()
    response = client.post(appeal_path(status_path), {"message": "Please look again."})
    assert response.status_code == 409
    assert not PrivacyRequest.objects.filter(right_kind="appeal").exists()


def test_after_the_window_the_appeal_is_refused(refused, client, time_machine):
    refused("US-VA")
    time_machine.move_to(NOW + dt.timedelta(days=91), tick=False)
    # The first link and the browser's session have expired by now: a new link, as the
    # requester would have emailed from the expired link's page.
    link = status_link(
        PrivacyRequest.objects.get().intake, lambda path: path, now=NOW + dt.timedelta(days=91)
    )
    status_path = client.get(link)["Location"]

    text = text_of(client.get(status_path).content.decode())
    assert "The time to appeal this refusal ended on 31 May 2026." in text
    assert "Appeal this refusal" not in text

    response = client.post(appeal_path(status_path), {"message": "Late."})

    assert response.status_code == 409
    assert "This request can no longer be appealed" in text_of(response.content.decode())
    assert not PrivacyRequest.objects.filter(right_kind="appeal").exists()


def test_a_second_appeal_is_refused(refused, client, django_capture_on_commit_callbacks):
    status_path = refused("US-VA")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(appeal_path(status_path), {"message": ""})
    deliver_outbox()

    response = client.post(appeal_path(status_path), {"message": "Again."})

    assert response.status_code == 409
    assert PrivacyRequest.objects.filter(right_kind="appeal").count() == 1


def test_an_open_request_offers_no_appeal(
    seeds, submit, client, django_capture_on_commit_callbacks
):
    submit(seeds["imgwg"], residence="US-VA")
    with django_capture_on_commit_callbacks(execute=True):
        status_path = client.post(link_in(mail.outbox[-1], "confirm"))["Location"]
    deliver_outbox()

    assert "appeal" not in text_of(client.get(status_path).content.decode()).casefold()


def test_the_appeal_needs_the_pages_csrf_token_and_its_link(refused):
    status_path = refused("US-VA")
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(appeal_path(status_path), {"message": "x"}).status_code == 403
    page = strict.get(status_path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert (
        strict.post(
            "/o/imgwg/my-request/" + "A" * 12 + "/appeal/",
            {"message": "x", "csrfmiddlewaretoken": token.group(1)},
        ).status_code
        == 404
    )
    assert strict.get(appeal_path(status_path)).status_code == 405
    assert not PrivacyRequest.objects.filter(right_kind="appeal").exists()
    assert PrivacyRequest.objects.get().status == Status.DENIED
