"""Due dates of every rule, as case tables.

Every expected date was worked out by hand from a calendar and the holiday lists of `holidays`
0.109 (the pinned version), never by calling the code under test. "§5 #n" is the worked example
n of legal-rules.md; the other cases add month ends, leap years, weekends and holidays.
"""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from datetime import date, datetime

import pytest

from dsar.deadlines import Deadline, Rule, Unit, compute, due_date, earliest, explain

D = date


def case(rule, received, due, *, calendar=None, extended=False, paused=(), id):
    return pytest.param(rule, received, calendar, extended, paused, due, id=id)


GDPR_CASES = [
    # The sourced pairs of §5 #1-#6; a working day on both sides of the Irish Sea.
    case("gdpr", D(2025, 9, 3), D(2025, 10, 3), id="s5-1 3 Sep -> 3 Oct"),
    case("gdpr", D(2025, 9, 3), D(2025, 10, 3), calendar="GB-ENG", id="s5-1 England"),
    case("gdpr", D(2025, 8, 1), D(2025, 9, 1), calendar="GB-ENG", id="s5-2 1 Aug -> 1 Sep"),
    case("gdpr", D(2026, 10, 31), D(2026, 11, 30), calendar="GB-ENG",
         id="s5-3 31 Oct (a Saturday) -> 30 Nov"),
    case("gdpr", D(2025, 1, 30), D(2025, 2, 28), id="s5-4 30 Jan -> 28 Feb"),
    case("gdpr", D(2024, 1, 30), D(2024, 2, 29), calendar="GB-ENG", id="s5-4 leap 2024"),
    case("gdpr", D(2028, 1, 30), D(2028, 2, 29), calendar="IE", id="s5-4 leap 2028"),
    case("gdpr", D(2025, 3, 31), D(2025, 4, 30), calendar="GB-ENG", id="s5-5 31 Mar -> 30 Apr"),
    case("gdpr", D(2025, 1, 31), D(2025, 2, 28), calendar="GB-ENG", id="s5-5 31 Jan -> 28 Feb"),
    case("gdpr", D(2024, 1, 31), D(2024, 2, 29), calendar="GB-ENG", id="s5-5 31 Jan -> 29 Feb"),
    case("gdpr", D(2026, 8, 25), D(2026, 9, 25), calendar="GB-ENG", id="s5-6 25 Aug -> 25 Sep"),
    case("gdpr", D(2028, 1, 31), D(2028, 2, 29), id="s5-6 31 Jan 2028 -> 29 Feb"),
    # §5 #7-#15: extensions, weekends and bank holidays.
    case("gdpr", D(2025, 9, 3), D(2025, 12, 3), calendar="GB-ENG", extended=True,
         id="s5-7 extended 3 Sep -> 3 Dec"),
    case("gdpr", D(2025, 10, 31), D(2025, 12, 1), calendar="GB-ENG",
         id="s5-8 30 Nov is a Sunday"),
    case("gdpr", D(2026, 1, 31), D(2026, 3, 2), calendar="GB-ENG", id="s5-9 28 Feb is a Saturday"),
    case("gdpr", D(2026, 1, 31), D(2026, 4, 30), calendar="GB-ENG", extended=True,
         id="s5-9 extended -> 30 Apr"),
    case("gdpr", D(2025, 11, 25), D(2025, 12, 29), calendar="GB-ENG",
         id="s5-10 Christmas, Boxing Day, weekend"),
    case("gdpr", D(2026, 3, 3), D(2026, 4, 7), calendar="GB-ENG", id="s5-11 Easter"),
    case("gdpr", D(2028, 1, 31), D(2028, 5, 2), calendar="GB-ENG", extended=True,
         id="s5-12 extended: Sunday 30 Apr, then May Day"),
    case("gdpr", D(2026, 3, 2), D(2026, 4, 8), calendar="GB-ENG",
         paused=[(D(2026, 3, 5), D(2026, 3, 10))], id="s5-13 clarification: 6 days"),
    case("gdpr", D(2026, 3, 10), D(2026, 4, 10), calendar="GB-ENG",
         id="s5-14 ID received 10 Mar is the new start"),
    case("gdpr", D(2026, 4, 30), D(2026, 6, 1), calendar="DE", id="s5-15 Germany, Saturday"),
    # 29 February, as receipt day and as due date.
    case("gdpr", D(2028, 2, 29), D(2028, 3, 29), calendar="GB-ENG", id="29 Feb 2028 -> 29 Mar"),
    case("gdpr", D(2024, 2, 29), D(2024, 4, 2), calendar="GB-ENG",
         id="29 Feb 2024 -> Good Friday 29 Mar -> 2 Apr"),
    case("gdpr", D(2024, 2, 29), D(2024, 3, 29), id="29 Feb 2024, weekends only: Good Friday"),
    case("gdpr", D(2025, 1, 29), D(2025, 2, 28), id="29 Jan 2025: no 29 Feb"),
    case("gdpr", D(2024, 1, 29), D(2024, 2, 29), id="29 Jan 2024: 29 Feb exists"),
    case("gdpr", D(2025, 11, 30), D(2026, 3, 2), extended=True,
         id="extended 30 Nov -> 28 Feb 2026, a Saturday"),
    case("gdpr", D(2027, 11, 30), D(2028, 2, 29), extended=True, id="extended into leap Feb"),
    # The 31st into 30-day months; across the year end.
    case("gdpr", D(2026, 5, 31), D(2026, 6, 30), calendar="GB-ENG", id="31 May (Sunday) -> 30 Jun"),
    case("gdpr", D(2025, 8, 31), D(2025, 9, 30), calendar="IE", id="31 Aug -> 30 Sep"),
    case("gdpr", D(2025, 12, 15), D(2026, 1, 15), calendar="GB-ENG", id="December -> January"),
    case("gdpr", D(2025, 11, 15), D(2026, 2, 16), calendar="GB-ENG", extended=True,
         id="extended across the year: Sunday 15 Feb"),
    # Receipt on a holiday does not matter; the due date alone is rolled.
    case("gdpr", D(2025, 12, 25), D(2026, 1, 26), calendar="IE", id="received on Christmas Day"),
    # Ireland against England: the same request, different holidays.
    case("gdpr", D(2026, 2, 17), D(2026, 3, 18), calendar="IE", id="IE Saint Patrick's Day"),
    case("gdpr", D(2026, 2, 17), D(2026, 3, 17), calendar="GB-ENG", id="ENG 17 Mar works"),
    case("gdpr", D(2026, 1, 2), D(2026, 2, 3), calendar="IE", id="IE Saint Brigid's Day"),
    case("gdpr", D(2026, 1, 2), D(2026, 2, 2), calendar="GB-ENG", id="ENG 2 Feb works"),
    case("gdpr", D(2025, 11, 26), D(2025, 12, 29), calendar="IE",
         id="IE Saint Stephen's Day, weekend"),
    case("gdpr", D(2026, 9, 26), D(2026, 10, 27), calendar="IE", id="IE October Bank Holiday"),
    case("gdpr", D(2026, 9, 26), D(2026, 10, 26), calendar="GB-ENG", id="ENG 26 Oct works"),
    # United States federal against California.
    case("gdpr", D(2026, 5, 19), D(2026, 6, 22), calendar="US", id="US Juneteenth"),
    case("gdpr", D(2026, 9, 12), D(2026, 10, 13), calendar="US", id="US Columbus Day"),
    case("gdpr", D(2026, 9, 12), D(2026, 10, 12), calendar="US-CA", id="CA: 12 Oct works"),
    case("gdpr", D(2026, 10, 27), D(2026, 11, 30), calendar="US-CA",
         id="CA Day After Thanksgiving"),
    case("gdpr", D(2026, 10, 27), D(2026, 11, 27), calendar="US", id="US 27 Nov works"),
    case("gdpr", D(2025, 11, 15), D(2026, 2, 17), calendar="US", extended=True,
         id="US extended: Sunday, then Washington's Birthday"),
    # Clarification pauses (UK s.54(3C) model): added to the unrolled date, then rolled.
    case("gdpr", D(2026, 3, 2), D(2026, 4, 9), calendar="GB-ENG",
         paused=[(D(2026, 3, 5), D(2026, 3, 10)), (D(2026, 3, 20), D(2026, 3, 20))],
         id="two pauses: 7 days"),
    case("gdpr", D(2026, 3, 2), D(2026, 4, 10), calendar="GB-ENG",
         paused=[(D(2026, 3, 5), D(2026, 3, 10)), (D(2026, 3, 8), D(2026, 3, 12))],
         id="overlapping pauses count once: 8 days"),
    case("gdpr", D(2026, 2, 27), D(2026, 4, 7), calendar="GB-ENG",
         paused=[(D(2026, 3, 2), D(2026, 3, 8))], id="pause lands on Good Friday"),
    case("gdpr", D(2026, 3, 2), D(2026, 4, 7), calendar="GB-ENG",
         paused=[(D(2026, 3, 5), D(2026, 3, 5))], id="answered the same day: 1 day"),
    case("gdpr", D(2026, 3, 2), D(2026, 6, 8), calendar="GB-ENG", extended=True,
         paused=[(D(2026, 3, 5), D(2026, 3, 10))], id="extended and paused"),
]  # fmt: skip

