"""The one place letters write to a request's audit trail.

``dsar.requests.services`` owns ``RequestEvent``; its ``_record`` writes an event in the caller's
transaction. Until ``EventKind`` gains letter kinds, events are ``NOTE``s whose ``data["letter"]``
says what happened; once the kinds exist (``letter_issued``, ``letter_sent``, ``send_failed``…)
they are used without a change here. Events never carry the requester's personal data: ids,
hashes, kinds and error class names only.
"""

from __future__ import annotations

from typing import Any

from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent
from dsar.requests.services import _record


class LetterEvent:
    ISSUED = "letter_issued"
    QUEUED = "letter_queued"
    SENT = "letter_sent"
    SEND_RETRY = "send_retry"
    SEND_FAILED = "send_failed"
    PACKAGE_BUILT = "package_built"
    PACKAGE_RELEASED = "package_released"
    PACKAGE_DOWNLOADED = "package_downloaded"
    DATA_ADDED = "data_added"
    # An EventKind already: the export of the evidence pack.
    EVIDENCE_EXPORTED = "exported"


def record(
    request: PrivacyRequest,
    what: str,
    *,
    summary: str,
    actor: Any = None,
    actor_label: str = "",
    **data: Any,
) -> RequestEvent:
    """Write one event for ``what`` (a LetterEvent) in the current transaction.

    ``actor_label`` is "requester" for what the requester did; empty means the actor's
    username, or "system"."""
    try:
        kind = EventKind(what)
    except ValueError:
        kind = EventKind.NOTE
    payload = {"letter": {"event": what, **data}}
    return _record(
        request, kind=kind, summary=summary[:500], actor=actor, actor_label=actor_label, **payload
    )


def letter_events(request: PrivacyRequest) -> list[RequestEvent]:
    """The request's events that letters wrote, oldest first."""
    return [event for event in request.events.all() if "letter" in (event.data or {})]
