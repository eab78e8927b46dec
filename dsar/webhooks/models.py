"""Webhook subscriptions of an organization, and the outbox of their deliveries.

A ``Subscription`` says where an organization wants to hear about its requests (an https URL),
about which events, and whether the requester's name and email address may travel with them (off
by default: a webhook is a copy of personal data leaving dsar, so it carries ids, the reference,
kind, status and dates unless a privacy officer opts in).

A ``Delivery`` is one message to one subscription, written in the transaction of the event that
caused it (the outbox): it goes out after commit, at least once, with the same ``webhook-id`` on
every try so that the receiver can drop a duplicate. Like the reminder emails it is claimed, sent,
then marked (style rule 8); a claim older than the lease is taken over, a failed try is retried
with exponential backoff, and every try is kept as a ``DeliveryAttempt`` that staff can read.

No row here holds the requester's personal data: a delivery keeps what the payload is made from
(ids, dates, kinds), and a subscription that opted in gets the name and email address read from
the request when the message is sent, so purging the request leaves nothing here to purge.
"""

from __future__ import annotations

import datetime
import functools
import secrets
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    """What a subscription can hear about. The value is the ``type`` of the payload.

    ``task.completed`` and ``message.received`` are named for features still to come: they fire
    once a request event of kind ``task_completed`` or ``message_received`` is written through
    ``dsar.requests.events`` (``services.EVENT_KINDS``), with no change here."""

    REQUEST_RECEIVED = "request.received", _("request received")
    REQUEST_VERIFIED = "request.verified", _("identity verified")
    REQUEST_DUE_SOON = "request.due_soon", _("deadline approaching")
    REQUEST_OVERDUE = "request.overdue", _("deadline passed")
    REQUEST_EXTENDED = "request.extended", _("deadline extended")
    REQUEST_CLOSED = "request.closed", _("request closed")
    LETTER_ISSUED = "letter.issued", _("letter issued")
    TASK_COMPLETED = "task.completed", _("task completed")
    MESSAGE_RECEIVED = "message.received", _("message received")


SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix every secret starts with, not a secret


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64 (24 to 64 bytes is
    what the specification asks)."""
    import base64

    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _receiving_sql(organization: str, *, as_array: bool = False) -> str:
    """The ids of the subscriptions ``receiving()`` selects whose organization satisfies
    ``organization`` (our own SQL: ``= ANY(%s)``, ``= o.id``), as rows or as one array."""
    q = connection.ops.quote_name
    pk, table = q(Subscription._meta.pk.column), q(Subscription._meta.db_table)
    column = q(Subscription._meta.get_field("organization").column)
    ids = f"array_agg({pk})" if as_array else pk
    # Identifiers quoted by the backend, of our own table; ``organization`` is our own SQL.
    return f"SELECT {ids} FROM {table} WHERE {q('active')} AND {column} {organization}"  # noqa: S608


@functools.cache
def _receiving_ids_sql() -> str:
    return _receiving_sql("= ANY(%s)")  # the ids are a parameter


def receiving_ids_of_sql(organization: str) -> str:
    """A scalar subquery: the ids of the receiving subscriptions of ``organization`` (an SQL
    expression naming an organization's id), as an array, NULL for none. For a caller whose
    statement runs anyway, to hand the answer to ``receiving_known`` (``dsar.api.keys``)."""
    return f"({_receiving_sql('= ' + organization, as_array=True)})"


# What ``receiving_ids`` was told for the duration of one call (``receiving_known``).
_known_receiving: ContextVar[dict[int, list[int]] | None] = ContextVar(
    "dsar_webhooks_known_receiving", default=None
)


@contextmanager
def receiving_known(organization_id: int, ids: Iterable[int] | None) -> Iterator[None]:
    """Within the block, ``receiving_ids`` answers for ``organization_id`` with ``ids`` instead
    of asking the database: the caller read them (``receiving_ids_of_sql``) earlier in the same
    call, in a statement it ran anyway.

    An API creation asks at its authentication, a few milliseconds before its events are
    written: one round trip fewer on the busiest write. A subscription switched on in between
    misses the events of that one call, as one switched on between the check and the commit
    always could (READ COMMITTED: the check sees what was committed before it). One switched
    off in between still gets that call's deliveries queued, as it would have before: they
    wait with its other deliveries, sent only if it is switched on again."""
    token = _known_receiving.set(
        {**(_known_receiving.get() or {}), organization_id: [*(ids or [])]}
    )
    try:
        yield
    finally:
        _known_receiving.reset(token)


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def receiving(self) -> SubscriptionQuerySet:
        """Subscriptions that get new deliveries queued: switched on by staff. A subscription
        paused for failing still collects them, to be sent once it is resumed."""
        return self.filter(active=True)

    def receiving_ids(self, organization_ids: Iterable[int]) -> list[int]:
        """The ids of ``receiving()`` subscriptions of these organizations.

        Asked for every request event written, so on PostgreSQL it is one statement built once
        per process: the ORM's building and compiling of the same query cost more CPU than the
        rest of the check, a tenth of a request's creation through the API
        (bench/api_throughput.py). The condition is ``receiving()``'s, and a test holds the two
        to the same answer."""
        ids = sorted(set(organization_ids))
        if not ids:
            return []
        known = _known_receiving.get()
        if known is not None and known.keys() >= set(ids):
            return [pk for organization in ids for pk in known[organization]]
        if connection.vendor != "postgresql":
            return list(
                self.receiving().filter(organization_id__in=ids).values_list("pk", flat=True)
            )
        with connection.cursor() as cursor:
            cursor.execute(_receiving_ids_sql(), [ids])
            return [pk for (pk,) in cursor.fetchall()]

    def sending(self) -> SubscriptionQuerySet:
        """Subscriptions whose deliveries go out now: switched on and not paused."""
        return self.filter(active=True, paused_at__isnull=True)


class Subscription(models.Model):
    """Where one organization wants its events sent, and which."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("organization"),
    )
    url = models.URLField(
        _("URL"),
        max_length=2000,
        help_text=_(
            "An https address on the public internet. Private and loopback addresses are refused "
            "unless the installation allows them (DSAR_WEBHOOK_ALLOW_PRIVATE)."
        ),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(
        _("events"), default=list, help_text=_("The events sent to this URL.")
    )
    include_personal_data = models.BooleanField(
        _("include personal data"),
        default=False,
        help_text=_(
            "Send the requester's name and email address with each event. Off, a message "
            "carries ids, the reference, kind, status and dates only. Turn it on only where the "
            "receiver is a processor under contract for this data."
        ),
    )
    active = models.BooleanField(
        _("switched on"),
        default=True,
        help_text=_("Off: nothing is queued or sent. A paused subscription still queues."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Give it to the receiver to check the webhook-signature header."),
    )
    previous_secret = models.CharField(_("previous secret"), max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(
        _("previous secret signs until"),
        null=True,
        blank=True,
        help_text=_("During a rotation both secrets sign each message, until this time."),
    )
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    paused_at = models.DateTimeField(
        _("paused at"),
        null=True,
        blank=True,
        help_text=_(
            "Set when deliveries kept failing (DSAR_WEBHOOK_PAUSE_AFTER_FAILURES over "
            "DSAR_WEBHOOK_PAUSE_AFTER_HOURS); nothing is sent until a privacy officer resumes it."
        ),
    )
    pause_notified_at = models.DateTimeField(
        _("privacy officers told at"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["organization", "url", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secret__startswith=SECRET_PREFIX),
                name="webhooks_secret_is_whsec",
            ),
            models.CheckConstraint(
                condition=Q(previous_secret="") | Q(previous_secret_until__isnull=False),
                name="webhooks_previous_secret_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.url}"

    def wants(self, event: WebhookEvent | str) -> bool:
        return str(event) in self.events

    def signing_secrets(self, now: datetime.datetime) -> list[str]:
        """The current secret, then the previous one while its rotation window lasts."""
        found = [self.secret]
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            found.append(self.previous_secret)
        return found

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed: gave up")


class OutboxQuerySet(models.QuerySet[Any]):
    def sendable(self, now: datetime.datetime, lease: datetime.timedelta) -> OutboxQuerySet:
        """Pending items whose next try is due and that nobody holds a live claim on."""
        return self.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease)
        )


class OutboxItem(models.Model):
    """One HTTP message to send at least once, claimed before each try (``dsar.webhooks.outbox``).

    Shared by webhook deliveries and the Data Rights Protocol's status callbacks."""

    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus, default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next try at"), default=timezone.now)
    claimed_at = models.DateTimeField(
        _("claimed at"),
        null=True,
        blank=True,
        help_text=_("Start of the current try; another worker takes over after the lease."),
    )
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True


class Delivery(OutboxItem):
    """One event for one subscription: the outbox row, with every try recorded."""

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    message_id = models.CharField(
        _("webhook-id"),
        max_length=40,
        unique=True,
        editable=False,
        help_text=_("The same on every try and resend: the receiver drops what it has seen."),
    )
    event = models.CharField(_("event"), max_length=32, choices=WebhookEvent)
    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_deliveries",
        verbose_name=_("request"),
    )
    source = models.CharField(
        _("source"),
        max_length=64,
        editable=False,
        help_text=_("What caused it (event:<id>, reminder:<id>): each is queued once."),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    details = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("Ids, kinds and dates: no personal data."),
    )
    resends = models.PositiveSmallIntegerField(_("resent by staff"), default=0)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Exactly once per cause: a sweep or a listener that runs twice queues nothing twice.
            models.UniqueConstraint(
                fields=["subscription", "source"], name="webhooks_once_per_subscription_source"
            ),
            models.CheckConstraint(
                condition=Q(status=OutboxStatus.DELIVERED, delivered_at__isnull=False)
                | (~Q(status=OutboxStatus.DELIVERED) & Q(delivered_at__isnull=True)),
                name="webhooks_delivered_has_delivered_at",
            ),
        ]
        indexes = [
            # Used by outbox.deliver_pending() on every run: the deliveries still to send.
            models.Index(
                fields=["next_attempt_at"],
                name="webhooks_outbox",
                condition=Q(status=OutboxStatus.PENDING),
            ),
        ]

    def __str__(self) -> str:
        return self.message_id

    @staticmethod
    def new_message_id() -> str:
        return f"msg_{uuid.uuid4().hex}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: what the receiver answered, or why there was no answer."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="tries", verbose_name=_("delivery")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    duration_ms = models.PositiveIntegerField(_("took (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_body = models.TextField(
        _("response (start)"), blank=True, help_text=_("The first characters of the answer.")
    )
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery try")
        verbose_name_plural = _("delivery tries")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
