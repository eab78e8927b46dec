"""The status page in the requester's words: where the request stands, what is asked of them
(the note staff sent) and what waiting does to the date, when to expect an answer and what the
date rests on, the reasons they are told (``outcome_reason``, nothing else), dates in the page's
language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from dsar.intake.models import IntakeSubmission
from dsar.intake.services import status_link
from dsar.organizations.models import Organization
from dsar.requests.models import PrivacyRequest, Status, WaitingFor
from dsar.requests.services import (
    request_ask_requester,
    request_deny,
    request_extend,
    request_fulfil,
    request_verify_identity,
)
from tests.conftest import deliver_outbox

from .conftest import link_in, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow(submit, client, django_capture_on_commit_callbacks):
    """``follow(org, residence, right="access")``: send the form, confirm the email address,
    and return a function that reads the status page's text (``lang``: its language)."""

    def send(organization: Organization, residence: str, right: str = "access"):
        submit(organization, residence=residence, right=right)
        with django_capture_on_commit_callbacks(execute=True):
            location = client.post(link_in(mail.outbox[-1], "confirm"))["Location"]
        deliver_outbox()
        path = location.removeprefix("http://testserver")

        def read(lang: str = "en") -> str:
            return text_of(client.get(path, HTTP_ACCEPT_LANGUAGE=lang).content.decode())

        return read

    return send


def ask(waiting_for: str, note: str, **extra) -> PrivacyRequest:
    return request_ask_requester(
        request=PrivacyRequest.objects.get(),
        actor=None,
        waiting_for=waiting_for,
        note=note,
        today=dt.date(2026, 3, 5),
        **extra,
    )


def test_a_request_waiting_for_the_email_confirmation_says_so(img, submit, client):
    submit(img)
    submission = IntakeSubmission.objects.get()
    path = status_link(submission, lambda p: p, now=submission.verification_sent_at)

    text = text_of(client.get(path, follow=True).content.decode())

    assert "Status Confirm your email address: follow the link we emailed you" in text
    assert "What we asked you" not in text
    assert "Email address confirmed on" not in text


def test_a_french_request_at_img_rests_on_the_gdpr(img, follow):
    read = follow(img, "FR")

    text = read()
    assert "Status Being worked on" in text
    assert "Received on 2 March 2026" in text
    assert "Email address confirmed on 2 March 2026" in text
    assert "When to expect an answer by 2 April 2026 under the GDPR" in text
    spanish = read("es")
    assert "Estado En tramitación" in spanish
    assert "Recibida el 2 de marzo de 2026" in spanish
    assert "Cuándo esperar una respuesta a más tardar el 2 de abril de 2026, según el RGPD" in (
        spanish
    )


def test_a_virginian_at_imgwg_rests_on_the_virginia_law_and_is_checked(seeds, follow):
    read = follow(seeds["imgwg"], "US-VA")

    text = read()
    # The Virginia law lets imgwg act only on an authenticated request: staff check who it is.
    assert "Status We are checking who you are" in text
    assert (
        "When to expect an answer by 16 April 2026 under the Virginia Consumer Data Protection Act"
        in text
    )
    spanish = read("es")
    assert "Estado Estamos comprobando su identidad" in spanish
    assert (
        "a más tardar el 16 de abril de 2026, según la ley «Virginia Consumer Data Protection "
        "Act»" in spanish
    )


def test_a_virginian_at_img_is_promised_the_earlier_month(img, follow):
    read = follow(img, "US-VA")

    assert (
        "When to expect an answer by 2 April 2026, as the privacy policy promises (one month)"
        in read()
    )


def test_the_organizations_own_date_is_said_as_its_own(imt, follow):
    read = follow(imt, "OTHER", right="erasure")

    assert "When to expect an answer iMT sets the date: by 16 March 2026" in read()
    assert "iMT fija la fecha: a más tardar el 16 de marzo de 2026" in read("es")


def test_an_extension_is_said(img, follow):
    read = follow(img, "FR")
    request_extend(request=PrivacyRequest.objects.get(), actor=None, reason="Many systems.")

    # One month and two more: 2 June 2026.
    assert "by 2 June 2026 under the GDPR (extended)" in read()


