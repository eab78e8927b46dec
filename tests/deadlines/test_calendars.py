"""Working days, business-day counts and holiday calendars (expected values worked out by hand)."""

from __future__ import annotations

from datetime import date

import pytest

from dsar import deadlines
from dsar.deadlines import (
    add_business_days,
    business_days_between,
    calendar_name,
    days_left,
    is_working_day,
    next_working_day,
)

D = date


@pytest.mark.parametrize(
    ("day", "calendar", "working"),
    [
        pytest.param(D(2026, 3, 4), None, True, id="a Wednesday, weekends only"),
        pytest.param(D(2026, 3, 7), None, False, id="a Saturday, weekends only"),
        pytest.param(D(2026, 3, 8), "GB-ENG", False, id="a Sunday in England"),
        pytest.param(D(2025, 12, 25), None, True, id="Christmas without a calendar"),
        pytest.param(D(2025, 12, 25), "GB-ENG", False, id="Christmas in England"),
        pytest.param(D(2026, 12, 28), "GB-ENG", False, id="Boxing Day (observed) in England"),
        pytest.param(D(2026, 4, 6), "GB-ENG", False, id="Easter Monday in England"),
        pytest.param(D(2026, 3, 17), "IE", False, id="Saint Patrick's Day in Ireland"),
        pytest.param(D(2026, 3, 17), "GB-ENG", True, id="17 March in England"),
        pytest.param(D(2026, 11, 26), "US", False, id="Thanksgiving federal"),
        pytest.param(D(2026, 11, 27), "US", True, id="day after Thanksgiving federal"),
        pytest.param(D(2026, 11, 27), "US-CA", False, id="day after Thanksgiving California"),
        pytest.param(D(2026, 3, 31), "US-CA", False, id="Cesar Chavez Day California"),
        pytest.param(D(2026, 10, 12), "US-CA", True, id="no Columbus Day in California"),
        pytest.param(D(2021, 12, 31), "US", False, id="New Year observed in the year before"),
        # Executive-order closures are not federal holidays: the earlier date is the safe one.
        pytest.param(D(2025, 12, 24), "US", True, id="Christmas Eve 2025 federal"),
        pytest.param(D(2025, 12, 26), "US", True, id="26 December 2025 federal"),
    ],
)
def test_is_working_day(day, calendar, working):
    assert is_working_day(day, calendar) is working


@pytest.mark.parametrize(
    ("day", "calendar", "expected"),
    [
        pytest.param(D(2026, 3, 4), "GB-ENG", D(2026, 3, 4), id="itself when working"),
        pytest.param(D(2025, 12, 25), "GB-ENG", D(2025, 12, 29), id="Christmas to Monday"),
        pytest.param(D(2026, 4, 3), "GB-ENG", D(2026, 4, 7), id="Good Friday to Tuesday"),
        pytest.param(D(2026, 4, 3), None, D(2026, 4, 3), id="Good Friday, weekends only"),
        pytest.param(D(2026, 11, 26), "US-CA", D(2026, 11, 30), id="Thanksgiving California"),
        pytest.param(D(2026, 11, 26), "US", D(2026, 11, 27), id="Thanksgiving federal"),
    ],
)
def test_next_working_day(day, calendar, expected):
    assert next_working_day(day, calendar) == expected


@pytest.mark.parametrize(
    ("start", "n", "calendar", "expected"),
    [
        pytest.param(D(2026, 3, 4), 0, "US", D(2026, 3, 4), id="zero days"),
        pytest.param(D(2026, 3, 6), 1, None, D(2026, 3, 9), id="Friday + 1 is Monday"),
        pytest.param(D(2026, 3, 7), 1, None, D(2026, 3, 9), id="Saturday + 1 is Monday"),
        pytest.param(D(2025, 11, 20), 10, "US", D(2025, 12, 5), id="Thanksgiving federal"),
        pytest.param(D(2025, 11, 20), 10, "US-CA", D(2025, 12, 8), id="Thanksgiving California"),
        pytest.param(D(2026, 12, 22), 10, "US", D(2027, 1, 7), id="Christmas and New Year US"),
        pytest.param(D(2026, 12, 22), 5, "GB-ENG", D(2026, 12, 31), id="England, Boxing Day obs."),
        pytest.param(D(2026, 1, 20), -10, "US", D(2026, 1, 5), id="backwards over MLK Day"),
    ],
)
def test_add_business_days(start, n, calendar, expected):
    assert add_business_days(start, n, calendar) == expected


@pytest.mark.parametrize(
    ("a", "b", "calendar", "expected"),
    [
        pytest.param(D(2026, 3, 4), D(2026, 3, 4), "US", 0, id="same day"),
        pytest.param(D(2026, 3, 6), D(2026, 3, 9), None, 1, id="over a weekend"),
        pytest.param(D(2026, 11, 20), D(2026, 12, 14), "US", 15, id="Thanksgiving federal"),
        pytest.param(D(2026, 11, 20), D(2026, 12, 14), "US-CA", 14, id="Thanksgiving California"),
        pytest.param(D(2026, 12, 22), D(2027, 1, 7), "US", 10, id="winter holidays"),
        pytest.param(D(2026, 12, 14), D(2026, 11, 20), "US", -15, id="reversed is negative"),
    ],
)
def test_business_days_between(a, b, calendar, expected):
    assert business_days_between(a, b, calendar) == expected


@pytest.mark.parametrize("calendar", ["US", "US-CA", "GB-ENG", "IE", None])
@pytest.mark.parametrize(
    "start", [D(2025, 11, 20), D(2025, 12, 19), D(2026, 4, 2), D(2026, 12, 26)]
)
def test_business_days_between_undoes_add_business_days(start, calendar):
    for n in range(25):
        assert business_days_between(start, add_business_days(start, n, calendar), calendar) == n


@pytest.mark.parametrize(
    ("due", "today", "left"),
    [
        pytest.param(D(2026, 4, 15), D(2026, 4, 10), 5, id="five days left"),
        pytest.param(D(2026, 4, 15), D(2026, 4, 15), 0, id="due today"),
        pytest.param(D(2026, 4, 15), D(2026, 4, 20), -5, id="overdue"),
        pytest.param(D(2027, 1, 4), D(2026, 12, 28), 7, id="across the new year"),
    ],
)
def test_days_left(due, today, left):
    assert days_left(due, today) == left


@pytest.mark.parametrize(
    ("calendar", "name"),
    [
        ("GB-ENG", "England"),
        ("gb-eng", "England"),
        ("IE", "Ireland"),
        ("US", "the United States (federal)"),
        ("US-CA", "California"),
        ("DE", "Germany"),
        ("GB", "the United Kingdom"),
    ],
)
def test_calendar_name_in_words(calendar, name):
    assert calendar_name(calendar) == name


def test_holidays_are_cached_per_calendar_and_year_and_cannot_be_changed():
    first = deadlines._holidays("GB-ENG", 2026)
    assert deadlines._holidays("GB-ENG", 2026) is first
    assert first[D(2026, 4, 3)] == "Good Friday"
    with pytest.raises(TypeError):
        first[D(2026, 3, 4)] = "A day off"  # type: ignore[index]
