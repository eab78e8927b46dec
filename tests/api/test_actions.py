"""Every action gives the same events through the API as through the staff page.

For each action, two requests are brought to the same state; a handler posts the staff page's
form on one, the API key posts the same input to the other. The events each call wrote must be
the same (kind, summary, statuses), except who acted: ``alice`` on the staff page, the key's
label (with no user) through the API. A refusal is the same message: on the staff form, and
as a 409 problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dsar.requests import services
from dsar.requests.models import PrivacyRequest, RequestEvent, WaitingFor
from tests.workspace.conftest import act_url

pytestmark = pytest.mark.django_db


def _as_is(r: PrivacyRequest) -> PrivacyRequest:
    return r


def _in_progress(r: PrivacyRequest) -> PrivacyRequest:
    return services.request_start(request=r, actor=None)


def _waiting(r: PrivacyRequest) -> PrivacyRequest:
    return services.request_ask_requester(
        request=_in_progress(r), actor=None, waiting_for=WaitingFor.IDENTITY, note="Your ID?"
    )


# (staff action, its form's fields, API path, API body, preparation)
CASES: list[tuple[str, dict[str, Any], str, dict[str, Any], Callable[..., Any]]] = [
    ("start", {}, "start", {}, _as_is),
    ("assign", {"assignee": "ALICE"}, "assign", {"assignee": "alice"}, _as_is),
    (
        "verify_identity",
        {"method": "document", "how": "passport seen"},
        "verify-identity",
        {"method": "document", "how": "passport seen"},
        _as_is,
    ),
    (
        "ask_clarification",
        {"note": "Which account?"},
        "ask-requester",
        {"waiting_for": "clarification", "note": "Which account?"},
        _in_progress,
    ),
    (
        "ask_identity",
        {"note": "A copy of an ID."},
        "ask-requester",
        {"waiting_for": "identity", "note": "A copy of an ID."},
        _in_progress,
    ),
    (
        "ask_fee",
        {"note": "Third copy this month.", "fee_amount": "15.00"},
        "ask-requester",
        {"waiting_for": "fee", "note": "Third copy this month.", "fee_amount": "15.00"},
        _in_progress,
    ),
    (
        "requester_answered",
        {"answered_on": "2026-03-02"},
        "requester-answered",
        {"answered_on": "2026-03-02"},
        _waiting,
    ),
    ("extend", {"reason": "Many systems."}, "extend", {"reason": "Many systems."}, _as_is),
    ("set_target", {"target": "2026-03-20"}, "set-target", {"target": "2026-03-20"}, _as_is),
    (
        "acknowledge",
        # The form reads a wall-clock time in Florida (UTC-5 in March): 13:30 UTC.
        {"how": "by telephone", "at": "2026-03-02T08:30"},
        "acknowledge",
        {"how": "by telephone", "at": "2026-03-02T13:30:00Z"},
        _as_is,
    ),
    ("fulfil", {"reason": "", "note": "sent"}, "fulfil", {"note": "sent"}, _in_progress),
    (
        "partially_fulfil",
        {"reason": "Some is exempt.", "note": "legal"},
        "partially-fulfil",
        {"reason": "Some is exempt.", "note": "legal"},
        _in_progress,
    ),
    ("deny", {"reason": "Exempt.", "note": ""}, "deny", {"reason": "Exempt."}, _as_is),
    (
        "withdraw",
        {"note": "By phone.", "reason": ""},
        "withdraw",
        {"note": "By phone."},
        _as_is,
    ),
    (
        "close",
        {"as_status": "closed_duplicate", "note": "", "reason": "Same as before."},
        "close",
        {"as_status": "closed_duplicate", "reason": "Same as before."},
        _as_is,
    ),
    # Refused by the service, on both sides: a request still received cannot be fulfilled.
    ("fulfil", {"reason": "", "note": ""}, "fulfil", {}, _as_is),
]


def _trail(r: PrivacyRequest, after: int) -> list[tuple[str, str, str, str]]:
    return [
        (e.kind, e.summary, e.from_status, e.to_status)
        for e in RequestEvent.objects.filter(request=r, pk__gt=after).order_by("pk")
    ]


@pytest.mark.parametrize(
    ("staff_action", "fields", "path", "body", "prepare"),
    CASES,
    ids=[f"{case[0]}-{n}" for n, case in enumerate(CASES)],
)
def test_the_api_writes_what_the_staff_page_writes(
    staff_action, fields, path, body, prepare, api, login, alice, img_key, log_request
):
    on_page = prepare(log_request(requester_email="page@example.com"))
    by_api = prepare(log_request(requester_email="api@example.com"))
    last = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    if fields.get("assignee") == "ALICE":
        fields = {"assignee": alice.pk}

    client = login(alice)
    form = {f"{staff_action}-{name}": value for name, value in fields.items()}
    page = client.post(act_url(on_page, staff_action), form)
    response = api("POST", f"/api/v1/requests/{by_api.reference}/{path}/", img_key, body)

    page_events, api_events = _trail(on_page, last), _trail(by_api, last)
    assert page_events == api_events
    if page.status_code == 302:
        assert response.status_code == 200, response.content
        assert page_events, "an action that succeeds writes an event"
        written = RequestEvent.objects.filter(request=by_api, pk__gt=last)
        assert {(e.actor_id, e.actor_label) for e in written} == {(None, "api:crm-sync")}
    else:
        # Refused on the page (its form shows the service's message): 409 with that message.
        assert response.status_code == 409, response.content
        assert response.json()["detail"] in page.content.decode()
        assert not page_events


def test_a_note_is_the_same_event_as_the_service_writes(api, img_key, log_request):
    r = log_request()
    response = api("POST", f"/api/v1/requests/{r.reference}/note/", img_key, {"text": "Called."})
    assert response.status_code == 200
    event = RequestEvent.objects.filter(request=r).latest("pk")
    assert (event.kind, event.summary, event.actor_label) == ("note", "Called.", "api:crm-sync")
