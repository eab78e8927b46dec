"""A request's deadline: the earliest of the policy's own promise and every law that applies.

The arithmetic is the pure engine's (``dsar.deadlines``); this module decides *which* rules bind
a request, from which day each one counts, and what waiting for the requester does to each. It
is the one place that decides it: the request page, the status page, every letter and email and
the evidence pack read ``decide_for(request)`` rather than re-deriving a rule (docs/
legal-decisions.md, "One truth for the clock").

- a policy's numeric promise (IMG: "within one month") binds every request sent as the policy
  asks. One sent through a channel the policy does not offer for the right, or without a label
  it demands, is outside the promise ("We are not responsible for notices that are not labeled
  or sent properly"): the law alone decides its deadline (legal-rules.md, "Labels");
- a law that binds the organization binds it whoever the requester is: an organization whose
  policy file attaches CAN-SPAM to its marketing opt-out sends commercial email from the US and
  stops within 10 business days for a recipient in France too (legal-rules.md, "Who a rule
  binds"; docs/legal-decisions.md, "CAN-SPAM");
- a law that protects the residents of a place binds by the requester's residence
  (``dsar.jurisdictions``): 1798.83 and the CCPA for Californians, each state law for its own
  residents, the GDPR for EEA residents and the UK GDPR for UK residents; at every organization
  unless its record lists the place as out of scope (``serves``; docs/legal-decisions.md, "Whose
  law"). When the residence is not known, the law the policy file attaches to the right
  (``Right.deadline_rule``) binds, on the safe side;
- a GDPR clock (and a promise modelled on it) starts again on the day requested identity
  information or a fee arrives; clarification days do not count under the UK GDPR only (Art.
  12A, DPA 2018 s.54(3C) model; the EU GDPR codifies no pause); every other clock runs from
  receipt whatever happens (Cal. Code Regs. tit. 11 §7021(b)). Confirming an email address is
  not identity information: no clock stops for it (docs/legal-decisions.md, "Email confirmation").

A promise in words ("promptly") or silence gives no date: the organization sets one, an internal
target (legal-rules.md, "Policy promises in words"). dsar never says that no law sets a deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings

from dsar import deadlines, jurisdictions
from dsar.deadlines import Deadline, Rule
from dsar.jurisdictions import Law
from dsar.organizations.models import Organization
from dsar.policies.models import Right, RightKind

if TYPE_CHECKING:
    from dsar.requests.models import PrivacyRequest

Pause = tuple[datetime.date, datetime.date]

_SHINE_THE_LIGHT = (Rule.SHINE_THE_LIGHT, Rule.SHINE_THE_LIGHT_UNDESIGNATED)


class Basis(StrEnum):
    """What the binding date rests on, as a requester is told it."""

    LAW = "law"  # a statute's deadline
    PROMISE = "promise"  # the policy's own promise, said as a promise, never as law
    ORGANIZATION = "organization"  # neither: the organization sets the date (internal target)


class ClockEffect(StrEnum):
    """What waiting for the requester does to the deadline."""

    RESTART = "restart"  # the period starts again on the day the answer arrives
    PAUSE = "pause"  # the days from asking to the answer do not count
    PARTLY = "partly"  # one rule stops, another keeps running (its date holds)
    RUNS = "runs"  # the clock keeps running: the date stays
    TARGET = "target"  # no statutory or promised date: only the organization's own


# What the requester can be waited for; the values of ``requests.models.WaitingFor``.
IDENTITY, CLARIFICATION, FEE, EMAIL = "identity", "clarification", "fee", "email"


@dataclass(frozen=True)
class Candidate:
    """One rule that binds the request, and why."""

    rule: Rule
    reason: str
    law: Law | None = None  # None: the policy's promise
    law_name: str = ""  # the law as a requester reads it: "GDPR", "Virginia Consumer Data ..."
    restarts: bool = False  # counts from the clock start (ID or fee arrived), not from receipt
    pauses: bool = False  # clarification days do not count (UK GDPR)

    @property
    def is_promise(self) -> bool:
        return self.law is None

    def stopped_by(self, waiting_for: str) -> bool:
        """Whether waiting for ``waiting_for`` stops this rule's clock (restart or pause)."""
        if waiting_for == CLARIFICATION:
            return self.pauses
        if waiting_for in (IDENTITY, FEE):
            return self.restarts
        return False


