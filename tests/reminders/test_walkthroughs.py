"""Requests of each deadline rule walked through their reminders with the clock moved forward.

The sweep runs every eight hours of UTC (hourly around the DST changes) and each test checks who
got which email when, in the organization's local time. Reminders go out from 08:00 local; a
reminder day that falls on a weekend or a holiday of the organization's calendar moves to the
working day before; several offsets due at once give one reminder, the most urgent; overdue
escalations go to the privacy officer too, every working day.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dsar.organizations.models import Role
from dsar.reminders import jobs
from dsar.reminders.models import Reminder, ReminderKind
from tests.reminders.conftest import make_member, make_org, make_request, summaries, utc

pytestmark = pytest.mark.django_db

D = datetime.date
# Runs at 00:00, 08:00 and 16:00 UTC: just after 08:00 local in London, New York and LA.
STEP = datetime.timedelta(hours=8)
HOUR = datetime.timedelta(hours=1)
sweep = jobs.send_due_reminders


@pytest.fixture
def sunny(db):
    """A Californian controller: Los Angeles time, California's state holidays."""
    org = make_org("sunny", time_zone="America/Los_Angeles", calendar="US-CA")
    return (
        org,
        make_member(org, "pat", Role.PRIVACY_OFFICER),
        make_member(org, "carl", Role.HANDLER),
    )


@pytest.fixture
def acme(db):
    """A New York controller on the federal holidays."""
    org = make_org("acme", time_zone="America/New_York", calendar="US")
    return (
        org,
        make_member(org, "nora", Role.PRIVACY_OFFICER),
        make_member(org, "ned", Role.HANDLER),
    )


def test_gdpr_reminders_skip_easter_and_escalate_on_working_days(london, clock):
    # Received Tue 3 Mar 2026: one month → Fri 3 Apr is Good Friday, Mon 6 Apr Easter Monday,
    # so due Tue 7 Apr (legal-rules.md §5 #11).
    request = make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.hank, reference="L-1")
    assert request.due_date == D(2026, 4, 7)

    sent = clock.every(sweep, utc(2026, 3, 29), utc(2026, 4, 12, 23), STEP)

    # BST since 29 Mar: 08:00 local is 07:00 UTC, so the 08:00 UTC run (09:00 local) sends.
    assert summaries(sent, "Europe/London") == [
        "2026-03-31 Tue 09:00 hank: L-1 deadline approaching: 7 days left",
        # The 3-day reminder (Sat 4 Apr) and the 1-day one (Easter Monday) both move back to
        # Thursday, the last working day before them: one email, the most urgent reminder.
        "2026-04-02 Thu 09:00 hank: L-1 deadline approaching: 5 days left",
        "2026-04-08 Wed 09:00 hank: L-1 deadline passed: 1 day late",
        "2026-04-08 Wed 09:00 olivia: L-1 deadline passed: 1 day late",
        "2026-04-09 Thu 09:00 hank: L-1 deadline passed: 2 days late",
        "2026-04-09 Thu 09:00 olivia: L-1 deadline passed: 2 days late",
        "2026-04-10 Fri 09:00 hank: L-1 deadline passed: 3 days late",
        "2026-04-10 Fri 09:00 olivia: L-1 deadline passed: 3 days late",
        # No escalation on Saturday or Sunday.
    ]
    assert list(
        Reminder.objects.filter(request=request)
        .order_by("claimed_at")
        .values_list("kind", "offset")
    ) == [("deadline", 7), ("deadline", 1), ("overdue", -1), ("overdue", -2), ("overdue", -3)]


def test_an_unassigned_request_reminds_the_privacy_team(london, clock):
    make_request(london.org, "gdpr", D(2026, 3, 3), reference="L-2")

    sent = clock.every(sweep, utc(2026, 3, 31), utc(2026, 3, 31, 23), STEP)

    # Privacy officers and handlers who receive reminders; not the auditor, not Milo.
    assert sorted(s.who for s in sent) == ["hank", "hannah", "olivia"]