DAY_CASES = [
    case("ccpa", D(2026, 3, 1), D(2026, 4, 15), id="ccpa 1 Mar -> 15 Apr"),
    case("ccpa", D(2026, 1, 5), D(2026, 2, 19), id="s5-16 ccpa 45 days"),
    case("ccpa", D(2026, 1, 5), D(2026, 4, 5), extended=True, id="s5-16 ccpa 90 days, a Sunday"),
    case("ccpa", D(2025, 11, 20), D(2026, 1, 4), id="s5-17 ccpa 45 days"),
    case("ccpa", D(2025, 11, 20), D(2026, 2, 18), extended=True, id="s5-17 ccpa 90 days"),
    case("ccpa", D(2028, 1, 20), D(2028, 3, 5), id="ccpa across 29 Feb 2028"),
    case("ccpa", D(2027, 1, 20), D(2027, 3, 6), id="ccpa across Feb 2027"),
    case("ccpa", D(2026, 12, 25), D(2027, 2, 8), id="ccpa received on Christmas Day"),
    case("ccpa", D(2026, 12, 25), D(2027, 3, 25), extended=True, id="ccpa Christmas extended"),
    case("ccpa", D(2026, 1, 5), D(2026, 2, 19), calendar="US-CA", id="ccpa ignores the calendar"),
    case("shine_the_light", D(2026, 3, 2), D(2026, 4, 1), id="s5-20 designated 30 days"),
    case("shine_the_light_undesignated", D(2026, 3, 2), D(2026, 7, 30),
         id="s5-20 otherwise 150 days"),
    case("shine_the_light", D(2028, 2, 1), D(2028, 3, 2), id="stl across 29 Feb"),
    case("shine_the_light", D(2027, 2, 1), D(2027, 3, 3), id="stl across 28 Feb"),
    case("shine_the_light_undesignated", D(2028, 1, 1), D(2028, 5, 30), id="stl 150 leap"),
    case("shine_the_light_undesignated", D(2027, 1, 1), D(2027, 5, 31), id="stl 150 non-leap"),
    case("us_state", D(2026, 1, 15), D(2026, 3, 1), id="s5-21 Virginia, a Sunday"),
    case("us_state", D(2026, 1, 15), D(2026, 4, 15), extended=True, id="s5-21 extended"),
    case("us_state_90", D(2026, 1, 15), D(2026, 4, 15), id="Iowa 90 days"),
    case("us_state_90", D(2026, 1, 15), D(2026, 5, 30), extended=True,
         id="Iowa 135 days, a Saturday"),
    case("appeal_60", D(2026, 3, 2), D(2026, 5, 1), id="appeal 60 days (Virginia)"),
    case("appeal_45", D(2026, 3, 2), D(2026, 4, 16), id="appeal 45 days (Oregon)"),
    case("appeal_45_60", D(2026, 3, 2), D(2026, 4, 16), id="appeal 45 days (Colorado)"),
    case("appeal_45_60", D(2026, 3, 2), D(2026, 6, 15), extended=True,
         id="appeal 45 + 60 days (Colorado)"),
    case("lgpd", D(2026, 5, 4), D(2026, 5, 19), id="s5-23 LGPD 15 days"),
    case("lgpd", D(2028, 2, 20), D(2028, 3, 6), id="lgpd across 29 Feb"),
    case("lgpd", D(2027, 2, 20), D(2027, 3, 7), id="lgpd across 28 Feb"),
    case("pipeda", D(2026, 9, 1), D(2026, 10, 1), id="s5-22 PIPEDA 30 days"),
    case("pipeda", D(2026, 9, 1), D(2026, 10, 31), extended=True, id="s5-22 extended, Saturday"),
    case("pipeda", D(2026, 1, 31), D(2026, 3, 2), id="pipeda 31 Jan, non-leap"),
    case("pipeda", D(2028, 1, 31), D(2028, 3, 1), id="pipeda 31 Jan, leap"),
]  # fmt: skip