@dataclass(frozen=True)
class WaitingEffect:
    """What waiting for the requester does: the rules it stops and those that keep running,
    each with the date it sets today."""

    effect: ClockEffect
    stopped: tuple[tuple[Candidate, datetime.date], ...]
    running: tuple[tuple[Candidate, datetime.date], ...]

    @property
    def holds_until(self) -> datetime.date | None:
        """The date that stays whatever the wait (the earliest rule that keeps running)."""
        return min((due for _, due in self.running), default=None)


@dataclass(frozen=True)
class Decision:
    """The binding deadline (None when only an internal target applies) and every candidate,
    each with the deadline it sets."""

    deadline: Deadline | None
    reason: str
    candidates: tuple[Candidate, ...]
    internal_target: datetime.date | None
    computed: tuple[Deadline, ...] = ()  # one per candidate, in the same order

    @property
    def basis(self) -> str:
        """The reason and the arithmetic in words, for the request page and the evidence pack."""
        if self.deadline is None:
            return self.reason
        return f"{self.reason}. {self.deadline.explain()}"

    @property
    def binding(self) -> Candidate | None:
        """The candidate whose deadline binds (the first of equal dates)."""
        for candidate, deadline in zip(self.candidates, self.computed, strict=True):
            if deadline is self.deadline:
                return candidate
        return None

    @property
    def binding_law(self) -> Candidate | None:
        """The law whose date binds, or, when a promise binds, a law with the same date (the
        requester is then told the law); None when only a promise or the organization sets it."""
        if self.deadline is None:
            return None
        laws = [
            c
            for c, d in zip(self.candidates, self.computed, strict=True)
            if not c.is_promise and d.due == self.deadline.due
        ]
        return laws[0] if laws else None

    @property
    def basis_kind(self) -> Basis:
        if self.deadline is None:
            return Basis.ORGANIZATION
        return Basis.LAW if self.binding_law is not None else Basis.PROMISE

    @property
    def laws(self) -> tuple[tuple[Candidate, Deadline], ...]:
        """The statutory rules that apply, with their deadlines (the promise left out)."""
        return tuple(
            (c, d) for c, d in zip(self.candidates, self.computed, strict=True) if not c.is_promise
        )

    def waiting_effect(self, waiting_for: str) -> WaitingEffect:
        """What asking the requester for ``waiting_for`` does to this deadline.

        The one place this is decided (legal-rules.md, "GDPR identity and clarification"):
        under the GDPR the month starts again when identity information or a fee arrives;
        under the UK GDPR clarification days do not count; every other clock runs (Cal. Code
        Regs. tit. 11 §7021(b)); an email confirmation stops none.
        """
        pairs = [(c, d.due) for c, d in zip(self.candidates, self.computed, strict=True)]
        if not pairs:
            return WaitingEffect(ClockEffect.TARGET, (), ())
        stopped = tuple(p for p in pairs if p[0].stopped_by(waiting_for))
        running = tuple(p for p in pairs if not p[0].stopped_by(waiting_for))
        if not stopped:
            effect = ClockEffect.RUNS
        elif running:
            effect = ClockEffect.PARTLY
        elif waiting_for == CLARIFICATION:
            effect = ClockEffect.PAUSE
        else:
            effect = ClockEffect.RESTART
        return WaitingEffect(effect, stopped, running)


