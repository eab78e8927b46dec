"""Closing a request one of whose letters was issued but never sent asks staff to confirm that
they know: once the request is closed, nothing reminds anyone that the requester never got it.
Without the confirmation the form says so and keeps what was typed; nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dsar.letters.models import Letter
from dsar.letters.services import letter_issue, letter_send
from dsar.requests import services
from dsar.requests.models import PrivacyRequest, RequestEvent, Status
from tests.workspace.conftest import change_url
from tests.workspace.test_actions import post_action

pytestmark = pytest.mark.django_db

REASON = "Your copy is in the letter we sent."
NOTE = "Checked the three systems."


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def in_progress(log_request, alice) -> PrivacyRequest:
    return services.request_start(request=log_request(), actor=alice)


def _closing_fields(action: str) -> dict[str, str]:
    fields = {"reason": REASON, "note": NOTE}
    if action == "close":
        fields["as_status"] = Status.CLOSED_DUPLICATE.value
    return fields


def _closing_forms(client, privacy_request) -> dict[str, Any]:
    response = client.get(change_url(privacy_request))
    return {s.action.name: s.form for s in response.context["closing_actions"]}


def test_without_an_unsent_letter_nothing_more_is_asked(login, alice, in_progress):
    forms = _closing_forms(login(alice), in_progress)

    assert forms and all("confirm_unsent_letters" not in form.fields for form in forms.values())


@pytest.mark.parametrize("action", ["fulfil", "partially_fulfil", "deny", "withdraw", "close"])
def test_an_issued_letter_not_sent_must_be_confirmed_before_closing(
    login, alice, in_progress, action
):
    letter = letter_issue(request=in_progress, kind="acknowledgement", actor=alice)
    client = login(alice)
    form = _closing_forms(client, in_progress)[action]
    assert str(form.fields["confirm_unsent_letters"].label) == (
        f"I know letter {letter.reference} (acknowledgement of receipt) was issued but not sent"
    )
    assert form.fields["confirm_unsent_letters"].required
    events = RequestEvent.objects.count()

    refused = post_action(client, in_progress, action, **_closing_fields(action))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert (
        f"Letter {letter.reference} (acknowledgement of receipt) was issued but never sent to "
        "the requester: send it first, or tick the box to close the request anyway."
    ) in page
    assert REASON in page and NOTE in page  # what was typed is kept
    assert refused.context["refused"].open
    assert RequestEvent.objects.count() == events
    in_progress.refresh_from_db()
    assert in_progress.is_open

    done = post_action(
        client, in_progress, action, **_closing_fields(action), confirm_unsent_letters="on"
    )

    assert done.status_code == 302
    in_progress.refresh_from_db()
    assert not in_progress.is_open


def test_a_letter_sent_by_email_needs_no_confirmation(login, alice, in_progress):
    letter = letter_issue(request=in_progress, kind="acknowledgement", actor=alice)
    letter_send(letter=letter, actor=alice)

    forms = _closing_forms(login(alice), in_progress)

    assert forms and all("confirm_unsent_letters" not in form.fields for form in forms.values())


def test_a_letter_corrected_by_a_later_one_is_not_asked_about(login, alice, in_progress):
    first = letter_issue(request=in_progress, kind="acknowledgement", actor=alice)
    correction = letter_issue(
        request=in_progress, kind="acknowledgement", actor=alice, corrects=first
    )

    form = _closing_forms(login(alice), in_progress)["fulfil"]

    label = str(form.fields["confirm_unsent_letters"].label)
    assert correction.reference in label and f"{first.reference} " not in label
    assert Letter.objects.filter(request=in_progress).count() == 2
