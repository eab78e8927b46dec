"""The pure date arithmetic of the sweep: the reminder day and the last deadline due on it."""

from __future__ import annotations

import datetime

import pytest

from dsar.reminders.claims import last_date_due, previous_working_day, reminder_day
from tests.reminders.conftest import utc

D = datetime.date


@pytest.mark.parametrize(
    ("now", "time_zone", "expected"),
    [
        # 08:00 BST is 07:00 UTC before the change on Sunday 25 Oct 2026, 08:00 UTC after it.
        (utc(2026, 10, 23, 6, 59), "Europe/London", D(2026, 10, 22)),
        (utc(2026, 10, 23, 7, 0), "Europe/London", D(2026, 10, 23)),
        (utc(2026, 10, 26, 7, 59), "Europe/London", D(2026, 10, 25)),
        (utc(2026, 10, 26, 8, 0), "Europe/London", D(2026, 10, 26)),
        # New York: 08:00 EDT = 12:00 UTC until 1 Nov 2026, 08:00 EST = 13:00 UTC from then.
        (utc(2026, 10, 30, 12, 0), "America/New_York", D(2026, 10, 30)),
        (utc(2026, 11, 2, 12, 30), "America/New_York", D(2026, 11, 1)),
        (utc(2026, 11, 2, 13, 0), "America/New_York", D(2026, 11, 2)),
        # Across a month and a year end: Auckland is already in the new year.
        (utc(2026, 12, 31, 20, 0), "Pacific/Auckland", D(2027, 1, 1)),
        (utc(2026, 12, 31, 20, 0), "America/Los_Angeles", D(2026, 12, 31)),
    ],
)
def test_it_starts_the_reminder_day_at_the_local_hour(now, time_zone, expected):
    assert reminder_day(now, time_zone, 8) == expected


@pytest.mark.parametrize(
    ("day", "calendar", "expected"),
    [
        (D(2026, 4, 6), "GB-ENG", D(2026, 4, 2)),  # Easter Monday, Good Friday, weekend → Thu
        (D(2026, 3, 31), "US-CA", D(2026, 3, 30)),  # Cesar Chavez Day
        (D(2026, 3, 31), "US", D(2026, 3, 31)),  # not a federal holiday
        (D(2026, 10, 25), None, D(2026, 10, 23)),  # Sunday → Friday
    ],
)
def test_it_moves_a_reminder_day_back_to_a_working_day(day, calendar, expected):
    assert previous_working_day(day, calendar) == expected


@pytest.mark.parametrize(
    ("day", "offset", "calendar", "expected"),
    [
        (D(2026, 3, 4), 7, None, D(2026, 3, 11)),  # Wednesday: plain day + 7
        # Friday: Monday's 1-day reminder (due Sunday) moves to Friday, so deadlines up to Monday.
        (D(2026, 2, 20), 1, None, D(2026, 2, 23)),
        (D(2026, 2, 20), 7, None, D(2026, 3, 1)),
        # Thursday before Easter: Good Friday and Easter Monday are England's bank holidays.
        (D(2026, 4, 2), 1, "GB-ENG", D(2026, 4, 7)),
        # …and a deadline on Thu 9 Apr has its 3-day reminder on Easter Monday, so Thursday too.
        (D(2026, 4, 2), 3, "GB-ENG", D(2026, 4, 9)),
        (D(2026, 4, 2), 1, None, D(2026, 4, 3)),  # no calendar: Good Friday is a working day
    ],
)
def test_it_finds_the_last_deadline_whose_reminder_is_due(day, offset, calendar, expected):
    assert last_date_due(day, offset, calendar) == expected
