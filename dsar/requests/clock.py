"""A request's deadline: the earliest of the policy's own promise and every law that applies.

The arithmetic is the pure engine's (``dsar.deadlines``); this module only decides *which* rules
bind a request and from which day each one counts:

- a policy's numeric promise (IMG: "within one month") binds every request sent as the policy
  asks. One sent through a channel the policy does not offer for the right, or without a label
  it demands, is outside the promise ("We are not responsible for notices that are not labeled
  or sent properly"): the law alone decides its deadline (legal-rules.md, "Labels");
- each law binds by the requester's residence (``dsar.jurisdictions``), where the organization
  serves that jurisdiction (an organization that lists none is held to all, the safe side).
  When the residence is unknown or not served, the law the policy file attaches to the right
  (``Right.deadline_rule``: CAN-SPAM for an email opt-out, 1798.83 for Shine the Light) binds;
- a GDPR clock (and a promise modelled on it) starts again on the day requested identity
  information or a fee arrives; clarification days do not count under UK GDPR only (Art. 12A,
  DPA 2018 s.54(3C) model; the EU GDPR codifies no pause); a CCPA clock runs from receipt
  whatever happens (Cal. Code Regs. tit. 11 §7021(b)).

A promise in words ("promptly") or silence gives no legal deadline: the request gets an internal
target only (legal-rules.md, "Policy promises in words").
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from dsar import deadlines, jurisdictions
from dsar.deadlines import Deadline, Rule
from dsar.organizations.models import Organization
from dsar.policies.models import Right

Pause = tuple[datetime.date, datetime.date]

_SHINE_THE_LIGHT = (Rule.SHINE_THE_LIGHT, Rule.SHINE_THE_LIGHT_UNDESIGNATED)


@dataclass(frozen=True)
class Candidate:
    """One rule that binds the request, and why."""

    rule: Rule
    reason: str
    restarts: bool = False  # counts from the clock start (ID or fee arrived), not from receipt
    pauses: bool = False  # clarification days do not count (UK GDPR)


@dataclass(frozen=True)
class Decision:
    """The binding deadline (None when only an internal target applies) and all candidates."""

    deadline: Deadline | None
    reason: str
    candidates: tuple[Candidate, ...]
    internal_target: datetime.date | None

    @property
    def basis(self) -> str:
        """The reason and the arithmetic in words, for the request page and the evidence pack."""
        if self.deadline is None:
            return self.reason
        return f"{self.reason}. {self.deadline.explain()}"


def serves(organization: Organization, jurisdiction: str) -> bool:
    """Whether the organization is held to the law of ``jurisdiction`` (see module docstring)."""
    served = organization.jurisdictions
    if not served:
        return True
    if not jurisdiction:
        return False
    where = jurisdictions.Jurisdiction.parse(jurisdiction)
    return (
        where.code in served
        or (where.in_eea and "EU" in served)
        or (where.in_us and "US" in served)
    )


def _has_statutes(right_kind: str) -> bool:
    """Whether ``dsar.jurisdictions`` knows the right (it has no credential_removal, say)."""
    return right_kind in set(jurisdictions.Right)


def _policy_rule(right: Right, designated: bool) -> Candidate | None:
    """The law the policy file attaches to the right, when it is not the promise itself."""
    if not right.deadline_rule or right.deadline_rule == right.promise_rule:
        return None
    rule = Rule.parse(right.deadline_rule)
    if rule in _SHINE_THE_LIGHT:
        rule = Rule.SHINE_THE_LIGHT if designated else Rule.SHINE_THE_LIGHT_UNDESIGNATED
    reason = f"{rule.label} ({rule.citation}), which the policy file attaches to this right"
    return Candidate(rule, reason, restarts=rule is Rule.GDPR)


def candidates(
    *,
    organization: Organization,
    right: Right | None,
    right_kind: str,
    jurisdiction: str,
    designated: bool,
    received_on: datetime.date,
    promise_applies: bool = True,
) -> list[Candidate]:
    """Every rule that binds this request: the policy's numeric promise, then the laws."""
    found = []
    if right is not None and right.promise_rule and promise_applies:
        rule = Rule.parse(right.promise_rule)
        reason = f'the policy promises "{right.deadline_promise}" ({rule.label})'
        found.append(Candidate(rule, reason, restarts=rule is Rule.GDPR))
    if jurisdiction and serves(organization, jurisdiction):
        if _has_statutes(right_kind):
            for basis in jurisdictions.applicable_rules(
                right=right_kind, jurisdiction=jurisdiction, designated=designated, on=received_on
            ):
                gdpr = basis.rule is Rule.GDPR
                pauses = basis.law is jurisdictions.Law.UK_GDPR
                found.append(Candidate(basis.rule, basis.reason, restarts=gdpr, pauses=pauses))
    elif right is not None and (policy_rule := _policy_rule(right, designated)):
        found.append(policy_rule)
    return found


