"""Every write to a request: each service is one transaction that writes exactly one event.

The trail is the staff's, so every service writes it in the installation's language
(``in_staff_language``), whatever language the caller (a public page in Spanish) has active.

Names read ``request_<verb>`` (style rule 3). Arguments are keyword-only. A refused action raises
``TransitionError`` with a message a staff member can act on, and changes nothing. Services lock
the request row and return the fresh instance: use the returned request, not the one passed in.
A call that would change nothing (assigning the current assignee) writes nothing and returns.

Every service here takes ``now``, when the action happened (default: the current time): its
event is stamped with it, a closure is dated by it and "today" is its day in the organization's
time zone. The trail is ordered by its events' ids, which are written in turn: a caller passes
times in the order the actions happened (the timeline sorts by time).
A caller that records what happened earlier passes it (the demo seeder tells its stories that
way, ``dsar/requests/demo.py``) instead of moving the clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar import jurisdictions
from dsar.core.actors import Actor
from dsar.deadlines import Rule
from dsar.lib.i18n import in_staff_language
from dsar.organizations.models import Organization, Role, holds_role_in
from dsar.policies.models import (
    ChannelKind,
    Exemption,
    FrequencyLimit,
    IdentityVerification,
    PolicyVersion,
    RightKind,
)
from dsar.requests import channel_rules, clock, events, guards, verification
from dsar.requests.models import (
    AgentAuthority,
    EventKind,
    Flag,
    IdentityStatus,
    PrivacyRequest,
    RequestEvent,
    Status,
    VerificationMethod,
    WaitingFor,
)
from dsar.requests.writes import write_new_request

# What intake may set besides its named arguments: the rest of the requester as received.
REQUESTER_FIELDS = frozenset(
    {
        "requester_phone",
        "requester_address",
        "language",
        "is_agent",
        "agent_name",
        "gpc",
        "access_scope",
    }
)


class TransitionError(Exception):
    """An action the request's state, the law or the policy does not allow."""


# -- Helpers ---------------------------------------------------------------------------------------


_event = events.build
_record = events.record


@in_staff_language
def requests_exported(
    *,
    requests: Iterable[PrivacyRequest],
    actor: Actor,
    how: str,
    now: datetime.datetime | None = None,
) -> int:
    """Record on each exported request's own trail who took its personal data out, when and
    how (the admin's log says it too, but a regulator reads the request's timeline and its
    evidence pack). One insert for all of them; returns how many."""
    made = [
        _event(
            request,
            kind=EventKind.EXPORTED,
            summary=_("Exported: %(how)s") % {"how": how},
            actor=actor,
            now=now,
            how=how,
        )
        for request in requests
    ]
    events.append(made)
    return len(made)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _locked(request: PrivacyRequest) -> PrivacyRequest:
    return (
        PrivacyRequest.objects.select_for_update(of=("self",))
        .select_related("organization", "right")
        .get(pk=request.pk)
    )


def _refusal(current: Status, target: Status) -> TransitionError:
    return TransitionError(
        _("A request that is %(current)s cannot become %(target)s.")
        % {"current": current.label, "target": target.label}
    )


def _set_status(
    request: PrivacyRequest, target: Status, now: datetime.datetime | None = None
) -> Status:
    """Move along ``TRANSITIONS`` (or refuse), keeping the dependent fields consistent; a
    request closed is closed at ``now`` (default: the current time)."""
    current = request.status_enum
    if not current.can_move_to(target):
        raise _refusal(current, target)
    request.status = target
    if target.is_closed:
        request.closed_at = now or timezone.now()
    if target is not Status.WAITING_REQUESTER:
        request.waiting_for = ""
        request.waiting_since = None
    return current


def _require_open(request: PrivacyRequest) -> None:
    if not request.is_open:
        raise TransitionError(
            _("The request is %(status)s: a closed request does not change.")
            % {"status": request.status_enum.label}
        )


def _apply_deadline(request: PrivacyRequest, decision: clock.Decision) -> None:
    """Set the legal deadline; the internal target is the team's, so it is left alone."""
    request.due_date = decision.deadline.due if decision.deadline else None
    request.deadline_rule = decision.deadline.rule.value if decision.deadline else ""
    request.deadline_basis = decision.basis


def _check_choice(value: str, choices: type[models.TextChoices], name: str) -> None:
    # The enum's own lookup: ``choices.values`` builds the list (and the lazy labels) anew.
    try:
        choices(value)
    except ValueError:
        raise ValidationError({name: _("Unknown value %(value)r.") % {"value": value}}) from None


def _normalized_jurisdiction(code: str) -> str:
    if not code:
        return ""
    try:
        return jurisdictions.Jurisdiction.parse(code).code
    except ValueError as error:
        raise ValidationError({"jurisdiction": str(error)}) from None


def _exemptions(request: PrivacyRequest, exemptions: Iterable[Exemption] | None) -> list[Exemption]:
    """The exemptions relied on, which must be grounds of the request's own policy version."""
    found = list(exemptions or [])
    foreign = [e for e in found if e.right.version_id != request.policy_version_id]
    if foreign:
        raise TransitionError(
            _("%(names)s is not a ground of the policy version this request is bound to.")
            % {"names": ", ".join(e.name for e in foreign)}
        )
    return found


# -- Intake ----------------------------------------------------------------------------------------