def test_ccpa_acknowledgement_then_deadline_one_email_per_person(sunny, clock):
    org, _pat, carl = sunny
    # §7021: confirm within 10 business days (MLK Day 19 Jan skipped) → Tue 20 Jan; respond
    # within 45 calendar days → Thu 19 Feb (legal-rules.md §5 #16).
    late = make_request(org, "ccpa", D(2026, 1, 5), assignee=carl, reference="S-1")
    prompt = make_request(org, "ccpa", D(2026, 1, 5), assignee=carl, reference="S-2")
    prompt.acknowledged_at = timezone.now()
    prompt.save()
    assert (late.acknowledge_by, late.due_date) == (D(2026, 1, 20), D(2026, 2, 19))

    sent = clock.every(sweep, utc(2026, 1, 12), utc(2026, 1, 22, 23), STEP)
    late.acknowledged_at = utc(2026, 1, 22, 23)
    late.save()
    sent += clock.every(
        sweep, utc(2026, 1, 23, 16), utc(2026, 2, 9, 16), datetime.timedelta(days=1)
    )
    sent += clock.every(sweep, utc(2026, 2, 10), utc(2026, 2, 24, 23), STEP)

    # 08:00 PST is 16:00 UTC.
    assert summaries(sent, "America/Los_Angeles") == [
        # The 3- and 1-day reminders (Sat 17 Jan, MLK Day) both move back to Friday.
        "2026-01-16 Fri 08:00 carl: S-1 acknowledgement due: 4 days left",
        "2026-01-21 Wed 08:00 carl: S-1 acknowledgement overdue: 1 day late",
        "2026-01-21 Wed 08:00 pat: S-1 acknowledgement overdue: 1 day late",
        "2026-01-22 Thu 08:00 carl: S-1 acknowledgement overdue: 2 days late",
        "2026-01-22 Thu 08:00 pat: S-1 acknowledgement overdue: 2 days late",
        # Acknowledged on the 22nd: no more. Then both requests' deadline, one email per run.
        "2026-02-12 Thu 08:00 carl: S-1 deadline approaching: 7 days left; "
        "S-2 deadline approaching: 7 days left",
        # 3 days before is Mon 16 Feb, Presidents' Day, after Susan B. Anthony Day and a
        # Saturday: Friday.
        "2026-02-13 Fri 08:00 carl: S-1 deadline approaching: 6 days left; "
        "S-2 deadline approaching: 6 days left",
        "2026-02-18 Wed 08:00 carl: S-1 deadline approaching: 1 day left; "
        "S-2 deadline approaching: 1 day left",
        "2026-02-20 Fri 08:00 carl: S-1 deadline passed: 1 day late; "
        "S-2 deadline passed: 1 day late",
        "2026-02-20 Fri 08:00 pat: S-1 deadline passed: 1 day late; "
        "S-2 deadline passed: 1 day late",
        "2026-02-23 Mon 08:00 carl: S-1 deadline passed: 4 days late; "
        "S-2 deadline passed: 4 days late",
        "2026-02-23 Mon 08:00 pat: S-1 deadline passed: 4 days late; "
        "S-2 deadline passed: 4 days late",
        "2026-02-24 Tue 08:00 carl: S-1 deadline passed: 5 days late; "
        "S-2 deadline passed: 5 days late",
        "2026-02-24 Tue 08:00 pat: S-1 deadline passed: 5 days late; "
        "S-2 deadline passed: 5 days late",
    ]


def test_shine_the_light_across_a_month_end_and_cesar_chavez_day(sunny, clock):
    org, _pat, carl = sunny
    # 1798.83 at a designated address: 30 days, received Mon 2 Mar → Wed 1 Apr (§5 #20).
    request = make_request(org, "shine_the_light", D(2026, 3, 2), assignee=carl, reference="S-3")
    assert request.due_date == D(2026, 4, 1)

    sent = clock.every(sweep, utc(2026, 3, 23), utc(2026, 4, 2, 23), STEP)

    # PDT since 8 Mar: 08:00 local is 15:00 UTC, so the 16:00 UTC run (09:00 local) sends.
    assert summaries(sent, "America/Los_Angeles") == [
        "2026-03-25 Wed 09:00 carl: S-3 deadline approaching: 7 days left",
        "2026-03-27 Fri 09:00 carl: S-3 deadline approaching: 5 days left",  # Sun 29 → Fri
        "2026-03-30 Mon 09:00 carl: S-3 deadline approaching: 2 days left",  # Cesar Chavez Day
        "2026-04-02 Thu 09:00 carl: S-3 deadline passed: 1 day late",
        "2026-04-02 Thu 09:00 pat: S-3 deadline passed: 1 day late",
    ]


