"""How waiting for the requester moves a deadline, by law; and the team's internal target.

- GDPR (and IMG's one-month promise modelled on it): the month starts again on the day requested
  identity information or a fee arrives.
- UK GDPR: the days from asking for a clarification to the answer do not count; the EU GDPR has
  no such pause.
- CCPA: the 45 days run from receipt whatever happens (§7021(b)).

Expected dates are worked out by hand; the requests arrive on Monday 2 March 2026.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dsar.requests import services
from dsar.requests.models import EventKind, IdentityStatus, Status, WaitingFor
from dsar.requests.services import TransitionError

pytestmark = pytest.mark.django_db

D = dt.date


def ask_and_answer(request, actor, waiting_for, asked, answered, **kw):
    request = services.request_ask_requester(
        request=request,
        actor=actor,
        waiting_for=waiting_for,
        note="Please send it.",
        today=asked,
        **kw,
    )
    assert request.status == Status.WAITING_REQUESTER
    return services.request_requester_answered(request=request, actor=actor, answered_on=answered)


# -- GDPR: identity and fee restart the month ------------------------------------------------------


def test_it_restarts_a_gdpr_month_on_the_day_the_identity_information_arrives(log, img, alice):
    request = services.request_start(request=log(img, jurisdiction="FR"), actor=alice)
    assert request.due_date == D(2026, 4, 2)
    request = ask_and_answer(request, alice, WaitingFor.IDENTITY, D(2026, 3, 3), D(2026, 3, 10))
    # The month runs from 10 Mar: Fri 10 Apr (legal-rules.md §5 #14).
    assert request.due_date == D(2026, 4, 10)
    assert request.clock_started_on == D(2026, 3, 10)
    # What arrived is not yet checked: staff verify it, recording how.
    assert request.identity_status != IdentityStatus.VERIFIED
    assert request.status == Status.IN_PROGRESS
    event = request.events.last()
    assert event.kind == EventKind.REQUESTER_ANSWERED
    assert event.data["due"] == {"old": "2026-04-02", "new": "2026-04-10"}


def test_it_restarts_a_gdpr_month_when_the_fee_is_paid(log, img, olivia):
    request = services.request_start(request=log(img, jurisdiction="DE"), actor=olivia)
    request = services.request_ask_requester(
        request=request,
        actor=olivia,
        waiting_for="fee",
        note="A fifth copy this year.",
        today=D(2026, 3, 3),
        fee_amount=Decimal("25.00"),
    )
    assert request.fee_amount == Decimal("25.00")
    assert "starts again" in request.events.last().summary
    request = services.request_requester_answered(
        request=request, actor=olivia, answered_on=D(2026, 3, 12)
    )
    # 12 Mar + one month = Sun 12 Apr: the next working day in Florida is Mon 13 Apr.
    assert request.due_date == D(2026, 4, 13)


def test_it_moves_an_identity_wait_on_from_awaiting_verification(log, imgwg, alice):
    # imgwg requires identity; a Californian's CCPA clock does not restart for it.
    request = log(imgwg, channel_kind="postal_mail", jurisdiction="US-CA")
    request = services.request_start(request=request, actor=alice)
    assert request.status == Status.AWAITING_VERIFICATION
    request = ask_and_answer(request, alice, WaitingFor.IDENTITY, D(2026, 3, 3), D(2026, 3, 20))
    # The answer waits for staff to check it: back to awaiting verification.
    assert request.identity_status == IdentityStatus.PENDING
    assert request.status == Status.AWAITING_VERIFICATION
    # CCPA: still 2 Mar + 45 days = 16 Apr.
    assert request.due_date == D(2026, 4, 16)
    assert "due" not in request.events.last().data  # the deadline did not move


# -- Clarification: UK pauses, EU and CCPA do not --------------------------------------------------


def test_it_does_not_count_uk_clarification_days(log, ims_consulting, alice):
    # IMS Consulting lists no jurisdictions, so it is held to every law, UK GDPR included.
    request = services.request_start(request=log(ims_consulting, jurisdiction="GB"), actor=alice)
    assert request.due_date == D(2026, 4, 2)
    request = services.request_ask_requester(
        request=request,
        actor=alice,
        waiting_for=WaitingFor.CLARIFICATION,
        note="Which of your two accounts?",
        today=D(2026, 3, 5),
    )
    assert "days until the answer do not count" in request.events.last().summary
    request = services.request_requester_answered(
        request=request, actor=alice, answered_on=D(2026, 3, 10)
    )
    # 5 to 10 Mar, both included, are 6 days: 2 Apr + 6 = Wed 8 Apr (legal-rules.md §5 #13).
    assert request.due_date == D(2026, 4, 8)
    assert request.paused_days == [["2026-03-05", "2026-03-10"]]
    assert "6 days do not count" in request.deadline_basis


def test_it_keeps_an_eu_gdpr_month_running_during_a_clarification(log, img, alice):
    request = services.request_start(request=log(img, jurisdiction="FR"), actor=alice)
    request = ask_and_answer(
        request, alice, WaitingFor.CLARIFICATION, D(2026, 3, 5), D(2026, 3, 10)
    )
    assert request.due_date == D(2026, 4, 2)


def test_it_keeps_a_ccpa_clock_running_while_waiting_for_the_requester(log, imgwg, alice):
    request = log(imgwg, channel_kind="postal_mail", jurisdiction="US-CA")
    request = services.request_verify_identity(request=request, actor=alice, how="account match")
    assert request.due_date == D(2026, 4, 16)
    asked = services.request_ask_requester(
        request=request,
        actor=alice,
        waiting_for=WaitingFor.CLARIFICATION,
        note="Which products?",
        today=D(2026, 3, 5),
    )
    assert "the clock keeps running" in asked.events.last().summary
    request = services.request_requester_answered(
        request=asked, actor=alice, answered_on=D(2026, 4, 1)
    )
    assert request.due_date == D(2026, 4, 16)


def test_it_restarts_only_the_gdpr_promise_of_a_californian(log, img, alice):
    # IMG's one month (2 Apr) and the CCPA's 45 days (16 Apr) both bind a Californian.
    request = services.request_start(request=log(img, jurisdiction="US-CA"), actor=alice)
    request = ask_and_answer(request, alice, WaitingFor.IDENTITY, D(2026, 3, 3), D(2026, 3, 27))
    # The month restarts on 27 Mar (27 Apr), but the CCPA still wants 16 Apr.
    assert request.due_date == D(2026, 4, 16)
    assert request.deadline_rule == "ccpa"


def test_it_refuses_an_answer_before_the_question(log, img, alice):
    request = services.request_start(request=log(img, jurisdiction="FR"), actor=alice)
    request = services.request_ask_requester(
        request=request,
        actor=alice,
        waiting_for=WaitingFor.IDENTITY,
        note="ID please.",
        today=D(2026, 3, 5),
    )
    with pytest.raises(TransitionError, match="before the question"):
        services.request_requester_answered(request=request, actor=alice, answered_on=D(2026, 3, 4))


# -- Internal target -------------------------------------------------------------------------------


def test_it_sets_an_internal_target_before_the_legal_deadline(log, img, olivia):
    request = log(img, jurisdiction="FR")
    request = services.request_set_target(request=request, actor=olivia, target=D(2026, 3, 20))
    request.refresh_from_db()
    assert request.internal_target == D(2026, 3, 20)
    assert request.due_date == D(2026, 4, 2)
    event = request.events.last()
    assert event.kind == EventKind.TARGET_SET
    assert event.actor == olivia
    assert event.data["target"] == {"old": None, "new": "2026-03-20"}


def test_it_refuses_an_internal_target_after_the_legal_deadline(log, img, olivia):
    request = log(img, jurisdiction="FR")
    with pytest.raises(TransitionError, match="later than the legal deadline"):
        services.request_set_target(request=request, actor=olivia, target=D(2026, 4, 3))
    request.refresh_from_db()
    assert request.internal_target is None
    assert request.events.count() == 1


def test_it_refuses_an_internal_target_before_receipt(log, img, olivia):
    with pytest.raises(TransitionError, match="before the day of receipt"):
        services.request_set_target(request=log(img), actor=olivia, target=D(2026, 3, 1))


def test_it_keeps_the_teams_target_when_the_deadline_moves(log, img, alice):
    request = services.request_start(request=log(img, jurisdiction="FR"), actor=alice)
    request = services.request_set_target(request=request, actor=alice, target=D(2026, 3, 25))
    request = ask_and_answer(request, alice, WaitingFor.IDENTITY, D(2026, 3, 3), D(2026, 3, 10))
    assert request.internal_target == D(2026, 3, 25)


def test_it_lets_the_team_move_the_target_of_a_request_with_no_legal_deadline(
    log, ims_consulting, olivia, settings
):
    settings.DSAR_DEFAULT_TARGET_DAYS = 14
    request = log(ims_consulting, right_kind="account_closure")
    assert request.internal_target == D(2026, 3, 16)
    request = services.request_set_target(request=request, actor=olivia, target=D(2026, 5, 1))
    assert request.internal_target == D(2026, 5, 1)
    assert request.due_date is None


def test_it_keeps_the_deadline_history(log, img, alice, olivia):
    request = services.request_start(request=log(img, jurisdiction="FR"), actor=alice)
    request = ask_and_answer(request, alice, WaitingFor.IDENTITY, D(2026, 3, 3), D(2026, 3, 10))
    request = services.request_extend(request=request, actor=olivia, reason="Complex.")
    history = [(e.kind, e.data["due"]["new"]) for e in request.deadline_history()]
    # 10 Mar + three months = Wed 10 Jun.
    assert history == [
        (EventKind.RECEIVED, "2026-04-02"),
        (EventKind.REQUESTER_ANSWERED, "2026-04-10"),
        (EventKind.EXTENDED, "2026-06-10"),
    ]
