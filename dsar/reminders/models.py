"""Reminders and the emails that carry them, recorded so that each goes out exactly once.

A ``Reminder`` is a *claim*: "the 3-day reminder of request 42's deadline of 2026-02-19". Its
unique constraint is what makes a sweep that runs twice, two clusters that run at once, or a
sweep that catches up after an outage, record each reminder exactly once.

A ``Notification`` is one email in the outbox: a staff member's reminders of one sweep run (one
email per person per run, however many requests), a staff member's daily digest of one local
day, or a message to a requester. It is claimed, sent, then marked sent (style rule 8); a claim
that is older than the lease is taken over by a later sweep, and a failed send is retried with
backoff, every try recorded. Neither model holds personal data: a requester's address is read
from the request when the email is built, so purging the request leaves nothing here to purge.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """What a reminder is about. Staff kinds travel in a ``reminders`` notification; requester
    kinds are a notification of their own to the requester."""

    ACKNOWLEDGE = "acknowledge", _("acknowledgement due")
    ACKNOWLEDGE_OVERDUE = "acknowledge_overdue", _("acknowledgement overdue")
    DEADLINE = "deadline", _("deadline approaching")
    OVERDUE = "overdue", _("deadline passed")
    VERIFY_NUDGE = "verify_nudge", _("requester reminded to verify their identity")
    CLOSED_UNVERIFIED = "closed_unverified", _("closed unverified; requester told")
    # A task of the request (``dsar.fulfilment``) falls due: told to the tasks' owners, once per
    # request and due date (``hooks.STAFF_CLAIMS``).
    TASK_DUE = "task_due", _("task due")

    @classmethod
    def staff_values(cls) -> list[str]:
        return [k.value for k in cls if not k.to_requester]

    @classmethod
    def task_values(cls) -> list[str]:
        """Staff kinds about a request's tasks, whose recipients are the tasks' owners."""
        return [cls.TASK_DUE.value]

    @classmethod
    def escalation_values(cls) -> list[str]:
        return [k.value for k in cls if k.escalates]

    @property
    def to_requester(self) -> bool:
        return self in (ReminderKind.VERIFY_NUDGE, ReminderKind.CLOSED_UNVERIFIED)

    @property
    def escalates(self) -> bool:
        """Goes to the organization's privacy officers as well as to whoever owns the request."""
        return self in (ReminderKind.ACKNOWLEDGE_OVERDUE, ReminderKind.OVERDUE)


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def sent(self) -> ReminderQuerySet:
        """Reminders an email has carried out: at least one of their emails was sent."""
        return self.filter(Exists(self._sent_emails()))

    def unsent(self) -> ReminderQuerySet:
        """Reminders no email has carried out yet (still to send, retrying, skipped, failed)."""
        return self.exclude(Exists(self._sent_emails()))

    @staticmethod
    def _sent_emails() -> QuerySet[Any]:
        return Notification.objects.filter(reminders=OuterRef("pk"), status=NotificationStatus.SENT)


