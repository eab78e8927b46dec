"""The one way to write to a request's audit trail.

Every app writes events through here: the request services, letters, intake, reminders. An
event is built (``build``), then written, one at a time in the caller's transaction (``record``)
or several at once (``append``; a new request's first events are written with the request itself
by ``writes.write_new_request``, which calls ``written``). Nothing else inserts a
``RequestEvent``; a view never writes one itself.

After every write the listeners registered with ``on_written`` are told, inside the transaction
(so that what they queue, such as a webhook delivery, is queued with the events or not at all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent

Actor = AbstractBaseUser | None
Listener = Callable[[Sequence[RequestEvent]], None]

_listeners: list[Listener] = []


def on_written(listener: Listener) -> Listener:
    """Call ``listener(events)`` after events are written (usable as a decorator)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def written(events: Sequence[RequestEvent]) -> None:
    """Tell the listeners that ``events`` were written (by ``writes`` or here)."""
    for listener in _listeners:
        listener(events)


def build(
    request: PrivacyRequest,
    *,
    kind: EventKind,
    summary: str,
    actor: Actor,
    actor_label: str = "",
    from_status: str = "",
    to_status: str = "",
    **data: Any,
) -> RequestEvent:
    """An event of ``request``, not yet written (``at`` is now: events keep their order).

    ``actor_label`` defaults to the actor's username, or "system"; "requester" marks what the
    requester did. ``data`` holds the details: ids, dates, kinds and reasons, never a file's
    content."""
    label = actor_label or (actor.get_username() if actor is not None else "system")
    return RequestEvent(
        request=request,
        kind=kind,
        summary=summary[:500],
        actor=actor,
        actor_label=label,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )


def record(request: PrivacyRequest, **event: Any) -> RequestEvent:
    """Build and write one event in the current transaction (the keywords of ``build``)."""
    made = build(request, **event)
    made.save(force_insert=True)
    written([made])
    return made


def append(events: Sequence[RequestEvent]) -> list[RequestEvent]:
    """Write events built with ``build`` (of one request or several) in one insert."""
    made = RequestEvent.objects.bulk_create(events)
    written(made)
    return made