BUSINESS_DAY_CASES = [
    case("ccpa_ack", D(2026, 1, 5), D(2026, 1, 20), id="s5-16 ack, MLK Day skipped"),
    case("ccpa_ack", D(2026, 1, 5), D(2026, 1, 20), calendar="US", id="s5-16 ack federal"),
    case("ccpa_ack", D(2025, 11, 20), D(2025, 12, 5), calendar="US", id="s5-17 ack federal"),
    case("ccpa_ack", D(2025, 11, 20), D(2025, 12, 8), id="s5-17 ack California (default)"),
    case("ccpa_ack", D(2026, 1, 17), D(2026, 2, 2), id="ack received on a Saturday"),
    case("ccpa_ack", D(2025, 12, 19), D(2026, 1, 6), id="ack over Christmas and New Year"),
    case("ccpa_opt_out", D(2026, 11, 20), D(2026, 12, 14), calendar="US",
         id="s5-18 opt-out federal"),
    case("ccpa_opt_out", D(2026, 11, 20), D(2026, 12, 15), id="s5-18 opt-out California"),
    case("ccpa_opt_out", D(2026, 12, 18), D(2027, 1, 12), id="opt-out over the winter holidays"),
    case("ccpa_limit", D(2026, 11, 20), D(2026, 12, 15), id="limit SPI, 15 business days"),
    case("can_spam", D(2026, 12, 22), D(2027, 1, 7), id="s5-19 CAN-SPAM 25 Dec and 1 Jan"),
    case("can_spam", D(2025, 12, 19), D(2026, 1, 6),
         id="CAN-SPAM 2025: Christmas Eve closure is not a federal holiday"),
    case("can_spam", D(2026, 11, 20), D(2026, 12, 7), id="CAN-SPAM Thanksgiving federal"),
    case("can_spam", D(2026, 11, 20), D(2026, 12, 8), calendar="US-CA",
         id="CAN-SPAM Thanksgiving California"),
    case("can_spam", D(2026, 11, 26), D(2026, 12, 10), id="CAN-SPAM received on Thanksgiving"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "received", "calendar", "extended", "paused", "due"),
    GDPR_CASES + DAY_CASES + BUSINESS_DAY_CASES,
)
def test_it_computes_the_due_date(rule, received, calendar, extended, paused, due):
    assert due_date(rule, received, calendar=calendar, extended=extended, paused=paused) == due


