"""Privacy requests and their append-only audit trail.

A request is logged once, whatever channel it came through, bound to the policy version in force
when it was received, and given its legal deadline at intake. Every change goes through a service
in ``dsar.requests.services`` that writes exactly one ``RequestEvent`` in the same transaction.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.lib.columns import column
from dsar.organizations.tenancy import member_organization_ids
from dsar.policies.models import ChannelKind, RightKind


class Status(models.TextChoices):
    """Where a request stands. The allowed moves are ``TRANSITIONS`` below."""

    RECEIVED = "received", _("received")
    AWAITING_VERIFICATION = "awaiting_verification", _("awaiting identity verification")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING_REQUESTER = "waiting_requester", _("waiting for the requester")
    FULFILLED = "fulfilled", _("fulfilled")
    PARTIALLY_FULFILLED = "partially_fulfilled", _("partially fulfilled")
    DENIED = "denied", _("denied")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CLOSED_UNVERIFIABLE = "closed_unverifiable", _("closed: identity not verified")
    CLOSED_DUPLICATE = "closed_duplicate", _("closed: duplicate")

    @classmethod
    def open_values(cls) -> list[str]:
        return [s.value for s in cls if not s.is_closed]

    @classmethod
    def closed_values(cls) -> list[str]:
        return [s.value for s in cls if s.is_closed]

    @property
    def is_closed(self) -> bool:
        return self in CLOSED

    @property
    def answered(self) -> bool:
        """Closed with an answer on the merits: what CCPA §7102 counts as complied or denied."""
        return self in (Status.FULFILLED, Status.PARTIALLY_FULFILLED, Status.DENIED)

    def can_move_to(self, target: Status) -> bool:
        return target in TRANSITIONS[self]


CLOSED = frozenset(
    {
        Status.FULFILLED,
        Status.PARTIALLY_FULFILLED,
        Status.DENIED,
        Status.WITHDRAWN,
        Status.CLOSED_UNVERIFIABLE,
        Status.CLOSED_DUPLICATE,
    }
)
_ENDINGS = {Status.WITHDRAWN, Status.CLOSED_DUPLICATE}
TRANSITIONS: dict[Status, frozenset[Status]] = {
    # A request can wait for the requester from the start (the web form's email confirmation).
    Status.RECEIVED: frozenset(
        {
            Status.AWAITING_VERIFICATION,
            Status.IN_PROGRESS,
            Status.WAITING_REQUESTER,
            Status.DENIED,
            *_ENDINGS,
        }
    ),
    # Asking the requester for identity information moves a request on to waiting for them.
    Status.AWAITING_VERIFICATION: frozenset(
        {
            Status.IN_PROGRESS,
            Status.WAITING_REQUESTER,
            Status.CLOSED_UNVERIFIABLE,
            Status.DENIED,
            *_ENDINGS,
        }
    ),
    Status.IN_PROGRESS: frozenset(
        {
            Status.WAITING_REQUESTER,
            Status.FULFILLED,
            Status.PARTIALLY_FULFILLED,
            Status.DENIED,
            *_ENDINGS,
        }
    ),
    # Back to awaiting verification when the answer was the email confirmation and the
    # identity still has to be verified by staff.
    Status.WAITING_REQUESTER: frozenset(
        {
            Status.IN_PROGRESS,
            Status.AWAITING_VERIFICATION,
            Status.CLOSED_UNVERIFIABLE,
            Status.DENIED,
            *_ENDINGS,
        }
    ),
    **{closed: frozenset() for closed in CLOSED},
}


class IdentityStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("not required")
    PENDING = "pending", _("not yet verified")
    VERIFIED = "verified", _("verified")
    FAILED = "failed", _("could not be verified")


class WaitingFor(models.TextChoices):
    """What the organization asked the requester for. The effect on the clock differs by law
    (``clock.Decision.waiting_effect``); the email confirmation of the public form stops none."""

    IDENTITY = "identity", _("identity information")
    CLARIFICATION = "clarification", _("clarification")
    FEE = "fee", _("a fee")
    EMAIL = "email", _("confirmation of their email address")


class VerificationMethod(models.TextChoices):
    """How staff verified who the requester is. Confirming an email address is not one: it
    shows only that the sender reads that mailbox."""

    DOCUMENT = "document", _("identity document seen")
    DATA_POINTS = "data_points", _("data points matched against our records")
    ACCOUNT = "account", _("signed in to their account")
    KNOWN_CONTACT = "known_contact", _("answered from contact details we already hold")
    OTHER = "other", _("another way (described below)")


class AccessScope(models.TextChoices):
    """What a request to know asks for (Cal. Code Regs. tit. 11 §7062(b)-(c): the categories
    need a reasonable degree of certainty, specific pieces a reasonably high one)."""

    CATEGORIES = "categories", _("categories of personal information")
    SPECIFIC = "specific", _("specific pieces of personal information")


class AgentAuthority(models.TextChoices):
    """How an authorized agent's authority was shown (Cal. Code Regs. tit. 11 §7063)."""

    PERMISSION = "permission", _("signed permission from the consumer, checked")
    POWER_OF_ATTORNEY = (
        "power_of_attorney",
        _("power of attorney under Cal. Probate Code §§4121-4130"),
    )


