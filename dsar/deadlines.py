"""Statutory response deadlines for data-subject requests: dates in, a due date and its reasons out.

The engine is pure (style rule 2): no Django, no database, and it never reads the clock. Today's
date is always a parameter, so a deadline computed in a test, a migration or a nightly job is the
same deadline, and each one can be explained to a privacy officer step by step.

Sources: [Sn] are the sources listed in legal-rules.md §6; "§5 #n" are its worked examples.
Decisions where the law leaves a question open are in legal-rules.md, "Decisions the app takes".
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from types import MappingProxyType

import holidays

ONE_DAY = timedelta(days=1)


class Unit(StrEnum):
    """What a rule counts in."""

    MONTHS = "calendar months"
    DAYS = "calendar days"
    BUSINESS_DAYS = "business days"


@dataclass(frozen=True)
class _Spec:
    label: str
    citation: str
    unit: Unit
    period: int
    max_extension: int = 0  # further units an extension adds; 0: `extended=True` is refused
    pausable: bool = False  # clarification days do not count (only gdpr)
    default_calendar: str | None = None  # holiday calendar when the caller gives none


class Rule(StrEnum):
    """A statutory deadline rule. Each member carries its behaviour: `rule.label`,
    `rule.citation`, `rule.unit`, `rule.period`, `rule.max_extension`, `rule.pausable` and
    `rule.default_calendar` (the fields of `_Spec`).
    """

    label: str
    citation: str
    unit: Unit
    period: int
    max_extension: int
    pausable: bool
    default_calendar: str | None

    def __new__(cls, code: str, spec: _Spec) -> Rule:
        member = str.__new__(cls, code)
        member._value_ = code
        for field in fields(spec):
            setattr(member, field.name, getattr(spec, field.name))
        return member

    # fmt: off
    # One month by Reg. 1182/71 Art. 3 [S5-S7] and the ICO method [S8, S9]; +2 months [S1, S8];
    # clarification does not count (UK GDPR Art. 12A, DPA 2018 s.54(3C) model) [S11, S12].
    GDPR = "gdpr", _Spec(
        "GDPR / UK GDPR response",
        "GDPR and UK GDPR Art. 12(3); Reg. 1182/71 Art. 3; UK GDPR Art. 12A",
        Unit.MONTHS, 1, max_extension=2, pausable=True)
    # 45 calendar days from receipt, "regardless of time required to verify", max 90 [S13, S14].
    CCPA = "ccpa", _Spec(
        "CCPA response to a request to know, delete or correct",
        "Cal. Code Regs. tit. 11 §7021(b); Cal. Civ. Code §1798.130(a)(2)(A)",
        Unit.DAYS, 45, max_extension=45)
    CCPA_ACK = "ccpa_ack", _Spec(  # [S13]
        "CCPA confirmation of receipt", "Cal. Code Regs. tit. 11 §7021(a)",
        Unit.BUSINESS_DAYS, 10, default_calendar="US-CA")
    CCPA_OPT_OUT = "ccpa_opt_out", _Spec(  # [S15]; docs/us-state-laws.md [U10, U23]
        "CCPA opt-out of sale or sharing", "Cal. Code Regs. tit. 11 §7026(f)",
        Unit.BUSINESS_DAYS, 15, default_calendar="US-CA")
    # The same 15 business days for a request to limit (docs/us-state-laws.md [U8, U23]).
    CCPA_LIMIT = "ccpa_limit", _Spec(
        "CCPA request to limit the use of sensitive personal information",
        "Cal. Code Regs. tit. 11 §7027(g)", Unit.BUSINESS_DAYS, 15, default_calendar="US-CA")
    SHINE_THE_LIGHT = "shine_the_light", _Spec(  # [S19]
        "Shine the Light disclosure (designated address)", "Cal. Civ. Code §1798.83(b)(1)(C)",
        Unit.DAYS, 30)
    # [S19]; which channel is "designated" is a per-policy decision (legal-rules.md, "Labels").
    SHINE_THE_LIGHT_UNDESIGNATED = "shine_the_light_undesignated", _Spec(
        "Shine the Light disclosure (received otherwise)", "Cal. Civ. Code §1798.83(b)(1)(C)",
        Unit.DAYS, 150)
    CAN_SPAM = "can_spam", _Spec(  # [S21]
        "CAN-SPAM opt-out", "15 U.S.C. §7704(a)(4)",
        Unit.BUSINESS_DAYS, 10, default_calendar="US")
    US_STATE = "us_state", _Spec(  # [S23-S26]; the states are in dsar.jurisdictions
        "US state privacy law response",
        "e.g. Va. Code §59.1-577(B); Conn. Gen. Stat. §42-518(c); Utah Code §13-61-203",
        Unit.DAYS, 45, max_extension=45)
    # Iowa: 90 days, +45 once (docs/us-state-laws.md §1: §715D.3(2) [U20-U23]).
    US_STATE_90 = "us_state_90", _Spec(
        "US state privacy law response (90 days)", "Iowa Code §715D.3(2)",
        Unit.DAYS, 90, max_extension=45)
    # A state's decision on an appeal of a refusal (docs/us-state-laws.md §2).
    APPEAL_60 = "appeal_60", _Spec(
        "US state appeal decision (60 days)",
        "e.g. Va. Code §59.1-577(C); Conn. Gen. Stat. §42-518; Iowa Code §715D.3(3)",
        Unit.DAYS, 60)
    APPEAL_45 = "appeal_45", _Spec(
        "US state appeal decision (45 days)", "e.g. Or. Rev. Stat. §646A.576(6)(d)",
        Unit.DAYS, 45)
    APPEAL_45_60 = "appeal_45_60", _Spec(
        "US state appeal decision (45 days, +60)", "e.g. Colo. Rev. Stat. §6-1-1306(3)",
        Unit.DAYS, 45, max_extension=60)
    LGPD = "lgpd", _Spec(  # [S27]
        "LGPD full declaration", "LGPD (Lei 13.709/2018) Art. 19(II)",
        Unit.DAYS, 15)
    PIPEDA = "pipeda", _Spec(  # [S28]
        "PIPEDA access response", "PIPEDA s.8(3)-(4)",
        Unit.DAYS, 30, max_extension=30)
    # fmt: on

    @classmethod
    def parse(cls, code: str) -> Rule:
        """The rule for `code`, or a ValueError that lists the known codes."""
        # A loop, not ``cls(code)``: the type checker reads that as a call of ``__new__``,
        # which takes the spec too.
        for rule in cls:
            if rule.value == code:
                return rule
        known = ", ".join(cls)
        raise ValueError(f"unknown deadline rule {code!r}; known rules: {known}")


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and the arithmetic behind it, one step per entry of `steps`."""

    rule: Rule
    received: date
    due: date
    calendar: str | None  # the holiday calendar actually used, after defaults
    extended: bool
    steps: tuple[str, ...]

    def explain(self) -> str:
        return "; ".join(self.steps)


