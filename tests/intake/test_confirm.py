"""The confirmation link: signed, single use, expiring. Following it confirms the email address
and nothing else: the identity is not verified by it, and no clock moves (docs/legal-decisions.md,
"Email confirmation is not identity verification")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dsar.intake.models import IntakeSubmission, StatusLink
from dsar.intake.tokens import confirmation_tokens, hash_status_token
from dsar.requests.models import EventKind, IdentityStatus, PrivacyRequest, Status, WaitingFor
from tests.conftest import deliver_outbox

from .conftest import NOW, link_in

pytestmark = pytest.mark.django_db


def still_unconfirmed() -> bool:
    request = PrivacyRequest.objects.get()
    return (
        request.status == Status.WAITING_REQUESTER
        and request.waiting_for == WaitingFor.EMAIL
        and not request.events.filter(kind=EventKind.EMAIL_CONFIRMED).exists()
        and IntakeSubmission.objects.get().verified_at is None
    )


@pytest.fixture
def sent(img, submit):
    """A request sent by a resident of France at NOW; returns the confirmation link's path."""
    submit(img)
    return link_in(mail.outbox[-1], "confirm")


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    def post(path):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path)
        deliver_outbox()
        return response

    return post


def test_following_the_link_asks_for_a_click_and_changes_nothing(sent, client):
    # Mail scanners open links; only the button (a POST) confirms.
    page = client.get(sent, follow=True)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm my email address" in html
    assert "It is not a check of who you are" in html
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    assert still_unconfirmed()


def test_confirming_confirms_the_address_not_the_identity_and_opens_the_status_page(
    sent, confirm, client
):
    response = confirm(sent)

    request = PrivacyRequest.objects.get()
    # IMG's policy does not require a verified identity for a French access request: work starts.
    assert request.status == Status.IN_PROGRESS
    assert request.identity_status == IdentityStatus.NOT_REQUIRED
    assert request.events.filter(kind=EventKind.EMAIL_CONFIRMED).count() == 1
    assert not request.events.filter(kind=EventKind.IDENTITY_VERIFIED).exists()
    assert IntakeSubmission.objects.get().verified_at == NOW
    assert response.status_code == 303
    status_path = response["Location"]
    assert status_path.startswith("/o/img/my-request/")
    assert client.get(status_path).status_code == 200
    # The status link is emailed too, and only its hash is stored; this browser never sees it.
    message = mail.outbox[-1]
    token = link_in(message, "status").rstrip("/").rsplit("/", 1)[1]
    assert token not in status_path
    assert StatusLink.objects.get().token_hash == hash_status_token(token)
    assert not StatusLink.objects.filter(token_hash=token).exists()


def test_confirming_later_does_not_move_the_gdpr_month(sent, confirm, time_machine):
    assert PrivacyRequest.objects.get().due_date == dt.date(2026, 4, 2)
    time_machine.move_to(NOW + dt.timedelta(days=3), tick=False)

    confirm(sent)

    request = PrivacyRequest.objects.get()
    assert request.clock_started_on == dt.date(2026, 3, 2)
    assert request.due_date == dt.date(2026, 4, 2)
    assert not request.events.filter(kind=EventKind.REQUESTER_ANSWERED).exists()
    confirmed = request.events.get(kind=EventKind.EMAIL_CONFIRMED)
    assert confirmed.data["confirmed_on"] == "2026-03-05"
    assert "due" not in confirmed.data


def test_a_ccpa_deadline_runs_from_receipt_whatever_the_confirmation(
    seeds, submit, confirm, time_machine
):
    # imgwg promises no date: the CCPA's 45 days from receipt on 2 March bind.
    submit(seeds["imgwg"], residence="US-CA")
    link = link_in(mail.outbox[-1], "confirm")
    time_machine.move_to(NOW + dt.timedelta(days=10), tick=False)

    confirm(link)

    assert PrivacyRequest.objects.get().due_date == dt.date(2026, 4, 16)


