"""Requesters asked for proof of identity who have not sent it: one reminder after a day, then
closure. A request awaiting verification is the organization's turn: nothing is sent."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from dsar.reminders import jobs
from dsar.reminders.models import Notification, NotificationStatus, Reminder, ReminderKind
from dsar.requests.models import EventKind, IdentityStatus, Status, WaitingFor
from tests.reminders.conftest import make_request, utc

pytestmark = pytest.mark.django_db

RECEIVED = utc(2026, 5, 4, 15, 30)


@pytest.fixture
def unverified(london):
    return make_request(
        london.org,
        "gdpr",
        datetime.date(2026, 5, 4),
        received_at=RECEIVED,
        status=Status.WAITING_REQUESTER,
        waiting_for=WaitingFor.IDENTITY,
        waiting_since=datetime.date(2026, 5, 4),
        identity=IdentityStatus.PENDING,
        reference="L-9",
        email="ada@requester.example",
        language="es",
    )


def sweep_at(when):
    with time_machine.travel(when, tick=False):
        return jobs.send_due_reminders()


def requester_mail():
    return [m for m in mail.outbox if m.to == ["ada@requester.example"]]


def test_it_reminds_the_requester_once_after_a_day(unverified):
    assert sweep_at(RECEIVED + datetime.timedelta(hours=23, minutes=59))["nudges"] == 0

    assert sweep_at(RECEIVED + datetime.timedelta(hours=24))["nudges"] == 1
    sweep_at(RECEIVED + datetime.timedelta(days=3))

    [nudge] = requester_mail()
    # In the requester's language, with when the request will be closed (30 days after
    # receipt, in London).
    assert nudge.subject == "Confirme su identidad: su solicitud L-9 a London"
    assert "a más tardar el 3 de junio de 2026" in nudge.body
    reminder = Reminder.objects.get(kind=ReminderKind.VERIFY_NUDGE)
    assert reminder.sent_at == RECEIVED + datetime.timedelta(hours=24)
    event = unverified.events.get()
    assert (event.kind, event.summary) == (
        EventKind.REQUESTER_EMAILED,
        "Reminded the requester to verify their identity",
    )
    assert "ada@" not in str(event.data)  # events never hold personal data


def test_it_closes_an_unverified_request_with_a_notice(unverified):
    sweep_at(RECEIVED + datetime.timedelta(days=1))
    result = sweep_at(RECEIVED + datetime.timedelta(days=30))

    assert result["closed"] == 1
    unverified.refresh_from_db()
    assert (unverified.status, unverified.identity_status) == (
        Status.CLOSED_UNVERIFIABLE,
        IdentityStatus.FAILED,
    )
    _nudge, closed = requester_mail()
    assert closed.subject == "Su solicitud L-9 a London se ha cerrado"
    assert list(unverified.events.values_list("kind", "to_status")) == [
        (EventKind.REQUESTER_EMAILED, ""),
        (EventKind.STATUS_CHANGED, Status.CLOSED_UNVERIFIABLE),
        (EventKind.REQUESTER_EMAILED, ""),
    ]
    # Closed once, told once.
    assert sweep_at(RECEIVED + datetime.timedelta(days=31))["closed"] == 0
    assert len(requester_mail()) == 2


def test_a_request_verified_meanwhile_is_neither_reminded_nor_closed(unverified):
    unverified.identity_status = IdentityStatus.VERIFIED
    unverified.status = Status.IN_PROGRESS
    unverified.waiting_for, unverified.waiting_since = "", None
    unverified.save()

    sweep_at(RECEIVED + datetime.timedelta(days=1))
    sweep_at(RECEIVED + datetime.timedelta(days=30))

    assert requester_mail() == []
    assert Reminder.objects.filter(kind__in=["verify_nudge", "closed_unverified"]).count() == 0


def test_a_reminder_is_not_sent_once_the_requester_has_verified(unverified, settings):
    # Recorded, then the requester verifies before the email goes out (e.g. a retry later).
    settings.EMAIL_BACKEND = "tests.reminders.test_exactly_once.FlakyBackend"
    from tests.reminders.test_exactly_once import FlakyBackend

    FlakyBackend.calls, FlakyBackend.failures = 0, 1
    sweep_at(RECEIVED + datetime.timedelta(days=1))
    unverified.status, unverified.identity_status = Status.IN_PROGRESS, IdentityStatus.VERIFIED
    unverified.waiting_for, unverified.waiting_since = "", None
    unverified.save()

    assert sweep_at(RECEIVED + datetime.timedelta(days=1, minutes=5))["skipped"] == 1
    assert Notification.objects.get().status == NotificationStatus.SKIPPED
    assert requester_mail() == []


def test_a_request_received_long_ago_is_closed_without_a_late_reminder(unverified):
    sweep_at(RECEIVED + datetime.timedelta(days=40))

    [closed] = requester_mail()
    assert "cerrado" in closed.subject
    assert not Reminder.objects.filter(kind=ReminderKind.VERIFY_NUDGE).exists()


def test_requests_without_an_email_address_are_left_to_staff(london):
    make_request(
        london.org,
        "gdpr",
        datetime.date(2026, 5, 4),
        received_at=RECEIVED,
        status=Status.WAITING_REQUESTER,
        waiting_for=WaitingFor.IDENTITY,
        waiting_since=datetime.date(2026, 5, 4),
        identity=IdentityStatus.PENDING,
        email="",
    )

    result = sweep_at(RECEIVED + datetime.timedelta(days=31))

    assert (result["nudges"], result["closed"]) == (0, 0)


def test_a_request_awaiting_verification_is_the_organizations_turn(london):
    """Staff have not checked the identity nor asked for anything: the requester is neither
    reminded nor closed out for the organization's delay."""
    make_request(
        london.org,
        "gdpr",
        datetime.date(2026, 5, 4),
        received_at=RECEIVED,
        status=Status.AWAITING_VERIFICATION,
        identity=IdentityStatus.PENDING,
    )

    result = sweep_at(RECEIVED + datetime.timedelta(days=40))

    assert (result["nudges"], result["closed"]) == (0, 0)
    assert requester_mail() == []