def serves(organization: Organization, jurisdiction: str) -> bool:
    """Whether the law of ``jurisdiction`` reaches the organization: yes, unless its record
    lists the place (or, for an EEA country, "EU"; for a state, "US") as out of scope.

    Whether a law's territorial reach or thresholds catch an organization is a legal judgement
    dsar cannot make from a request; the safe error is an earlier date, the unsafe one a missed
    statutory deadline (docs/legal-decisions.md, "Whose law").
    """
    if not jurisdiction:
        return False
    excluded = organization.out_of_scope
    if not excluded:
        return True
    where = jurisdictions.Jurisdiction.parse(jurisdiction)
    return not (
        where.code in excluded
        or (where.in_eea and "EU" in excluded)
        or (where.in_us and "US" in excluded)
    )


def _has_statutes(right_kind: str) -> bool:
    """Whether ``dsar.jurisdictions`` knows the right (it has no credential_removal, say)."""
    return right_kind in set(jurisdictions.Right)


_LAW_OF_RULE = {
    Rule.GDPR: Law.EU_GDPR,
    Rule.CCPA: Law.CCPA,
    Rule.CCPA_ACK: Law.CCPA,
    Rule.CCPA_OPT_OUT: Law.CCPA,
    Rule.SHINE_THE_LIGHT: Law.CAL_1798_83,
    Rule.SHINE_THE_LIGHT_UNDESIGNATED: Law.CAL_1798_83,
    Rule.CAN_SPAM: Law.CAN_SPAM,
    Rule.US_STATE: Law.US_STATE_PRIVACY,
    Rule.LGPD: Law.LGPD,
    Rule.PIPEDA: Law.PIPEDA,
}


def _can_spam(right: Right | None, right_kind: str, organization: Organization) -> Candidate | None:
    """CAN-SPAM binds the sender: an organization whose policy file attaches it to the email
    marketing opt-out stops within 10 business days for every recipient (15 U.S.C.
    §7704(a)(4); docs/legal-decisions.md, "CAN-SPAM")."""
    if right is None or right_kind != RightKind.MARKETING_OPT_OUT:
        return None
    if right.deadline_rule != Rule.CAN_SPAM:
        return None
    reason = (
        f"CAN-SPAM (15 U.S.C. §7704(a)(4)) binds {organization.name} as a US sender of "
        "commercial email, whoever the recipient is and wherever they live"
    )
    return Candidate(Rule.CAN_SPAM, reason, law=Law.CAN_SPAM, law_name=Law.CAN_SPAM.label)


def _policy_rule(right: Right, designated: bool) -> Candidate | None:
    """The law the policy file attaches to the right, for a requester whose residence is not
    known (when it is not the promise itself)."""
    if not right.deadline_rule or right.deadline_rule == right.promise_rule:
        return None
    rule = Rule.parse(right.deadline_rule)
    if rule in _SHINE_THE_LIGHT:
        rule = Rule.SHINE_THE_LIGHT if designated else Rule.SHINE_THE_LIGHT_UNDESIGNATED
    reason = (
        f"{rule.label} ({rule.citation}), which the policy file attaches to this right; where "
        "the requester lives is not known, so it is applied on the safe side"
    )
    law = _LAW_OF_RULE.get(rule)
    return Candidate(
        rule, reason, law=law, law_name=law.label if law else "", restarts=rule is Rule.GDPR
    )


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
    """Every rule that binds this request: the policy's numeric promise, the laws that bind the
    organization whoever asks, then the laws of the requester's residence."""
    found: list[Candidate] = []
    if right is not None and right.promise_rule and promise_applies:
        rule = Rule.parse(right.promise_rule)
        reason = f'the policy promises "{right.deadline_promise}" ({rule.label})'
        found.append(Candidate(rule, reason, restarts=rule is Rule.GDPR))
    if sender_rule := _can_spam(right, right_kind, organization):
        found.append(sender_rule)
    has_law = {c.law for c in found if c.law is not None}
    if jurisdiction:
        if serves(organization, jurisdiction) and _has_statutes(right_kind):
            for basis in jurisdictions.applicable_rules(
                right=right_kind, jurisdiction=jurisdiction, designated=designated, on=received_on
            ):
                if basis.law in has_law:
                    continue
                gdpr = basis.rule is Rule.GDPR
                found.append(
                    Candidate(
                        basis.rule,
                        basis.reason,
                        law=basis.law,
                        law_name=basis.name,
                        restarts=gdpr,
                        pauses=basis.law is Law.UK_GDPR,
                    )
                )
    elif (
        right is not None
        and (policy_rule := _policy_rule(right, designated))
        and policy_rule.law not in has_law
    ):
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