def test_the_tables_cover_every_rule_and_both_values_of_extended():
    cases = GDPR_CASES + DAY_CASES + BUSINESS_DAY_CASES
    assert {c.values[0] for c in cases} == set(Rule)
    extendable = {c.values[0] for c in cases if c.values[3]}
    assert extendable == {rule for rule in Rule if rule.max_extension}


@pytest.mark.parametrize(
    ("rule", "unit", "period", "max_extension", "pausable", "default_calendar"),
    [
        pytest.param("gdpr", Unit.MONTHS, 1, 2, True, None, id="gdpr"),
        pytest.param("ccpa", Unit.DAYS, 45, 45, False, None, id="ccpa"),
        pytest.param("ccpa_ack", Unit.BUSINESS_DAYS, 10, 0, False, "US-CA", id="ccpa_ack"),
        pytest.param("ccpa_opt_out", Unit.BUSINESS_DAYS, 15, 0, False, "US-CA", id="opt_out"),
        pytest.param("shine_the_light", Unit.DAYS, 30, 0, False, None, id="stl"),
        pytest.param("shine_the_light_undesignated", Unit.DAYS, 150, 0, False, None, id="stl-u"),
        pytest.param("can_spam", Unit.BUSINESS_DAYS, 10, 0, False, "US", id="can_spam"),
        pytest.param("us_state", Unit.DAYS, 45, 45, False, None, id="us_state"),
        pytest.param("us_state_90", Unit.DAYS, 90, 45, False, None, id="us_state_90"),
        pytest.param("appeal_60", Unit.DAYS, 60, 0, False, None, id="appeal_60"),
        pytest.param("appeal_45_60", Unit.DAYS, 45, 60, False, None, id="appeal_45_60"),
        pytest.param("ccpa_limit", Unit.BUSINESS_DAYS, 15, 0, False, "US-CA", id="limit"),
        pytest.param("lgpd", Unit.DAYS, 15, 0, False, None, id="lgpd"),
        pytest.param("pipeda", Unit.DAYS, 30, 30, False, None, id="pipeda"),
    ],
)
def test_each_rule_carries_its_behaviour(
    rule, unit, period, max_extension, pausable, default_calendar
):
    parsed = Rule.parse(rule)
    assert parsed == rule
    assert (parsed.unit, parsed.period, parsed.max_extension) == (unit, period, max_extension)
    assert (parsed.pausable, parsed.default_calendar) == (pausable, default_calendar)
    assert parsed.label
    assert parsed.citation


