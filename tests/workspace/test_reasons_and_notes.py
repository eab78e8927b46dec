"""What the requester is told and what only staff read: every closing action has a field for the
reasons given to the requester (``outcome_reason``: their status page and letters) and a separate
internal note (the timeline only), each labelled as such; the "ask the requester" forms say that
the requester is shown their text."""

from __future__ import annotations

import pytest

from dsar.requests import services
from dsar.requests.models import EventKind, PrivacyRequest, Status, WaitingFor
from tests.workspace.conftest import change_url
from tests.workspace.test_actions import post_action

pytestmark = pytest.mark.django_db

REQUESTER_LABEL = "Reasons given to the requester — shown on their status page and in letters"
NOTE_LABEL = "Internal note (staff only, never shown to the requester)"
CLOSING = ["fulfil", "partially_fulfil", "deny", "withdraw", "close"]
REASON = "We hold no data about you beyond your account."
NOTE = "INTERNAL-ZX9 call legal before replying"


def _in_progress(r: PrivacyRequest) -> PrivacyRequest:
    return services.request_start(request=r, actor=None)


def test_every_closing_form_labels_the_requesters_reasons_apart_from_the_internal_note(
    login, alice, log_request
):
    privacy_request = _in_progress(log_request())

    response = login(alice).get(change_url(privacy_request))

    forms = {shown.action.name: shown.form for shown in response.context["closing_actions"]}
    assert set(forms) == set(CLOSING)
    for name, form in forms.items():
        assert form.fields["reason"].label == REQUESTER_LABEL, name
        assert form.fields["note"].label == NOTE_LABEL, name
    page = response.content.decode()
    assert page.count(REQUESTER_LABEL) == len(CLOSING) and page.count(NOTE_LABEL) == len(CLOSING)


@pytest.mark.parametrize("action", CLOSING)
def test_the_reason_goes_to_the_requester_and_the_note_stays_on_the_timeline(
    login, alice, log_request, action
):
    privacy_request = log_request()
    if action != "close":
        privacy_request = _in_progress(privacy_request)
    fields = {"reason": REASON, "note": NOTE}
    if action == "close":
        fields["as_status"] = Status.CLOSED_DUPLICATE.value

    response = post_action(login(alice), privacy_request, action, **fields)

    assert response.status_code == 302
    privacy_request.refresh_from_db()
    assert not privacy_request.is_open
    assert privacy_request.outcome_reason == REASON  # what the status page and letters print
    event = privacy_request.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert (event.data["reason"], event.data["note"], event.actor) == (REASON, NOTE, alice)
    page = login(alice).get(change_url(privacy_request)).content.decode()
    timeline = page.split('id="timeline"')[1]
    assert NOTE in timeline and "Internal note:" in timeline  # staff read it, marked as theirs
    facts = page.split('id="request-heading"')[1].split("</section>")[0]
    assert REASON in facts and NOTE not in facts


def test_a_fulfilment_with_only_a_note_tells_the_requester_nothing_of_it(login, alice, log_request):
    privacy_request = _in_progress(log_request())

    post_action(login(alice), privacy_request, "fulfil", note=NOTE)

    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.FULFILLED
    assert privacy_request.outcome_reason == ""


def test_a_denial_without_reasons_for_the_requester_is_refused_even_with_a_note(
    login, alice, log_request
):
    privacy_request = _in_progress(log_request())

    response = post_action(login(alice), privacy_request, "deny", reason="", note=NOTE)

    assert response.status_code == 200
    form = response.context["refused"].form
    assert "reason" in form.errors
    assert NOTE in response.content.decode()  # what was typed is kept
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.IN_PROGRESS


@pytest.mark.parametrize("action", ["ask_clarification", "ask_identity", "ask_fee"])
def test_the_ask_forms_say_the_requester_is_shown_the_text(login, alice, log_request, action):
    privacy_request = _in_progress(log_request())

    response = login(alice).get(change_url(privacy_request))

    form = next(s.form for s in response.context["actions"] if s.action.name == action)
    assert "the requester is shown this text" in str(form.fields["note"].label)
    assert "status page" in str(form.fields["note"].help_text)


def test_the_timeline_marks_what_the_requester_was_asked(login, alice, log_request):
    privacy_request = services.request_ask_requester(
        request=_in_progress(log_request()),
        actor=alice,
        waiting_for=WaitingFor.CLARIFICATION,
        note="Which of your two accounts?",
    )

    page = login(alice).get(change_url(privacy_request)).content.decode()

    timeline = page.split('id="timeline"')[1]
    assert "Shown to the requester:" in timeline and "Which of your two accounts?" in timeline