# -- Calendars -------------------------------------------------------------------------------------

_CALENDAR_NAMES = {"US": "the United States (federal)", "GB": "the United Kingdom",
                   "NL": "the Netherlands"}  # fmt: skip


@lru_cache(maxsize=256)
def _check_calendar(calendar: str) -> str:
    """The canonical spelling of a `holidays` calendar code ("GB-ENG", "IE", "US-CA")."""
    country, _, subdiv = calendar.strip().partition("-")
    country = country.upper()
    supported = holidays.list_supported_countries()
    subdivs = {s.upper(): s for s in supported.get(country, ())}
    if len(country) != 2 or country not in supported or (subdiv and subdiv.upper() not in subdivs):
        raise ValueError(
            f"unknown holiday calendar {calendar!r}; use a country code of the holidays "
            "library, optionally with a subdivision, e.g. 'GB-ENG', 'IE', 'US', 'US-CA'"
        )
    return f"{country}-{subdivs[subdiv.upper()]}" if subdiv else country


@lru_cache(maxsize=1024)
def _holidays(calendar: str, year: int) -> Mapping[date, str]:
    """The holidays of one calendar and year, read-only and cached: deadlines run in hot loops.

    Calendar "US" is the library's default set: the federal holidays of 5 U.S.C. §6103 with
    their observed days. Its "government" category would add one-off closures by executive
    order (Christmas Eve 2024 and 2025); they are left out because skipping fewer days gives the
    earlier, safe date. "US-CA" is California's state set (legal-rules.md §4).
    """
    country, _, subdiv = calendar.partition("-")
    found = holidays.country_holidays(country, subdiv=subdiv or None, years=year)
    return MappingProxyType(dict(found))


@lru_cache(maxsize=256)
def calendar_name(calendar: str) -> str:
    """A calendar in words for a privacy officer: "England", "California", "Ireland"."""
    code = _check_calendar(calendar)
    if code in _CALENDAR_NAMES:
        return _CALENDAR_NAMES[code]
    country, _, subdiv = code.partition("-")
    entity = type(holidays.country_holidays(country, subdiv=subdiv or None))
    if subdiv:
        names = {abbr: name for name, abbr in entity.subdivisions_aliases.items()}
        return names.get(subdiv, f"{country}-{subdiv}")
    parent = entity.__mro__[1].__name__  # e.g. class GB(UnitedKingdom)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", parent).replace(" And ", " and ")


def _closed_because(d: date, calendar: str | None) -> str | None:
    """Why `d` is not a working day (a holiday's name, or the weekend), or None if it is one."""
    if calendar is not None and (name := _holidays(_check_calendar(calendar), d.year).get(d)):
        return name
    if d.weekday() >= 5:
        return "a Saturday" if d.weekday() == 5 else "a Sunday"
    return None