def test_confirming_a_request_whose_identity_must_be_verified_leaves_that_to_staff(
    seeds, submit, confirm, client
):
    # A Californian's request to know: the CCPA lets imgwg act only on a verified request.
    submit(seeds["imgwg"], residence="US-CA")

    status_path = confirm(link_in(mail.outbox[-1], "confirm"))["Location"]

    request = PrivacyRequest.objects.get()
    assert request.status == Status.AWAITING_VERIFICATION
    assert request.identity_status == IdentityStatus.PENDING
    assert not request.events.filter(kind=EventKind.IDENTITY_VERIFIED).exists()
    page = client.get(status_path.removeprefix("http://testserver")).content.decode()
    assert "We are checking who you are" in page


def test_a_used_link_is_dead(sent, confirm, client):
    confirm(sent)

    again = client.get(sent, follow=True)

    assert "This link no longer works" in again.content.decode()
    assert confirm(sent)["Location"] == "/o/img/confirming/"
    assert StatusLink.objects.count() == 1


def test_an_expired_link_is_dead(sent, client, time_machine, settings):
    settings.DSAR_INTAKE_VERIFY_MAX_AGE = 3 * 24 * 60 * 60
    time_machine.move_to(NOW + dt.timedelta(days=3, seconds=1), tick=False)

    page = client.post(sent, follow=True)

    assert "This link no longer works" in page.content.decode()
    assert still_unconfirmed()


def test_a_link_still_works_just_before_it_expires(sent, confirm, time_machine):
    time_machine.move_to(NOW + dt.timedelta(days=3) - dt.timedelta(seconds=1), tick=False)

    assert confirm(sent).status_code == 303


def test_a_used_link_and_a_forged_one_look_the_same(sent, confirm, client):
    """A guesser must not learn which submission numbers exist and were confirmed."""
    confirm(sent)

    used = client.get(sent, follow=True).content.decode()
    forged = client.get(sent.rsplit("/", 2)[0] + "/not-a-token/", follow=True).content.decode()

    assert "already confirmed" not in used
    assert used.split("<main")[1] == forged.split("<main")[1]


@pytest.mark.parametrize(
    "forge",
    [
        lambda path: path[:-3] + ("a" if path[-3] != "a" else "b") + path[-2:],  # one digit off
        lambda path: path.replace("/confirm/", "/confirm/x"),  # bad submission id
        lambda path: path.rsplit("/", 2)[0] + "/not-a-token/",
        lambda path: path.rsplit("/", 2)[0] + "/zzzzzz-" + "0" * 32 + "/",
    ],
)
def test_a_forged_link_is_refused(sent, client, forge):
    page = client.post(forge(sent), follow=True)

    assert "This link no longer works" in page.content.decode()
    assert still_unconfirmed()


def test_a_token_of_one_submission_does_not_confirm_another(img, submit, client):
    submit(img)
    submit(img, email="erin@example.org")
    first, second = IntakeSubmission.objects.order_by("pk")
    token = confirmation_tokens.make_token(first)
    path = f"/o/img/confirm/{urlsafe_base64_encode(force_bytes(second.pk))}/{token}/"

    client.post(path)

    assert not IntakeSubmission.objects.filter(verified_at__isnull=False).exists()


def test_a_link_under_another_organization_is_refused(seeds, submit, client):
    submit(seeds["img"])
    path = link_in(mail.outbox[-1], "confirm").replace("/o/img/", "/o/imt/")

    assert "This link no longer works" in client.post(path, follow=True).content.decode()


def test_a_request_closed_meanwhile_cannot_be_confirmed(sent, client):
    from dsar.requests.services import request_close

    request_close(
        request=PrivacyRequest.objects.get(), actor=None, as_status=Status.CLOSED_DUPLICATE
    )

    assert "This link no longer works" in client.post(sent, follow=True).content.decode()


def test_no_personal_data_reaches_the_logs_or_the_urls(
    img, submit, client, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level("DEBUG")
    response = submit(img, name="Zelda Quux", email="zelda.quux@example.org")
    urls = [response["Location"], link_in(mail.outbox[-1], "confirm")]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(urls[-1])
    deliver_outbox()
    urls.append(confirmed["Location"])
    client.get(urls[-1])

    for text in [caplog.text, *urls]:
        assert "Zelda" not in text and "Quux" not in text
        assert "zelda.quux" not in text.lower()
    assert PrivacyRequest.objects.get().reference in caplog.text
