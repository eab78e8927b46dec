"""Organizations, staff personas and requests for the reminder tests.

Personas of "London" (Europe/London, England's bank holidays): Olivia the privacy officer,
Hank and Hannah the handlers, Audrey the auditor, and Milo, a handler who turned reminders off.
Each test makes the other organizations it needs with ``make_org``.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail

from dsar import deadlines
from dsar.organizations.models import Membership, Organization, Role
from dsar.policies.models import PolicyVersion
from dsar.requests.models import IdentityStatus, PrivacyRequest, Status

_numbers = itertools.count(1)


def make_org(slug: str, *, time_zone: str, calendar: str = "") -> Organization:
    organization = Organization.objects.create(
        slug=slug,
        name=slug.replace("-", " ").title(),
        reference_prefix=slug.replace("-", "")[:6].upper(),
        time_zone=time_zone,
        holiday_calendar=calendar,
    )
    PolicyVersion.objects.create(organization=organization, title="Privacy policy", text="…")
    return organization


def make_member(
    organization: Organization, username: str, role: Role, *, receives_digests: bool = True
) -> User:
    user = User.objects.filter(username=username).first() or User.objects.create_user(
        username, email=f"{username}@staff.example", first_name=username.title()
    )
    Membership.objects.create(
        user=user, organization=organization, role=role, receives_digests=receives_digests
    )
    return user


def make_request(
    organization: Organization,
    rule: str | None,
    received_on: datetime.date,
    *,
    assignee: User | None = None,
    ack: bool | None = None,
    status: Status = Status.IN_PROGRESS,
    identity: IdentityStatus = IdentityStatus.NOT_REQUIRED,
    received_at: datetime.datetime | None = None,
    email: str = "ada@requester.example",
    reference: str = "",
    **fields: Any,
) -> PrivacyRequest:
    """A request whose deadline the engine computes, as intake would (CCPA also gets the
    10-business-day acknowledgement date)."""
    calendar = organization.holiday_calendar or None
    due = deadlines.due_date(rule, received_on, calendar=calendar) if rule else None
    ack = rule == "ccpa" if ack is None else ack
    acknowledge_by = deadlines.due_date("ccpa_ack", received_on, calendar=calendar) if ack else None
    if received_at is None:
        received_at = datetime.datetime.combine(
            received_on, datetime.time(10), tzinfo=ZoneInfo(organization.time_zone)
        )
    number = next(_numbers)
    return PrivacyRequest.objects.create(
        reference=reference or f"{organization.reference_prefix}-{received_on.year}-{number:05d}",
        organization=organization,
        policy_version=organization.policy_versions.get(),
        right_kind="access",
        channel_kind="email",
        received_at=received_at,
        received_on=received_on,
        clock_started_on=received_on,
        requester_name="Ada Lovelace",
        requester_email=email,
        status=status,
        identity_status=identity,
        assignee=assignee,
        due_date=due,
        deadline_rule=rule or "",
        acknowledge_by=acknowledge_by,
        **fields,
    )


@dataclass
class London:
    org: Organization
    olivia: User  # privacy officer
    hank: User  # handler
    hannah: User  # handler
    audrey: User  # auditor: never reminded
    milo: User  # handler who turned reminders off


@pytest.fixture
def london(db: Any) -> London:
    org = make_org("london", time_zone="Europe/London", calendar="GB-ENG")
    return London(
        org=org,
        olivia=make_member(org, "olivia", Role.PRIVACY_OFFICER),
        hank=make_member(org, "hank", Role.HANDLER),
        hannah=make_member(org, "hannah", Role.HANDLER),
        audrey=make_member(org, "audrey", Role.AUDITOR),
        milo=make_member(org, "milo", Role.HANDLER, receives_digests=False),
    )


_LINE = re.compile(
    r"^- (?P<ref>\S+) .*\n\s+(?P<what>[^:\n]+): [^\n]*?"
    r"(?P<days>\d+ days? (?:left|late)|due today)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Sent:
    """One email as the tests read it: when (UTC), to whom, and the references it lists."""

    at: datetime.datetime
    to: str
    subject: str
    body: str

    @property
    def who(self) -> str:
        return self.to.split("@")[0]

    def lines(self) -> list[str]:
        """The requests the email lists: "REF what: n days left"."""
        return [f"{m['ref']} {m['what']}: {m['days']}" for m in _LINE.finditer(self.body)]

    def summary(self, time_zone: str) -> str:
        """When (local), to whom, and what: the line tests compare."""
        when = self.at.astimezone(ZoneInfo(time_zone))
        return f"{when:%Y-%m-%d %a %H:%M} {self.who}: {'; '.join(self.lines())}"


class Clock:
    """Runs jobs at given instants and collects the emails each run sent."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []

    def run(self, job: Callable[[], Any], at: datetime.datetime) -> list[Sent]:
        before = len(mail.outbox)
        with time_machine.travel(at, tick=False):
            job()
        new = [
            Sent(at.astimezone(datetime.UTC), ", ".join(m.to), m.subject, m.body)
            for m in mail.outbox[before:]
        ]
        self.sent.extend(new)
        return new

    def every(
        self,
        job: Callable[[], Any],
        start: datetime.datetime,
        end: datetime.datetime,
        step: datetime.timedelta,
    ) -> list[Sent]:
        """Run ``job`` at start, start + step, … up to end (UTC instants, so a DST change
        neither repeats nor skips a run)."""
        found = []
        at = start
        while at <= end:
            found += self.run(job, at)
            at += step
        return found


@pytest.fixture
def clock() -> Iterator[Clock]:
    yield Clock()


def summaries(sent: list[Sent], time_zone: str) -> list[str]:
    """Sorted, so that the order of emails within one run does not matter."""
    return sorted(s.summary(time_zone) for s in sent)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def local(time_zone: str, *args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=ZoneInfo(time_zone))