@pytest.mark.parametrize(
    "rule",
    [
        "ccpa_ack",
        "ccpa_opt_out",
        "shine_the_light",
        "shine_the_light_undesignated",
        "can_spam",
        "lgpd",
    ],
)
def test_it_refuses_an_extension_the_law_does_not_allow(rule):
    with pytest.raises(ValueError, match=f"the {rule} rule .* cannot be extended"):
        due_date(rule, D(2026, 3, 2), extended=True)


@pytest.mark.parametrize("rule", [rule for rule in Rule if rule is not Rule.GDPR])
def test_it_refuses_a_pause_on_any_rule_but_gdpr(rule):
    with pytest.raises(ValueError, match="has no clarification pause"):
        due_date(rule, D(2026, 3, 2), paused=[(D(2026, 3, 5), D(2026, 3, 10))])


@pytest.mark.parametrize(
    ("paused", "message"),
    [
        pytest.param(
            [(D(2026, 3, 10), D(2026, 3, 5))], "answered .* before it was asked", id="back"
        ),
        pytest.param([(D(2026, 3, 1), D(2026, 3, 5))], "before the request arrived", id="early"),
    ],
)
def test_it_refuses_a_pause_that_makes_no_sense(paused, message):
    with pytest.raises(ValueError, match=message):
        due_date("gdpr", D(2026, 3, 2), paused=paused)