def test_can_spam_across_christmas_and_the_year_end(acme, clock):
    org, _nora, ned = acme
    # 10 business days from Tue 22 Dec, skipping 25 Dec and 1 Jan → Thu 7 Jan 2027 (§5 #19).
    request = make_request(org, "can_spam", D(2026, 12, 22), assignee=ned, reference="A-1")
    assert request.due_date == D(2027, 1, 7)

    sent = clock.every(sweep, utc(2026, 12, 28), utc(2027, 1, 8, 23), STEP)

    # 08:00 EST is 13:00 UTC: the 16:00 UTC run (11:00 local) sends.
    assert summaries(sent, "America/New_York") == [
        "2026-12-31 Thu 11:00 ned: A-1 deadline approaching: 7 days left",
        "2027-01-04 Mon 11:00 ned: A-1 deadline approaching: 3 days left",
        "2027-01-06 Wed 11:00 ned: A-1 deadline approaching: 1 day left",
        "2027-01-08 Fri 11:00 ned: A-1 deadline passed: 1 day late",
        "2027-01-08 Fri 11:00 nora: A-1 deadline passed: 1 day late",
    ]


def test_a_us_state_deadline_on_a_sunday(acme, clock):
    org, _nora, ned = acme
    # Virginia: 45 calendar days from Thu 15 Jan → Sun 1 Mar, not moved (§5 #21).
    request = make_request(org, "us_state", D(2026, 1, 15), assignee=ned, reference="A-2")
    assert request.due_date == D(2026, 3, 1)

    sent = clock.every(sweep, utc(2026, 2, 18), utc(2026, 3, 3, 23), STEP)

    assert summaries(sent, "America/New_York") == [
        "2026-02-20 Fri 11:00 ned: A-2 deadline approaching: 9 days left",  # Sun 22 → Fri
        "2026-02-26 Thu 11:00 ned: A-2 deadline approaching: 3 days left",
        "2026-02-27 Fri 11:00 ned: A-2 deadline approaching: 2 days left",  # Sat 28 → Fri
        "2026-03-02 Mon 11:00 ned: A-2 deadline passed: 1 day late",
        "2026-03-02 Mon 11:00 nora: A-2 deadline passed: 1 day late",
        "2026-03-03 Tue 11:00 ned: A-2 deadline passed: 2 days late",
        "2026-03-03 Tue 11:00 nora: A-2 deadline passed: 2 days late",
    ]


def test_new_york_reminders_follow_the_clock_change(acme, clock):
    org, _nora, ned = acme
    # 45 days from Sat 19 Sep → Tue 3 Nov 2026; clocks go back on Sun 1 Nov.
    request = make_request(org, "us_state", D(2026, 9, 19), assignee=ned, reference="A-3")
    assert request.due_date == D(2026, 11, 3)

    before = clock.run(sweep, utc(2026, 10, 27, 13))
    # The 3-day reminder (Sat 31 Oct → Fri 30 Oct): 08:00 EDT is 12:00 UTC.
    before += clock.every(sweep, utc(2026, 10, 30, 10), utc(2026, 10, 30, 13), HOUR)
    # The night of the change: 01:00-02:00 local happens twice; nothing is sent twice.
    night = clock.every(sweep, utc(2026, 10, 31, 20), utc(2026, 11, 1, 12), HOUR)
    # The 1-day reminder (Mon 2 Nov) and the first escalation: 08:00 EST is 13:00 UTC now.
    after = clock.every(sweep, utc(2026, 11, 2, 10), utc(2026, 11, 2, 14), HOUR)
    after += clock.every(sweep, utc(2026, 11, 4, 11), utc(2026, 11, 4, 14), HOUR)

    assert summaries(before + night + after, "America/New_York") == [
        "2026-10-27 Tue 09:00 ned: A-3 deadline approaching: 7 days left",
        "2026-10-30 Fri 08:00 ned: A-3 deadline approaching: 4 days left",
        "2026-11-02 Mon 08:00 ned: A-3 deadline approaching: 1 day left",
        "2026-11-04 Wed 08:00 ned: A-3 deadline passed: 1 day late",
        "2026-11-04 Wed 08:00 nora: A-3 deadline passed: 1 day late",
    ]
    assert [s.at.hour for s in after] == [13, 13, 13]
    assert night == []