def test_asking_for_identity_shows_the_note_and_restarts_the_gdpr_month(img, follow):
    read = follow(img, "FR")
    ask(WaitingFor.IDENTITY, "Please send a copy of an identity document showing your name.")

    text = read()
    assert "Status Waiting for information from you" in text
    assert (
        "What we asked you Information to check who you are Please send a copy of an identity "
        "document showing your name."
    ) in text
    assert (
        "The time to answer starts again on the day Incident Management Group receives it: the "
        "date to expect an answer will then move."
    ) in text
    spanish = read("es")
    assert "Lo que le hemos pedido Información para comprobar su identidad" in spanish
    assert "El plazo para responder vuelve a empezar el día en que Incident Management" in (spanish)


def test_for_a_californian_the_ccpa_date_stays_while_the_promise_waits(img, follow):
    read = follow(img, "US-CA")
    ask(WaitingFor.IDENTITY, "Please answer the three questions in our letter.")

    text = read()
    assert "Please answer the three questions in our letter." in text
    # IMG's promise is modelled on the GDPR (it starts again); the CCPA's 45 days run on.
    assert (
        "Part of the time to answer starts again on the day Incident Management Group receives "
        "it, but this date stays: by 16 April 2026 under the California Consumer Privacy Act."
    ) in text


def test_a_uk_clarification_does_not_count_its_days(seeds, follow):
    read = follow(seeds["imgwg"], "GB")
    ask(WaitingFor.CLARIFICATION, "Which of your two accounts do you mean?")

    text = read()
    assert "What we asked you More details about your request" in text
    assert "Which of your two accounts do you mean?" in text
    assert (
        "The days from the question to your answer do not count: the date to expect an answer "
        "will then move."
    ) in text


def test_a_virginians_clock_runs_whatever_is_asked(seeds, follow):
    read = follow(seeds["imgwg"], "US-VA")
    ask(WaitingFor.IDENTITY, "Please log in to your account once.")

    text = read()
    assert "Waiting for it does not change when to expect an answer." in text
    assert "by 16 April 2026 under the Virginia Consumer Data Protection Act" in text


def test_a_fee_shows_its_amount(img, follow):
    read = follow(img, "FR")
    ask(WaitingFor.FEE, "For a further copy.", fee_amount=Decimal("25.00"))

    text = read()
    assert "What we asked you A fee: 25.00 USD For a further copy." in text


def test_the_organizations_own_date_under_a_question(imt, follow):
    read = follow(imt, "OTHER", right="erasure")
    ask(WaitingFor.IDENTITY, "Please confirm the username of the account.")

    assert "iMT sets the date to expect an answer itself." in read()


def test_a_request_whose_identity_staff_verified_is_worked_on(seeds, follow):
    read = follow(seeds["imgwg"], "US-TX")
    assert "We are checking who you are" in read()

    request_verify_identity(
        request=PrivacyRequest.objects.get(),
        actor=None,
        how="Matched three data points",
        method="data_points",
    )

    text = read()
    assert "Status Being worked on" in text
    assert "by 16 April 2026 under the Texas Data Privacy and Security Act" in text


def test_the_reasons_are_what_the_requester_is_told_and_nothing_else(img, follow):
    read = follow(img, "FR")
    request_deny(
        request=PrivacyRequest.objects.get(),
        actor=None,
        reason="We hold no data about you.",
        note="Checked CRM and billing; staff only.",
    )

    text = read()
    assert "Status Refused" in text
    assert "Reasons We hold no data about you." in text
    assert "staff only" not in text and "Checked CRM" not in text
    assert "When to expect an answer" not in text
    assert "Closed on 2 March 2026" in text


def test_no_reasons_are_shown_when_none_were_given(img, follow):
    read = follow(img, "FR")
    request_fulfil(request=PrivacyRequest.objects.get(), actor=None, note="Sent by post.")

    text = read()
    assert "Status Answered" in text
    assert "Reasons" not in text and "Sent by post." not in text


def test_a_request_closed_as_unverifiable_after_confirmation_says_who(seeds, follow):
    from dsar.requests.services import request_close

    read = follow(seeds["imgwg"], "US-CA")
    request_close(
        request=PrivacyRequest.objects.get(),
        actor=None,
        as_status=Status.CLOSED_UNVERIFIABLE,
        reason="The documents you sent did not match our records.",
    )

    text = read()
    assert "Status Closed: we could not verify who you are" in text
    assert "Reasons The documents you sent did not match our records." in text
