"""Writes of the webhooks app: queuing deliveries, and what staff do to subscriptions.

Queuing happens in the transaction of its cause, so a delivery exists exactly when its cause
does (the outbox): ``queue_for_events`` is told of every request event written
(``dsar.requests.events.on_written``), ``queue_reminder_deliveries`` of the staff reminders a
reminder sweep has just recorded. Each delivery is unique per subscription and cause
(``Delivery.source``), so a cause seen twice queues nothing twice. Sending is after commit, by
the task cluster (``dsar.webhooks.outbox``).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dsar.core.actors import Actor
from dsar.requests.models import RequestEvent, Status
from dsar.webhooks import payloads
from dsar.webhooks.conf import webhook_settings
from dsar.webhooks.models import (
    Delivery,
    OutboxStatus,
    Subscription,
    WebhookEvent,
    new_secret,
)

logger = logging.getLogger(__name__)

#: Request event kinds (``dsar.requests.models.EventKind`` values) and the webhook event each one
#: is. Keyed by value, not by member: ``task_completed`` and ``message_received`` are the hook
#: points of features still to come, and fire as soon as an event of that kind is written.
EVENT_KINDS: dict[str, WebhookEvent] = {
    "received": WebhookEvent.REQUEST_RECEIVED,
    "identity_verified": WebhookEvent.REQUEST_VERIFIED,
    "extended": WebhookEvent.REQUEST_EXTENDED,
    "letter_issued": WebhookEvent.LETTER_ISSUED,
    "task_completed": WebhookEvent.TASK_COMPLETED,
    "message_received": WebhookEvent.MESSAGE_RECEIVED,
}

#: Structured details of an event a message may carry. Free text (a note, how an identity was
#: verified, the reasons of an extension or a denial) stays out: staff write names in it.
EVENT_DETAILS = ("due", "method", "letter", "waiting_for", "message_kind", "via")

#: Staff reminder kinds (``dsar.reminders.models.ReminderKind`` values) and their webhook event.
REMINDER_KINDS: dict[str, WebhookEvent] = {
    "deadline": WebhookEvent.REQUEST_DUE_SOON,
    "overdue": WebhookEvent.REQUEST_OVERDUE,
}


def webhook_events_of(event: RequestEvent) -> list[WebhookEvent]:
    """What a request event is in webhook terms: none, one, or two (a closing event of a kind
    of its own is also ``request.closed``)."""
    found = []
    mapped = EVENT_KINDS.get(event.kind)
    if mapped is not None:
        found.append(mapped)
    closes = event.to_status and Status(event.to_status).is_closed
    was_closed = event.from_status and Status(event.from_status).is_closed
    if closes and not was_closed:
        found.append(WebhookEvent.REQUEST_CLOSED)
    return found


def _event_details(event: RequestEvent) -> dict[str, Any]:
    data = event.data or {}
    details: dict[str, Any] = {
        "id": event.pk,
        "kind": event.kind,
        "at": payloads._iso(event.at),
        "from_status": event.from_status or None,
        "to_status": event.to_status or None,
    }
    for key in EVENT_DETAILS:
        if key in data:
            value = data[key]
            if key == "letter" and isinstance(value, dict):
                value = {k: value.get(k) for k in ("id", "number", "kind", "sha256", "corrects")}
            details[key] = value
    return details


def _subscriptions_by_organization(
    organization_ids: Iterable[int],
) -> dict[int, list[Subscription]]:
    """The receiving subscriptions of these organizations: a cheap check first, since most
    writes are to an organization with none (and then no more is read)."""
    ids = Subscription.objects.receiving_ids(organization_ids)
    found: dict[int, list[Subscription]] = {}
    if ids:
        for subscription in Subscription.objects.filter(pk__in=ids):
            found.setdefault(subscription.organization_id, []).append(subscription)
    return found


def queue_for_events(events: Sequence[RequestEvent]) -> int:
    """The ``on_written`` listener: queue a delivery for each subscription that wants one of
    these events, in the events' transaction. No query when no event is of a webhook kind."""
    wanted = [(event, kinds) for event in events if (kinds := webhook_events_of(event))]
    if not wanted:
        return 0
    by_organization = _subscriptions_by_organization(e.request.organization_id for e, _k in wanted)
    if not by_organization:
        return 0
    rows = []
    for event, kinds in wanted:
        request = event.request
        for subscription in by_organization.get(request.organization_id, []):
            for kind in kinds:
                if subscription.wants(kind):
                    rows.append(
                        Delivery(
                            subscription=subscription,
                            message_id=Delivery.new_message_id(),
                            event=kind.value,
                            request=request,
                            source=f"event:{event.pk}:{kind.value}",
                            occurred_at=event.at,
                            details={
                                "request": payloads.request_snapshot(request),
                                "event": _event_details(event),
                            },
                        )
                    )
    return _queue(rows)