class Reminder(models.Model):
    """One reminder of one request, recorded once: the claim that it is due and whose it is."""

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=ReminderKind)
    deadline = models.DateField(
        _("for the date"),
        help_text=_(
            "The date the reminder is about: the acknowledgement date, the legal deadline, or "
            "for a requester reminder the day of receipt. A moved deadline gets new reminders."
        ),
    )
    offset = models.SmallIntegerField(
        _("days before"),
        help_text=_(
            "Days before that date at which it became due (7, 3, 1 by default); negative for a "
            "daily overdue escalation (-2: two days late); 0 for requester reminders."
        ),
    )
    run = models.UUIDField(_("sweep run"), editable=False)
    claimed_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            # The exactly-once guarantee: whoever inserts the row first owns the reminder.
            models.UniqueConstraint(
                fields=["request", "kind", "deadline", "offset"],
                name="reminders_once_per_request_kind_date_offset",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[ReminderKind.OVERDUE, ReminderKind.ACKNOWLEDGE_OVERDUE])
                | Q(offset__gte=0),
                name="reminders_negative_offset_only_when_overdue",
            ),
        ]
        indexes = [
            # Used by the sweep to build the emails for the reminders it has just recorded.
            models.Index(fields=["run"], name="reminders_run"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.get_kind_display()} {self.deadline} ({self.offset:+d})"

    @property
    def kind_enum(self) -> ReminderKind:
        return ReminderKind(self.kind)

    @property
    def days_late(self) -> int:
        """For an overdue escalation, how many days late it was sent (its offset is negative)."""
        return max(-self.offset, 0)

    @property
    def sent_at(self) -> datetime.datetime | None:
        """When the first email that carried it went out; None while none has. Read from the
        emails (prefetch ``notifications`` for a list), not stored twice: an officer's email
        can carry thousands of reminders, and one sent mark per email keeps a send exact."""
        times = [
            n.sent_at
            for n in self.notifications.all()
            if n.status == NotificationStatus.SENT and n.sent_at is not None
        ]
        return min(times, default=None)


class NotificationKind(models.TextChoices):
    """Which email: each is one template name of ``dsar.lib.emails`` (style rule 10)."""

    REMINDERS = "reminders", _("reminders of a sweep run")
    DAILY_DIGEST = "daily_digest", _("daily digest")
    VERIFY_NUDGE = "verify_nudge", _("identity verification reminder to the requester")
    CLOSED_UNVERIFIED = "closed_unverified", _("closure notice to the requester")

    @property
    def template(self) -> str:
        return {
            NotificationKind.REMINDERS: "reminder_digest",
            NotificationKind.DAILY_DIGEST: "digest_daily",
            NotificationKind.VERIFY_NUDGE: "nudge_verify",
            NotificationKind.CLOSED_UNVERIFIED: "nudge_closed",
        }[self]

    @property
    def to_requester(self) -> bool:
        return self in (NotificationKind.VERIFY_NUDGE, NotificationKind.CLOSED_UNVERIFIED)


REQUESTER_KINDS = [NotificationKind.VERIFY_NUDGE, NotificationKind.CLOSED_UNVERIFIED]
STAFF_KINDS = [NotificationKind.REMINDERS, NotificationKind.DAILY_DIGEST]


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed: gave up")
    SKIPPED = "skipped", _("skipped: nothing to send")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def sendable(self, now: datetime.datetime, lease: datetime.timedelta) -> NotificationQuerySet:
        """Pending emails whose next try is due and that nobody holds a live claim on."""
        return self.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease)
        )


class Notification(models.Model):
    """One email of the outbox, with every try recorded."""

    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dsar_notifications",
        verbose_name=_("staff recipient"),
    )
    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("request"),
        help_text=_("For an email to the requester: their address is read from the request."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    day = models.DateField(
        _("local day"), null=True, blank=True, help_text=_("The local day of a daily digest.")
    )
    run = models.UUIDField(_("sweep run"), null=True, blank=True, editable=False)
    reminders = models.ManyToManyField(
        Reminder, blank=True, related_name="notifications", verbose_name=_("reminders carried")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus,
        default=NotificationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(
        _("claimed at"),
        null=True,
        blank=True,
        help_text=_("Start of the current try; another sweep takes over after the lease."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_attempt_at = models.DateTimeField(_("next try at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder email")
        verbose_name_plural = _("reminder emails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=STAFF_KINDS, user__isnull=False, request__isnull=True)
                    | Q(kind__in=REQUESTER_KINDS, user__isnull=True, request__isnull=False)
                ),
                name="reminders_notification_one_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(kind=NotificationKind.DAILY_DIGEST)
                | Q(organization__isnull=False, day__isnull=False),
                name="reminders_digest_has_organization_and_day",
            ),
            models.CheckConstraint(
                condition=Q(status=NotificationStatus.SENT, sent_at__isnull=False)
                | (~Q(status=NotificationStatus.SENT) & Q(sent_at__isnull=True)),
                name="reminders_notification_sent_has_sent_at",
            ),
            # One email per person per sweep run, however many of their requests it covers.
            models.UniqueConstraint(
                fields=["user", "run"],
                condition=Q(kind=NotificationKind.REMINDERS),
                name="reminders_one_email_per_person_per_run",
            ),
            # One daily digest per person, organization and local day.
            models.UniqueConstraint(
                fields=["user", "organization", "day"],
                condition=Q(kind=NotificationKind.DAILY_DIGEST),
                name="reminders_one_digest_per_person_org_day",
            ),
            # One verification reminder and one closure notice per request.
            models.UniqueConstraint(
                fields=["request", "kind"],
                condition=Q(kind__in=REQUESTER_KINDS),
                name="reminders_one_requester_email_per_kind",
            ),
        ]
        indexes = [
            # Used by deliver_pending() in every sweep: the outbox of emails still to send.
            models.Index(
                fields=["next_attempt_at"],
                name="reminders_outbox",
                condition=Q(status=NotificationStatus.PENDING),
            ),
            models.Index(fields=["run"], name="reminders_notification_run"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def kind_enum(self) -> NotificationKind:
        return NotificationKind(self.kind)

    def recipient_label(self) -> str:
        """Who it is for, without personal data: a username, or the requester of a reference."""
        if self.user_id is not None:
            return self.user.get_username()  # type: ignore[union-attr]
        return str(_("requester of %(ref)s") % {"ref": self.request})
