"""What a webhook message says: made of ids, kinds, statuses and dates, never of personal data
unless the subscription opted in.

The message body follows the Standard Webhooks payload shape::

    {"type": "request.closed", "timestamp": "2026-03-02T10:15:00Z",
     "data": {"organization": {...}, "request": {...}, "event": {...}}}

``data.request`` is the request as it stood when the event happened (its status, deadline and
dates then), so a message sent late after retries still tells what happened, not what is true
now. Those fields are kept in the delivery row (``Delivery.details``); the requester's name and
email address are added when the message is sent, for a subscription that includes personal
data, read from the request then (a purged request sends them blank).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from dsar.requests.models import PrivacyRequest
from dsar.webhooks.models import Delivery


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def request_snapshot(request: PrivacyRequest) -> dict[str, Any]:
    """The request's fields a message may carry to any subscriber: no personal data."""
    return {
        "id": request.pk,
        "reference": request.reference,
        "organization": request.organization_id,
        "right": request.right_kind,
        "channel": request.channel_kind,
        "jurisdiction": request.jurisdiction,
        "status": request.status,
        "identity": request.identity_status,
        "is_agent": request.is_agent,
        "received_at": _iso(request.received_at),
        "received_on": _iso(request.received_on),
        "due_date": _iso(request.due_date),
        "extended": request.extended,
        "internal_target": _iso(request.internal_target),
        "closed_at": _iso(request.closed_at),
    }


def body(delivery: Delivery) -> str:
    """The JSON text sent for ``delivery`` (compact, keys sorted: the bytes that are signed)."""
    data = dict(delivery.details)
    if delivery.subscription.include_personal_data and delivery.request is not None:
        data["requester"] = {
            "name": delivery.request.requester_name,
            "email": delivery.request.requester_email,
        }
    document = {"type": delivery.event, "timestamp": _iso(delivery.occurred_at), "data": data}
    return json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
