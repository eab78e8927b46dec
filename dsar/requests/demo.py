"""Demo requests for the five seed organizations, driven through the services.

``seed_demo_requests`` logs requests with made-up requesters (names from the short lists below,
addresses at example.com, a domain reserved for examples by RFC 2606) and moves each one to a
planned status through ``dsar.requests.services``, so every request has a real audit trail.

- **Every status**, in every organization that can reach it: awaiting identity verification
  needs a right whose policy requires verification (imgwg, imservicecenter); elsewhere that slot
  becomes another open status.
- **Deterministic**: a fixed random seed picks rights, channels, requesters and ages; dates are
  counted back from the day it runs.
- **Idempotent**: when any demo request exists (its "received" event has the actor label
  ``demo``), it adds nothing.
- **The US state rights** (``_us_state_stories``), in IMG: a Californian's opt-out of sale sent
  with Global Privacy Control, handled at once and fulfilled; a Virginian's refused request to
  know, appealed, the appeal in progress with a second demo staff member (``REVIEWER``, a
  handler of IMG who cannot log in) because the refusal was the demo user's and IMG keeps the
  default of appeals decided by someone else; and a Californian's request to know made by an
  authorized agent, its permission checked, the consumer's confirmation recorded and the data
  points matched (Cal. Code Regs. tit. 11 §7062, §7063), ready to answer.

Each step of a story is told at the time it happened: the services take ``now`` (their events,
closures and days are stamped with it), and the seeder passes the step's time (``_Seeder.step``)
instead of moving the process's clock. A request received 50 days ago was started the next day,
perhaps asked for proof of identity a few days later, and answered after its days to respond,
mostly within its deadline and sometimes late, so the timelines read like real ones and the
on-time chart has months to show.
Requests are received over the last ``HISTORY_DAYS`` days, but never before the organization's
first policy version was in force (a request binds to the version in force when it was received,
and ``load_policy`` puts a version in force when it runs): on a fresh install the ages shrink into
the time since the policies were loaded, and ``Seeded.window`` says so.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from dsar.organizations.models import Membership, Organization, Role
from dsar.policies.models import (
    ChannelKind,
    IdentityVerification,
    PolicyVersion,
    Right,
    RightKind,
)
from dsar.requests import services, verification
from dsar.requests.models import (
    AccessScope,
    AgentAuthority,
    EventKind,
    IdentityStatus,
    PrivacyRequest,
    RequestEvent,
    Status,
    VerificationMethod,
    WaitingFor,
)

DEMO_ACTOR_LABEL = "demo"
SEED_ORGANIZATIONS = ("imservicecenter", "imgwg", "imt", "ims-consulting", "img")
RANDOM_SEED = 7102
HISTORY_DAYS = 90  # the oldest story is 75 days old

FIRST_NAMES = (
    "Alma", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
    "Keiko", "Lucas", "Maya", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samuel", "Tamsin",
    "Uma", "Viktor", "Wen", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Abernathy", "Brightwater", "Castellano", "Dunmore", "Eskildsen", "Fairbanks", "Gallardo",
    "Holloway", "Ivanova", "Jarrett", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Okafor",
    "Pemberton", "Quinlan", "Rasmussen", "Sandoval", "Thorne", "Underwood", "Valdez",
)  # fmt: skip
# Where requesters live, weighted roughly like a US business with European customers: states
# with a privacy law (California, Texas, Virginia, Colorado, Connecticut) and without (Florida,
# New York), EU countries, the UK, Canada, Brazil, elsewhere, and a few not known. Each gets its
# own law's deadline and wording (docs/legal-decisions.md).
JURISDICTIONS = (
    ("US-CA", 26), ("US-FL", 12), ("US-TX", 9), ("US-VA", 5), ("US-CO", 3), ("US-CT", 2),
    ("US-NY", 5), ("GB", 9), ("FR", 7), ("DE", 6), ("IE", 3), ("ES", 3), ("CA", 3), ("BR", 3),
    ("OTHER", 3), ("", 4),
)  # fmt: skip
SUBJECTS = {
    RightKind.ACCESS: ("Subject access request", "What data do you hold about me?"),
    RightKind.RECTIFICATION: ("Please correct my details", "Wrong address on my account"),
    RightKind.ERASURE: ("Delete my data", "Right to erasure request"),
    RightKind.MARKETING_OPT_OUT: ("Unsubscribe", "Stop sending me marketing emails"),
    RightKind.SHINE_THE_LIGHT: ("Your California Privacy Rights", "Shine the Light request"),
    RightKind.ACCOUNT_CLOSURE: ("Close my account", "Account closure"),
    RightKind.COMPLAINT: ("Privacy Policy complaint", "Privacy Policy: complaint"),
}
MESSAGES = (
    "Hello,\n\nI would like to exercise my rights under your privacy policy. My account email "
    "is the one I am writing from.\n\nThank you.",
    "Please treat this as a formal request. I expect an answer within the legal time limit.",
    "Hi, I used your service a few years ago and would like this sorted out. Regards.",
)
# What the demo organizations can match to verify a requester (Cal. Code Regs. tit. 11 §7062).
DEMO_DATA_POINTS = (
    "email address",
    "postal address",
    "telephone number",
    "date of the last order",
)
# The organization of the US state stories, and the second staff member who decides the appeal
# of a refusal the demo user made (IMG has its appeals decided by someone else, the default).
STORIES_ORGANIZATION = "img"
REVIEWER = "demo-reviewer"
OPEN_TARGETS = (
    Status.RECEIVED,
    Status.AWAITING_VERIFICATION,
    Status.IN_PROGRESS,
    Status.WAITING_REQUESTER,
)


class DemoError(Exception):
    """The demo cannot be seeded (e.g. the seed policies are not loaded)."""


@dataclass(frozen=True)
class Seeded:
    requests: list[PrivacyRequest]
    window: datetime.timedelta = datetime.timedelta(days=HISTORY_DAYS)

    @property
    def by_status(self) -> Counter[str]:
        return Counter(request.status for request in self.requests)


def demo_requests_exist() -> bool:
    return RequestEvent.objects.filter(
        kind=EventKind.RECEIVED, actor_label=DEMO_ACTOR_LABEL
    ).exists()


def _window(organizations: Sequence[Organization], now: datetime.datetime) -> datetime.timedelta:
    """How far back demo requests can be received: ``HISTORY_DAYS``, or less when a seed policy
    has been in force for less time than that."""
    starts = []
    for organization in organizations:
        first = organization.policy_versions.published().order_by("in_force_from").first()
        if first is None or first.in_force_from is None:
            raise DemoError(
                f"{organization.slug} has no policy in force: run "
                f"load_policy dsar/policies/seeds/{organization.slug}.yaml first"
            )
        starts.append(first.in_force_from)
    return min(datetime.timedelta(days=HISTORY_DAYS), now - max(starts))


@dataclass
class _Seeder:
    rng: random.Random
    now: datetime.datetime
    window: datetime.timedelta
    actor: Any
    made: list[PrivacyRequest]
    # The story being told: when its last step happened, and when it must end (its closure, or
    # a little before now for a request still open).
    clock: datetime.datetime = field(init=False)
    ends: datetime.datetime = field(init=False)

    def at(self, when: datetime.datetime) -> datetime.datetime:
        """The story's next step happens at ``when``; returns it, for the service's ``now``."""
        self.clock = when
        return when

    def step(self, *, last: bool = False) -> datetime.datetime:
        """When the next step of the story happens: a few hours to a few days after the previous
        one (the closing step at its planned end), never after the end."""
        when = self.ends if last else self.clock + datetime.timedelta(hours=self.rng.uniform(3, 60))
        return self.at(max(self.clock, min(when, self.ends)))

    def plan(self, received_at: datetime.datetime, target: Status) -> None:
        """Set the story's end: the answer's day for a closed request, mostly within 30 days
        (some later), never in the future; just before now for an open one."""
        # Never before receipt: on a fresh install a request may be received minutes ago.
        latest = max(self.now - datetime.timedelta(minutes=5), received_at)
        if target in OPEN_TARGETS:
            self.ends = latest
            return
        days = self.rng.triangular(1, 50, 12) * (
            self.window / datetime.timedelta(days=HISTORY_DAYS)
        )
        self.ends = min(received_at + datetime.timedelta(days=days), latest)

    def pick_right(self, rights: list[Right], target: Status) -> tuple[str, Right | None]:
        if target is Status.AWAITING_VERIFICATION:
            right = self.rng.choice(
                [r for r in rights if r.identity_verification == IdentityVerification.REQUIRED]
            )
            return right.kind, right
        if not rights or self.rng.random() < 0.08:
            # Now and then a right the policy does not promise: the request is flagged, not lost.
            # Never an appeal: one is made only of a refusal (``_us_state_stories``).
            promised = {r.kind for r in rights} | {RightKind.APPEAL}
            kind = self.rng.choice([k for k in RightKind.values if k not in promised])
            return kind, None
        right = self.rng.choice(rights)
        return right.kind, right

    def pick_channel(self, right: Right | None) -> str:
        offered = [c.kind for c in right.channels.all()] if right is not None else []
        if offered and self.rng.random() < 0.88:
            return self.rng.choice(offered)
        return self.rng.choice(ChannelKind.values)

    def age_days(self, target: Status) -> int:
        if target is Status.RECEIVED:
            # Mostly fresh, a few forgotten and overdue.
            return self.rng.choice((0, 1, 2, 3, 5)) if self.rng.random() < 0.8 else 60
        if target in OPEN_TARGETS:
            return int(self.rng.triangular(2, 70, 15))
        # Answered any time over the history: the on-time chart has every month of it.
        return int(self.rng.triangular(2, 88, 40))

    def received_at(self, organization: Organization, age: int) -> datetime.datetime:
        """``age`` days ago during office hours, or, when the policies are younger than
        ``HISTORY_DAYS``, the same fraction of the time they have been in force."""
        hour, minute = self.rng.randint(7, 19), self.rng.randint(0, 59)
        if self.window < datetime.timedelta(days=HISTORY_DAYS):
            return self.now - self.window * (age / HISTORY_DAYS)
        zone = ZoneInfo(organization.time_zone)
        day = timezone.localtime(self.now, zone).date() - datetime.timedelta(days=age)
        at = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)
        return min(at, self.now - datetime.timedelta(minutes=5))

    def log(
        self,
        organization: Organization,
        rights: list[Right],
        target: Status,
        requester: tuple[str, str] | None = None,
        right_kind: str | None = None,
    ) -> PrivacyRequest:
        if right_kind is None:
            right_kind, right = self.pick_right(rights, target)
        else:
            right = next((r for r in rights if r.kind == right_kind), None)
        channel = self.pick_channel(right)
        if requester is None:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            number = self.rng.randint(1, 99)
            requester = (f"{first} {last}", f"{first}.{last}{number}@example.com".lower())
        jurisdiction = self.rng.choices(
            [code for code, _w in JURISDICTIONS], [w for _c, w in JURISDICTIONS]
        )[0]
        subjects = SUBJECTS.get(RightKind(right_kind), ("Privacy request", "Request"))
        subject = self.rng.choice(subjects)
        received_at = self.received_at(organization, self.age_days(target))
        self.plan(received_at, target)
        now = self.at(received_at)
        return services.request_log(
            organization=organization,
            right_kind=right_kind,
            channel_kind=channel,
            received_at=received_at,
            requester_name=requester[0],
            requester_email=requester[1],
            jurisdiction=jurisdiction,
            subject_line=subject,
            message=self.rng.choice(MESSAGES),
            actor_label=DEMO_ACTOR_LABEL,
            now=now,
        )

    def start(self, request: PrivacyRequest) -> PrivacyRequest:
        """Start work; verify the identity first where the policy or the law requires it."""
        if request.status == Status.RECEIVED:
            now = self.step()
            request = services.request_start(request=request, actor=self.actor, now=now)
        if request.status == Status.AWAITING_VERIFICATION:
            level = verification.required_level(request)
            if level is not None:
                # The degree of certainty the law asks (Cal. Code Regs. tit. 11 §7062).
                now = self.step()
                request = services.request_match_data_points(
                    request=request,
                    actor=self.actor,
                    points=request.organization.data_points[: level.data_points],
                    how="compared with the account record",
                    now=now,
                )
                if level.declaration:
                    now = self.step()
                    request = services.request_record_declaration(
                        now=now, request=request, actor=self.actor, signed_on=self.today(request)
                    )
            now = self.step()
            method, how = self.rng.choice(
                (
                    (VerificationMethod.DATA_POINTS, "email, postcode and last order matched"),
                    (VerificationMethod.DOCUMENT, "copy of ID checked and deleted"),
                    (VerificationMethod.ACCOUNT, "signed in and confirmed the request"),
                )
            )
            request = services.request_verify_identity(
                now=now, request=request, actor=self.actor, method=method, how=how
            )
        return request

    def today(self, request: PrivacyRequest) -> datetime.date:
        """The day of the story's current step, where the organization counts its days."""
        return request.organization.today(self.clock)

    def maybe_assign(self, request: PrivacyRequest) -> PrivacyRequest:
        if self.actor is None or self.rng.random() < 0.4:
            return request
        if not request.organization.memberships.filter(user=self.actor).exists():
            return request
        now = self.step()
        return services.request_assign(
            request=request, actor=self.actor, assignee=self.actor, now=now
        )

    def drive(self, request: PrivacyRequest, target: Status) -> PrivacyRequest:
        """Move a freshly logged request to ``target`` the way staff would, each step at its
        time in the story (``plan``), the answer last."""
        actor, rng = self.actor, self.rng
        if target is Status.RECEIVED:
            return request
        if target is Status.DENIED and rng.random() < 0.5:
            now = self.step(last=True)
            return services.request_deny(
                request=request,
                actor=actor,
                reason="Manifestly unfounded: the requester has no account and no data is held.",
                now=now,
            )
        if target is Status.WITHDRAWN and rng.random() < 0.5:
            now = self.step(last=True)
            return services.request_withdraw(
                request=request,
                actor=actor,
                note="Requester phoned: resolved it through the account page.",
                now=now,
            )
        request = self.maybe_assign(request)
        if target is Status.AWAITING_VERIFICATION:
            now = self.step()
            return services.request_start(request=request, actor=actor, now=now)
        if target is Status.CLOSED_UNVERIFIABLE:
            now = self.step()
            request = services.request_start(request=request, actor=actor, now=now)
            if request.status != Status.AWAITING_VERIFICATION:
                request = self.ask(request, WaitingFor.IDENTITY)
            now = self.step(last=True)
            return services.request_close(
                request=request,
                actor=actor,
                as_status=Status.CLOSED_UNVERIFIABLE,
                note="No answer to two requests for proof of identity.",
                reason=(
                    "We could not confirm that you are the person the data is about, so we "
                    "cannot act on the request. You are welcome to make it again."
                ),
                now=now,
            )
        request = self.start(request)
        if rng.random() < 0.3:
            request = self.extend(request)
        if rng.random() < 0.25 and target is not Status.WAITING_REQUESTER:
            request = self.ask(request, WaitingFor.CLARIFICATION)
            now = self.step()
            request = services.request_requester_answered(
                now=now, request=request, actor=actor, answered_on=self.today(request)
            )
            if request.status == Status.AWAITING_VERIFICATION:
                request = self.start(request)
        if target is Status.IN_PROGRESS:
            return request
        if target is Status.WAITING_REQUESTER:
            what = rng.choice((WaitingFor.CLARIFICATION, WaitingFor.IDENTITY))
            if request.identity_status == IdentityStatus.VERIFIED:
                what = WaitingFor.CLARIFICATION
            return self.ask(request, what)
        return self.answer(request, target, now=self.step(last=True))

    def answer(
        self, request: PrivacyRequest, target: Status, *, now: datetime.datetime
    ) -> PrivacyRequest:
        actor = self.actor
        if target is Status.FULFILLED:
            return services.request_fulfil(request=request, actor=actor, now=now)
        if target is Status.PARTIALLY_FULFILLED:
            return services.request_fulfil(
                request=request,
                actor=actor,
                partial=True,
                reason="Email records and website backups are not searched (policy §Erasure).",
                now=now,
            )
        if target is Status.DENIED:
            return services.request_deny(
                request=request,
                actor=actor,
                reason="The data is required to be retained by law (tax records).",
                now=now,
            )
        if target is Status.WITHDRAWN:
            return services.request_withdraw(request=request, actor=actor, now=now)
        raise AssertionError(f"no path to {target}")

    def ask(self, request: PrivacyRequest, what: WaitingFor) -> PrivacyRequest:
        notes = {
            WaitingFor.IDENTITY: "Please send the last four digits of the card on the account.",
            WaitingFor.CLARIFICATION: "Which of your two accounts does the request concern?",
            WaitingFor.FEE: "A reasonable fee applies to further copies.",
        }
        now = self.step()
        return services.request_ask_requester(
            request=request,
            actor=self.actor,
            waiting_for=what,
            note=notes[what],
            today=self.today(request),
            now=now,
        )

    def extend(self, request: PrivacyRequest) -> PrivacyRequest:
        now = self.step()
        today = self.today(request)
        if request.due_date is None or request.extended or today > request.due_date:
            return request
        try:
            return services.request_extend(
                request=request,
                actor=self.actor,
                reason="The request is complex: records are kept in three systems.",
                today=today,
                now=now,
            )
        except services.TransitionError:
            return request  # the rule allows no extension (e.g. a CAN-SPAM opt-out)