def _version_at(
    organization: Organization,
    received_at: datetime.datetime,
    hint: PolicyVersion | None,
) -> PolicyVersion:
    """The version in force at ``received_at``. ``hint`` is the version the caller has just read
    as in force (the form's); it is used when its own dates say it was in force then, otherwise
    the organization's versions are asked."""
    if (
        hint is not None
        and hint.organization_id == organization.pk
        and hint.in_force_from is not None
        and hint.in_force_from <= received_at
        and (hint.in_force_until is None or received_at < hint.in_force_until)
    ):
        return hint
    version = PolicyVersion.objects.in_force_for(organization, when=received_at)
    if version is None:
        raise TransitionError(
            _("%(org)s had no policy in force on %(when)s.")
            % {"org": organization.name, "when": received_at.isoformat()}
        )
    return version


def _new_request(
    *,
    organization: Organization,
    right_kind: str,
    channel_kind: str,
    received_at: datetime.datetime,
    requester_name: str,
    requester_email: str = "",
    jurisdiction: str = "",
    subject_line: str = "",
    message: str = "",
    policy_version: PolicyVersion | None = None,
    **details: Any,
) -> PrivacyRequest:
    """The request as received, checked against its policy, with its flags and deadline; not
    yet written (``_write``)."""
    if unknown := set(details) - REQUESTER_FIELDS:
        raise TypeError(f"request_log() got unexpected arguments: {', '.join(sorted(unknown))}")
    if timezone.is_naive(received_at):
        raise ValueError("received_at must be time-zone aware")
    _check_choice(right_kind, RightKind, "right_kind")
    _check_choice(channel_kind, ChannelKind, "channel_kind")
    jurisdiction = _normalized_jurisdiction(jurisdiction)
    version = _version_at(organization, received_at, policy_version)
    received_on = timezone.localtime(received_at, ZoneInfo(organization.time_zone)).date()
    assessment = channel_rules.assess(
        version=version,
        right_kind=right_kind,
        channel_kind=channel_kind,
        subject_line=subject_line,
        message=message,
    )
    right = assessment.right
    # The policy may require it; the CCPA and the state laws let the organization act on a
    # request to know, delete or correct only once it is verified (``requires_verification``).
    identity_required = (
        right is not None and right.identity_verification == IdentityVerification.REQUIRED
    ) or (
        bool(jurisdiction)
        and right_kind in set(jurisdictions.Right)
        and clock.serves(organization, jurisdiction)
        and jurisdictions.requires_verification(
            right=right_kind, jurisdiction=jurisdiction, on=received_on
        )
    )
    request = PrivacyRequest(
        organization=organization,
        policy_version=version,
        right_kind=right_kind,
        right=right,
        channel_kind=channel_kind,
        channel=assessment.channel,
        designated=assessment.designated,
        received_at=received_at,
        received_on=received_on,
        clock_started_on=received_on,
        requester_name=requester_name,
        requester_email=requester_email,
        jurisdiction=jurisdiction,
        subject_line=subject_line,
        message=message,
        identity_status=(
            IdentityStatus.PENDING if identity_required else IdentityStatus.NOT_REQUIRED
        ),
        **details,
    )
    request.flags = [*assessment.flags, *_repeat_flags(request)]
    decision = clock.decide_for(request)
    _apply_deadline(request, decision)
    request.internal_target = decision.internal_target
    if decision.deadline is None:
        request.flags.append({"code": Flag.NO_LEGAL_DEADLINE.value, "message": decision.reason})
    request.acknowledge_by = clock.acknowledge_by(
        organization=organization,
        right_kind=right_kind,
        jurisdiction=jurisdiction,
        received_on=received_on,
    )
    # The fields (lengths, email address, choices) are checked here, with a message for each;
    # the table's constraints hold by construction and are enforced by the database inside the
    # transaction (checking them here would cost a query each).
    request.full_clean(
        exclude=["reference", "organization", "policy_version", "right", "channel"],
        validate_constraints=False,
    )
    return request


def _received(
    request: PrivacyRequest,
    *,
    actor: Actor,
    actor_label: str,
    now: datetime.datetime | None = None,
) -> RequestEvent:
    if request.due_date:
        when = _("due %(due)s") % {"due": request.due_date.isoformat()}
    else:
        when = _("date set by the organization: %(t)s") % {"t": _iso(request.internal_target)}
    return _event(
        request,
        kind=EventKind.RECEIVED,
        summary=_("Received by %(channel)s; %(when)s")
        % {"channel": ChannelKind(request.channel_kind).label, "when": when},
        actor=actor,
        actor_label=actor_label,
        now=now,
        to_status=request.status,
        due={"old": None, "new": _iso(request.due_date)},
        rule=request.deadline_rule,
        basis=request.deadline_basis,
        internal_target=_iso(request.internal_target),
        flags=[flag["code"] for flag in request.flags],
    )


@in_staff_language
@transaction.atomic
def request_log(
    *,
    organization: Organization,
    right_kind: str,
    channel_kind: str,
    received_at: datetime.datetime,
    requester_name: str,
    requester_email: str = "",
    jurisdiction: str = "",
    subject_line: str = "",
    message: str = "",
    actor: Actor = None,
    actor_label: str = "",
    policy_version: PolicyVersion | None = None,
    now: datetime.datetime | None = None,
    **details: Any,
) -> PrivacyRequest:
    """Log a request received through any channel, check it against the policy and give it its
    deadline. Nothing is refused at intake: what breaks a rule is flagged (``channel_rules``).

    ``details`` takes the rest of the requester as received (``REQUESTER_FIELDS``). Raises
    ValidationError for an unknown right, channel or jurisdiction, TransitionError when the
    organization had no policy in force at ``received_at``. ``policy_version``: the version the
    caller has just read as in force, used if it was in force at ``received_at`` (saves a read).
    """
    request = _new_request(
        organization=organization,
        right_kind=right_kind,
        channel_kind=channel_kind,
        received_at=received_at,
        requester_name=requester_name,
        requester_email=requester_email,
        jurisdiction=jurisdiction,
        subject_line=subject_line,
        message=message,
        policy_version=policy_version,
        **details,
    )
    write_new_request(request, [_received(request, actor=actor, actor_label=actor_label, now=now)])
    return request