def is_working_day(d: date, calendar: str | None) -> bool:
    """Monday to Friday minus the calendar's holidays; None: weekends only ("Business days")."""
    return _closed_because(d, calendar) is None


def next_working_day(d: date, calendar: str | None) -> date:
    """`d` itself if it is a working day, else the next one (Reg. 1182/71 Art. 3(4) [S7])."""
    while not is_working_day(d, calendar):
        d += ONE_DAY
    return d


def add_business_days(start: date, n: int, calendar: str | None) -> date:
    """The n-th working day after `start`, counted from the day after it (§7021, [S13, S21]).

    Receipt on a weekend or holiday therefore costs nothing: counting starts the next day anyway.
    A negative `n` counts backwards, e.g. for an internal target before a due date.
    """
    step = ONE_DAY if n >= 0 else -ONE_DAY
    d, remaining = start, abs(n)
    while remaining:
        d += step
        if is_working_day(d, calendar):
            remaining -= 1
    return d


def business_days_between(a: date, b: date, calendar: str | None) -> int:
    """Working days after `a` up to and including `b` (negative when b < a): the inverse of
    `add_business_days`, so business_days_between(a, add_business_days(a, n)) == n."""
    if b < a:
        return -business_days_between(b, a, calendar)
    return sum(is_working_day(a + ONE_DAY * i, calendar) for i in range(1, (b - a).days + 1))


def days_left(due: date, today: date) -> int:
    """Calendar days from `today` to `due`: 0 on the due date, negative when overdue."""
    return (due - today).days


def earliest(deadlines: Iterable[Deadline]) -> Deadline:
    """The deadline due first (ties: the first given), e.g. the policy's promise vs each law."""
    found = list(deadlines)
    if not found:
        raise ValueError("earliest() needs at least one deadline")
    return min(found, key=attrgetter("due"))  # min() keeps the first of equal keys


# -- Words -----------------------------------------------------------------------------------------

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _day(d: date) -> str:
    return f"{d.day} {_MONTH_NAMES[d.month - 1][:3]} {d.year}"


def _weekday(d: date) -> str:
    return f"{_DAY_NAMES[d.weekday()]} {_day(d)}"


def _where(calendar: str | None) -> str:
    return f"in {calendar_name(calendar)}" if calendar else "(weekends only, no holiday calendar)"


# -- The rules -------------------------------------------------------------------------------------


def _add_months(received: date, months: int) -> tuple[date, str]:
    """The corresponding date `months` on, else that month's last day [S6, S8]; and its words."""
    year, month0 = divmod(received.month - 1 + months, 12)
    year += received.year
    last = monthrange(year, month0 + 1)[1]
    result = date(year, month0 + 1, min(received.day, last))
    count = "one calendar month"
    if months == 3:
        count = "three calendar months (one month and the two further months of Art. 12(3))"
    if received.day <= last:
        return result, f"{count} → {_day(result)}"
    suffix = "st" if received.day == 31 else "th"
    month = _MONTH_NAMES[month0] + (f" {year}" if month0 == 1 and received.day == 29 else "")
    return result, f"{count} → {_day(result)}, as {month} has no {received.day}{suffix}"


def _pause(received: date, paused: Sequence[tuple[date, date]]) -> tuple[int, str]:
    """Days that do not count: from asking to receiving, both included [S12] (s.54(3C) model)."""
    days: set[date] = set()
    spans = []
    for asked, answered in paused:
        if answered < asked:
            raise ValueError(f"clarification answered {answered} before it was asked {asked}")
        if asked < received:
            raise ValueError(f"clarification asked {asked} before the request arrived {received}")
        days.update(asked + ONE_DAY * i for i in range((answered - asked).days + 1))
        spans.append(f"asked {_day(asked)} and answered {_day(answered)}")
    count = "1 day does" if len(days) == 1 else f"{len(days)} days do"
    return len(days), f"clarification {', '.join(spans)}: {count} not count (both included)"


def _closed_days(start: date, end: date, calendar: str | None) -> list[tuple[date, str]]:
    """The days from `start` up to `end` (excluded) that are not working days, with the reason."""
    days = (start + ONE_DAY * i for i in range((end - start).days))
    return [(d, why) for d in days if (why := _closed_because(d, calendar))]


def _count_months(
    received: date, months: int, cal: str | None, paused: Sequence[tuple[date, date]]
) -> tuple[date, list[str]]:
    """GDPR: months by 1182/71 and the ICO method, plus paused days, rolled [S5-S12]."""
    due, words = _add_months(received, months)
    steps = [words]
    if paused:
        pause_days, words = _pause(received, paused)
        due += ONE_DAY * pause_days
        steps.append(f"{words} → {_day(due)}")
    rolled = next_working_day(due, cal)
    if rolled == due:
        steps.append(f"a working day {_where(cal)} → due {_weekday(due)}")
    else:
        closed = ", ".join(f"{_weekday(d)} is {why}" for d, why in _closed_days(due, rolled, cal))
        steps.append(f"{closed} → next working day {_where(cal)}: due {_weekday(rolled)}")
    return rolled, steps


