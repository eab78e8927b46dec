"""The arithmetic in words: what a privacy officer reads next to each due date."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dsar.deadlines import Rule, compute, explain

D = date


def test_the_month_end_clamp_reads_as_a_sentence():
    assert explain("gdpr", D(2025, 1, 31), calendar="GB-ENG") == (
        "received Fri 31 Jan 2025; one calendar month → 28 Feb 2025, as February has no 31st; "
        "a working day in England → due Fri 28 Feb 2025"
    )


def words(rule, received, *, calendar=None, extended=False, paused=(), must, id):
    return pytest.param(rule, received, calendar, extended, paused, must, id=id)


CASES = [
    words("gdpr", D(2025, 11, 25), calendar="GB-ENG", id="gdpr Christmas", must=[
        "received Tue 25 Nov 2025", "one calendar month → 25 Dec 2025",
        "25 Dec 2025 is Christmas Day", "26 Dec 2025 is Boxing Day", "27 Dec 2025 is a Saturday",
        "next working day in England", "due Mon 29 Dec 2025"]),
    words("gdpr", D(2026, 3, 3), calendar="GB-ENG", id="gdpr Easter", must=[
        "3 Apr 2026 is Good Friday", "6 Apr 2026 is Easter Monday", "due Tue 7 Apr 2026"]),
    words("gdpr", D(2026, 2, 17), calendar="IE", id="gdpr Ireland", must=[
        "17 Mar 2026 is Saint Patrick's Day", "next working day in Ireland",
        "due Wed 18 Mar 2026"]),
    words("gdpr", D(2026, 5, 19), calendar="US", id="gdpr US federal", must=[
        "19 Jun 2026 is Juneteenth National Independence Day",
        "in the United States (federal)", "due Mon 22 Jun 2026"]),
    words("gdpr", D(2028, 1, 31), calendar="GB-ENG", extended=True, id="gdpr extended", must=[
        "three calendar months", "two further months of Art. 12(3)",
        "30 Apr 2028, as April has no 31st", "30 Apr 2028 is a Sunday", "1 May 2028 is May Day",
        "due Tue 2 May 2028"]),
    words("gdpr", D(2025, 1, 29), id="gdpr not a leap year", must=[
        "28 Feb 2025, as February 2025 has no 29th", "weekends only", "due Fri 28 Feb 2025"]),
    words("gdpr", D(2026, 1, 31), id="gdpr weekend, no calendar", must=[
        "28 Feb 2026 is a Saturday", "1 Mar 2026 is a Sunday", "weekends only",
        "due Mon 2 Mar 2026"]),
    words("gdpr", D(2026, 3, 2), calendar="GB-ENG", paused=[(D(2026, 3, 5), D(2026, 3, 10))],
          id="gdpr clarification", must=[
        "one calendar month → 2 Apr 2026", "asked 5 Mar 2026 and answered 10 Mar 2026",
        "6 days do not count", "→ 8 Apr 2026", "a working day in England → due Wed 8 Apr 2026"]),
    words("gdpr", D(2026, 3, 2), paused=[(D(2026, 3, 5), D(2026, 3, 5))], id="gdpr one day",
          must=["1 day does not count"]),
    words("ccpa", D(2026, 3, 1), id="ccpa", must=[
        "received Sun 1 Mar 2026", "45 calendar days after the day of receipt",
        "due Wed 15 Apr 2026"]),
    words("ccpa", D(2026, 1, 5), extended=True, id="ccpa extended on a Sunday", must=[
        "90 calendar days (45 and a 45-day extension)", "due Sun 5 Apr 2026",
        "5 Apr 2026 is a Sunday", "not moved", "the earlier date is the safe one"]),
    words("ccpa_ack", D(2026, 1, 5), id="ccpa_ack", must=[
        "10 business days in California", "counted from the day after receipt",
        "19 Jan 2026 (Martin Luther King Jr. Day)", "due Tue 20 Jan 2026"]),
    words("ccpa_opt_out", D(2026, 11, 20), id="ccpa_opt_out", must=[
        "15 business days in California", "26 Nov 2026 (Thanksgiving Day)",
        "27 Nov 2026 (Day After Thanksgiving)", "due Tue 15 Dec 2026"]),
    words("can_spam", D(2026, 12, 22), id="can_spam", must=[
        "10 business days in the United States (federal)", "25 Dec 2026 (Christmas Day)",
        "1 Jan 2027 (New Year's Day)", "due Thu 7 Jan 2027"]),
    words("shine_the_light", D(2026, 3, 2), id="shine_the_light", must=[
        "30 calendar days after the day of receipt", "due Wed 1 Apr 2026"]),
    words("shine_the_light_undesignated", D(2026, 3, 2), id="shine_the_light_undesignated",
          must=["150 calendar days", "due Thu 30 Jul 2026"]),
    words("us_state", D(2026, 1, 15), id="us_state on a Sunday", must=[
        "45 calendar days", "due Sun 1 Mar 2026", "1 Mar 2026 is a Sunday", "not moved"]),
    words("us_state", D(2026, 1, 15), extended=True, id="us_state extended", must=[
        "90 calendar days (45 and a 45-day extension)", "due Wed 15 Apr 2026"]),
    words("lgpd", D(2026, 5, 4), id="lgpd", must=["15 calendar days", "due Tue 19 May 2026"]),
    words("us_state_90", D(2026, 1, 15), id="Iowa", must=[
        "90 calendar days", "due Wed 15 Apr 2026"]),
    words("appeal_60", D(2026, 3, 2), id="appeal 60", must=["60 calendar days", "due Fri 1 May"]),
    words("appeal_45", D(2026, 3, 2), id="appeal 45", must=["45 calendar days", "due Thu 16 Apr"]),
    words("appeal_45_60", D(2026, 3, 2), extended=True, id="appeal 45+60", must=[
        "105 calendar days (45 and a 60-day extension)", "due Mon 15 Jun 2026"]),
    words("ccpa_limit", D(2026, 11, 20), id="ccpa_limit", must=[
        "15 business days in California", "due Tue 15 Dec 2026"]),
    words("pipeda", D(2026, 9, 1), extended=True, id="pipeda extended", must=[
        "60 calendar days (30 and a 30-day extension)", "due Sat 31 Oct 2026",
        "31 Oct 2026 is a Saturday"]),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "received", "calendar", "extended", "paused", "must"), CASES)
def test_explain_names_dates_calendars_holidays_and_reasons(
    rule, received, calendar, extended, paused, must
):
    text = explain(rule, received, calendar=calendar, extended=extended, paused=paused)
    for fragment in must:
        assert fragment in text


def test_every_rule_is_explained_by_at_least_one_case():
    assert {case.values[0] for case in CASES} == set(Rule)


@pytest.mark.parametrize("rule", list(Rule))
def test_steps_start_with_receipt_and_end_with_the_due_date(rule):
    deadline = compute(rule, D(2026, 3, 2))
    assert deadline.steps[0] == "received Mon 2 Mar 2026"
    # Exactly one step states the due date, as "due <weekday> <date>".
    assert (
        len(re.findall(r"\bdue (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d", explain(rule, D(2026, 3, 2))))
        == 1
    )
    assert explain(rule, D(2026, 3, 2)) == "; ".join(deadline.steps)


def test_a_day_count_due_on_a_working_day_adds_no_weekend_note():
    assert compute("ccpa", D(2026, 3, 1)).steps == (
        "received Sun 1 Mar 2026",
        "45 calendar days after the day of receipt → due Wed 15 Apr 2026",
    )
