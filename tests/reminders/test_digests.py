"""The daily digest: 08:00 local on working days, once per person, organization and local day."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from dsar.organizations.models import Role
from dsar.reminders import jobs
from dsar.reminders.models import Notification, NotificationStatus
from tests.reminders.conftest import make_member, make_org, make_request, summaries, utc

pytestmark = pytest.mark.django_db

D = datetime.date
HOUR = datetime.timedelta(hours=1)
LONDON = ZoneInfo("Europe/London")
digests = jobs.send_daily_digests


@pytest.fixture
def open_requests(london):
    return [
        make_request(london.org, "gdpr", D(2026, 10, 1), assignee=london.hank, reference="L-1"),
        make_request(london.org, "gdpr", D(2026, 10, 12), reference="L-2"),
        make_request(london.org, "gdpr", D(2026, 9, 10), assignee=london.hannah, reference="L-3"),
    ]


def test_it_follows_london_across_the_clock_change(london, open_requests, clock):
    # Hourly at :05 from Friday 23 Oct to Monday 26 Oct 2026; clocks go back on Sunday 25th.
    sent = clock.every(digests, utc(2026, 10, 23, 5, 5), utc(2026, 10, 26, 10, 5), HOUR)

    when = "%Y-%m-%d %a %H:%M"
    assert sorted(f"{s.at.astimezone(LONDON):{when}} {s.who}" for s in sent) == [
        # Friday: 08:05 BST is 07:05 UTC.
        "2026-10-23 Fri 08:05 hank",
        "2026-10-23 Fri 08:05 hannah",
        "2026-10-23 Fri 08:05 olivia",
        # No digest at the weekend; Monday: 08:05 GMT is 08:05 UTC.
        "2026-10-26 Mon 08:05 hank",
        "2026-10-26 Mon 08:05 hannah",
        "2026-10-26 Mon 08:05 olivia",
    ]
    assert [s.at.hour for s in sent] == [7, 7, 7, 8, 8, 8]
    # Once per person and local day, however often the job runs.
    assert Notification.objects.count() == 6


def test_it_lists_own_unassigned_and_for_the_officer_late_requests(london, open_requests, clock):
    sent = clock.run(digests, utc(2026, 10, 23, 7, 5))
    by_who = {s.who: s for s in sent}

    # Due: L-1 Mon 2 Nov (1 Nov is a Sunday), L-2 Thu 12 Nov, L-3 Mon 12 Oct (Hannah's, late).
    # Hank: his own and the unassigned one. Olivia: the unassigned one and, as privacy officer,
    # every late one. Most urgent first.
    assert by_who["hank"].lines() == [
        "L-1 legal deadline: 10 days left",
        "L-2 legal deadline: 20 days left",
    ]
    assert by_who["olivia"].lines() == [
        "L-3 legal deadline: 11 days late",
        "L-2 legal deadline: 20 days left",
    ]
    assert by_who["olivia"].subject == "London: 2 open requests, Fri 23 Oct"


def test_nobody_gets_an_empty_digest(london, clock):
    assert clock.run(digests, utc(2026, 10, 23, 7, 5)) == []
    assert set(Notification.objects.values_list("status", flat=True)) == {
        NotificationStatus.SKIPPED
    }


def test_each_organization_has_its_own_morning(london, open_requests, clock):
    tokyo = make_org("tokyo", time_zone="Asia/Tokyo", calendar="JP")
    make_member(tokyo, "hank", Role.HANDLER)
    make_request(tokyo, "gdpr", D(2026, 10, 1), assignee=london.hank, reference="T-1")

    # 08:05 in Tokyo on Friday is 23:05 UTC on Thursday.
    sent = clock.run(digests, utc(2026, 10, 22, 23, 5))

    assert summaries(sent, "Asia/Tokyo") == [
        "2026-10-23 Fri 08:05 hank: T-1 legal deadline: 10 days left"
    ]