def _plan(rng: random.Random, size: int, can_await_verification: bool) -> list[Status]:
    """``size`` target statuses covering every status (when ``size`` allows), shuffled."""
    statuses = [s for s in Status if can_await_verification or s != Status.AWAITING_VERIFICATION]
    # More answered requests than anything else, as in a real queue.
    weighted = [*statuses, Status.FULFILLED, Status.FULFILLED, Status.IN_PROGRESS, Status.RECEIVED]
    plan = [weighted[i % len(weighted)] for i in range(size)]
    rng.shuffle(plan)
    return plan


@transaction.atomic
def seed_demo_requests(*, actor: Any = None, per_organization: int = 30) -> Seeded:
    """Log and drive ``per_organization`` demo requests in each seed organization; nothing when
    demo requests exist already. ``actor`` (a staff user, or None for "system") does the work
    and, where a member of the organization, gets some requests assigned.

    Every step passes its own time to the service (``now``): the process's clock is never
    moved, so it is safe to call from anywhere, a test or a web worker included."""
    if demo_requests_exist():
        return Seeded([])
    organizations = list(Organization.objects.filter(slug__in=SEED_ORGANIZATIONS).order_by("slug"))
    missing = set(SEED_ORGANIZATIONS) - {o.slug for o in organizations}
    if missing:
        files = " ".join(f"dsar/policies/seeds/{slug}.yaml" for slug in sorted(missing))
        raise DemoError(f"seed organizations missing; run: python manage.py load_policy {files}")
    now = timezone.now()
    window = _window(organizations, now)
    for organization in organizations:
        if not organization.data_points:
            organization.data_points = list(DEMO_DATA_POINTS)
            organization.save(update_fields=["data_points"])
    # Not for secrets: a fixed seed so that every demo looks the same.
    seeder = _Seeder(random.Random(RANDOM_SEED), now, window, actor, [])  # noqa: S311
    for organization in organizations:
        version = PolicyVersion.objects.in_force_for(organization)
        assert version is not None  # noqa: S101 - checked by _window
        rights = list(version.rights.prefetch_related("channels").order_by("kind"))
        can_await = any(r.identity_verification == IdentityVerification.REQUIRED for r in rights)
        for target in _plan(seeder.rng, per_organization, can_await):
            if target is Status.CLOSED_DUPLICATE:
                seeder.made.append(_duplicate(seeder, organization, rights))
                continue
            request = seeder.log(organization, rights, target)
            seeder.made.append(seeder.drive(request, target))
    stories = next(o for o in organizations if o.slug == STORIES_ORGANIZATION)
    seeder.made.extend(_us_state_stories(seeder, stories))
    return Seeded(seeder.made, window)