@in_staff_language
@transaction.atomic(savepoint=False)
def request_log_awaiting_confirmation(
    *,
    note: str,
    actor: Actor = None,
    actor_label: str = "",
    dependents: Sequence[models.Model] = (),
    now: datetime.datetime | None = None,
    **received: Any,
) -> PrivacyRequest:
    """Log a request sent through a form open to anyone: it waits for the requester to confirm
    their email address before anything is started or released.

    Two events, as ``request_log`` then ``request_ask_requester`` would write them: received
    (flags and deadline); asked the requester to confirm their email address (``note``), with
    the clock effect of each rule: none stops for it (``clock``). Confirming an address is not
    verifying an identity: the identity stays as the policy and the law say (pending where a
    verification is required), for staff to verify. The request row is written once, in its
    final state: no other transaction can see the steps between. ``received`` takes the
    arguments of ``request_log``; ``dependents``, new rows that refer to the request (the web
    form's submission), are written with it (``writes.write_new_request``).
    """
    if not note.strip():
        raise TransitionError(_("Say what you are asking the requester for."))
    request = _new_request(**received)
    events = [_received(request, actor=actor, actor_label=actor_label, now=now)]
    events.append(
        _ask(
            request,
            actor=None,
            waiting_for=WaitingFor.EMAIL,
            note=note,
            asked_on=request.received_on,
            now=now,
        )
    )
    write_new_request(request, events, dependents)
    return request


def _repeat_flags(request: PrivacyRequest) -> list[dict[str, str]]:
    """A possible duplicate, and a request beyond a once-a-calendar-year limit.

    The limit is the policy's (``Right.frequency_limit``) or, for Shine the Light, the statute's:
    a customer may ask once per calendar year (Cal. Civ. Code 1798.83(b)). It counts requests
    from the same email address answered (fulfilled, partly fulfilled or denied) in the calendar
    year of receipt, in the organization's time zone.
    """
    flags = []
    duplicate = PrivacyRequest.objects.open_duplicate(request)
    if duplicate:
        flags.append(
            {
                "code": Flag.DUPLICATE.value,
                "message": _("%(ref)s from the same requester is still open.") % {"ref": duplicate},
            }
        )
    right = request.right
    by_policy = right is not None and right.frequency_limit == FrequencyLimit.ONCE_PER_CALENDAR_YEAR
    if not by_policy and request.right_kind != RightKind.SHINE_THE_LIGHT:
        return flags
    year = request.received_on.year
    zone = ZoneInfo(request.organization.time_zone)
    same = PrivacyRequest.objects.same_requester(request).filter(right_kind=request.right_kind)
    answered = same.filter(
        status__in=[s.value for s in Status if s.answered],
        closed_at__gte=datetime.datetime(year, 1, 1, tzinfo=zone),
        closed_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    ).values_list("reference", flat=True)
    if answered:
        promise = _("The policy promises") if by_policy else _("Cal. Civ. Code 1798.83 gives")
        flags.append(
            {
                "code": Flag.BEYOND_FREQUENCY.value,
                "message": _(
                    "%(promise)s this once per calendar year; %(refs)s was already answered in "
                    "%(year)s."
                )
                % {"promise": promise, "refs": ", ".join(answered), "year": year},
            }
        )
    return flags


# -- Lifecycle -------------------------------------------------------------------------------------


@in_staff_language
@transaction.atomic
def request_start(
    *, request: PrivacyRequest, actor: Actor, now: datetime.datetime | None = None
) -> PrivacyRequest:
    """Start work on a request just received; one whose policy requires identity verification
    waits for it first."""
    request = _locked(request)
    pending = request.identity_status == IdentityStatus.PENDING
    target = Status.AWAITING_VERIFICATION if pending else Status.IN_PROGRESS
    if request.status != Status.RECEIVED:
        raise _refusal(request.status_enum, target)
    current = _set_status(request, target, now)
    request.save()
    _record(
        request,
        now=now,
        kind=EventKind.STATUS_CHANGED,
        summary=_("Waiting for identity verification") if pending else _("Work started"),
        actor=actor,
        from_status=current,
        to_status=target,
    )
    return request