class Flag(models.TextChoices):
    """Why a request needs a second look. Flagged requests are accepted, never dropped."""

    CHANNEL_NOT_OFFERED = "channel_not_offered", _("channel not offered for this right")
    LABEL_MISSING = "label_missing", _("required label missing")
    RIGHT_NOT_PROMISED = "right_not_promised", _("right not promised by the policy")
    BEYOND_FREQUENCY = "beyond_frequency", _("beyond the policy's frequency limit")
    DUPLICATE = "duplicate", _("possible duplicate of an open request")
    NO_LEGAL_DEADLINE = "no_legal_deadline", _("no statutory deadline known: internal target")


# One date, or each organization's today by organization id.
Today = datetime.date | Mapping[int, datetime.date]


@functools.cache
def _open_duplicate_sql() -> str:
    q = connection.ops.quote_name
    table = q(PrivacyRequest._meta.db_table)
    pk, reference, organization, email, right_kind, status, received_at = (
        q(column(PrivacyRequest, name))
        for name in (
            "id",
            "reference",
            "organization",
            "requester_email",
            "right_kind",
            "status",
            "received_at",
        )
    )
    # Identifiers quoted by the backend, of our own table; every value is a parameter.
    return (
        f"SELECT {reference} FROM {table} "  # noqa: S608
        f"WHERE {organization} = %s AND UPPER({email}::text) = UPPER(%s) "
        f"AND {right_kind} = %s AND {status} = ANY(%s) AND {pk} IS DISTINCT FROM %s "
        f"ORDER BY {received_at} LIMIT 1"
    )


