"""The one place letters write to a request's audit trail.

``dsar.requests.services`` owns ``RequestEvent``; its ``_record`` writes an event in the caller's
transaction. Each ``LetterEvent`` is an ``EventKind`` of its own (``letter_issued``,
``letter_sent``, ``send_failed``…), and ``data["letter"]`` says which letter or package. Events
never carry the requester's personal data: ids, hashes, kinds and error class names only.
"""

from __future__ import annotations

from typing import Any

from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent
from dsar.requests.services import _record


class LetterEvent:
    """What letters record, each an ``EventKind``."""

    ISSUED = EventKind.LETTER_ISSUED
    QUEUED = EventKind.LETTER_QUEUED
    SENT = EventKind.LETTER_SENT
    SEND_RETRY = EventKind.SEND_RETRY
    SEND_FAILED = EventKind.SEND_FAILED
    PACKAGE_BUILT = EventKind.PACKAGE_BUILT
    PACKAGE_RELEASED = EventKind.PACKAGE_RELEASED
    PACKAGE_DOWNLOADED = EventKind.PACKAGE_DOWNLOADED
    DATA_ADDED = EventKind.DATA_ADDED
    EVIDENCE_EXPORTED = EventKind.EXPORTED
    PURGED = EventKind.PURGED


def record(
    request: PrivacyRequest,
    what: EventKind,
    *,
    summary: str,
    actor: Any = None,
    actor_label: str = "",
    **data: Any,
) -> RequestEvent:
    """Write one event for ``what`` (a LetterEvent) in the current transaction.

    ``actor_label`` is "requester" for what the requester did; empty means the actor's
    username, or "system"."""
    kind = EventKind(what)
    payload = {"letter": {"event": kind.value, **data}}
    return _record(
        request, kind=kind, summary=summary[:500], actor=actor, actor_label=actor_label, **payload
    )


def letter_events(request: PrivacyRequest) -> list[RequestEvent]:
    """The request's events that letters wrote, oldest first."""
    return [event for event in request.events.all() if "letter" in (event.data or {})]
