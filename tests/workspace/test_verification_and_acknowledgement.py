"""Verifying an identity records how (a ``VerificationMethod``) and with what; recording an
acknowledgement of receipt says how and when, and stops the "acknowledgement overdue" reminders
of a Californian's request (Cal. Code Regs. tit. 11 §7021(a))."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from time_machine import TimeMachineFixture

from dsar.organizations.models import Role
from dsar.reminders import jobs
from dsar.requests.models import EventKind, IdentityStatus, RequestEvent, VerificationMethod
from tests.workspace.conftest import change_url, make_member
from tests.workspace.test_actions import post_action

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def _offered(client, privacy_request) -> set[str]:
    response = client.get(change_url(privacy_request))
    return {shown.action.name for shown in response.context["actions"]}


# -- Identity --------------------------------------------------------------------------------------


def test_the_verify_form_asks_how_and_with_what(login, imgwg, log_request):
    handler = make_member("hana", imgwg, Role.HANDLER)
    privacy_request = log_request(organization=imgwg, jurisdiction="US-CA")

    response = login(handler).get(change_url(privacy_request))

    form = next(s.form for s in response.context["actions"] if s.action.name == "verify_identity")
    offered = [value for value, _label in form.fields["method"].choices if value]
    assert offered == list(VerificationMethod.values)
    assert "email" not in " ".join(offered)  # confirming an address is not a verification
    assert form.fields["how"].required and form.fields["method"].required


def test_the_timeline_shows_how_the_identity_was_verified_and_with_what(login, imgwg, log_request):
    handler = make_member("hana", imgwg, Role.HANDLER)
    privacy_request = log_request(organization=imgwg, jurisdiction="US-CA")
    client = login(handler)

    response = post_action(
        client, privacy_request, "verify_identity", method="document", how="Passport seen on video"
    )

    assert response.status_code == 302
    privacy_request.refresh_from_db()
    assert privacy_request.identity_status == IdentityStatus.VERIFIED
    timeline = client.get(change_url(privacy_request)).content.decode().split('id="timeline"')[1]
    assert "identity document seen" in timeline and "Passport seen on video" in timeline


def test_a_verification_without_its_method_is_refused_and_writes_nothing(login, imgwg, log_request):
    handler = make_member("hana", imgwg, Role.HANDLER)
    privacy_request = log_request(organization=imgwg, jurisdiction="US-CA")
    events = RequestEvent.objects.count()

    response = post_action(
        login(handler), privacy_request, "verify_identity", method="", how="Looked fine"
    )

    assert response.status_code == 200
    assert "method" in response.context["refused"].form.errors
    assert "Looked fine" in response.content.decode()
    assert RequestEvent.objects.count() == events


# -- Acknowledgement -------------------------------------------------------------------------------


def test_recording_an_acknowledgement_says_how_and_when_in_the_organizations_time(
    login, alice, log_request
):
    privacy_request = log_request(jurisdiction="US-CA")
    client = login(alice)
    assert "acknowledge" in _offered(client, privacy_request)

    response = post_action(
        client,
        privacy_request,
        "acknowledge",
        how="By telephone: told how we verify and when to expect an answer",
        at="2026-03-02T08:45",
    )

    assert response.status_code == 302
    privacy_request.refresh_from_db()
    assert privacy_request.acknowledged_at == dt.datetime(2026, 3, 2, 8, 45, tzinfo=NEW_YORK)
    event = privacy_request.events.get(kind=EventKind.ACKNOWLEDGED)
    assert event.actor == alice
    assert event.data["how"].startswith("By telephone")
    assert "acknowledge" not in _offered(client, privacy_request)  # done once
    page = client.get(change_url(privacy_request)).content.decode()
    assert "2 Mar 2026, 08:45 EST (America/New_York)" in page


@pytest.mark.parametrize(
    ("at", "message"),
    [("2026-03-03T08:00", "in the future"), ("2026-03-01T08:00", "before the request arrived")],
)
def test_an_acknowledgement_at_an_impossible_time_is_refused(
    login, alice, log_request, at, message
):
    privacy_request = log_request(jurisdiction="US-CA")

    response = post_action(login(alice), privacy_request, "acknowledge", how="By phone", at=at)

    assert response.status_code == 200
    assert message in response.content.decode()
    privacy_request.refresh_from_db()
    assert privacy_request.acknowledged_at is None


def _acknowledgement_reminders(reference: str) -> list[str]:
    return [
        m.body
        for m in mail.outbox
        if reference in m.body and "acknowledgement overdue" in m.body.lower()
    ]


def test_recording_the_acknowledgement_stops_the_overdue_reminder(
    login, alice, log_request, time_machine: TimeMachineFixture
):
    # A Californian's request to know, received Mon 2 Mar 2026: receipt is confirmed within 10
    # business days, by Mon 16 Mar; on Tue 17 Mar the reminder says it is overdue.
    privacy_request = log_request(jurisdiction="US-CA")
    assert privacy_request.acknowledge_by == dt.date(2026, 3, 16)
    time_machine.move_to(dt.datetime(2026, 3, 17, 9, 30, tzinfo=NEW_YORK), tick=False)
    jobs.send_due_reminders()
    assert _acknowledgement_reminders(privacy_request.reference)

    time_machine.move_to(dt.datetime(2026, 3, 17, 11, 0, tzinfo=NEW_YORK), tick=False)
    response = post_action(
        login(alice),
        privacy_request,
        "acknowledge",
        how="By telephone, with how we verify and when to expect an answer",
        at="2026-03-17T10:15",
    )
    assert response.status_code == 302
    mail.outbox.clear()
    for day in (18, 19, 20):
        time_machine.move_to(dt.datetime(2026, 3, day, 9, 30, tzinfo=NEW_YORK), tick=False)
        jobs.send_due_reminders()

    assert _acknowledgement_reminders(privacy_request.reference) == []