class PrivacyRequestQuerySet(models.QuerySet["PrivacyRequest"]):
    def open(self) -> PrivacyRequestQuerySet:
        return self.filter(status__in=Status.open_values())

    def closed(self) -> PrivacyRequestQuerySet:
        return self.filter(status__in=Status.closed_values())

    # The conditions as Q objects too, for pages that count several queues in one aggregate.
    # ``today`` is one date, or each organization's own today (``workspace.todays_for``): a
    # deadline falls due at the end of its day in the organization's time zone, so at 22:00 in
    # Florida a request due that day is not yet overdue though it is already tomorrow in UTC.
    @staticmethod
    def _on_each_day(today: Today, condition: Callable[[datetime.date], Q]) -> Q:
        if isinstance(today, datetime.date):
            return condition(today)
        organizations_by_day: dict[datetime.date, list[int]] = {}
        for organization_id, day in today.items():
            organizations_by_day.setdefault(day, []).append(organization_id)
        combined = Q(pk__in=[])
        for day, organization_ids in sorted(organizations_by_day.items()):
            combined |= Q(organization_id__in=organization_ids) & condition(day)
        return combined

    @classmethod
    def overdue_q(cls, today: Today) -> Q:
        return cls._on_each_day(today, lambda day: Q(due_date__lt=day))

    @classmethod
    def due_within_q(cls, today: Today, days: int) -> Q:
        return cls._on_each_day(
            today,
            lambda day: Q(due_date__gte=day, due_date__lte=day + datetime.timedelta(days=days)),
        )

    @classmethod
    def due_by_q(cls, today: Today, days: int) -> Q:
        """Due within ``days`` days or already overdue."""
        return cls._on_each_day(
            today, lambda day: Q(due_date__lte=day + datetime.timedelta(days=days))
        )

    @classmethod
    def due_after_q(cls, today: Today, days: int) -> Q:
        return cls._on_each_day(
            today, lambda day: Q(due_date__gt=day + datetime.timedelta(days=days))
        )

    @staticmethod
    def unassigned_q() -> Q:
        return Q(assignee__isnull=True)

    @staticmethod
    def unverified_q() -> Q:
        """Whose identity is still to be verified (confirming an email address is not it)."""
        return Q(identity_status=IdentityStatus.PENDING)

    @staticmethod
    def unacknowledged_q() -> Q:
        """Whose receipt a law wants confirmed by a date (``acknowledge_by``) and is not yet:
        what the acknowledgement reminders chase."""
        return Q(acknowledge_by__isnull=False, acknowledged_at__isnull=True)

    def due_before(self, day: Today) -> PrivacyRequestQuerySet:
        """Open requests whose legal deadline falls before ``day``."""
        return self.open().filter(self.overdue_q(day))

    def overdue(self, today: Today) -> PrivacyRequestQuerySet:
        return self.due_before(today)

    def due_within(self, today: Today, days: int) -> PrivacyRequestQuerySet:
        return self.open().filter(self.due_within_q(today, days))

    def unassigned(self) -> PrivacyRequestQuerySet:
        return self.open().filter(self.unassigned_q())

    def for_user(self, user: Any) -> PrivacyRequestQuerySet:
        """The requests of the organizations ``user`` is a member of (tenancy).

        A literal list of organization ids, not a join through memberships: the planner then
        uses each organization's own statistics and the (organization, ...) indexes, which a
        million-row table needs (bench/requests_1m.py)."""
        if user.is_superuser:
            return self
        return self.filter(organization_id__in=member_organization_ids(user))

    def same_requester(self, request: PrivacyRequest) -> PrivacyRequestQuerySet:
        """Other requests to the same organization from the same email address."""
        if not request.requester_email:
            return self.none()
        return self.filter(
            organization_id=request.organization_id,
            requester_email__iexact=request.requester_email,
        ).exclude(pk=request.pk)

    def open_duplicate(self, request: PrivacyRequest) -> str | None:
        """The reference of the oldest open request of the same kind from the same requester
        (``same_requester().filter(right_kind=...).open()``), or None.

        Asked for every request received, so on PostgreSQL it is one statement built once per
        process: building and compiling it with the ORM cost more CPU than running it, a tenth of
        a request's creation through the API (bench/api_throughput.py). It keeps the ORM's
        ``UPPER(...::text)`` so that the ``requests_requester_ci`` index serves it; a test holds
        the two to the same answer."""
        if not request.requester_email:
            return None
        if connection.vendor != "postgresql":
            same = self.same_requester(request).filter(right_kind=request.right_kind).open()
            return same.order_by("received_at").values_list("reference", flat=True).first()
        params: list[Any] = [
            request.organization_id,
            request.requester_email,
            request.right_kind,
            Status.open_values(),
            request.pk,
        ]
        with connection.cursor() as cursor:
            cursor.execute(_open_duplicate_sql(), params)
            row = cursor.fetchone()
        return row[0] if row else None