@pytest.mark.parametrize("code", ["xyz", "GDPR ", "", "ccpa-ack"])
def test_an_unknown_rule_names_itself_and_the_known_rules(code):
    expected = f"unknown deadline rule {code!r}; known rules: gdpr, ccpa, ccpa_ack, "
    with pytest.raises(ValueError, match=re.escape(expected)):
        due_date(code, D(2026, 3, 2))


@pytest.mark.parametrize(
    ("rule", "calendar"),
    [
        pytest.param("gdpr", "XX", id="country"),
        pytest.param("gdpr", "GB-XYZ", id="subdivision"),
        pytest.param("can_spam", "US-ZZ", id="US state"),
        pytest.param("gdpr", "England", id="a name"),
        pytest.param("gdpr", "", id="empty"),
        pytest.param("ccpa", "XX", id="checked even where unused"),
    ],
)
def test_an_unknown_calendar_is_named_in_the_error(rule, calendar):
    with pytest.raises(ValueError, match=re.escape(f"unknown holiday calendar {calendar!r}")):
        due_date(rule, D(2026, 3, 2), calendar=calendar)


def test_it_refuses_a_datetime_whose_date_depends_on_a_time_zone():
    with pytest.raises(TypeError, match="must be a date"):
        due_date("ccpa", datetime(2026, 3, 1, 23, 30))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("rule", "calendar", "used"),
    [
        pytest.param("gdpr", None, None, id="gdpr default: weekends only"),
        pytest.param("gdpr", "gb-eng", "GB-ENG", id="gdpr normalised"),
        pytest.param("ccpa_ack", None, "US-CA", id="ack default"),
        pytest.param("ccpa_opt_out", "US", "US", id="opt-out overridden"),
        pytest.param("can_spam", None, "US", id="can_spam default"),
        pytest.param("ccpa", "US-CA", None, id="calendar days use none"),
    ],
)
def test_the_deadline_records_the_calendar_actually_used(rule, calendar, used):
    assert compute(rule, D(2026, 3, 2), calendar=calendar).calendar == used


def test_a_deadline_is_a_frozen_record_of_its_inputs():
    deadline = compute("gdpr", D(2025, 9, 3), calendar="GB-ENG", extended=True)
    assert deadline.rule is Rule.GDPR
    assert (deadline.received, deadline.due) == (D(2025, 9, 3), D(2025, 12, 3))
    assert (deadline.calendar, deadline.extended) == ("GB-ENG", True)
    assert deadline.explain() == "; ".join(deadline.steps)
    assert explain("gdpr", D(2025, 9, 3), calendar="GB-ENG", extended=True) == deadline.explain()
    with pytest.raises(FrozenInstanceError):
        deadline.due = D(2030, 1, 1)  # type: ignore[misc]


def _deadline(due: date, rule: str = "ccpa") -> Deadline:
    return Deadline(Rule(rule), D(2026, 1, 1), due, None, False, ())


def test_earliest_picks_the_first_due_and_keeps_the_first_of_a_tie():
    promise = _deadline(D(2026, 2, 1), "us_state")
    law = _deadline(D(2026, 2, 1))
    later = _deadline(D(2026, 3, 1))
    assert earliest([later, promise, law]) is promise
    assert earliest(iter([later, law, promise])) is law
    assert earliest([later]) is later


def test_earliest_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        earliest([])


def test_earliest_across_laws_for_one_request():
    # A California request to know: the CCPA's 45 days against a 30-day policy promise.
    ccpa = compute("ccpa", D(2026, 3, 1))
    promise = compute("shine_the_light", D(2026, 3, 1))  # 30 days, stands in for a promise
    assert earliest([ccpa, promise]).due == D(2026, 3, 31)