def test_a_missed_week_catches_up_with_the_most_urgent_reminder(london, clock):
    make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.hank, reference="L-3")
    # Nothing ran between 27 Mar and Sun 5 Apr (Easter): Thu's 1-day reminder was missed.
    sent = clock.every(sweep, utc(2026, 3, 26, 8), utc(2026, 3, 26, 8), HOUR)
    sent += clock.every(sweep, utc(2026, 4, 5, 12), utc(2026, 4, 5, 12), HOUR)

    assert summaries(sent, "Europe/London") == [
        # 26 Mar is not yet 7 days before: nothing.
        # The first run after the outage sends what is due, once: the 1-day reminder.
        "2026-04-05 Sun 13:00 hank: L-3 deadline approaching: 2 days left",
    ]
    assert list(Reminder.objects.values_list("kind", "offset")) == [(ReminderKind.DEADLINE, 1)]


def test_a_moved_deadline_gets_its_own_reminders(london, clock):
    request = make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.hank, reference="L-4")
    sent = clock.every(sweep, utc(2026, 3, 31, 8), utc(2026, 3, 31, 8), HOUR)
    # Extended by two months (request_extend changes due_date; the sweep only reads it).
    request.due_date, request.extended = D(2026, 6, 3), True
    request.save()
    sent += clock.every(sweep, utc(2026, 4, 2, 8), utc(2026, 4, 8, 8), datetime.timedelta(days=1))
    sent += clock.every(sweep, utc(2026, 5, 27, 8), utc(2026, 5, 27, 8), HOUR)

    assert summaries(sent, "Europe/London") == [
        "2026-03-31 Tue 09:00 hank: L-4 deadline approaching: 7 days left",
        "2026-05-27 Wed 09:00 hank: L-4 deadline approaching: 7 days left",
    ]


def test_an_assignee_always_hears_of_their_requests_and_a_leaver_passes_them_on(london, clock):
    mine = make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.milo, reference="L-5")
    gone = make_request(london.org, "gdpr", D(2026, 3, 3), assignee=london.hannah, reference="L-6")
    london.hannah.is_active = False
    london.hannah.save()

    sent = clock.every(sweep, utc(2026, 3, 31, 8), utc(2026, 3, 31, 8), HOUR)

    # Milo turned off team reminders but is the assignee; Hannah left, so her request goes to
    # the team who receive reminders (Olivia and Hank).
    assert summaries(sent, "Europe/London") == [
        "2026-03-31 Tue 09:00 hank: L-6 deadline approaching: 7 days left",
        "2026-03-31 Tue 09:00 milo: L-5 deadline approaching: 7 days left",
        "2026-03-31 Tue 09:00 olivia: L-6 deadline approaching: 7 days left",
    ]
    assert mine.reminders.get().notifications.get().user == london.milo
    assert gone.reminders.get().notifications.count() == 2


def test_closed_requests_and_requests_without_dates_are_not_reminded(london, clock):
    make_request(
        london.org,
        "gdpr",
        D(2026, 3, 3),
        assignee=london.hank,
        status="fulfilled",
        closed_at=utc(2026, 3, 20),
    )
    make_request(
        london.org, None, D(2026, 3, 3), assignee=london.hank, internal_target=D(2026, 3, 17)
    )

    assert (
        clock.every(sweep, utc(2026, 3, 16), utc(2026, 4, 14), datetime.timedelta(hours=12)) == []
    )


@pytest.mark.parametrize(
    ("rule", "received", "due"),
    [
        # legal-rules.md §5 #18 (with California's holidays), #20, #23, #22.
        ("ccpa_opt_out", D(2026, 11, 20), D(2026, 12, 15)),
        ("shine_the_light_undesignated", D(2026, 3, 2), D(2026, 7, 30)),
        ("lgpd", D(2026, 5, 4), D(2026, 5, 19)),
        ("pipeda", D(2026, 9, 1), D(2026, 10, 1)),
    ],
)
def test_the_other_rules_get_their_reminders_too(rule, received, due, clock, db):
    org = make_org("world", time_zone="UTC")
    wendy = make_member(org, "wendy", Role.HANDLER)
    request = make_request(org, rule, received, assignee=wendy, reference="W-1")
    assert request.due_date == due

    sent = clock.every(
        sweep,
        utc(due.year, due.month, due.day, 9) - datetime.timedelta(days=8),
        utc(due.year, due.month, due.day, 9) - datetime.timedelta(days=6),
        datetime.timedelta(days=1),
    )

    # Each of these deadlines falls on a weekday whose 7-day reminder day is a weekday too.
    assert summaries(sent, "UTC") == [
        f"{due - datetime.timedelta(days=7):%Y-%m-%d %a} 09:00 wendy: "
        "W-1 deadline approaching: 7 days left"
    ]