@in_staff_language
@transaction.atomic
def request_verify_identity(
    *,
    request: PrivacyRequest,
    actor: Actor,
    how: str,
    method: VerificationMethod | str = VerificationMethod.OTHER,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Record that staff verified the requester's identity, how (``method``: a document seen,
    data points matched, an account login…) and with what (``how``), and start work.

    An email confirmation is not a verification (``request_confirm_email``)."""
    try:
        method = VerificationMethod(method)
    except ValueError:
        raise TransitionError(_("Choose how the identity was verified.")) from None
    if not how.strip():
        raise TransitionError(_("Say how the identity was verified."))
    request = _locked(request)
    _require_open(request)
    if request.identity_status == IdentityStatus.VERIFIED:
        raise TransitionError(_("The identity is already verified."))
    if request.waiting_for == WaitingFor.IDENTITY:
        # The day the information arrives may restart the clock: record it as the answer.
        raise TransitionError(
            _("The request waits for the requester's identity information: record their answer.")
        )
    request.identity_status = IdentityStatus.VERIFIED
    current = request.status_enum
    if current in (Status.RECEIVED, Status.AWAITING_VERIFICATION):
        _set_status(request, Status.IN_PROGRESS, now)
    request.save()
    _record(
        request,
        now=now,
        kind=EventKind.IDENTITY_VERIFIED,
        summary=_("Identity verified (%(method)s): %(how)s") % {"method": method.label, "how": how},
        actor=actor,
        from_status=current if request.status != current else "",
        to_status=request.status if request.status != current else "",
        method=method.value,
        how=how,
    )
    return request


@in_staff_language
@transaction.atomic
def request_match_data_points(
    *,
    request: PrivacyRequest,
    actor: Actor,
    points: Sequence[str],
    how: str = "",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Record the data points staff matched between what the requester gave and the
    organization's records (Cal. Code Regs. tit. 11 §7062): only the organization's own data
    points (``Organization.data_points``), each once."""
    request = _locked(request)
    _require_open(request)
    known = list(request.organization.data_points)
    unknown = [p for p in points if p not in known]
    if unknown or not points:
        raise TransitionError(
            _("Choose among the data points %(org)s can match: %(known)s.")
            % {"org": request.organization.name, "known": ", ".join(known) or _("none set")}
        )
    added = [p for p in points if p not in request.data_points_matched]
    if not added:
        return request
    request.data_points_matched = [*request.data_points_matched, *added]
    request.save(update_fields=["data_points_matched", "updated_at"])
    _record(
        request,
        now=now,
        kind=EventKind.DATA_POINTS_MATCHED,
        summary=_("Data points matched: %(points)s") % {"points": ", ".join(added)}
        + (f" ({how})" if how else ""),
        actor=actor,
        points=added,
        how=how,
    )
    return request