class PrivacyRequest(models.Model):
    """A data subject's request to exercise a right, from intake to closure."""

    reference = models.CharField(
        _("reference"),
        max_length=32,
        unique=True,
        editable=False,
        help_text=_("Human reference, e.g. IMG-2026-00042: prefix, year of receipt, number."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("organization"),
    )
    policy_version = models.ForeignKey(
        "policies.PolicyVersion",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("policy version"),
        help_text=_("The version in force when the request was received: it stays bound to it."),
    )
    right_kind = models.CharField(_("right"), max_length=32, choices=RightKind)
    right = models.ForeignKey(
        "policies.Right",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("promise"),
        help_text=_("The policy's promise of this right; empty when the policy does not make it."),
    )
    channel_kind = models.CharField(_("channel"), max_length=20, choices=ChannelKind)
    channel = models.ForeignKey(
        "policies.Channel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("policy channel"),
        help_text=_("The channel of the policy it came through; empty when it came otherwise."),
    )
    designated = models.BooleanField(
        _("designated channel"),
        default=False,
        help_text=_(
            "Received through a channel the policy designates for this right, with every label "
            "it demands. A Shine the Light request is due in 30 days only then, otherwise in up "
            "to 150 (Cal. Civ. Code 1798.83(b)(1)(C))."
        ),
    )
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(
        _("received on"),
        help_text=_("The day of receipt in the organization's time zone: day zero of the clock."),
    )
    clock_started_on = models.DateField(
        _("clock started on"),
        help_text=_(
            "Day the current deadline counts from: the day of receipt, or under GDPR the day the "
            "requested identity information or fee arrived (ICO; UK DPA 2018 s.54)."
        ),
    )

    requester_name = models.CharField(_("requester name"), max_length=200)
    requester_email = models.EmailField(_("requester email"), blank=True)
    requester_phone = models.CharField(_("requester phone"), max_length=40, blank=True)
    requester_address = models.TextField(_("requester postal address"), blank=True)
    jurisdiction = models.CharField(
        _("jurisdiction of residence"),
        max_length=8,
        blank=True,
        help_text=_("ISO 3166: a country (FR, GB) or US state (US-CA); EU for the EU/EEA."),
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    is_agent = models.BooleanField(
        _("authorized agent"), default=False, help_text=_("Someone acts for the data subject.")
    )
    agent_name = models.CharField(_("agent name"), max_length=200, blank=True)
    agent_authority = models.CharField(
        _("agent's authority"),
        max_length=20,
        choices=AgentAuthority,
        blank=True,
        help_text=_("Blank until staff checked it (Cal. Code Regs. tit. 11 §7063(a))."),
    )
    consumer_confirmed_agent_on = models.DateField(
        _("consumer confirmed the agent on"),
        null=True,
        blank=True,
        help_text=_(
            "The consumer confirmed directly with the organization that they gave the agent "
            "permission (§7063(a)(2)). An agent confirming its own email address is not this."
        ),
    )
    gpc = models.BooleanField(
        _("Global Privacy Control"),
        default=False,
        help_text=_(
            "Sent with the Sec-GPC: 1 signal: a request to opt out of sale and sharing (Cal. "
            "Code Regs. tit. 11 §7025)."
        ),
    )
    appeal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("appeal of"),
        help_text=_("The refused request this one appeals (e.g. Va. Code §59.1-577(C))."),
    )
    access_scope = models.CharField(
        _("what the request to know asks for"),
        max_length=12,
        choices=AccessScope,
        blank=True,
        help_text=_("Specific pieces need a higher degree of certainty (§7062)."),
    )
    data_points_matched = models.JSONField(
        _("data points matched"),
        default=list,
        blank=True,
        help_text=_("The organization's data points staff matched to verify the identity."),
    )
    declaration_signed_on = models.DateField(
        _("signed declaration received on"),
        null=True,
        blank=True,
        help_text=_(
            "A declaration signed under penalty of perjury that the requester is the consumer "
            "(Cal. Code Regs. tit. 11 §7062(c))."
        ),
    )
    subject_line = models.CharField(_("subject line as received"), max_length=500, blank=True)
    message = models.TextField(_("message as received"), blank=True)

    status = models.CharField(
        _("status"), max_length=24, choices=Status, default=Status.RECEIVED, db_index=True
    )
    waiting_for = models.CharField(_("waiting for"), max_length=16, choices=WaitingFor, blank=True)
    waiting_since = models.DateField(_("waiting since"), null=True, blank=True)
    identity_status = models.CharField(
        _("identity"), max_length=16, choices=IdentityStatus, default=IdentityStatus.PENDING
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assignee"),
    )

    due_date = models.DateField(
        _("legal deadline"),
        null=True,
        blank=True,
        help_text=_("Empty when no law and no numeric promise sets one: see the internal target."),
    )
    deadline_rule = models.CharField(_("deadline rule"), max_length=40, blank=True)
    deadline_basis = models.TextField(
        _("deadline basis"), blank=True, help_text=_("Why this deadline: the arithmetic in words.")
    )
    paused_days = models.JSONField(
        _("paused periods"),
        default=list,
        blank=True,
        help_text=_(
            "[asked, answered] ISO dates of clarifications: under UK GDPR Art. 12A (DPA 2018 "
            "s.54(3C) model) these days do not count."
        ),
    )
    extended = models.BooleanField(_("extended"), default=False)
    internal_target = models.DateField(
        _("internal target"),
        null=True,
        blank=True,
        help_text=_("The team's own target, before the legal deadline. Not a legal deadline."),
    )
    acknowledge_by = models.DateField(
        _("acknowledge by"),
        null=True,
        blank=True,
        help_text=_("CCPA: confirm receipt within 10 business days (Cal. Code Regs. §7021(a))."),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    flags = models.JSONField(
        _("flags"),
        default=list,
        blank=True,
        help_text=_("[{code, message}]: why this request needs a second look."),
    )
    fee_amount = models.DecimalField(
        _("fee"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The fee asked for a manifestly unfounded or excessive request (GDPR Art. 12(5)); "
            "empty when none was asked."
        ),
    )
    fee_currency = models.CharField(
        _("fee currency"),
        max_length=3,
        blank=True,
        help_text=_("ISO 4217 code of the fee (the organization's currency when asked)."),
    )
    outcome_reason = models.TextField(
        _("reasons given to the requester"),
        blank=True,
        help_text=_(
            "Sent to the requester: shown on their status page and printed in letters. "
            "Required when a request is denied or only partly fulfilled. Internal notes go to "
            "the timeline, never here."
        ),
    )
    exemptions = models.ManyToManyField(
        "policies.Exemption",
        blank=True,
        related_name="requests",
        verbose_name=_("exemptions relied on"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-received_at", "-id"]
        indexes = [
            # The staff list: newest first within an organization.
            models.Index(fields=["organization", "-received_at"], name="requests_org_received"),
            # The dashboard's queues and the reminder sweep: open requests by deadline.
            models.Index(
                fields=["due_date"],
                name="requests_open_due",
                condition=~Q(status__in=Status.closed_values()),
            ),
            # Duplicate detection and the per-requester repeat counter.
            models.Index(fields=["organization", "requester_email"], name="requests_requester"),
            # The same, case-insensitive (``same_requester``'s requester_email__iexact): every
            # intake looks for an open duplicate, which otherwise scans the organization's rows.
            models.Index(
                models.F("organization"), Upper("requester_email"), name="requests_requester_ci"
            ),
            # The list sorted by deadline, and its deadline filters, within an organization.
            models.Index(fields=["organization", "due_date", "id"], name="requests_org_due"),
            # The dashboard's "new" and "awaiting verification" queues.
            models.Index(fields=["organization", "status"], name="requests_org_status"),
            # PostgreSQL also gets covering and trigram indexes (migration 0004), which SQLite
            # cannot build.
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.DENIED) | ~Q(outcome_reason=""),
                name="requests_denial_has_reason",
                violation_error_message=_("A denial needs its reasons."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PARTIALLY_FULFILLED) | ~Q(outcome_reason=""),
                name="requests_partial_fulfilment_has_reason",
                violation_error_message=_("A partial fulfilment needs its reasons."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.open_values()) | Q(closed_at__isnull=False),
                name="requests_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(fee_amount__isnull=True) | Q(fee_amount__gt=0),
                name="requests_fee_positive",
                violation_error_message=_("A fee is a positive amount; leave it empty for none."),
            ),
            models.CheckConstraint(
                condition=Q(extended=False) | Q(due_date__isnull=False),
                name="requests_extended_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(waiting_for="") | Q(status=Status.WAITING_REQUESTER),
                name="requests_waiting_only_when_waiting",
            ),
            models.CheckConstraint(
                condition=Q(clock_started_on__gte=models.F("received_on")),
                name="requests_clock_not_before_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_open(self) -> bool:
        return not self.status_enum.is_closed

    def days_left(self, today: datetime.date | None = None) -> int | None:
        """Days until the legal deadline; negative when overdue, None when there is none."""
        if self.due_date is None:
            return None
        today = today or timezone.localdate()
        return (self.due_date - today).days

    def has_flag(self, code: Flag) -> bool:
        return any(flag["code"] == code for flag in self.flags)

    @property
    def off_channel(self) -> bool:
        """Not sent as the policy asks (channel or label): its promise does not cover it."""
        return self.has_flag(Flag.CHANNEL_NOT_OFFERED) or self.has_flag(Flag.LABEL_MISSING)

    def deadline_history(self) -> list[RequestEvent]:
        """The events that set or moved the legal deadline, oldest first.

        Each carries ``data["due"] == {"old": iso | None, "new": iso | None}`` and the basis.
        """
        return [event for event in self.events.all() if "due" in event.data]


class ReferenceCounter(models.Model):
    """The last number handed out per organization and year; locked while a reference is made."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="requests_one_counter_per_org_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("received")
    FLAGGED = "flagged", _("flagged")
    STATUS_CHANGED = "status_changed", _("status changed")
    ASSIGNED = "assigned", _("assigned")
    IDENTITY_VERIFIED = "identity_verified", _("identity verified")
    ASKED_REQUESTER = "asked_requester", _("asked the requester")
    REQUESTER_ANSWERED = "requester_answered", _("requester answered")
    DEADLINE_SET = "deadline_set", _("deadline set")
    EXTENDED = "extended", _("deadline extended")
    TARGET_SET = "target_set", _("internal target set")
    ACKNOWLEDGED = "acknowledged", _("receipt acknowledged")
    EMAIL_CONFIRMED = "email_confirmed", _("email address confirmed")
    DATA_POINTS_MATCHED = "data_points_matched", _("data points matched")
    DECLARATION_RECEIVED = "declaration_received", _("signed declaration received")
    AGENT_CHECKED = "agent_checked", _("agent's authority checked")
    AGENT_CONFIRMED = "agent_confirmed", _("consumer confirmed the agent")
    APPEALED = "appealed", _("refusal appealed")
    NOTE = "note", _("note")
    EXPORTED = "exported", _("exported")
    # Letters and data packages (``dsar.letters.events``).
    LETTER_ISSUED = "letter_issued", _("letter issued")
    LETTER_QUEUED = "letter_queued", _("letter queued for sending")
    LETTER_SENT = "letter_sent", _("letter sent")
    DATA_ADDED = "data_added", _("data added to a package")
    PACKAGE_BUILT = "package_built", _("data package built")
    PACKAGE_RELEASED = "package_released", _("data package released")
    PACKAGE_DOWNLOADED = "package_downloaded", _("data package downloaded")
    # Email to the requester, and what housekeeping did.
    REQUESTER_EMAILED = "requester_emailed", _("requester emailed")
    SEND_RETRY = "send_retry", _("send failed, to be tried again")
    SEND_FAILED = "send_failed", _("send failed")
    PURGED = "purged", _("personal data purged")
    # Two-way messages with the requester (``dsar.correspondence``).
    MESSAGE_RECEIVED = "message_received", _("message received")
    MESSAGE_SENT = "message_sent", _("message sent")
    # The work that answers a request (``dsar.fulfilment``): its tasks and connector runs.
    TASKS_CREATED = "tasks_created", _("tasks created")
    TASK_CHANGED = "task_changed", _("task changed")
    TASK_COMPLETED = "task_completed", _("task completed")
    CONNECTOR_RAN = "connector_ran", _("connector ran")
    RECIPIENTS_TOLD = "recipients_told", _("recipients told")


class AppendOnlyError(Exception):
    """Events are evidence: once written they are never changed or deleted."""


class RequestEventQuerySet(models.QuerySet["RequestEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("request events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("request events are append-only")


class RequestEvent(models.Model):
    """One entry of a request's audit trail: who did what, when, with old and new values.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger (migrations
    0002, 0010, 0015) refuses them in the database too, so not even a raw SQL statement can
    rewrite history. Events carry no name or address of the requester; the reasons they were
    told are blanked by a purge (``events.blank_reasons``), the one change besides chaining that
    the trigger allows, and the purge's event vouches for it (``dsar.requests.chain``).
    """

    request = models.ForeignKey(
        PrivacyRequest, on_delete=models.PROTECT, related_name="events", verbose_name=_("request")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("The staff member; empty for the system or the requester (see actor label)."),
    )
    actor_label = models.CharField(
        _("actor label"),
        max_length=150,
        default="system",
        help_text=_("The staff member's username at the time, 'system' or 'requester'."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind)
    from_status = models.CharField(_("from"), max_length=24, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Status, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain of the request's trail (dsar.requests.chain), set as the event is written.
    # The database default "" is what a release older than the chain writes (during an upgrade);
    # such an event is chained later, once: the trigger lets a hash go from "" to a value only.
    prev_hash = models.CharField(
        _("hash of the previous event"),
        max_length=64,
        blank=True,
        db_default="",
        editable=False,
        help_text=_("Empty for the first event of a request."),
    )
    hash = models.CharField(
        _("hash"),
        max_length=64,
        blank=True,
        db_default="",
        editable=False,
        help_text=_("SHA-256 of the previous hash, the request and what this event says."),
    )

    objects = RequestEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]
        constraints = [
            # Two events of one request after the same event: a forked chain, never committed.
            models.UniqueConstraint(
                fields=["request", "prev_hash"],
                condition=~models.Q(hash=""),
                name="requests_event_chain_no_fork",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("request events are append-only")
        if not isinstance(self.hash, str) or not self.hash:
            # Only dsar.requests.events writes events: it chains them (dsar.requests.chain).
            raise AppendOnlyError("write events with dsar.requests.events (record or append)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("request events are append-only")
