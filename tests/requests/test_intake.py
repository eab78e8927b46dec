"""Intake against each seed policy: right promised, channel offered, label present, repeats.

Flagged requests are accepted and get the deadline the law gives them. Every expected date is
worked out by hand from a calendar (see each comment), never by calling the deadline engine.
All requests arrive on Monday 2 March 2026 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from dsar.intake.models import IntakeSubmission
from dsar.policies.models import PolicyVersion
from dsar.requests import services
from dsar.requests.models import (
    Flag,
    IdentityStatus,
    PrivacyRequest,
    ReferenceCounter,
    RequestEvent,
    Status,
)
from dsar.requests.services import TransitionError

from .conftest import NOW, UTC

pytestmark = pytest.mark.django_db

D = dt.date
CALIFORNIA_LABEL = "Your California Privacy Rights"


def codes(request: PrivacyRequest) -> set[str]:
    return {flag["code"] for flag in request.flags}


# -- IMG: 1798.83 and its label --------------------------------------------------------------------


def test_it_gives_a_labelled_1798_83_email_the_statutes_30_days(log, img):
    request = log(
        img,
        right_kind="shine_the_light",
        jurisdiction="US-CA",
        subject_line=f"{CALIFORNIA_LABEL} request",
    )
    # 2 Mar + 30 days = 1 Apr; the policy's one month (2 Apr) comes later.
    assert request.due_date == D(2026, 4, 1)
    assert request.deadline_rule == "shine_the_light"
    assert request.designated
    assert codes(request) == set()
    assert "1798.83" in request.deadline_basis
    assert "one month" in request.deadline_basis


def test_it_accepts_the_label_in_any_case_and_spacing(log, img):
    request = log(
        img,
        right_kind="shine_the_light",
        jurisdiction="US-CA",
        subject_line="RE:  your  california PRIVACY rights",
    )
    assert request.due_date == D(2026, 4, 1)
    assert codes(request) == set()


def test_it_accepts_the_label_in_the_letter_at_the_designated_mailing_address(log, img):
    request = log(
        img,
        right_kind="shine_the_light",
        channel_kind="postal_mail",
        jurisdiction="US-CA",
        message=f"Dear IMG, {CALIFORNIA_LABEL}: please tell me who got my data.",
    )
    assert request.due_date == D(2026, 4, 1)
    assert request.channel.kind == "postal_mail"


def test_it_flags_a_1798_83_email_without_the_label_and_gives_150_days(log, img):
    request = log(
        img, right_kind="shine_the_light", jurisdiction="US-CA", subject_line="Privacy question"
    )
    assert request.status == Status.RECEIVED  # accepted, not dropped
    assert codes(request) == {Flag.LABEL_MISSING}
    assert CALIFORNIA_LABEL in request.flags[0]["message"]
    # 2 Mar + 150 days: 29 left in March, 30 in April (59), 31 in May (90), 30 in June (120),
    # 30 more in July: 30 Jul. The one-month promise does not cover a request not labelled.
    assert request.due_date == D(2026, 7, 30)
    assert request.deadline_rule == "shine_the_light_undesignated"
    assert not request.designated
    assert "150 days" in request.deadline_basis
    assert "does not cover" in request.deadline_basis


def test_it_flags_a_1798_83_request_through_a_channel_not_offered_and_gives_150_days(log, img):
    request = log(img, right_kind="shine_the_light", channel_kind="phone", jurisdiction="US-CA")
    assert codes(request) == {Flag.CHANNEL_NOT_OFFERED}
    assert "email" in request.flags[0]["message"]
    assert request.due_date == D(2026, 7, 30)
    # The policy's phone channel is still the one it came through.
    assert request.channel.kind == "phone"


# -- IMG: the policy's one month and the laws ------------------------------------------------------


def test_it_gives_an_access_request_from_france_one_month(log, img):
    request = log(img, jurisdiction="FR")
    # 2 Mar + one month = Thu 2 Apr, a working day in Florida.
    assert request.due_date == D(2026, 4, 2)
    assert request.deadline_rule == "gdpr"
    assert 'the policy promises "one month"' in request.deadline_basis
    assert "EU GDPR" in request.deadline_basis
    assert request.internal_target is None
    assert request.acknowledge_by is None


def test_it_gives_a_californian_the_earlier_of_one_month_and_45_days(log, img):
    request = log(img, jurisdiction="us-ca")
    assert request.jurisdiction == "US-CA"
    # One month: 2 Apr. CCPA: 2 Mar + 45 days = 16 Apr. The promise binds.
    assert request.due_date == D(2026, 4, 2)
    assert 'the policy promises "one month"' in request.deadline_basis
    assert "CCPA" in request.deadline_basis
    assert "16 Apr 2026" in request.deadline_basis
    # CCPA confirmation of receipt: 10 business days in Florida from Tue 3 Mar: 16 Mar.
    assert request.acknowledge_by == D(2026, 3, 16)


def test_it_counts_the_day_of_receipt_in_the_organizations_time_zone(log, img):
    # 02:00 UTC on 3 March is still 2 March in Florida.
    request = log(img, jurisdiction="FR", received_at=dt.datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    assert request.received_on == D(2026, 3, 2)
    assert request.due_date == D(2026, 4, 2)


def test_it_flags_a_request_through_a_channel_the_policy_does_not_offer(log, img):
    # IMG offers objection by email, post and phone; not through the account page.
    request = log(img, right_kind="objection", channel_kind="self_service", jurisdiction="FR")
    assert codes(request) == {Flag.CHANNEL_NOT_OFFERED}
    # The law still gives a French resident one month.
    assert request.due_date == D(2026, 4, 2)
    assert "EU GDPR" in request.deadline_basis


# -- imservicecenter: "Privacy Policy" in the subject line of a complaint --------------------------


def test_it_flags_an_imservicecenter_complaint_without_privacy_policy_in_the_subject(
    log, imservicecenter, settings
):
    settings.DSAR_DEFAULT_TARGET_DAYS = 10
    request = log(
        imservicecenter, right_kind="complaint", jurisdiction="US-FL", subject_line="Complaint"
    )
    assert codes(request) == {Flag.LABEL_MISSING, Flag.NO_LEGAL_DEADLINE}
    assert "Privacy Policy" in request.flags[0]["message"]
    # "promptly": no legal deadline, an internal target 10 days after 2 Mar.
    assert request.due_date is None
    assert request.internal_target == D(2026, 3, 12)


def test_it_accepts_an_imservicecenter_complaint_with_privacy_policy_in_the_subject(
    log, imservicecenter
):
    request = log(
        imservicecenter,
        right_kind="complaint",
        jurisdiction="US-FL",
        subject_line="Privacy Policy complaint",
    )
    assert codes(request) == {Flag.NO_LEGAL_DEADLINE}
    assert request.due_date is None
    assert "promptly" in request.deadline_basis


# -- imt: CAN-SPAM, and a right the policy does not promise ----------------------------------------


@pytest.mark.parametrize("jurisdiction", ["US-CA", ""])
def test_it_gives_an_imt_marketing_opt_out_can_spams_10_business_days(
    log, imt, time_machine, jurisdiction
):
    received = dt.datetime(2026, 2, 13, 15, 0, tzinfo=UTC)  # a Friday
    time_machine.move_to(received, tick=False)
    request = log(
        imt, right_kind="marketing_opt_out", received_at=received, jurisdiction=jurisdiction
    )
    # From Sat 14 Feb, skipping weekends and Presidents' Day (Mon 16 Feb): 17, 18, 19, 20,
    # 23, 24, 25, 26, 27 Feb and Mon 2 Mar.
    assert request.due_date == D(2026, 3, 2)
    assert request.deadline_rule == "can_spam"
    # "promptly" is not a date: the law gives the only deadline.
    assert request.internal_target is None
    assert codes(request) == set()


def test_it_flags_a_right_imt_does_not_promise_and_lets_the_law_decide(log, imt):
    # iMT lets users manage and delete their data, but never promises access.
    request = log(imt, right_kind="access", jurisdiction="US-CA")
    assert codes(request) == {Flag.RIGHT_NOT_PROMISED}
    assert request.right is None
    assert request.channel.kind == "email"  # iMT's own address
    # CCPA: 2 Mar + 45 days = 16 Apr.
    assert request.due_date == D(2026, 4, 16)
    assert request.deadline_rule == "ccpa"
    # CCPA confirmation: 10 business days in California from Tue 3 Mar: 16 Mar.
    assert request.acknowledge_by == D(2026, 3, 16)


def test_it_flags_a_right_not_promised_with_no_law_as_internal_target_only(log, imt, settings):
    settings.DSAR_DEFAULT_TARGET_DAYS = 14
    request = log(imt, right_kind="access", jurisdiction="US-FL")
    assert codes(request) == {Flag.RIGHT_NOT_PROMISED, Flag.NO_LEGAL_DEADLINE}
    assert request.due_date is None
    assert request.internal_target == D(2026, 3, 16)


# -- ims-consulting: a promise in words ------------------------------------------------------------


def test_it_gives_an_ims_consulting_account_closure_only_an_internal_target(
    log, ims_consulting, settings
):
    settings.DSAR_DEFAULT_TARGET_DAYS = 21
    request = log(ims_consulting, right_kind="account_closure", jurisdiction="GB")
    assert request.due_date is None
    assert request.deadline_rule == ""
    # 2 Mar + 21 days = 23 Mar.
    assert request.internal_target == D(2026, 3, 23)
    assert "as soon as reasonably possible" in request.deadline_basis
    # The policy names no channel for it at all: a gap, flagged.
    assert codes(request) == {Flag.CHANNEL_NOT_OFFERED, Flag.NO_LEGAL_DEADLINE}


# -- imgwg: once per calendar year -----------------------------------------------------------------


def _shine_the_light_to_imgwg(log, imgwg, received_at):
    return log(
        imgwg,
        right_kind="shine_the_light",
        channel_kind="postal_mail",
        jurisdiction="US-CA",
        received_at=received_at,
    )


def test_it_gives_an_imgwg_1798_83_request_150_days_as_no_channel_is_designated(log, imgwg):
    request = _shine_the_light_to_imgwg(log, imgwg, dt.datetime(2026, 3, 2, 14, tzinfo=UTC))
    assert codes(request) == set()
    assert not request.designated
    assert request.due_date == D(2026, 7, 30)


def test_it_flags_a_second_1798_83_request_answered_in_the_same_calendar_year(
    log, imgwg, time_machine
):
    first = _shine_the_light_to_imgwg(log, imgwg, dt.datetime(2026, 3, 2, 14, tzinfo=UTC))
    first = services.request_start(request=first, actor=None)
    time_machine.move_to(dt.datetime(2026, 3, 20, 12, tzinfo=UTC), tick=False)
    services.request_fulfil(request=first, actor=None)

    june = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)
    time_machine.move_to(june, tick=False)
    second = _shine_the_light_to_imgwg(log, imgwg, june)
    assert codes(second) == {Flag.BEYOND_FREQUENCY}
    assert first.reference in second.flags[0]["message"]
    assert "once per calendar year" in second.flags[0]["message"]

    next_year = dt.datetime(2027, 1, 4, 12, tzinfo=UTC)
    time_machine.move_to(next_year, tick=False)
    services.request_close(request=second, actor=None, as_status=Status.CLOSED_DUPLICATE)
    third = _shine_the_light_to_imgwg(log, imgwg, next_year)
    assert codes(third) == set()


def test_it_does_not_count_a_withdrawn_1798_83_request_as_answered(log, imgwg):
    first = _shine_the_light_to_imgwg(log, imgwg, dt.datetime(2026, 3, 2, 14, tzinfo=UTC))
    services.request_withdraw(request=first, actor=None)
    second = _shine_the_light_to_imgwg(log, imgwg, dt.datetime(2026, 3, 2, 15, tzinfo=UTC))
    assert codes(second) == set()


# -- Duplicates ------------------------------------------------------------------------------------


def test_it_flags_a_duplicate_of_an_open_request(log, img):
    first = log(img, jurisdiction="FR")
    second = log(img, jurisdiction="FR", requester_email="DANA@example.org")
    assert codes(second) == {Flag.DUPLICATE}
    assert first.reference in second.flags[0]["message"]


def test_it_does_not_flag_another_right_or_a_closed_request_as_duplicate(log, img):
    first = log(img, jurisdiction="FR")
    erasure = log(img, jurisdiction="FR", right_kind="erasure")
    assert codes(erasure) == set()
    services.request_withdraw(request=first, actor=None)
    again = log(img, jurisdiction="FR")
    assert Flag.DUPLICATE not in codes(again)
    # Another requester's access request is not a duplicate either.
    other = log(img, jurisdiction="FR", requester_email="eve@example.org")
    assert Flag.DUPLICATE not in codes(other)


def test_a_duplicate_names_the_oldest_open_request_of_the_same_organization(log, img, imgwg):
    log(imgwg, jurisdiction="FR")  # another organization's: not a duplicate here
    first = log(img, jurisdiction="FR", received_at=NOW - dt.timedelta(hours=2))
    log(img, jurisdiction="FR", received_at=NOW - dt.timedelta(hours=1))
    third = log(img, jurisdiction="FR")
    assert codes(third) == {Flag.DUPLICATE}
    assert third.flags[0]["message"].startswith(first.reference)


# -- The record of intake --------------------------------------------------------------------------


def test_it_records_the_request_as_received(log, img, alice):
    request = log(
        img,
        jurisdiction="FR",
        subject_line="Access please",
        message="Send me my data.",
        requester_phone="+33 1 23 45 67 89",
        is_agent=True,
        agent_name="Agent Smith",
        actor=alice,
    )
    request.refresh_from_db()
    assert request.organization == img
    assert request.policy_version == PolicyVersion.objects.in_force_for(img)
    assert request.right.kind == "access"
    assert request.received_at == dt.datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert (request.subject_line, request.message) == ("Access please", "Send me my data.")
    assert (request.is_agent, request.agent_name) == (True, "Agent Smith")
    assert request.status == Status.RECEIVED
    # IMG "may need to request" identity: not required up front.
    assert request.identity_status == IdentityStatus.NOT_REQUIRED
    event = RequestEvent.objects.get(request=request)
    assert event.actor == alice
    assert event.data["due"] == {"old": None, "new": "2026-04-02"}


def test_it_waits_for_identity_where_the_policy_requires_it(log, imgwg):
    request = log(imgwg, channel_kind="postal_mail", jurisdiction="US-CA")
    assert request.identity_status == IdentityStatus.PENDING


def test_it_refuses_a_naive_receipt_time(log, img):
    with pytest.raises(ValueError, match="aware"):
        log(img, received_at=dt.datetime(2026, 3, 2, 14))  # noqa: DTZ001 - the point of the test


def test_it_refuses_an_unknown_jurisdiction_right_or_channel(log, img):
    for bad in ({"jurisdiction": "XX"}, {"right_kind": "telepathy"}, {"channel_kind": "pigeon"}):
        with pytest.raises(ValidationError):
            log(img, **bad)
    assert not PrivacyRequest.objects.exists()


def test_it_refuses_fields_intake_may_not_set(log, img):
    with pytest.raises(TypeError, match="status"):
        log(img, status=Status.FULFILLED)


def test_it_refuses_a_request_received_before_any_policy_was_in_force(log, img):
    with pytest.raises(TransitionError, match="no policy in force"):
        log(img, received_at=dt.datetime(2024, 6, 1, tzinfo=UTC))
    assert not PrivacyRequest.objects.exists()


# -- References ------------------------------------------------------------------------------------


def test_it_numbers_references_per_organization_and_year(log, img, imt, time_machine):
    assert log(img).reference == "IMG-2026-00001"
    assert log(img, requester_email="eve@example.org").reference == "IMG-2026-00002"
    assert log(imt, right_kind="marketing_opt_out").reference == "IMT-2026-00001"
    new_year = dt.datetime(2027, 1, 4, 15, tzinfo=UTC)
    time_machine.move_to(new_year, tick=False)
    assert log(img, received_at=new_year).reference == "IMG-2027-00001"
    # A late entry for last year continues last year's numbers.
    assert log(img, requester_email="late@example.org").reference == "IMG-2026-00003"


def test_it_takes_the_year_of_the_reference_from_the_organizations_time_zone(
    log, img, time_machine
):
    # 03:00 UTC on 1 January 2027 is still New Year's Eve in Florida.
    eve = dt.datetime(2027, 1, 1, 3, 0, tzinfo=UTC)
    time_machine.move_to(eve, tick=False)
    assert log(img, received_at=eve).reference == "IMG-2026-00001"


def test_it_does_not_spend_a_number_on_a_refused_intake(log, img):
    with pytest.raises(ValidationError):
        log(img, requester_email="not an email")
    assert log(img).reference == "IMG-2026-00001"


def test_it_writes_a_reference_past_99999_in_full(log, img):
    ReferenceCounter.objects.create(organization=img, year=2026, last=99_999)
    assert log(img).reference == "IMG-2026-100000"


# -- The write -------------------------------------------------------------------------------------


def stored(row: models.Model) -> dict[str, object]:
    return {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}


def test_what_intake_returns_is_what_it_stored(img):
    # The request, its three events and the web form's submission go in together (one statement
    # on PostgreSQL); each object handed back must equal its row, keys included.
    submission = IntakeSubmission(
        details={"format": "CSV", "note": "naïve café ☕"},
        verification_sent_at=dt.datetime(2026, 3, 2, 14, tzinfo=UTC),
    )
    request = services.request_log_awaiting_confirmation(
        organization=img,
        right_kind="portability",
        channel_kind="web_form",
        received_at=dt.datetime(2026, 3, 2, 14, tzinfo=UTC),
        requester_name="Zoë O'Brien",
        requester_email="zoe@example.org",
        jurisdiction="FR",
        message="'); DROP TABLE requests_privacyrequest; --",
        is_agent=True,
        agent_name="Agent % Smith",
        note="Confirmation link emailed.",
        dependents=[submission],
    )
    assert request.reference == "IMG-2026-00001"
    assert stored(request) == stored(PrivacyRequest.objects.get(pk=request.pk))
    assert submission.request == request
    assert stored(submission) == stored(IntakeSubmission.objects.get(pk=submission.pk))
    events = list(RequestEvent.objects.filter(request=request))
    assert [e.kind for e in events] == ["received", "asked_requester"]
    assert events[1].data["waiting_for"] == "email"
    assert events[0].data["flags"] == [flag["code"] for flag in request.flags]


def test_a_write_that_fails_leaves_nothing_and_spends_no_number(log, img):
    # The submission breaks a check constraint (a file without its checksum): the request and
    # its events must go with it, and the number be given back.
    broken = IntakeSubmission(
        verification_sent_at=dt.datetime(2026, 3, 2, 14, tzinfo=UTC),
        authorization_path="intake/authorizations/1/x.pdf",
        authorization_sha256="",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        services.request_log_awaiting_confirmation(
            organization=img,
            right_kind="access",
            channel_kind="web_form",
            received_at=dt.datetime(2026, 3, 2, 14, tzinfo=UTC),
            requester_name="Dana Data",
            requester_email="dana@example.org",
            jurisdiction="FR",
            note="Confirmation link emailed.",
            dependents=[broken],
        )
    assert not PrivacyRequest.objects.exists()
    assert not RequestEvent.objects.exists()
    assert not IntakeSubmission.objects.exists()
    assert log(img).reference == "IMG-2026-00001"