@in_staff_language
@transaction.atomic
def request_record_declaration(
    *,
    request: PrivacyRequest,
    actor: Actor,
    signed_on: datetime.date,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Record that the requester's declaration, signed under penalty of perjury, arrived
    (Cal. Code Regs. tit. 11 §7062(c))."""
    request = _locked(request)
    _require_open(request)
    if signed_on < request.received_on:
        raise TransitionError(_("A declaration for this request cannot predate it."))
    request.declaration_signed_on = signed_on
    request.save(update_fields=["declaration_signed_on", "updated_at"])
    _record(
        request,
        now=now,
        kind=EventKind.DECLARATION_RECEIVED,
        summary=_("Declaration signed under penalty of perjury received, dated %(day)s")
        % {"day": signed_on.isoformat()},
        actor=actor,
        signed_on=signed_on.isoformat(),
    )
    return request


@in_staff_language
@transaction.atomic
def request_check_agent(
    *,
    request: PrivacyRequest,
    actor: Actor,
    authority: AgentAuthority | str,
    how: str,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Record how an authorized agent's authority was checked: the consumer's signed permission
    or a power of attorney under the Probate Code (Cal. Code Regs. tit. 11 §7063)."""
    try:
        authority = AgentAuthority(authority)
    except ValueError:
        raise TransitionError(_("Choose how the agent's authority was shown.")) from None
    if not how.strip():
        raise TransitionError(_("Say what was checked."))
    request = _locked(request)
    _require_open(request)
    if not request.is_agent:
        raise TransitionError(_("This request was not made by an authorized agent."))
    request.agent_authority = authority
    request.save(update_fields=["agent_authority", "updated_at"])
    _record(
        request,
        now=now,
        kind=EventKind.AGENT_CHECKED,
        summary=_("Agent's authority checked (%(authority)s): %(how)s")
        % {"authority": authority.label, "how": how},
        actor=actor,
        authority=authority.value,
        how=how,
    )
    return request


@in_staff_language
@transaction.atomic
def request_consumer_confirmed_agent(
    *,
    request: PrivacyRequest,
    actor: Actor,
    confirmed_on: datetime.date,
    how: str,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Record that the consumer confirmed directly with the organization that they gave the
    agent permission (§7063(a)(2)). The agent's own confirmation of its own email address never
    counts: this is recorded by staff, from the consumer."""
    if not how.strip():
        raise TransitionError(_("Say how the consumer confirmed it."))
    request = _locked(request)
    _require_open(request)
    if not request.is_agent:
        raise TransitionError(_("This request was not made by an authorized agent."))
    request.consumer_confirmed_agent_on = confirmed_on
    request.save(update_fields=["consumer_confirmed_agent_on", "updated_at"])
    _record(
        request,
        now=now,
        kind=EventKind.AGENT_CONFIRMED,
        summary=_("The consumer confirmed the agent's authority on %(day)s: %(how)s")
        % {"day": confirmed_on.isoformat(), "how": how},
        actor=actor,
        confirmed_on=confirmed_on.isoformat(),
        how=how,
    )
    return request


@in_staff_language
@transaction.atomic
def request_confirm_email(
    *,
    request: PrivacyRequest,
    confirmed_on: datetime.date,
    actor_label: str = "requester",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """The requester followed the link emailed to the address they gave: the address is
    confirmed, and nothing else. The identity is not verified by it, and no clock moves.

    A request waiting for the confirmation goes on: to awaiting verification when its identity
    must still be verified, else in progress. One that staff moved on meanwhile only gets the
    event."""
    request = _locked(request)
    _require_open(request)
    current = request.status_enum
    moved = request.status == Status.WAITING_REQUESTER and request.waiting_for == WaitingFor.EMAIL
    if moved:
        pending = request.identity_status == IdentityStatus.PENDING
        _set_status(request, Status.AWAITING_VERIFICATION if pending else Status.IN_PROGRESS, now)
        request.save()
    _record(
        request,
        now=now,
        kind=EventKind.EMAIL_CONFIRMED,
        summary=_("The requester confirmed their email address on %(day)s")
        % {"day": confirmed_on.isoformat()},
        actor=None,
        actor_label=actor_label,
        from_status=current if moved else "",
        to_status=request.status if moved else "",
        confirmed_on=confirmed_on.isoformat(),
    )
    return request


def _clock_effect(request: PrivacyRequest, waiting_for: WaitingFor) -> str:
    """What waiting does to the clock, in words for the trail (``clock.Decision.waiting_effect``
    decides it)."""
    effect = clock.decide_for(request).waiting_effect(waiting_for)
    if effect.effect is clock.ClockEffect.TARGET:
        return _("the organization's own date stays")
    if effect.effect is clock.ClockEffect.RUNS:
        return _("the clock keeps running")
    if waiting_for == WaitingFor.CLARIFICATION:
        words = _("under the UK GDPR the days until the answer do not count")
    else:
        words = _("the GDPR month starts again on the day it arrives")
    if effect.effect is clock.ClockEffect.PARTLY:
        words += _("; %(rules)s keep running (due %(due)s)") % {
            "rules": ", ".join(c.law_name or c.rule.label for c, _due in effect.running),
            "due": _iso(effect.holds_until),
        }
    return words


def _ask(
    request: PrivacyRequest,
    *,
    actor: Actor,
    waiting_for: WaitingFor,
    note: str,
    asked_on: datetime.date,
    fee_amount: Decimal | None = None,
    now: datetime.datetime | None = None,
) -> RequestEvent:
    """Move the request to waiting for the requester; the event, not yet written."""
    if asked_on < request.received_on:
        raise TransitionError(_("A question cannot be asked before the request arrived."))
    current = _set_status(request, Status.WAITING_REQUESTER, now)
    request.waiting_for = waiting_for
    request.waiting_since = asked_on
    if waiting_for == WaitingFor.FEE:
        request.fee_amount = fee_amount
        request.fee_currency = request.organization.currency
    effect = _clock_effect(request, waiting_for)
    return _event(
        request,
        kind=EventKind.ASKED_REQUESTER,
        summary=_("Asked the requester for %(what)s: %(effect)s")
        % {"what": waiting_for.label, "effect": effect},
        actor=actor,
        now=now,
        from_status=current,
        to_status=Status.WAITING_REQUESTER,
        waiting_for=waiting_for.value,
        asked_on=asked_on.isoformat(),
        note=note,
        effect=effect,
        fee=str(fee_amount) if waiting_for == WaitingFor.FEE else None,
        currency=request.fee_currency if waiting_for == WaitingFor.FEE else None,
    )


@in_staff_language
@transaction.atomic
def request_ask_requester(
    *,
    request: PrivacyRequest,
    actor: Actor,
    waiting_for: WaitingFor | str,
    note: str,
    today: datetime.date | None = None,
    fee_amount: Decimal | None = None,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Ask the requester for identity information, a clarification or a fee (its amount).

    The clock effect depends on the rule and is stated in the event: under GDPR the month starts
    again when ID or a fee arrives, and UK clarification days do not count; CCPA never stops.
    ``today`` is the day of asking (default: today in the organization's time zone).
    """
    waiting_for = WaitingFor(waiting_for)
    if not note.strip():
        raise TransitionError(_("Say what you are asking the requester for."))
    if waiting_for == WaitingFor.FEE and not (fee_amount and fee_amount > 0):
        raise TransitionError(_("Say how much the fee is."))
    request = _locked(request)
    event = _ask(
        request,
        actor=actor,
        waiting_for=waiting_for,
        note=note,
        asked_on=today or request.organization.today(now),
        fee_amount=fee_amount,
        now=now,
    )
    request.save()
    events.append([event])  # through the trail's one writer: chained, and its listeners told
    return request


@in_staff_language
@transaction.atomic
def request_requester_answered(
    *,
    request: PrivacyRequest,
    actor: Actor,
    answered_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """The requester answered: resume work, restarting or pausing the clock where the rule says.

    Identity information or a fee restarts a GDPR month from ``answered_on``; a clarification's
    days, from asking to answering, do not count under UK GDPR; any other clock keeps running.
    Identity information received still has to be checked: the request goes to awaiting
    verification until staff verify it (``request_verify_identity``, which records how). An
    email confirmation is recorded by ``request_confirm_email``.
    """
    request = _locked(request)
    if request.status != Status.WAITING_REQUESTER:
        raise _refusal(request.status_enum, Status.IN_PROGRESS)
    if request.waiting_for == WaitingFor.EMAIL:
        raise TransitionError(
            _("The request waits for the requester to follow the link emailed to them.")
        )
    answered_on = answered_on or request.organization.today(now)
    waiting_for, since = WaitingFor(request.waiting_for), request.waiting_since
    assert since is not None  # noqa: S101 - guaranteed by requests_waiting_only_when_waiting
    if answered_on < since:
        raise TransitionError(_("The answer cannot arrive before the question was asked."))
    old_due = request.due_date
    if waiting_for == WaitingFor.CLARIFICATION:
        request.paused_days = [*request.paused_days, [since.isoformat(), answered_on.isoformat()]]
    else:
        request.clock_started_on = max(request.clock_started_on, answered_on)
    _apply_deadline(request, clock.decide_for(request))
    # Work starts once the identity is verified where it must be.
    pending = request.identity_status == IdentityStatus.PENDING
    target = Status.AWAITING_VERIFICATION if pending else Status.IN_PROGRESS
    current = _set_status(request, target, now)
    request.save()
    summary = _("The requester sent %(what)s on %(day)s") % {
        "what": waiting_for.label,
        "day": answered_on.isoformat(),
    }
    moved: dict[str, Any] = {}
    if request.due_date != old_due:
        summary += _("; deadline moved from %(old)s to %(new)s") % {
            "old": _iso(old_due),
            "new": _iso(request.due_date),
        }
        moved = {"due": {"old": _iso(old_due), "new": _iso(request.due_date)}}
    _record(
        request,
        now=now,
        kind=EventKind.REQUESTER_ANSWERED,
        summary=summary,
        actor=actor,
        from_status=current,
        to_status=target,
        waiting_for=waiting_for.value,
        asked_on=since.isoformat(),
        answered_on=answered_on.isoformat(),
        basis=request.deadline_basis,
        **moved,
    )
    return request


@in_staff_language
@transaction.atomic
def request_extend(
    *,
    request: PrivacyRequest,
    actor: Actor,
    reason: str,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Extend the deadline: a reason is required, only on or before the current deadline, once,
    and only within the rule's maximum (GDPR +2 months, CCPA and US states +45 days, PIPEDA +30).
    A rule without an extension (1798.83, CAN-SPAM, LGPD) refuses it, and so does a request
    whose other rules leave the earliest deadline where it is."""
    if not reason.strip():
        raise TransitionError(_("An extension needs a reason, which the requester is told."))
    request = _locked(request)
    _require_open(request)
    if request.due_date is None:
        raise TransitionError(
            _("Only a legal or promised deadline can be extended; this date is the organization's.")
        )
    if not clock.extension_allowed(request.right_kind):
        raise TransitionError(
            _(
                "An objection to direct marketing is acted on without extension (GDPR Art. "
                "21(3); CAN-SPAM allows none)."
            )
        )
    if request.extended:
        raise TransitionError(_("The deadline was already extended to the rule's maximum."))
    today = today or request.organization.today(now)
    if today > request.due_date:
        raise TransitionError(
            _("The deadline of %(due)s has passed: an extension must be notified before it.")
            % {"due": request.due_date.isoformat()}
        )
    decision = clock.decide_for(request, extended=True)
    assert decision.deadline is not None  # noqa: S101 - a due date implies a deadline
    if decision.deadline.due <= request.due_date:
        raise TransitionError(
            _("%(rule)s cannot be extended.") % {"rule": Rule.parse(request.deadline_rule).label}
        )
    old_due = request.due_date
    request.extended = True
    _apply_deadline(request, decision)
    request.save()
    _record(
        request,
        now=now,
        kind=EventKind.EXTENDED,
        summary=_("Deadline extended from %(old)s to %(new)s: %(reason)s")
        % {"old": old_due.isoformat(), "new": _iso(request.due_date), "reason": reason},
        actor=actor,
        due={"old": old_due.isoformat(), "new": _iso(request.due_date)},
        reason=reason,
        basis=request.deadline_basis,
    )
    return request


@in_staff_language
@transaction.atomic
def request_set_target(
    *,
    request: PrivacyRequest,
    actor: Actor,
    target: datetime.date,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Set the team's internal target, which may not be later than the legal deadline."""
    request = _locked(request)
    _require_open(request)
    if request.due_date is not None and target > request.due_date:
        raise TransitionError(
            _("An internal target cannot be later than the legal deadline of %(due)s.")
            % {"due": request.due_date.isoformat()}
        )
    if target < request.received_on:
        raise TransitionError(_("An internal target cannot be before the day of receipt."))
    old = request.internal_target
    if target == old:
        return request
    request.internal_target = target
    request.save(update_fields=["internal_target", "updated_at"])
    _record(
        request,
        now=now,
        kind=EventKind.TARGET_SET,
        summary=_("Internal target set to %(t)s") % {"t": target.isoformat()},
        actor=actor,
        target={"old": _iso(old), "new": target.isoformat()},
    )
    return request


@in_staff_language
@transaction.atomic
def request_assign(
    *, request: PrivacyRequest, actor: Actor, assignee: Actor, now: datetime.datetime | None = None
) -> PrivacyRequest:
    """Assign to a handler or privacy officer of the request's organization (None: unassign)."""
    request = _locked(request)
    _require_open(request)
    if assignee is not None:
        member = request.organization.memberships.filter(
            user=assignee, role__in=[Role.HANDLER, Role.PRIVACY_OFFICER]
        )
        if not member.exists():
            raise TransitionError(
                _("Assign only to a handler or privacy officer of %(org)s.")
                % {"org": request.organization.name}
            )
        decider = first_decider(request)
        if decider is not None and decider == assignee.pk:
            raise TransitionError(
                _(
                    "%(who)s refused the request this one appeals: %(org)s has an appeal "
                    "decided by someone else."
                )
                % {"who": assignee.get_username(), "org": request.organization.name}
            )
    if request.assignee_id == (assignee.pk if assignee else None):
        return request
    old = request.assignee
    request.assignee = assignee
    request.save(update_fields=["assignee", "updated_at"])
    _record(
        request,
        now=now,
        kind=EventKind.ASSIGNED,
        summary=(
            _("Assigned to %(who)s") % {"who": assignee.get_username()}
            if assignee
            else _("Unassigned")
        ),
        actor=actor,
        assignee={"old": old.pk if old else None, "new": assignee.pk if assignee else None},
    )
    return request


@in_staff_language
@transaction.atomic
def request_acknowledge(
    *,
    request: PrivacyRequest,
    actor: Actor,
    how: str = "",
    at: datetime.datetime | None = None,
    actor_label: str = "",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Record that receipt was confirmed to the requester, and how (CCPA §7021(a): within 10
    business days, saying how the request will be processed and verified and when to expect an
    answer). Records ``acknowledged_at``, which stops the acknowledgement reminders.

    Called when the web form's acknowledgement email goes out, when an acknowledgement letter
    is sent, or by staff who acknowledged it another way (``how``: "by telephone", ...)."""
    request = _locked(request)
    if request.acknowledged_at is not None:
        raise TransitionError(_("Receipt was already acknowledged."))
    request.acknowledged_at = at or now or timezone.now()
    request.save(update_fields=["acknowledged_at", "updated_at"])
    _record(
        request,
        now=now,
        kind=EventKind.ACKNOWLEDGED,
        summary=(_("Receipt acknowledged: %(how)s") % {"how": how})
        if how
        else _("Receipt acknowledged"),
        actor=actor,
        actor_label=actor_label,
        at=request.acknowledged_at.isoformat(),
        how=how,
    )
    return request


@in_staff_language
@transaction.atomic
def request_note(
    *, request: PrivacyRequest, actor: Actor, text: str, now: datetime.datetime | None = None
) -> PrivacyRequest:
    """Add a staff note to the trail; it changes nothing else, and works on closed requests."""
    if not text.strip():
        raise TransitionError(_("A note needs some text."))
    request = _locked(request)
    _record(request, kind=EventKind.NOTE, summary=text, actor=actor, text=text, now=now)
    return request


# -- Closing ---------------------------------------------------------------------------------------


def _close(
    request: PrivacyRequest,
    target: Status,
    *,
    actor: Actor,
    summary: str,
    reason: str = "",
    note: str = "",
    exemptions: Iterable[Exemption] | None = None,
    trail: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
    **fields: Any,
) -> PrivacyRequest:
    """Close the request. ``reason`` is what the requester is told (status page, letters);
    ``note`` is for staff and stays on the timeline; ``trail``, more details of the event."""
    request = _locked(request)
    relied_on = _exemptions(request, exemptions)
    current = _set_status(request, target, now)
    request.outcome_reason = reason
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    if relied_on:
        request.exemptions.set(relied_on)
    if note:
        summary += _(" (internal note: %(note)s)") % {"note": note}
    _record(
        request,
        now=now,
        kind=EventKind.STATUS_CHANGED,
        summary=summary,
        actor=actor,
        from_status=current,
        to_status=target,
        reason=reason,
        note=note,
        exemptions=[e.name for e in relied_on],
        **(trail or {}),
    )
    return request


@in_staff_language
@transaction.atomic
def request_fulfil(
    *,
    request: PrivacyRequest,
    actor: Actor,
    partial: bool = False,
    reason: str = "",
    note: str = "",
    exemptions: Iterable[Exemption] | None = None,
    override: str = "",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Close as fulfilled; a partial fulfilment tells the requester its reasons and the
    exemptions relied on. ``note`` is internal.

    What other apps say is still to do (``guards``: the fulfilment app's open tasks) refuses
    the fulfilment, unless a privacy officer of the organization gives ``override``, the reason
    to answer anyway, which the closing event records."""
    if partial and not reason.strip():
        raise TransitionError(_("Say why the request was only partly fulfilled."))
    if blockers := verification.answer_blockers(request):
        raise TransitionError(
            _("It cannot be fulfilled until %(what)s.") % {"what": "; ".join(blockers)}
        )
    target = Status.PARTIALLY_FULFILLED if partial else Status.FULFILLED
    summary = str(target.label).capitalize() + (f": {reason}" if reason else "")
    override = override.strip()
    overridden: list[str] = []
    if pending := guards.blockers(_locked(request)):
        if not override:
            raise TransitionError(
                _(
                    "It cannot be fulfilled while %(what)s; a privacy officer may answer anyway, "
                    "giving the reason."
                )
                % {"what": "; ".join(pending)}
            )
        officer = actor is not None and holds_role_in(
            actor, request.organization_id, [Role.PRIVACY_OFFICER]
        )
        if not officer:
            raise TransitionError(
                _("Only a privacy officer of %(org)s may answer while %(what)s.")
                % {"org": request.organization.name, "what": "; ".join(pending)}
            )
        overridden = pending
        summary += _(" (answered while %(what)s, because: %(why)s)") % {
            "what": "; ".join(pending),
            "why": override,
        }
    return _close(
        request,
        target,
        now=now,
        actor=actor,
        summary=summary,
        reason=reason,
        note=note,
        exemptions=exemptions,
        trail={"override": override, "overridden": overridden} if overridden else None,
    )


@in_staff_language
@transaction.atomic
def request_deny(
    *,
    request: PrivacyRequest,
    actor: Actor,
    reason: str,
    note: str = "",
    exemptions: Iterable[Exemption] | None = None,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Deny the request, with the reasons the requester is told and the exemptions relied on;
    ``note`` is internal."""
    if not reason.strip():
        raise TransitionError(_("A denial needs its reasons, which the requester is told."))
    return _close(
        request,
        Status.DENIED,
        now=now,
        actor=actor,
        summary=_("Denied: %(reason)s") % {"reason": reason},
        reason=reason,
        note=note,
        exemptions=exemptions,
    )


@in_staff_language
@transaction.atomic
def request_withdraw(
    *,
    request: PrivacyRequest,
    actor: Actor,
    note: str = "",
    reason: str = "",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """The requester withdrew the request. ``note`` is internal (how they said so);
    ``reason``, if any, is what they are told."""
    summary = _("Withdrawn by the requester")
    return _close(
        request,
        Status.WITHDRAWN,
        actor=actor,
        summary=summary,
        reason=reason,
        note=note,
        now=now,
    )


@in_staff_language
@transaction.atomic
def request_close(
    *,
    request: PrivacyRequest,
    actor: Actor,
    as_status: Status | str,
    note: str = "",
    reason: str = "",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Close as unverifiable (the identity could not be verified) or as a duplicate. ``note``
    is internal; ``reason``, if any, is what the requester is told."""
    as_status = Status(as_status)
    if as_status not in (Status.CLOSED_UNVERIFIABLE, Status.CLOSED_DUPLICATE):
        raise TransitionError(_("Close only as unverifiable or duplicate."))
    fields: dict[str, Any] = (
        {"identity_status": IdentityStatus.FAILED}
        if as_status == Status.CLOSED_UNVERIFIABLE
        else {}
    )
    summary = str(as_status.label).capitalize()
    return _close(
        request,
        as_status,
        actor=actor,
        summary=summary,
        reason=reason,
        note=note,
        now=now,
        **fields,
    )


# -- Appeals ---------------------------------------------------------------------------------------

APPEALABLE = (Status.DENIED, Status.PARTIALLY_FULFILLED)


def appeal_route(
    request: PrivacyRequest,
) -> tuple[jurisdictions.StateLaw, jurisdictions.Appeal] | None:
    """The appeal the requester's state law gives against this refusal, or None: the request
    was refused in whole or part, it is not itself an appeal, and the law of the requester's
    residence (in force when it was received, and reaching the organization) gives one."""
    if request.status not in APPEALABLE or request.right_kind == RightKind.APPEAL:
        return None
    if not request.jurisdiction or not clock.serves(request.organization, request.jurisdiction):
        return None
    return jurisdictions.appeal_for(request.jurisdiction, on=request.received_on)


def appeal_open_until(request: PrivacyRequest) -> datetime.datetime | None:
    """Until when the requester can appeal ``request`` (``DSAR_APPEAL_WINDOW_DAYS`` after the
    refusal); None when no appeal is open to them."""
    if appeal_route(request) is None or request.closed_at is None or request.appeals.exists():
        return None
    return request.closed_at + datetime.timedelta(days=settings.DSAR_APPEAL_WINDOW_DAYS)


def first_decider(request: PrivacyRequest) -> int | None:
    """For an appeal whose organization wants it decided by someone else: the user who refused
    the appealed request; else None."""
    original = request.appeal_of
    if original is None or not request.organization.appeals_by_another_decider:
        return None
    refusal = (
        original.events.filter(kind=EventKind.STATUS_CHANGED, to_status__in=APPEALABLE)
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    return refusal


@in_staff_language
@transaction.atomic
def request_appeal(
    *,
    request: PrivacyRequest,
    received_at: datetime.datetime,
    message: str,
    channel_kind: str = ChannelKind.WEB_FORM,
    actor: Actor = None,
    actor_label: str = "requester",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """Log the requester's appeal of a refusal as a request of its own, linked to the refused
    one, with its own deadline from the state's law (e.g. Va. Code §59.1-577(C): 60 days), and
    record the appeal on the refused request's trail. Returns the appeal.

    One appeal per refusal, within ``DSAR_APPEAL_WINDOW_DAYS`` of it; refused otherwise."""
    original = _locked(request)
    until = appeal_open_until(original)
    if until is None:
        raise TransitionError(_("This request cannot be appealed."))
    if received_at > until:
        raise TransitionError(
            _("The time to appeal ended on %(day)s.") % {"day": until.date().isoformat()}
        )
    appeal = _new_request(
        organization=original.organization,
        right_kind=RightKind.APPEAL,
        channel_kind=channel_kind,
        received_at=received_at,
        requester_name=original.requester_name,
        requester_email=original.requester_email,
        jurisdiction=original.jurisdiction,
        message=message,
        requester_phone=original.requester_phone,
        requester_address=original.requester_address,
        language=original.language,
        is_agent=original.is_agent,
        agent_name=original.agent_name,
    )
    appeal.appeal_of = original
    write_new_request(appeal, [_received(appeal, actor=actor, actor_label=actor_label, now=now)])
    _record(
        original,
        now=now,
        kind=EventKind.APPEALED,
        summary=_("Refusal appealed: %(ref)s, due %(due)s")
        % {"ref": appeal.reference, "due": _iso(appeal.due_date)},
        actor=actor,
        actor_label=actor_label,
        appeal=appeal.reference,
    )
    return appeal