def _compute(
    candidate: Candidate,
    *,
    organization: Organization,
    received_on: datetime.date,
    clock_started_on: datetime.date,
    paused: Sequence[Pause],
    extended: bool,
) -> Deadline:
    rule = candidate.rule
    start = clock_started_on if candidate.restarts else received_on
    # A pause before a restart is history: the month counts afresh from the restart.
    pauses = [(a, b) for a, b in paused if a >= start] if candidate.pauses else []
    return deadlines.compute(
        rule,
        start,
        calendar=organization.holiday_calendar or None,
        extended=extended and rule.max_extension > 0,
        paused=pauses,
    )


def _internal_target(right: Right | None, received_on: datetime.date) -> tuple[datetime.date, str]:
    days = (right.internal_target_days if right else None) or settings.DSAR_DEFAULT_TARGET_DAYS
    if right is None:
        promise = "the policy does not promise this right"
    elif right.deadline_promise:
        promise = f'the policy promises "{right.deadline_promise}", which sets no date'
    else:
        promise = "the policy gives no time"
    reason = (
        f"No law sets a legal deadline for this request and {promise}. "
        f"Internal target: {days} days after receipt"
    )
    return received_on + datetime.timedelta(days=days), reason


def decide(
    *,
    organization: Organization,
    right: Right | None,
    right_kind: str,
    jurisdiction: str,
    designated: bool,
    received_on: datetime.date,
    clock_started_on: datetime.date | None = None,
    paused: Sequence[Pause] = (),
    extended: bool = False,
    promise_applies: bool = True,
) -> Decision:
    """Compute the binding deadline of a request; see the module docstring for the rules."""
    found = candidates(
        organization=organization,
        right=right,
        right_kind=right_kind,
        jurisdiction=jurisdiction,
        designated=designated,
        received_on=received_on,
        promise_applies=promise_applies,
    )
    if not found:
        target, reason = _internal_target(right, received_on)
        if right is not None and right.promise_rule and not promise_applies:
            reason += (
                f'; the policy\'s promise of "{right.deadline_promise}" does not cover a '
                "request not sent as the policy asks"
            )
        return Decision(None, reason, (), target)
    computed = [
        (
            _compute(
                candidate,
                organization=organization,
                received_on=received_on,
                clock_started_on=clock_started_on or received_on,
                paused=paused,
                extended=extended,
            ),
            candidate,
        )
        for candidate in found
    ]
    binding = deadlines.earliest(deadline for deadline, _ in computed)
    reason = next(c.reason for d, c in computed if d is binding)
    others = [f"{c.reason} (due {d.due:%d %b %Y})" for d, c in computed if d is not binding]
    if others:
        reason += "; the earliest of the rules that apply, also: " + "; ".join(others)
    if right is not None and right.promise_rule and not promise_applies:
        reason += (
            f'; the policy\'s promise of "{right.deadline_promise}" does not cover a request '
            "not sent as the policy asks, so the law decides"
        )
    return Decision(binding, reason, tuple(found), None)


def acknowledge_by(
    *,
    organization: Organization,
    right_kind: str,
    jurisdiction: str,
    received_on: datetime.date,
) -> datetime.date | None:
    """The day receipt must be confirmed by (CCPA, 10 business days, §7021(a)), or None."""
    if not jurisdiction or not _has_statutes(right_kind) or not serves(organization, jurisdiction):
        return None
    basis = jurisdictions.acknowledgement_rule(right=right_kind, jurisdiction=jurisdiction)
    if basis is None:
        return None
    calendar = organization.holiday_calendar or None
    return deadlines.due_date(basis.rule, received_on, calendar=calendar)
