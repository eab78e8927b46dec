"""The action buttons of the request page: each is a POST that calls its service, which changes the
request and writes one event; a refusal shows the service's message, keeps what was typed and
writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils.html import escape

from dsar.organizations.models import Role
from dsar.requests import services
from dsar.requests.models import (
    EventKind,
    IdentityStatus,
    PrivacyRequest,
    RequestEvent,
    Status,
    WaitingFor,
)
from tests.workspace.conftest import NOW, act_url, change_url, make_member

pytestmark = pytest.mark.django_db


def post_action(client: Client, privacy_request: PrivacyRequest, action: str, **fields: Any):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(act_url(privacy_request, action), data)


def _in_progress(r: PrivacyRequest) -> PrivacyRequest:
    return services.request_start(request=r, actor=None)


def _waiting(r: PrivacyRequest) -> PrivacyRequest:
    r = _in_progress(r)
    return services.request_ask_requester(
        request=r, actor=None, waiting_for=WaitingFor.CLARIFICATION, note="Which account?"
    )


def _as_is(r: PrivacyRequest) -> PrivacyRequest:
    return r


# (name, prepare, fields posted, status after, kind of the event written)
CASES = [
    ("start", _as_is, {}, Status.IN_PROGRESS, EventKind.STATUS_CHANGED),
    (
        "ask_clarification",
        _in_progress,
        {"note": "Which of your accounts?"},
        Status.WAITING_REQUESTER,
        EventKind.ASKED_REQUESTER,
    ),
    (
        "ask_identity",
        _in_progress,
        {"note": "A copy of the last invoice, please."},
        Status.WAITING_REQUESTER,
        EventKind.ASKED_REQUESTER,
    ),
    (
        "ask_fee",
        _in_progress,
        {"note": "Third copy this month: a reasonable fee.", "fee_amount": "15.00"},
        Status.WAITING_REQUESTER,
        EventKind.ASKED_REQUESTER,
    ),
    (
        "requester_answered",
        _waiting,
        {"answered_on": "2026-03-02"},
        Status.IN_PROGRESS,
        EventKind.REQUESTER_ANSWERED,
    ),
    (
        "extend",
        _in_progress,
        {"reason": "Forty years of records on paper."},
        Status.IN_PROGRESS,
        EventKind.EXTENDED,
    ),
    (
        "set_target",
        _in_progress,
        {"target": "2026-03-20"},
        Status.IN_PROGRESS,
        EventKind.TARGET_SET,
    ),
    (
        "fulfil",
        _in_progress,
        {"note": "Copy sent by email."},
        Status.FULFILLED,
        EventKind.STATUS_CHANGED,
    ),
    (
        "partially_fulfil",
        _in_progress,
        {"reason": "Email records are kept out."},
        Status.PARTIALLY_FULFILLED,
        EventKind.STATUS_CHANGED,
    ),
    (
        "deny",
        _in_progress,
        {"reason": "Clearly unfounded: the fifth identical request."},
        Status.DENIED,
        EventKind.STATUS_CHANGED,
    ),
    ("withdraw", _in_progress, {"note": "By phone."}, Status.WITHDRAWN, EventKind.STATUS_CHANGED),
    (
        "close",
        _as_is,
        {"as_status": "closed_duplicate", "note": "Same as the email of yesterday."},
        Status.CLOSED_DUPLICATE,
        EventKind.STATUS_CHANGED,
    ),
]


@pytest.mark.parametrize(("action", "prepare", "fields", "status", "kind"), CASES)
def test_each_action_changes_the_request_and_writes_an_event(
    login, alice, log_request, action, prepare, fields, status, kind
):
    privacy_request = prepare(log_request())
    before = set(privacy_request.events.values_list("pk", flat=True))
    client = login(alice)

    response = post_action(client, privacy_request, action, **fields)

    assert response.status_code == 302, response.context and response.context["refused"]
    assert response["Location"] == change_url(privacy_request) + "#actions"
    privacy_request.refresh_from_db()
    assert privacy_request.status == status
    new = privacy_request.events.exclude(pk__in=before)
    assert new.exists()
    assert all(event.actor == alice for event in new)
    assert new.filter(kind=kind).exists()
    assert "done" in str(next(iter(get_messages(response.wsgi_request))))


def test_the_timeline_shows_what_the_actions_did(login, alice, log_request):
    privacy_request = log_request()
    client = login(alice)
    post_action(client, privacy_request, "start")
    post_action(client, privacy_request, "extend", reason="Forty years of records on paper.")

    page = client.get(change_url(privacy_request)).content.decode()

    received, started, extended = (
        page.index("Received by email"),
        page.index("Work started"),
        page.index("Forty years of records on paper."),
    )
    assert received < started < extended  # oldest first
    assert page.count('<span class="actor">alice</span>') == 2


def test_the_extension_moves_the_deadline_and_records_the_reason(login, alice, log_request):
    privacy_request = _in_progress(log_request())
    due = privacy_request.due_date

    post_action(login(alice), privacy_request, "extend", reason="Complex: three systems.")

    privacy_request.refresh_from_db()
    event = privacy_request.events.get(kind=EventKind.EXTENDED)
    assert privacy_request.extended and privacy_request.due_date > due
    assert event.data["reason"] == "Complex: three systems."


def test_a_fee_request_records_the_amount(login, alice, log_request):
    privacy_request = _in_progress(log_request())

    post_action(login(alice), privacy_request, "ask_fee", note="Excessive.", fee_amount="15.00")

    privacy_request.refresh_from_db()
    assert privacy_request.waiting_for == WaitingFor.FEE
    assert privacy_request.fee_amount == Decimal("15.00")


def test_verifying_an_identity_starts_the_work(login, imgwg, log_request):
    # imgwg's policy requires identity verification for access; IMG's only may ask for it.
    handler = make_member("hana", imgwg, Role.HANDLER)
    privacy_request = log_request(organization=imgwg, jurisdiction="US-CA")
    assert privacy_request.identity_status == IdentityStatus.PENDING

    response = post_action(
        login(handler),
        privacy_request,
        "verify_identity",
        method="data_points",
        how="Matched the account email.",
    )

    assert response.status_code == 302
    privacy_request.refresh_from_db()
    assert privacy_request.identity_status == IdentityStatus.VERIFIED
    assert privacy_request.status == Status.IN_PROGRESS
    event = privacy_request.events.get(kind=EventKind.IDENTITY_VERIFIED)
    assert (event.data["method"], event.data["how"]) == (
        "data_points",
        "Matched the account email.",
    )


def test_assigning_offers_only_members_who_may_act(
    login, alice, olivia, audrey, charlie, log_request
):
    privacy_request = log_request()
    client = login(alice)

    form = client.get(change_url(privacy_request)).context["actions"]
    assign = next(shown.form for shown in form if shown.action.name == "assign")
    choices = set(assign.fields["assignee"].queryset.values_list("username", flat=True))
    response = post_action(client, privacy_request, "assign", assignee=olivia.pk)

    assert choices == {"alice", "olivia"}  # not the auditor, not another tenant's handler
    assert response.status_code == 302
    privacy_request.refresh_from_db()
    assert privacy_request.assignee == olivia
    assert privacy_request.events.filter(kind=EventKind.ASSIGNED).exists()


def test_assigning_another_tenants_user_is_refused_by_the_form(login, alice, charlie, log_request):
    privacy_request = log_request()

    response = post_action(login(alice), privacy_request, "assign", assignee=charlie.pk)

    assert response.status_code == 200
    assert "assignee" in response.context["refused"].form.errors
    privacy_request.refresh_from_db()
    assert privacy_request.assignee is None


def test_partial_fulfilment_records_the_exemptions_relied_on(login, alice, log_request):
    privacy_request = _in_progress(log_request())
    exemption = privacy_request.right.exemptions.get()

    post_action(
        login(alice),
        privacy_request,
        "partially_fulfil",
        reason="Repetitive: the third copy this month.",
        exemptions=[exemption.pk],
    )

    privacy_request.refresh_from_db()
    assert list(privacy_request.exemptions.all()) == [exemption]
    assert privacy_request.outcome_reason == "Repetitive: the third copy this month."


# -- Refusals --------------------------------------------------------------------------------------


def test_a_refused_action_shows_the_message_keeps_the_input_and_writes_nothing(
    login, alice, log_request
):
    privacy_request = log_request()  # received: it cannot be fulfilled before work starts
    events = RequestEvent.objects.count()

    response = post_action(login(alice), privacy_request, "fulfil", note="Sent the copy today.")

    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot become" in page  # the service's TransitionError message
    assert "Sent the copy today." in page  # what was typed, kept
    assert response.context["refused"].open
    assert RequestEvent.objects.count() == events
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.RECEIVED


def test_an_extension_the_law_does_not_allow_is_refused_with_the_reason(login, alice, log_request):
    # 1798.83 through the designated mailing address, labelled: 30 days, no extension.
    privacy_request = _in_progress(
        log_request(
            right_kind="shine_the_light",
            channel_kind="postal_mail",
            jurisdiction="US-CA",
            message="Your California Privacy Rights: whom did you give my data to?",
        )
    )
    due = privacy_request.due_date

    response = post_action(login(alice), privacy_request, "extend", reason="We are busy.")

    page = response.content.decode()
    assert "cannot be extended" in page
    assert "We are busy." in page
    privacy_request.refresh_from_db()
    assert (privacy_request.due_date, privacy_request.extended) == (due, False)
    assert not privacy_request.events.filter(kind=EventKind.EXTENDED).exists()


def test_an_invalid_form_is_shown_again_with_its_errors(login, alice, log_request):
    privacy_request = _in_progress(log_request())
    events = RequestEvent.objects.count()

    response = post_action(login(alice), privacy_request, "deny", reason="")

    assert response.status_code == 200
    assert "reason" in response.context["refused"].form.errors
    assert RequestEvent.objects.count() == events


def test_an_unknown_action_is_404_and_a_get_is_405(login, alice, log_request):
    privacy_request = log_request()
    client = login(alice)

    assert client.post(act_url(privacy_request, "delete_everything")).status_code == 404
    assert client.get(act_url(privacy_request, "start")).status_code == 405


def test_actions_need_the_csrf_token(alice, log_request):
    privacy_request = log_request()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(act_url(privacy_request, "start"))

    assert response.status_code == 403
    assert privacy_request.events.count() == 1


# -- What the page shows ---------------------------------------------------------------------------


def test_only_the_actions_the_status_allows_are_offered(login, alice, log_request):
    client = login(alice)
    received = log_request()
    closed = services.request_withdraw(request=log_request(), actor=None)

    offered = {s.action.name for s in client.get(change_url(received)).context["actions"]}
    closing = {s.action.name for s in client.get(change_url(received)).context["closing_actions"]}
    closed_page = client.get(change_url(closed))

    assert "start" in offered and "requester_answered" not in offered
    assert {"withdraw", "close", "deny"} <= closing and "fulfil" not in closing
    assert not closed_page.context["actions"] and not closed_page.context["closing_actions"]
    assert "no action is left" in closed_page.content.decode()


@pytest.mark.parametrize(
    ("received_at", "tone", "words"),
    [
        (dt.datetime(2026, 1, 12, 15, tzinfo=dt.UTC), "overdue", "days overdue"),
        (dt.datetime(2026, 2, 5, 15, tzinfo=dt.UTC), "soon", "days left"),
        (NOW - dt.timedelta(hours=1), "ok", "days left"),
    ],
)
def test_the_deadline_is_shown_in_colour_and_in_words(
    login, alice, log_request, received_at, tone, words
):
    privacy_request = log_request(received_at=received_at)

    page = login(alice).get(change_url(privacy_request)).content.decode()

    assert f"deadline deadline-{tone}" in page
    assert words in page
    assert escape(privacy_request.deadline_basis) in page  # the basis, in words


def test_the_page_quotes_the_policy_and_shows_flags_and_target(login, alice, log_request):
    # Mailed without the label the policy demands: flagged, and the statute's outer limit.
    privacy_request = log_request(
        right_kind="shine_the_light", channel_kind="postal_mail", jurisdiction="US-CA"
    )
    services.request_set_target(request=privacy_request, actor=None, target=dt.date(2026, 3, 16))

    page = login(alice).get(change_url(privacy_request)).content.decode()

    assert escape(privacy_request.right.clause) in page
    assert "required label missing" in page.lower()
    assert "Your California Privacy Rights" in page  # the flag's message
    assert "Internal target" in page and "not a legal deadline" in page