def _duplicate(seeder: _Seeder, organization: Organization, rights: list[Right]) -> PrivacyRequest:
    """A second request from someone who already wrote, closed as a duplicate of the first."""
    earlier = [r for r in seeder.made if r.organization_id == organization.pk]
    if not earlier:
        original = seeder.log(organization, rights, Status.RECEIVED)
        seeder.made.append(original)
    else:
        original = seeder.rng.choice(earlier)
    request = seeder.log(
        organization,
        rights,
        Status.CLOSED_DUPLICATE,
        requester=(original.requester_name, original.requester_email),
        right_kind=original.right_kind,
    )
    now = seeder.step(last=True)
    return services.request_close(
        request=request,
        actor=seeder.actor,
        as_status=Status.CLOSED_DUPLICATE,
        note=f"Same request as {original.reference}.",
        now=now,
    )


# -- The US state rights ---------------------------------------------------------------------------


def _reviewer(organization: Organization) -> Any:
    """The second demo staff member: a handler of ``organization`` who decides the appeal of a
    refusal the demo user made. No usable password: the demo is shown through the demo login,
    and a second known credential on a demo left running would be one too many."""
    user, created = get_user_model().objects.get_or_create(
        username=REVIEWER,
        defaults={"first_name": "Demo", "last_name": "Reviewer", "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Role.HANDLER}
    )
    group = Group.objects.filter(name=Role.HANDLER.group_name).first()
    if group is not None:
        user.groups.add(group)
    return user


def _us_state_stories(seeder: _Seeder, organization: Organization) -> list[PrivacyRequest]:
    """Three stories of the US state rights, told through the services at fixed ages (days
    ago, shrunk with the window like every demo request): see the module's docstring."""
    scale = seeder.window / datetime.timedelta(days=HISTORY_DAYS)
    latest = seeder.now - datetime.timedelta(minutes=5)

    def ago(days: float) -> datetime.datetime:
        return min(seeder.now - datetime.timedelta(days=days) * scale, latest)

    def log(at: datetime.datetime, **fields: Any) -> PrivacyRequest:
        now = seeder.at(at)
        return services.request_log(
            organization=organization,
            received_at=at,
            actor_label=DEMO_ACTOR_LABEL,
            now=now,
            **fields,
        )

    actor = seeder.actor
    acting = actor is not None and organization.memberships.filter(user=actor).exists()
    made = []

    # 1. A Californian's browser sent Global Privacy Control with the opt-out form: an opt-out
    #    of sale and sharing, no identity asked (§7060(b)), in progress at once, done that day.
    gpc = log(
        ago(3),
        right_kind=RightKind.OPT_OUT_SALE,
        channel_kind=ChannelKind.WEB_FORM,
        requester_name="Gloria Castellano",
        requester_email="gloria.castellano@example.com",
        jurisdiction="US-CA",
        message="Do not sell or share my personal information.",
        gpc=True,
    )
    now = seeder.at(ago(3))
    gpc = services.request_start(request=gpc, actor=None, now=now)
    gpc = services.request_note(
        request=gpc,
        actor=None,
        text=(
            "Sent with the Global Privacy Control signal (Sec-GPC: 1) of the requester's "
            "browser: a request to opt out of the sale and sharing of their personal "
            "information, which California requires to be honoured (Cal. Code Regs. tit. 11 "
            "§7025)."
        ),
        now=now,
    )
    now = seeder.at(ago(2.8))
    gpc = services.request_fulfil(
        request=gpc,
        actor=actor,
        note="Opt-out flag set in the CRM and passed to the two ad partners.",
        now=now,
    )
    made.append(gpc)

    # 2. A Virginian's request to know, refused by the demo user; the requester appealed
    #    (Va. Code §59.1-577(C): 60 days), and the appeal went to someone else, in progress.
    refused = log(
        ago(40),
        right_kind=RightKind.ACCESS,
        channel_kind=ChannelKind.EMAIL,
        requester_name="Viktor Holloway",
        requester_email="viktor.holloway@example.com",
        jurisdiction="US-VA",
        subject_line="Subject access request",
        message="Please send me a copy of all the personal data you hold about me.",
    )
    now = seeder.at(ago(39))
    refused = services.request_start(request=refused, actor=actor, now=now)
    now = seeder.at(ago(28))
    refused = services.request_deny(
        request=refused,
        actor=actor,
        reason=(
            "We could not find an account or any other personal data for the details you "
            "gave, so there is nothing we can send."
        ),
        note="Searched the CRM, billing and support desk by name and email.",
        now=now,
    )
    now = seeder.at(ago(20))
    appeal = services.request_appeal(
        request=refused,
        received_at=ago(20),
        message="I had an account under my old address: please search again.",
        actor_label=DEMO_ACTOR_LABEL,
        now=now,
    )
    reviewer = _reviewer(organization)
    now = seeder.at(ago(19))
    appeal = services.request_assign(request=appeal, actor=actor, assignee=reviewer, now=now)
    now = seeder.at(ago(18.5))
    appeal = services.request_start(request=appeal, actor=reviewer, now=now)
    made += [refused, appeal]

    # 3. An authorized agent's request to know the categories of a Californian's information:
    #    the agent's signed permission checked, the consumer confirming the agent directly,
    #    the data points matched (§7062(b): two), the identity verified; ready to answer.
    agents = log(
        ago(6),
        right_kind=RightKind.ACCESS,
        channel_kind=ChannelKind.EMAIL,
        requester_name="Keiko Nakamura",
        requester_email="requests@rights-agent.example.com",
        jurisdiction="US-CA",
        subject_line="Request to know on behalf of our client",
        message="We act for Keiko Nakamura; her signed permission is attached.",
        is_agent=True,
        agent_name="Rights Agent Example LLC",
        access_scope=AccessScope.CATEGORIES,
    )
    now = seeder.at(ago(5.5))
    agents = services.request_start(request=agents, actor=actor, now=now)
    now = seeder.at(ago(5))
    agents = services.request_check_agent(
        request=agents,
        actor=actor,
        authority=AgentAuthority.PERMISSION,
        how="signed permission dated last week, naming the agent and this request",
        now=now,
    )
    now = seeder.at(ago(4))
    agents = services.request_consumer_confirmed_agent(
        request=agents,
        actor=actor,
        confirmed_on=seeder.today(agents),
        how="called the consumer on the telephone number of her account",
        now=now,
    )
    level = verification.required_level(agents)
    now = seeder.at(ago(3.5))
    agents = services.request_match_data_points(
        request=agents,
        actor=actor,
        points=organization.data_points[: level.data_points if level else 2],
        how="compared with the account record",
        now=now,
    )
    agents = services.request_verify_identity(
        request=agents,
        actor=actor,
        method=VerificationMethod.DATA_POINTS,
        how="email and postal address matched the account record",
        now=now,
    )
    if acting:
        now = seeder.at(ago(3.4))
        agents = services.request_assign(request=agents, actor=actor, assignee=actor, now=now)
    made.append(agents)
    return made
