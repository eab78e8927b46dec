"""The one place letters write to a request's audit trail.

``dsar.requests.events`` is the one writer of ``RequestEvent``; its ``record`` writes an event
in the caller's transaction. Each is an ``EventKind`` of its own (``letter_issued``,
``letter_sent``, ``send_failed``…), and ``data["letter"]`` says which letter or package. Events
never carry the requester's personal data: ids, hashes, kinds and error class names only.
"""

from __future__ import annotations

from typing import Any

from dsar.requests import events
from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent


def record(
    request: PrivacyRequest,
    what: EventKind,
    *,
    summary: str,
    actor: Any = None,
    actor_label: str = "",
    **data: Any,
) -> RequestEvent:
    """Write one event of kind ``what`` in the current transaction.

    ``actor_label`` is "requester" for what the requester did; empty means the actor's
    username, or "system"."""
    payload = {"letter": {"event": what.value, **data}}
    return events.record(
        request, kind=what, summary=summary[:500], actor=actor, actor_label=actor_label, **payload
    )


def letter_events(request: PrivacyRequest) -> list[RequestEvent]:
    """The request's events that letters wrote, oldest first."""
    return [event for event in request.events.all() if "letter" in (event.data or {})]
