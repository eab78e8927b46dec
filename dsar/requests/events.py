"""The one way to write to a request's audit trail.

Every app writes events through here: the request services, letters, intake, reminders. An
event is built (``build``), then written, one at a time in the caller's transaction (``record``)
or several at once (``append``; a new request's first events are written with the request itself
by ``writes.write_new_request``, which calls ``written``). Nothing else inserts a
``RequestEvent``; a view never writes one itself.

After every write the listeners registered with ``on_written`` are told, inside the transaction
(so that what they queue, such as a webhook delivery, is queued with the events or not at all).

Every event is chained to the one before it on its request's trail (``dsar.requests.chain``):
``record`` and ``append`` lock the request's row (``FOR NO KEY UPDATE``: it queues the other
writers of the same request, not the inserts that only point at it), read the head of its chain
and hash the new events after it, in the transaction that writes them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dsar.core.actors import Actor
from dsar.requests import chain
from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent

Listener = Callable[[Sequence[RequestEvent]], object]  # what it returns is not looked at

_listeners: list[Listener] = []

# Who acts when no staff member does and the caller names nobody: an API key, say. Set for the
# duration of one call by ``acting_as``, so that every event any service writes during it names
# the key, without an argument added to every service.
_acting_label: ContextVar[str] = ContextVar("dsar_events_acting_label", default="")


@contextmanager
def acting_as(label: str) -> Iterator[None]:
    """Label the events written inside the block with ``label`` ("api:crm-sync") where they have
    no actor and no label of their own (instead of "system"). Used by ``dsar.api``: a key acts
    with ``actor=None``, and its calls must still be told apart on the trail."""
    token = _acting_label.set(label)
    try:
        yield
    finally:
        _acting_label.reset(token)


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
    now: datetime.datetime | None = None,
    **data: Any,
) -> RequestEvent:
    """An event of ``request``, not yet written, that happened at ``now`` (default: the current
    time). A service passes its own ``now`` on, so that a caller telling a story at the times
    it happened (the demo seeder) gets a trail stamped with those times.

    ``actor_label`` defaults to the actor's username, or "system"; "requester" marks what the
    requester did. ``data`` holds the details: ids, dates, kinds and reasons, never a file's
    content."""
    if now is not None and timezone.is_naive(now):
        raise ValueError("now must be time-zone aware")
    label = actor_label or (
        actor.get_username() if actor is not None else (_acting_label.get() or "system")
    )
    return RequestEvent(
        request=request,
        kind=kind,
        summary=summary[:500],
        actor=actor,
        actor_label=label,
        from_status=from_status,
        to_status=to_status,
        at=now or timezone.now(),
        data=data,
    )


def record(request: PrivacyRequest, **event: Any) -> RequestEvent:
    """Build and write one event in the current transaction (the keywords of ``build``)."""
    made = build(request, **event)
    with transaction.atomic(savepoint=False):
        chain.seal(made, heads([request.pk])[request.pk])
        made.save(force_insert=True)
    written([made])
    return made


def append(events: Sequence[RequestEvent]) -> list[RequestEvent]:
    """Write events built with ``build`` (of one request or several) in one insert."""
    with transaction.atomic(savepoint=False):
        head = heads(event.request_id for event in events)
        for event in events:
            head[event.request_id] = chain.seal(event, head[event.request_id])
        made = RequestEvent.objects.bulk_create(events)
    written(made)
    return made


# -- The chain -------------------------------------------------------------------------------------

#: Requests locked, and heads read, per query (SQLite allows so many parameters).
BATCH = 500


def heads(request_ids: Iterable[int]) -> dict[int, str]:
    """Lock the rows of ``request_ids`` until the transaction ends (in the order of their ids, so
    that two writers of several requests never deadlock) and return the head of each chain: the
    hash the next event of the request follows. Call it inside a transaction.

    The heads are read after the locks are held, in statements of their own: in PostgreSQL's
    READ COMMITTED (Django's default) each statement sees what was committed before it, so a
    writer that waited on the lock reads the event its predecessor wrote. An event at the end
    of a chain that has no hash yet (see ``seal_pending``) is chained first."""
    ids = sorted(set(request_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        locking = PrivacyRequest.objects.select_for_update(no_key=True, of=("self",))
        list(locking.filter(pk__in=batch).order_by("pk").values_list("pk", flat=True))
        last = (
            RequestEvent.objects.filter(request_id__in=batch)
            .order_by()
            .values("request_id")
            .annotate(last=Max("id"))
            .values("last")
        )
        found.update(
            RequestEvent.objects.filter(id__in=last).order_by().values_list("request_id", "hash")
        )
    result = {}
    for request_id in ids:
        head = found.get(request_id)
        result[request_id] = chain.GENESIS if head is None else head or seal_pending(request_id)
    return result


def seal_pending(request_id: int) -> str:
    """Chain the events at the end of the request's trail that were written without a hash (by a
    release older than the chain, during an upgrade), in order; returns the head.

    The only UPDATE of an event there is: the database allows setting ``prev_hash`` and ``hash``
    of an event whose hash is empty, once, and nothing else (migration 0010). Call it with the
    request locked (``heads`` does)."""
    last = (
        RequestEvent.objects.filter(request_id=request_id)
        .exclude(hash="")
        .order_by("-id")
        .values_list("id", "hash")
        .first()
    )
    after, head = last or (0, chain.GENESIS)
    pending = RequestEvent.objects.filter(request_id=request_id, id__gt=after).order_by("id")
    for event in pending:
        chain.seal(event, head)
        # The base manager's plain update: the model's own refuses every change of an event.
        RequestEvent._base_manager.filter(pk=event.pk, hash="").update(
            prev_hash=event.prev_hash, hash=event.hash
        )
        head = event.hash
    return head


def blank_reasons(request_id: int) -> list[dict[str, Any]]:
    """Blank what the requester was told in words on the request's trail (``data["reason"]`` and
    the summary quoting it), for a purge; returns the vouches (``chain.vouch``) the purge's own
    event must carry, so that ``verify_trail`` still accepts the blanked events.

    The second UPDATE the database allows on an event (migration 0013): the summary to "" and
    the reasons in its data to "", every other column unchanged. Call it with the request locked
    and write the purge event in the same transaction."""
    vouches = []
    events = RequestEvent.objects.filter(request_id=request_id).exclude(hash="").order_by("id")
    for event in events:
        if not chain.has_reasons(event.data):
            continue
        event.summary = ""
        event.data = chain.blanked(event.data)
        # The base manager's plain update: the model's own refuses every change of an event.
        RequestEvent._base_manager.filter(pk=event.pk).update(summary="", data=event.data)
        vouches.append(chain.vouch(event))
    return vouches
