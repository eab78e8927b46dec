"""The lifecycle: every move of the TRANSITIONS table, allowed or refused, through the services.

A refused move raises TransitionError, changes nothing and writes no event. The table's pairs are
driven through the service a staff member would use to reach the target status (``move``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from dsar.policies.models import Exemption
from dsar.requests import services
from dsar.requests.models import (
    TRANSITIONS,
    EventKind,
    IdentityStatus,
    PrivacyRequest,
    RequestEvent,
    Status,
    WaitingFor,
)
from dsar.requests.services import TransitionError

pytestmark = pytest.mark.django_db

D = dt.date
S = Status


def move(request: PrivacyRequest, to: Status, actor: User) -> PrivacyRequest:
    """Drive ``request`` towards ``to`` with the service that leads there."""
    kw = {"request": request, "actor": actor}
    if to is S.AWAITING_VERIFICATION:
        if request.status == S.WAITING_REQUESTER:
            return services.request_requester_answered(**kw)  # the identity still pending
        return services.request_start(**kw)
    if to is S.IN_PROGRESS:
        if request.status == S.WAITING_REQUESTER:
            return services.request_requester_answered(**kw)
        if request.identity_status == IdentityStatus.PENDING:
            return services.request_verify_identity(**kw, how="passport seen")
        return services.request_start(**kw)
    if to is S.WAITING_REQUESTER:
        return services.request_ask_requester(
            **kw, waiting_for=WaitingFor.CLARIFICATION, note="Which account?"
        )
    if to is S.FULFILLED:
        return services.request_fulfil(**kw)
    if to is S.PARTIALLY_FULFILLED:
        return services.request_fulfil(**kw, partial=True, reason="Backups are not searched.")
    if to is S.DENIED:
        return services.request_deny(**kw, reason="Manifestly unfounded.")
    if to is S.WITHDRAWN:
        return services.request_withdraw(**kw, note="By phone.")
    return services.request_close(**kw, as_status=to, note="See IMGWG-2026-00001.")


# A path of its own for a move that needs another state than the usual path leaves.
SPECIAL_PATHS: dict[tuple[Status, Status], list[Status]] = {
    # Waiting for the requester with the identity still pending: asked straight on receipt.
    (S.WAITING_REQUESTER, S.AWAITING_VERIFICATION): [S.WAITING_REQUESTER],
}


# How to reach each status from a fresh request whose identity must be verified.
PATHS: dict[Status, list[Status]] = {
    S.RECEIVED: [],
    S.AWAITING_VERIFICATION: [S.AWAITING_VERIFICATION],
    S.IN_PROGRESS: [S.AWAITING_VERIFICATION, S.IN_PROGRESS],
    S.WAITING_REQUESTER: [S.AWAITING_VERIFICATION, S.IN_PROGRESS, S.WAITING_REQUESTER],
    S.FULFILLED: [S.AWAITING_VERIFICATION, S.IN_PROGRESS, S.FULFILLED],
    S.PARTIALLY_FULFILLED: [S.AWAITING_VERIFICATION, S.IN_PROGRESS, S.PARTIALLY_FULFILLED],
    S.DENIED: [S.DENIED],
    S.WITHDRAWN: [S.WITHDRAWN],
    S.CLOSED_UNVERIFIABLE: [S.AWAITING_VERIFICATION, S.CLOSED_UNVERIFIABLE],
    S.CLOSED_DUPLICATE: [S.CLOSED_DUPLICATE],
}
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
REFUSED = [
    (a, b)
    for a, b in itertools.product(Status, Status)
    if b not in TRANSITIONS[a] and b is not S.RECEIVED
]


def _id(pair: tuple[Status, Status]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


@pytest.fixture
def request_in(log, imgwg, alice) -> Callable[[Status], PrivacyRequest]:
    """``request_in(status)``: an imgwg access request (identity required) in that status."""

    imgwg.data_points = ["email address", "postal address", "account name"]
    imgwg.save(update_fields=["data_points"])

    def make(status: Status, target: Status | None = None) -> PrivacyRequest:
        request = log(imgwg, channel_kind="postal_mail", jurisdiction="US-CA")
        # A Californian's request to know: three data points and the signed declaration
        # (Cal. Code Regs. tit. 11 §7062(c)) before it may be fulfilled.
        request = services.request_match_data_points(
            request=request, actor=alice, points=imgwg.data_points
        )
        request = services.request_record_declaration(
            request=request, actor=alice, signed_on=request.received_on
        )
        for step in SPECIAL_PATHS.get((status, target), PATHS[status]):
            request = move(request, step, alice)
        assert request.status == status
        return request

    return make


def test_the_paths_reach_every_status_and_the_table_covers_it():
    assert set(PATHS) == set(Status) == set(TRANSITIONS)
    assert len(ALLOWED) + len(REFUSED) + len(Status) == len(Status) ** 2


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=map(_id, ALLOWED))
def test_it_allows_the_move(request_in, alice, source, target):
    request = request_in(source, target)
    before = request.events.count()
    request = move(request, target, alice)
    request.refresh_from_db()
    assert request.status == target
    assert request.events.count() == before + 1
    event = request.events.last()
    assert (event.from_status, event.to_status) == (source, target)
    assert event.actor == alice
    assert (request.closed_at is not None) == target.is_closed


@pytest.mark.parametrize("source", list(Status), ids=lambda s: s.value)
def test_it_refuses_every_move_the_table_does_not_allow(request_in, alice, source):
    """Each refused move from ``source`` raises, leaves the request as it was and writes no event.

    A refusal changes nothing, so one request serves every target: each attempt starts from the
    same state, checked after the previous one.
    """
    request = request_in(source)
    events = list(request.events.values_list("pk", flat=True))
    targets = [target for a, target in REFUSED if a is source]
    assert targets, "every status refuses at least one move"
    not_refused = []
    for target in targets:
        try:
            move(request, target, alice)
        except TransitionError:
            pass
        else:
            not_refused.append(target)
        request.refresh_from_db()
        assert request.status == source, target
        assert list(request.events.values_list("pk", flat=True)) == events, target
    assert not_refused == []


def test_no_move_leads_back_to_received():
    """``received`` is where intake puts a request, and nothing returns it there."""
    assert all(S.RECEIVED not in targets for targets in TRANSITIONS.values())


def test_closed_statuses_are_final_and_open_ones_are_not():
    for status in Status:
        assert (TRANSITIONS[status] == frozenset()) == status.is_closed


def test_it_starts_work_at_once_when_no_identity_check_is_needed(log, img, alice):
    request = services.request_start(request=log(img, jurisdiction="FR"), actor=alice)
    assert request.status == S.IN_PROGRESS


# -- Outcomes --------------------------------------------------------------------------------------


def test_it_refuses_a_denial_without_reasons(request_in, alice):
    request = request_in(S.IN_PROGRESS)
    for reason in ("", "   "):
        with pytest.raises(TransitionError, match="reasons"):
            services.request_deny(request=request, actor=alice, reason=reason)
    request.refresh_from_db()
    assert request.status == S.IN_PROGRESS
    assert request.outcome_reason == ""


def test_it_refuses_a_partial_fulfilment_without_reasons(request_in, alice):
    request = request_in(S.IN_PROGRESS)
    with pytest.raises(TransitionError):
        services.request_fulfil(request=request, actor=alice, partial=True)


def test_it_records_the_reasons_and_exemptions_of_a_denial(log, img, olivia):
    request = log(img, right_kind="erasure", jurisdiction="FR")
    grounds = list(Exemption.objects.filter(right=request.right, name__contains="backup"))
    request = services.request_deny(
        request=request, actor=olivia, reason="Only held in backups.", exemptions=grounds
    )
    request.refresh_from_db()
    assert request.status == S.DENIED
    assert request.outcome_reason == "Only held in backups."
    assert list(request.exemptions.all()) == grounds
    assert request.events.last().data["exemptions"] == ["website backup files"]


def test_it_refuses_an_exemption_of_another_policy(log, img, imt, alice):
    request = log(img, right_kind="erasure", jurisdiction="FR")
    foreign = Exemption.objects.filter(right__version__organization=imt).first()
    with pytest.raises(TransitionError, match="not a ground"):
        services.request_deny(request=request, actor=alice, reason="x", exemptions=[foreign])
    assert request.events.count() == 1


def test_it_marks_the_identity_failed_when_closed_as_unverifiable(request_in, alice):
    request = request_in(S.AWAITING_VERIFICATION)
    request = services.request_close(
        request=request,
        actor=alice,
        as_status="closed_unverifiable",
        note="Phoned twice, no answer.",
        reason="We could not confirm who you are.",
    )
    assert request.identity_status == IdentityStatus.FAILED
    # What the requester is told, apart from the note staff keep for themselves.
    assert request.outcome_reason == "We could not confirm who you are."
    assert request.events.last().data["note"] == "Phoned twice, no answer."


def test_it_refuses_to_close_with_an_outcome_other_than_unverifiable_or_duplicate(
    request_in, alice
):
    with pytest.raises(TransitionError):
        services.request_close(
            request=request_in(S.IN_PROGRESS), actor=alice, as_status=S.FULFILLED
        )


# -- Extensions ------------------------------------------------------------------------------------


def test_it_extends_a_gdpr_deadline_to_three_months(log, img, olivia, time_machine):
    request = log(img, jurisdiction="FR")
    assert request.due_date == D(2026, 4, 2)
    request = services.request_extend(
        request=request, actor=olivia, reason="Records in three systems.", today=D(2026, 3, 20)
    )
    # 2 Mar + three months = Tue 2 Jun, a working day in Florida.
    assert request.due_date == D(2026, 6, 2)
    assert request.extended
    assert "three calendar months" in request.deadline_basis
    event = request.events.last()
    assert event.kind == EventKind.EXTENDED
    assert event.data["due"] == {"old": "2026-04-02", "new": "2026-06-02"}
    assert event.data["reason"] == "Records in three systems."


def test_it_extends_a_ccpa_deadline_from_45_to_90_days(log, imgwg, olivia):
    request = log(imgwg, channel_kind="postal_mail", jurisdiction="US-CA")
    # 2 Mar + 45 days = 16 Apr.
    assert request.due_date == D(2026, 4, 16)
    request = services.request_extend(request=request, actor=olivia, reason="Volume.")
    # 2 Mar + 90 days: 29 in March, 30 in April (59), 31 in May: Sun 31 May, not moved.
    assert request.due_date == D(2026, 5, 31)


def test_it_allows_an_extension_on_the_day_of_the_deadline(log, imgwg, olivia):
    request = log(imgwg, channel_kind="postal_mail", jurisdiction="US-CA")
    request = services.request_extend(
        request=request, actor=olivia, reason="Volume.", today=D(2026, 4, 16)
    )
    assert request.due_date == D(2026, 5, 31)


def _refuse_extension(request: PrivacyRequest, actor: User, match: str, **kw) -> None:
    due, events = request.due_date, request.events.count()
    with pytest.raises(TransitionError, match=match):
        services.request_extend(request=request, actor=actor, **{"reason": "Volume.", **kw})
    request.refresh_from_db()
    assert request.due_date == due
    assert request.events.count() == events


def test_it_refuses_an_extension_without_a_reason(log, img, olivia):
    _refuse_extension(log(img, jurisdiction="FR"), olivia, "reason", reason=" ")


def test_it_refuses_an_extension_after_the_deadline(log, img, olivia):
    _refuse_extension(log(img, jurisdiction="FR"), olivia, "has passed", today=D(2026, 4, 3))


def test_it_refuses_a_second_extension(log, img, olivia):
    request = services.request_extend(
        request=log(img, jurisdiction="FR"), actor=olivia, reason="Volume."
    )
    _refuse_extension(request, olivia, "already extended")


def test_it_refuses_to_extend_a_1798_83_deadline(log, img, olivia):
    request = log(
        img,
        right_kind="shine_the_light",
        jurisdiction="US-CA",
        subject_line="Your California Privacy Rights",
    )
    assert request.deadline_rule == "shine_the_light"
    _refuse_extension(request, olivia, "Shine the Light .* cannot be extended")


def test_it_refuses_to_extend_a_can_spam_deadline(log, imt, charlie):
    request = log(imt, right_kind="marketing_opt_out", jurisdiction="US-NY")
    assert request.deadline_rule == "can_spam"
    _refuse_extension(request, charlie, "CAN-SPAM allows none")


def test_it_refuses_to_extend_an_eu_objection_to_direct_marketing(log, img, alice):
    """GDPR Art. 21(3): a French requester's marketing objection is acted on without the Art.
    12(3) extension, and CAN-SPAM, which binds IMG as a US sender, has none either."""
    request = log(img, right_kind="marketing_opt_out", jurisdiction="FR")
    _refuse_extension(request, alice, r"Art\. 21\(3\)")


def test_it_refuses_to_extend_a_request_with_no_legal_deadline(log, ims_consulting, olivia):
    request = log(ims_consulting, right_kind="account_closure")
    _refuse_extension(request, olivia, "this date is the organization's")


def test_it_refuses_to_extend_a_closed_request(request_in, olivia):
    _refuse_extension(request_in(S.FULFILLED), olivia, "closed")


# -- Assignment ------------------------------------------------------------------------------------


def test_it_assigns_a_member_of_the_organization(log, img, alice, olivia):
    request = services.request_assign(request=log(img), actor=olivia, assignee=alice)
    assert request.assignee == alice
    event = request.events.last()
    assert event.kind == EventKind.ASSIGNED
    assert event.data["assignee"] == {"old": None, "new": alice.pk}
    # Assigning the same person again changes nothing and records nothing.
    services.request_assign(request=request, actor=olivia, assignee=alice)
    assert request.events.count() == 2
    request = services.request_assign(request=request, actor=olivia, assignee=None)
    assert request.assignee is None


def test_it_refuses_to_assign_someone_outside_the_organization(log, img, charlie, olivia):
    request = log(img)
    with pytest.raises(TransitionError, match="Incident Management Group"):
        services.request_assign(request=request, actor=olivia, assignee=charlie)
    assert request.events.count() == 1


def test_it_shows_each_user_only_their_organizations_requests(log, img, imt, alice, charlie):
    ours = log(img)
    theirs = log(imt, right_kind="marketing_opt_out")
    assert list(PrivacyRequest.objects.for_user(alice)) == [ours]
    assert list(PrivacyRequest.objects.for_user(charlie)) == [theirs]


def test_it_records_the_acknowledgement_of_receipt_once(log, img, alice):
    request = log(img, jurisdiction="US-CA")
    request = services.request_acknowledge(request=request, actor=alice)
    assert request.acknowledged_at == dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    with pytest.raises(TransitionError):
        services.request_acknowledge(request=request, actor=alice)


def test_it_refuses_to_verify_an_identity_awaited_from_the_requester(request_in, alice):
    request = services.request_ask_requester(
        request=request_in(S.AWAITING_VERIFICATION),
        actor=alice,
        waiting_for=WaitingFor.IDENTITY,
        note="Please send a copy of an ID.",
    )
    with pytest.raises(TransitionError, match="record their answer"):
        services.request_verify_identity(request=request, actor=alice, how="ID received")


def test_it_refuses_to_ask_for_a_fee_without_its_amount(request_in, alice):
    with pytest.raises(TransitionError, match="how much"):
        services.request_ask_requester(
            request=request_in(S.IN_PROGRESS),
            actor=alice,
            waiting_for=WaitingFor.FEE,
            note="Repetitive requests.",
        )


def test_it_refuses_changes_to_a_closed_request_but_takes_notes(request_in, alice):
    request = request_in(S.WITHDRAWN)
    with pytest.raises(TransitionError, match="closed"):
        services.request_set_target(request=request, actor=alice, target=D(2026, 3, 10))
    with pytest.raises(TransitionError, match="closed"):
        services.request_verify_identity(request=request, actor=alice, how="passport")
    before = RequestEvent.objects.filter(request=request).count()
    services.request_note(request=request, actor=alice, text="Called back to confirm.")
    assert request.events.last().kind == EventKind.NOTE
    assert RequestEvent.objects.filter(request=request).count() == before + 1


def test_what_happened_earlier_is_recorded_at_the_time_it_happened(log, imgwg, alice):
    # Staff entering a paper file after the fact, or the demo telling its stories: each service
    # is told when the action happened (``now``), and the trail, the closure and the days the
    # clock counts from are those times, not the time of typing.
    t = [
        dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC) + dt.timedelta(days=d)
        for d in (0, 1, 3, 9, 10, 20)
    ]
    request = log(imgwg, received_at=t[0], now=t[0])
    request = services.request_start(request=request, actor=alice, now=t[1])
    request = services.request_ask_requester(
        request=request, actor=alice, waiting_for=WaitingFor.IDENTITY, note="ID?", now=t[2]
    )
    assert request.waiting_since == D(2026, 1, 8)
    request = services.request_requester_answered(request=request, actor=alice, now=t[3])
    assert request.clock_started_on == D(2026, 1, 14)  # the GDPR month starts again then
    if request.status == S.AWAITING_VERIFICATION:
        request = services.request_verify_identity(
            request=request, actor=alice, how="passport seen", now=t[4]
        )
    request = services.request_fulfil(request=request, actor=alice, now=t[5])

    assert request.closed_at == t[5]
    times = list(request.events.order_by("id").values_list("at", flat=True))
    assert times[0] == t[0] and times[-1] == t[5]
    assert set(times) <= set(t) and times == sorted(times)


def test_a_time_without_its_zone_is_refused_and_nothing_is_written(log, imgwg, alice):
    request = log(imgwg)
    naive = dt.datetime(2026, 1, 6, 9, 0)  # noqa: DTZ001 - what is being refused
    with pytest.raises(ValueError, match="time-zone aware"):
        services.request_start(request=request, actor=alice, now=naive)
    request.refresh_from_db()
    assert request.status == S.RECEIVED and request.events.count() == 1