def _queue(rows: list[Delivery]) -> int:
    """Insert the deliveries (a cause already queued is skipped) and ask the cluster to send
    them once the transaction commits; the schedule sends them too, should that ask be lost."""
    if not rows:
        return 0
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(_kick)
    return len(rows)


def _kick() -> None:
    """Queue one run of the sender on the task cluster, now that the deliveries are committed."""
    try:
        from django_q.tasks import async_task

        async_task("dsar.webhooks.jobs.deliver_webhooks", task_name="dsar: webhooks now")
    except Exception:  # the broker is down: the every-minute schedule sends them
        logger.warning("webhooks: could not queue an immediate send", exc_info=True)


def queue_reminder_deliveries(*, run: uuid.UUID, now: datetime.datetime) -> int:
    """The reminders' hook (``dsar.reminders.hooks.REMINDERS_RECORDED``): a ``request.due_soon``
    or ``request.overdue`` delivery for each deadline reminder the sweep ``run`` has just
    recorded, in the sweep's transaction. A reminder is recorded once (its unique constraint),
    and its delivery once per subscription (``Delivery.source``): exactly once, like the
    reminder itself."""
    from dsar.reminders.models import Reminder

    reminders = list(
        Reminder.objects.filter(run=run, kind__in=list(REMINDER_KINDS))
        .select_related("request")
        .order_by("pk")
    )
    if not reminders:
        return 0
    by_organization = _subscriptions_by_organization(r.request.organization_id for r in reminders)
    rows = []
    for reminder in reminders:
        kind = REMINDER_KINDS[reminder.kind]
        request = reminder.request
        for subscription in by_organization.get(request.organization_id, []):
            if subscription.wants(kind):
                rows.append(
                    Delivery(
                        subscription=subscription,
                        message_id=Delivery.new_message_id(),
                        event=kind.value,
                        request=request,
                        source=f"reminder:{reminder.pk}",
                        occurred_at=reminder.claimed_at,
                        details={
                            "request": payloads.request_snapshot(request),
                            "reminder": {
                                "id": reminder.pk,
                                "deadline": reminder.deadline.isoformat(),
                                "days_before": max(reminder.offset, 0),
                                "days_late": reminder.days_late,
                            },
                        },
                    )
                )
    return _queue(rows)


# -- Staff actions ---------------------------------------------------------------------------------


@transaction.atomic
def subscription_rotate_secret(*, subscription: Subscription) -> Subscription:
    """A new signing secret; the old one keeps signing too for ``DSAR_WEBHOOK_ROTATION_HOURS``,
    so that the receiver can switch to the new one without losing a message."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = timezone.now() + webhook_settings().rotation_window
    subscription.secret = new_secret()
    subscription.save(
        update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"]
    )
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: Subscription) -> Subscription:
    """Send again to a paused subscription: its queued deliveries go out at the next run,
    including those that gave up while it was failing."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.paused_at = None
    subscription.pause_notified_at = None
    subscription.consecutive_failures = 0
    subscription.failing_since = None
    subscription.save(
        update_fields=[
            "paused_at",
            "pause_notified_at",
            "consecutive_failures",
            "failing_since",
            "updated_at",
        ]
    )
    transaction.on_commit(_kick)
    return subscription


@transaction.atomic
def delivery_resend(*, delivery: Delivery, actor: Actor) -> Delivery:
    """Send a delivery again, with the same ``webhook-id`` (a receiver that has it drops it):
    back in the outbox, due now, with a fresh set of tries, whatever it came to before (its
    earlier tries stay listed). The caller records who asked (the admin's log)."""
    updated = Delivery.objects.filter(pk=delivery.pk).filter(
        ~Q(status=OutboxStatus.PENDING) | Q(claimed_at__isnull=True)
    )
    updated.update(
        status=OutboxStatus.PENDING,
        delivered_at=None,
        next_attempt_at=timezone.now(),
        claimed_at=None,
        attempts=0,
        resends=F("resends") + 1,
    )
    transaction.on_commit(_kick)
    logger.info(
        "webhook delivery %s resent by user %s",
        delivery.pk,
        actor.pk if actor is not None else None,
    )
    return Delivery.objects.get(pk=delivery.pk)
