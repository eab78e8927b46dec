"""Sending the webhook outbox: claim, send, record, one delivery at a time (style rule 8).

Each delivery is claimed by a conditional ``UPDATE`` that succeeds for one worker only (as the
reminder emails are, ``dsar.reminders.delivery``), sent with no lock held, and its outcome
recorded in one transaction: the try (status code, time, the start of the answer), the
delivery's state, and the subscription's run of failures. A worker killed after its claim leaves
the delivery claimed; once the lease has run out a later run claims it again, so a message is
sent **at least once**: the receiver tells a repeat by its ``webhook-id``.

A failed try (no answer, a timeout, an answer other than 2xx) is tried again after
``DSAR_WEBHOOK_RETRY_SECONDS``, doubled after each further failure, up to
``DSAR_WEBHOOK_MAX_ATTEMPTS`` tries. A subscription whose tries have failed
``DSAR_WEBHOOK_PAUSE_AFTER_FAILURES`` times in a row, for at least
``DSAR_WEBHOOK_PAUSE_AFTER_HOURS``, is paused, once (a conditional ``UPDATE`` again), and its
organization's privacy officers are emailed; a privacy officer resumes it.
"""

from __future__ import annotations

import datetime
import http.client
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from dsar.organizations.models import Role
from dsar.outbox.services import enqueue
from dsar.webhooks import payloads, signing, transport
from dsar.webhooks.conf import WebhookSettings, webhook_settings
from dsar.webhooks.models import (
    Delivery,
    DeliveryAttempt,
    OutboxStatus,
    Subscription,
)

logger = logging.getLogger(__name__)

#: Deliveries read per pass; each is still claimed on its own.
PAGE = 200
#: Characters of the receiver's answer kept with each try.
KEEP_BODY = 2000