def _count_days(rule: Rule, received: date, n: int) -> tuple[date, list[str]]:
    """Receipt + n calendar days, never moved: the earlier date is the safe one [S13, S30]."""
    due = received + ONE_DAY * n
    how = f" ({rule.period} and a {rule.max_extension}-day extension)" if n > rule.period else ""
    steps = [f"{n} calendar days{how} after the day of receipt → due {_weekday(due)}"]
    if why := _closed_because(due, None):
        steps.append(f"{_weekday(due)} is {why}, but calendar days are not moved to a working day:"
                     " the earlier date is the safe one")  # fmt: skip
    return due, steps


def _count_business_days(received: date, n: int, cal: str | None) -> tuple[date, list[str]]:
    """n working days counted from the day after receipt [S13, S15, S21]."""
    due = add_business_days(received, n, cal)
    # Name the weekday holidays skipped; weekends go without saying in "business days".
    closed = _closed_days(received + ONE_DAY, due, cal)
    skipped = [f"{_weekday(d)} ({why})" for d, why in closed if d.weekday() < 5]
    words = f"{n} business days {_where(cal)}, counted from the day after receipt, skipping"
    words += " weekends" + (f" and {', '.join(skipped)}" if skipped else "")
    return due, [f"{words} → due {_weekday(due)}"]


def compute(
    rule: str,
    received: date,
    *,
    calendar: str | None = None,
    extended: bool = False,
    paused: Sequence[tuple[date, date]] = (),
) -> Deadline:
    """The deadline of `rule` for a request received on `received`, with its reasons.

    - gdpr: the corresponding date one month on (three when extended), clamped to the month's
      last day, plus any clarification pause, rolled to the next working day of `calendar`
      (None: weekends only) [S1, S5-S12]. Where the controller asked for identity information
      or a fee, the month runs from the day it arrives: pass that day as `received` [S8, S12].
      `paused` holds (asked, answered) clarification pairs under UK law (Art. 12A / s.54(3C));
      the EU GDPR codifies no pause (legal-rules.md, open question 1).
    - calendar-day rules (ccpa, us_state, shine_the_light*, lgpd, pipeda): receipt + N days,
      not moved off a weekend or holiday: the earlier date is the safe one (legal-rules.md,
      "CCPA counting"). `calendar` is checked but not used, so `Deadline.calendar` is None.
    - business-day rules (ccpa_ack, ccpa_opt_out, can_spam): N working days of `calendar`
      (default: the rule's), counted from the day after receipt [S13, S15, S21].

    Raises ValueError for an unknown rule or calendar, an extension or pause the rule does not
    allow, or a pause that ends before it starts or starts before receipt; TypeError for a
    datetime, whose date depends on a time zone the caller must choose.
    """
    rule = Rule.parse(rule)
    if isinstance(received, datetime):
        raise TypeError("received must be a date: convert the timestamp in the right time zone")
    if extended and not rule.max_extension:
        raise ValueError(f"the {rule} rule ({rule.label}, {rule.citation}) cannot be extended")
    if paused and not rule.pausable:
        raise ValueError(f"the {rule} rule ({rule.label}) has no clarification pause")
    cal = calendar if calendar is not None else rule.default_calendar
    cal = _check_calendar(cal) if cal is not None else None
    n = rule.period + (rule.max_extension if extended else 0)
    if rule.unit is Unit.MONTHS:
        due, steps = _count_months(received, n, cal, paused)
    elif rule.unit is Unit.DAYS:
        cal = None  # checked above, so a typo still fails, but calendar days are never moved
        due, steps = _count_days(rule, received, n)
    else:
        due, steps = _count_business_days(received, n, cal)
    return Deadline(rule, received, due, cal, extended, (f"received {_weekday(received)}", *steps))


def due_date(
    rule: str,
    received: date,
    *,
    calendar: str | None = None,
    extended: bool = False,
    paused: Sequence[tuple[date, date]] = (),
) -> date:
    """The due date of `rule` for a request received on `received`; see `compute`."""
    return compute(rule, received, calendar=calendar, extended=extended, paused=paused).due


def explain(
    rule: str,
    received: date,
    *,
    calendar: str | None = None,
    extended: bool = False,
    paused: Sequence[tuple[date, date]] = (),
) -> str:
    """The arithmetic of `compute` in words, for a privacy officer or a letter."""
    return compute(rule, received, calendar=calendar, extended=extended, paused=paused).explain()