def _internal_target(
    right: Right | None, right_kind: str, jurisdiction: str, received_on: datetime.date
) -> tuple[datetime.date, str]:
    days = (right.internal_target_days if right else None) or settings.DSAR_DEFAULT_TARGET_DAYS
    if right is None:
        promise = "the policy does not promise this right"
    elif right.deadline_promise:
        promise = f'the policy promises "{right.deadline_promise}", which sets no date'
    else:
        promise = "the policy gives no time"
    if jurisdiction:
        where = jurisdictions.Jurisdiction.parse(jurisdiction).name
        law = f"the laws dsar applies to a resident of {where} set no date for {right_kind}"
    else:
        law = "where the requester lives is not known"
    reason = (
        f"{law} and {promise}: the organization sets the date. "
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
        target, reason = _internal_target(right, right_kind, jurisdiction, received_on)
        if right is not None and right.promise_rule and not promise_applies:
            reason += (
                f'; the policy\'s promise of "{right.deadline_promise}" does not cover a '
                "request not sent as the policy asks"
            )
        return Decision(None, reason, (), target)
    computed = tuple(
        _compute(
            candidate,
            organization=organization,
            received_on=received_on,
            clock_started_on=clock_started_on or received_on,
            paused=paused,
            extended=extended,
        )
        for candidate in found
    )
    binding = deadlines.earliest(computed)
    reason = next(c.reason for d, c in zip(computed, found, strict=True) if d is binding)
    others = [
        f"{c.reason} (due {d.due:%d %b %Y})"
        for d, c in zip(computed, found, strict=True)
        if d is not binding
    ]
    if others:
        reason += "; the earliest of the rules that apply, also: " + "; ".join(others)
    if right is not None and right.promise_rule and not promise_applies:
        reason += (
            f'; the policy\'s promise of "{right.deadline_promise}" does not cover a request '
            "not sent as the policy asks, so the law decides"
        )
    return Decision(binding, reason, tuple(found), None, computed)


def decision_args(request: PrivacyRequest) -> dict[str, Any]:
    """What ``decide`` needs to know about a logged request, its clock history included."""
    return {
        "organization": request.organization,
        "right": request.right,
        "right_kind": request.right_kind,
        "jurisdiction": request.jurisdiction,
        "designated": request.designated,
        "received_on": request.received_on,
        "promise_applies": not request.off_channel,
        "clock_started_on": request.clock_started_on,
        "paused": [
            (datetime.date.fromisoformat(a), datetime.date.fromisoformat(b))
            for a, b in request.paused_days
        ],
        "extended": request.extended,
    }


def decide_for(request: PrivacyRequest, *, extended: bool | None = None) -> Decision:
    """The decision for a logged request, from its own dates: what every page, letter, email
    and the evidence pack read, so that they all say the same date for the same reason."""
    args = decision_args(request)
    if extended is not None:
        args["extended"] = extended
    return decide(**args)


def extension_allowed(right_kind: str) -> bool:
    """Whether the deadline of a request for ``right_kind`` may be extended at all.

    An objection to direct marketing (GDPR Art. 21(3); a marketing opt-out) is acted on without
    extension: nothing about stopping marketing is complex, so the Art. 12(3) extension is not
    offered for it (legal-rules.md, "Marketing objection"); CAN-SPAM has none either.
    """
    return right_kind != RightKind.MARKETING_OPT_OUT


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


def residence_law(request: PrivacyRequest) -> jurisdictions.ResidenceLaw | None:
    """The privacy law of the requester's residence, when it reaches the organization: the law
    the letters' complaint paragraph and access wording follow."""
    if not request.jurisdiction or not serves(request.organization, request.jurisdiction):
        return None
    return jurisdictions.residence_law(request.jurisdiction, on=request.received_on)