@dataclass
class Sent:
    """What one pass over the outbox did (counts only: no personal data)."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    taken: int = 0  # claimed by another worker first
    pause_notices: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "delivered": self.delivered,
            "retrying": self.retrying,
            "failed": self.failed,
            "taken": self.taken,
            "pause_notices": self.pause_notices,
        }


# -- Shared by every outbox (webhooks, DRP status callbacks) ---------------------------------------


def claim(model: type[Model], pk: int, conf: WebhookSettings) -> bool:
    """Take the item for one try; False when another worker holds a live claim or it is done."""
    now = timezone.now()
    claimed = (
        model.objects.sendable(now, conf.lease)  # type: ignore[attr-defined]
        .filter(pk=pk)
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def next_try(attempts: int, conf: WebhookSettings, now: datetime.datetime) -> datetime.datetime:
    """When to try again after ``attempts`` tries: the retry delay, doubled per failure."""
    return now + conf.retry_after * 2 ** max(attempts - 1, 0)


def attempt(
    url: str, body: str, headers: dict[str, str], conf: WebhookSettings
) -> transport.Answer | str:
    """One POST: the answer, or why there is none (a refused URL, a timeout, a broken
    connection), as a short text without the body that was sent."""
    try:
        target = transport.resolve(url, conf)
        return transport.post(target, body.encode("utf-8"), headers, timeout=conf.timeout)
    except transport.RefusedURL as error:
        return f"refused: {error}"
    except TimeoutError:
        return f"timed out after {conf.timeout:g} s"
    except (OSError, http.client.HTTPException) as error:
        return f"{type(error).__name__}: {error}"[:500]


# -- Webhook deliveries ----------------------------------------------------------------------------


def _outbox(conf: WebhookSettings) -> list[int]:
    return list(
        Delivery.objects.sendable(timezone.now(), conf.lease)
        .filter(subscription__active=True, subscription__paused_at__isnull=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:PAGE]
    )


def deliver_pending(*, conf: WebhookSettings | None = None) -> Sent:
    """Send every delivery that is due and unclaimed, each claimed, sent and recorded on its
    own, then tell privacy officers of subscriptions paused meanwhile."""
    conf = conf or webhook_settings()
    sent = Sent()
    for pk in _outbox(conf):
        deliver_one(pk, sent, conf)
    sent.pause_notices += notify_paused()
    return sent


def deliver_one(pk: int, sent: Sent, conf: WebhookSettings) -> None:
    """Claim, send and record one delivery."""
    if not claim(Delivery, pk, conf):
        sent.taken += 1
        return
    delivery = Delivery.objects.select_related("subscription", "request").get(pk=pk)
    subscription = delivery.subscription
    if not subscription.active or subscription.paused_at is not None:
        # Switched off or paused since the outbox was read: leave it for later, unclaimed.
        Delivery.objects.filter(pk=pk).update(claimed_at=None, attempts=F("attempts") - 1)
        return
    now = timezone.now()
    body = payloads.body(delivery)
    headers = signing.headers(
        message_id=delivery.message_id,
        body=body,
        secrets=subscription.signing_secrets(now),
        at=now,
    )
    answer = attempt(subscription.url, body, headers, conf)
    record(delivery, answer, sent, conf)


def record(
    delivery: Delivery, answer: transport.Answer | str, sent: Sent, conf: WebhookSettings
) -> None:
    """The outcome of one try, in one transaction: the try, the delivery, the subscription."""
    now = timezone.now()
    ok = isinstance(answer, transport.Answer) and answer.ok
    with transaction.atomic():
        attempts = Delivery.objects.filter(pk=delivery.pk).values_list("attempts", flat=True)[0]
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=now,
            duration_ms=answer.duration_ms if isinstance(answer, transport.Answer) else 0,
            status_code=answer.status if isinstance(answer, transport.Answer) else None,
            response_body=answer.body[:KEEP_BODY] if isinstance(answer, transport.Answer) else "",
            error="" if isinstance(answer, transport.Answer) else answer[:500],
        )
        status_code = answer.status if isinstance(answer, transport.Answer) else None
        error = "" if ok else (answer if isinstance(answer, str) else f"HTTP {answer.status}")
        fields: dict[str, Any] = {
            "claimed_at": None,
            "last_status_code": status_code,
            "last_error": error[:500],
        }
        if ok:
            fields.update(status=OutboxStatus.DELIVERED, delivered_at=now)
        elif attempts < conf.max_attempts:
            fields.update(next_attempt_at=next_try(attempts, conf, now))
        else:
            fields.update(status=OutboxStatus.FAILED)
        Delivery.objects.filter(pk=delivery.pk, status=OutboxStatus.PENDING).update(**fields)
        _count_failure(delivery.subscription_id, ok, now, conf)
    if ok:
        sent.delivered += 1
    elif attempts < conf.max_attempts:
        sent.retrying += 1
    else:
        sent.failed += 1
    if not ok:
        # Ids and the status only: an answer could quote anything.
        logger.warning(
            "webhook delivery %s to subscription %s failed on try %s of %s (%s)",
            delivery.pk,
            delivery.subscription_id,
            attempts,
            conf.max_attempts,
            status_code or "no answer",
        )


def _count_failure(
    subscription_id: int, ok: bool, now: datetime.datetime, conf: WebhookSettings
) -> None:
    """Keep the subscription's run of failures, and pause it once the run is long enough."""
    subscriptions = Subscription.objects.filter(pk=subscription_id)
    if ok:
        subscriptions.exclude(consecutive_failures=0).update(
            consecutive_failures=0, failing_since=None
        )
        return
    subscriptions.filter(failing_since__isnull=True).update(failing_since=now)
    subscriptions.update(consecutive_failures=F("consecutive_failures") + 1)
    # Paused once: whoever's UPDATE matches first pauses it, and it is told about once.
    paused = subscriptions.filter(
        paused_at__isnull=True,
        consecutive_failures__gte=conf.pause_after_failures,
        failing_since__lte=now - conf.pause_after,
    ).update(paused_at=now, pause_notified_at=None)
    if paused:
        logger.warning("webhook subscription %s paused after repeated failures", subscription_id)


def notify_paused() -> int:
    """Email the privacy officers of each subscription paused and not yet told about. The
    notice is queued in the outbox (``dsar.outbox``) in the transaction that claims it
    (``pause_notified_at``): told once, and the outbox retries a mail server that fails."""
    told = 0
    for subscription in Subscription.objects.filter(
        paused_at__isnull=False, pause_notified_at__isnull=True
    ).select_related("organization"):
        with transaction.atomic():
            if not Subscription.objects.filter(
                pk=subscription.pk, paused_at__isnull=False, pause_notified_at__isnull=True
            ).update(pause_notified_at=timezone.now()):
                continue
            officers = list(
                subscription.organization.memberships.filter(
                    role=Role.PRIVACY_OFFICER, user__is_active=True
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            if officers:
                enqueue(
                    "webhook_paused",
                    to=officers,
                    context={
                        "subscription": subscription,
                        "organization": subscription.organization,
                        "failures": subscription.consecutive_failures,
                        "site_url": _site_url(),
                    },
                )
        told += 1
    return told


def _site_url() -> str:
    from django.conf import settings

    return str(settings.DSAR_SITE_URL).rstrip("/")
