"""What the DRP app does when a request's trail grows: status callbacks, and purging evidence.

``on_events`` is told of every event written (``dsar.requests.events.on_written``), in its
transaction:

- an event that changes what the agent is told (a status change, an extension, a verification)
  of a request that came by DRP with a ``status_callback`` queues a ``StatusCallback``, once per
  event (the outbox, as for webhooks). It is sent after commit, at least once, with retries and
  backoff (``dsar.webhooks.outbox``'s claim and SSRF-safe transport), and carries the request's
  status as it is when sent: the latest is what the agent needs (DRP §2.03.1);
- a purge of the request's personal data (``EventKind.PURGED``) blanks the agent's evidence too:
  the consumer's claims and the signed message that carries them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dsar.drp.models import DrpRequest, StatusCallback
from dsar.drp.status import exercise_status
from dsar.policies.models import ChannelKind
from dsar.requests.models import EventKind, RequestEvent
from dsar.webhooks import outbox, transport
from dsar.webhooks.conf import WebhookSettings, webhook_settings
from dsar.webhooks.models import OutboxStatus

logger = logging.getLogger(__name__)

#: Event kinds that change the status object without a status change of their own.
TOLD_KINDS = {EventKind.EXTENDED.value, EventKind.IDENTITY_VERIFIED.value}


def _tells_agent(event: RequestEvent) -> bool:
    return bool(event.to_status) or event.kind in TOLD_KINDS


def on_events(events: Sequence[RequestEvent]) -> None:
    # Only requests that came by DRP concern this app: no query for any other.
    events = [e for e in events if e.request.channel_kind == ChannelKind.DRP]
    if not events:
        return
    purged = [e.request_id for e in events if e.kind == EventKind.PURGED]
    if purged:
        DrpRequest.objects.filter(request_id__in=purged, evidence_purged_at__isnull=True).update(
            claims={}, signed_message="", evidence_purged_at=timezone.now()
        )
    telling = [e for e in events if _tells_agent(e) and e.kind != EventKind.RECEIVED]
    if not telling:
        return
    by_request = {
        d.request_id: d
        for d in DrpRequest.objects.filter(request__in={e.request_id for e in telling}).exclude(
            status_callback=""
        )
    }
    rows = [
        StatusCallback(drp_request=by_request[e.request_id], source=f"event:{e.pk}")
        for e in telling
        if e.request_id in by_request
    ]
    if rows:
        StatusCallback.objects.bulk_create(rows, ignore_conflicts=True)
        transaction.on_commit(_kick)


def _kick() -> None:
    try:
        from django_q.tasks import async_task

        async_task("dsar.drp.callbacks.deliver_callbacks", task_name="dsar: DRP callbacks now")
    except Exception:  # the broker is down: the every-minute schedule sends them
        logger.warning("DRP callbacks: could not queue an immediate send", exc_info=True)


@dataclass
class Sent:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    taken: int = 0


def deliver_callbacks() -> dict[str, int]:
    """Send the status callbacks that are due (the scheduled job). Counts only."""
    conf = webhook_settings()
    sent = Sent()
    pending = (
        StatusCallback.objects.sendable(timezone.now(), conf.lease)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[: outbox.PAGE]
    )
    for pk in list(pending):
        _deliver_one(pk, sent, conf)
    return sent.__dict__.copy()


def _deliver_one(pk: int, sent: Sent, conf: WebhookSettings) -> None:
    if not outbox.claim(StatusCallback, pk, conf):
        sent.taken += 1
        return
    callback = StatusCallback.objects.select_related("drp_request__request").get(pk=pk)
    body = json.dumps(exercise_status(callback.drp_request), separators=(",", ":"))
    answer = outbox.attempt(callback.drp_request.status_callback, body, {}, conf)
    ok = isinstance(answer, transport.Answer) and answer.ok
    now = timezone.now()
    attempts = callback.attempts
    fields: dict[str, object] = {
        "claimed_at": None,
        "last_body": body,
        "last_status_code": answer.status if isinstance(answer, transport.Answer) else None,
        "last_error": ""
        if ok
        else (answer if isinstance(answer, str) else f"HTTP {answer.status}")[:500],
    }
    if ok:
        fields.update(status=OutboxStatus.DELIVERED, delivered_at=now)
        sent.delivered += 1
    elif attempts < conf.max_attempts:
        fields.update(next_attempt_at=outbox.next_try(attempts, conf, now))
        sent.retrying += 1
    else:
        fields.update(status=OutboxStatus.FAILED)
        sent.failed += 1
    StatusCallback.objects.filter(pk=pk, status=OutboxStatus.PENDING).update(**fields)
