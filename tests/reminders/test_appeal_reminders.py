"""An appeal of a refusal is a request with its own deadline (e.g. Va. Code §59.1-577(C): 60
days), so the reminder sweep reminds whoever decides it, as it does for any request; a decided
appeal is reminded no more."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from dsar.organizations.models import Role
from dsar.policies.models import PolicyVersionStatus
from dsar.reminders import jobs
from dsar.requests import services
from dsar.requests.models import Status
from tests.reminders.conftest import local, make_member, make_org, make_request, summaries, utc

pytestmark = pytest.mark.django_db

D = datetime.date
NEW_YORK = "America/New_York"


@pytest.fixture
def acme(db):
    """A New York controller on the federal holidays, its policy in force since 2025."""
    org = make_org("acme", time_zone=NEW_YORK, calendar="US")
    org.policy_versions.update(status=PolicyVersionStatus.IN_FORCE, in_force_from=utc(2025, 1, 1))
    return (
        org,
        make_member(org, "nora", Role.PRIVACY_OFFICER),
        make_member(org, "ned", Role.HANDLER),
        make_member(org, "bea", Role.HANDLER),
    )


def test_an_open_appeal_is_reminded_to_its_decider_before_and_after_its_deadline(acme, clock):
    org, _nora, ned, bea = acme
    # Ned refused a Virginian's request; the requester appealed on Mon 2 Mar 2026 and the
    # appeal went to Bea, who did not refuse it. Due 60 days later: Fri 1 May 2026.
    refused = make_request(
        org, "us_state", D(2026, 2, 2), assignee=ned, reference="A-1", jurisdiction="US-VA"
    )
    with time_machine.travel(local(NEW_YORK, 2026, 2, 27, 15), tick=False):
        refused = services.request_deny(request=refused, actor=ned, reason="We hold no data.")
    with time_machine.travel(local(NEW_YORK, 2026, 3, 2, 10), tick=False):
        appeal = services.request_appeal(
            request=refused, received_at=local(NEW_YORK, 2026, 3, 2, 10), message="Look again."
        )
        appeal = services.request_assign(request=appeal, actor=_nora, assignee=bea)
    assert (appeal.right_kind, appeal.deadline_rule) == ("appeal", "appeal_60")
    assert appeal.due_date == D(2026, 5, 1)

    sent = clock.every(
        jobs.send_due_reminders, utc(2026, 4, 20), utc(2026, 5, 4, 23), datetime.timedelta(hours=8)
    )

    ref = appeal.reference
    assert summaries(sent, NEW_YORK) == [
        f"2026-04-24 Fri 12:00 bea: {ref} deadline approaching: 7 days left",
        f"2026-04-28 Tue 12:00 bea: {ref} deadline approaching: 3 days left",
        f"2026-04-30 Thu 12:00 bea: {ref} deadline approaching: 1 day left",
        f"2026-05-04 Mon 12:00 bea: {ref} deadline passed: 3 days late",
        f"2026-05-04 Mon 12:00 nora: {ref} deadline passed: 3 days late",
    ]
    # Nothing about the refused request, which is closed: only its appeal is waiting.
    assert not [s for s in sent if refused.reference in s.body]


def test_a_decided_appeal_is_reminded_no_more(acme, clock):
    org, nora, ned, bea = acme
    refused = make_request(
        org, "us_state", D(2026, 2, 2), assignee=ned, reference="A-2", jurisdiction="US-VA"
    )
    with time_machine.travel(local(NEW_YORK, 2026, 2, 27, 15), tick=False):
        refused = services.request_deny(request=refused, actor=ned, reason="We hold no data.")
    with time_machine.travel(local(NEW_YORK, 2026, 3, 2, 10), tick=False):
        appeal = services.request_appeal(
            request=refused, received_at=local(NEW_YORK, 2026, 3, 2, 10), message="Look again."
        )
        appeal = services.request_assign(request=appeal, actor=nora, assignee=bea)
        appeal = services.request_start(request=appeal, actor=bea)
    with time_machine.travel(local(NEW_YORK, 2026, 4, 20, 10), tick=False):
        appeal = services.request_fulfil(request=appeal, actor=bea)
    assert appeal.status == Status.FULFILLED

    sent = clock.every(
        jobs.send_due_reminders, utc(2026, 4, 20), utc(2026, 5, 4, 23), datetime.timedelta(hours=8)
    )

    assert sent == []
