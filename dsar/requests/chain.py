"""The hash chain of a request's audit trail: each event carries the hash of the one before it.

Every event of a request stores ``prev_hash`` (the ``hash`` of the previous event of the same
request, ``""`` for its first) and ``hash``::

    hash = SHA-256( prev_hash "\\n" request_id "\\n" body )    (UTF-8, hex)

where ``body`` is the canonical JSON of what the event says (``body`` below: when, who, what,
the status change, the summary and the details; keys sorted, no spaces, non-ASCII as is). So
changing, removing or reordering any event breaks every link after it, and moving an event to
another request breaks the hash itself. ``manage.py verify_trail`` recomputes every chain.

The format is fixed: a stored hash must verify for as long as the trail is kept. A future format
would be a new version in a new migration, never a change here.

A purge blanks what the requester was told in words (the reasons of a refusal, a partial
fulfilment, an extension or a closure: ``data["reason"]`` and the summary that quotes it), and so
no longer matches its event's hash. The purge vouches for each event it blanks, in the
``PURGED`` event it appends to the same trail: the event's id, its stored hash, and the SHA-256 of
its body as blanked (``blanked``, ``vouch``). ``verify`` accepts an event whose hash no longer
matches only when a later purge event of its trail vouches for exactly that hash and that body:
the vouch is itself chained, so changing any other column of a blanked event, its hash, or the
vouch, is still a break. The database lets the blanking be done and nothing else (migration
``requests 0015``).

Writers (``dsar.requests.events`` and ``writes``) compute the hashes in the transaction that
writes the events, after locking the request's row (``SELECT … FOR NO KEY UPDATE``): two writers
of one request queue on that lock, and the second reads the head the first committed, so the
chain never forks. A unique index on (request, prev_hash) makes a fork impossible to commit even
for a writer that forgot the lock. SQLite has no row locks but one writer at a time: a
transaction that read an old head cannot commit its write ("database is locked").

Events written before the chain existed were chained by migration 0010, in order. An event
written without a hash (by a release older than the chain, still running during an upgrade) is
chained by the next writer of its request, or by ``verify_trail --seal``, before anything is
appended after it: the database lets a hash be set once, from empty, and never changed.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

#: The ``prev_hash`` of a request's first event.
GENESIS = ""


def _canonical(value: Any) -> Any:
    """``value`` as the database gives it back: a JSON column keeps no tuples, no enum types,
    no integer-valued floats (PostgreSQL's jsonb returns 1e20 as 100000000000000000000)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    raise TypeError(f"not JSON: {type(value).__name__}")


def _instant(at: datetime.datetime) -> str:
    if at.tzinfo is None:  # SQLite gives naive UTC when USE_TZ is off; dsar keeps it on
        at = at.replace(tzinfo=datetime.UTC)
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def body(
    *,
    at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    kind: str,
    from_status: str,
    to_status: str,
    summary: str,
    data: Any,
) -> str:
    """The canonical text of what an event says (everything but its request, id and links)."""
    return json.dumps(
        {
            "v": 1,
            "at": _instant(at),
            "actor": actor_id,
            "actor_label": str(actor_label),
            "kind": str(kind),
            "from": str(from_status or ""),
            "to": str(to_status or ""),
            "summary": str(summary),
            "data": _canonical(data if data is not None else {}),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


def event_body(event: Any) -> str:
    """``body`` of a RequestEvent (a model instance, or a historical one in a migration)."""
    return body(
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        kind=event.kind,
        from_status=event.from_status,
        to_status=event.to_status,
        summary=event.summary,
        data=event.data,
    )


#: The keys of an event's data that hold what the requester was told in words; a purge blanks
#: them and the summary (which quotes them).
REASON_KEYS = ("reason",)
#: The key of a ``PURGED`` event's data that lists the events it blanked.
VOUCH_KEY = "blanked"
PURGED_KIND = "purged"
ALTERED = "altered: its hash does not match what it says"


def has_reasons(data: Any) -> bool:
    return isinstance(data, dict) and any(data.get(key) for key in REASON_KEYS)


def blanked(data: Any) -> dict[str, Any]:
    """``data`` with its reasons blanked (the summary is blanked whole)."""
    return {**data, **{key: "" for key in REASON_KEYS if key in data}}


def body_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def vouch(event: Any) -> dict[str, Any]:
    """What a purge records of an event it has blanked (``event`` as blanked, hash unchanged)."""
    return {"event": event.pk, "hash": event.hash, "body": body_digest(event_body(event))}


def link(prev_hash: str, request_id: int, text: str) -> str:
    """The hash of an event of ``request_id`` whose body is ``text``, after ``prev_hash``.

    The one-statement insert of a new request computes the same in SQL (``writes``)."""
    message = f"{prev_hash}\n{request_id}\n{text}".encode()
    return hashlib.sha256(message).hexdigest()


def event_hash(event: Any, prev_hash: str) -> str:
    return link(prev_hash, event.request_id, event_body(event))


def seal(event: Any, prev_hash: str) -> str:
    """Set ``event``'s links after ``prev_hash`` (not saved); returns its hash."""
    event.prev_hash = prev_hash
    event.hash = event_hash(event, prev_hash)
    return event.hash


# -- Verification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """Something wrong on a request's trail: the request's reference, the event, what is wrong.
    Never personal data: the summary and details of the event are not repeated."""

    reference: str
    event_id: int | None
    problem: str

    def line(self) -> str:
        where = f"event {self.event_id}" if self.event_id is not None else "trail"
        return f"{self.reference} {where}: {self.problem}"


@dataclass
class Head:
    """The end of a request's chain: how many events, the last one's id and hash, and whether
    every link verifies."""

    events: int = 0
    event_id: int | None = None
    hash: str = GENESIS
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks


_COLUMNS = (
    "id",
    "request_id",
    "request__reference",
    "at",
    "actor_id",
    "actor_label",
    "kind",
    "from_status",
    "to_status",
    "summary",
    "data",
    "prev_hash",
    "hash",
)


def _walk(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, str, Head]]:
    """Check each request's chain from ``rows`` (``_COLUMNS``, ordered by request then id)."""
    current: tuple[int, str, Head] | None = None
    # Per request: events whose hash no longer matches (id -> (hash, body digest)), and what the
    # purges of its trail vouch for (id -> (hash, body digest)).
    unmatched: dict[int, tuple[str, str]] = {}
    vouched: dict[int, tuple[str, str]] = {}
    for (
        pk,
        request_id,
        reference,
        at,
        actor_id,
        actor_label,
        kind,
        from_status,
        to_status,
        summary,
        data,
        prev_hash,
        stored,
    ) in rows:
        if current is None or current[0] != request_id:
            if current is not None:
                _settle(current, unmatched, vouched)
                yield current
            current = (request_id, reference, Head())
            unmatched, vouched = {}, {}
        head = current[2]
        text = body(
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            summary=summary,
            data=data,
        )
        problem = None
        if not stored:
            problem = "not chained (written without a hash; at the end of a trail --seal chains it)"
        elif prev_hash != head.hash:
            problem = (
                "does not follow the event before it (an event before it is missing, was "
                "inserted or was altered)"
            )
        elif stored != link(prev_hash, request_id, text):
            # Blanked by a purge that vouches for it later on, or altered: decided at the end.
            unmatched[pk] = (stored, body_digest(text))
        # Only a purge event that verifies itself vouches, and only for what came before it.
        if (
            kind == PURGED_KIND
            and isinstance(data, dict)
            and problem is None
            and pk not in unmatched
        ):
            for entry in data.get(VOUCH_KEY) or []:
                if (
                    isinstance(entry, dict)
                    and isinstance(entry.get("event"), int)
                    and entry["event"] < pk
                ):
                    vouched[entry["event"]] = (str(entry.get("hash")), str(entry.get("body")))
        if problem:
            head.breaks.append(Break(reference, pk, problem))
        head.events += 1
        head.event_id = pk
        # The stored hash is what the next event follows: one altered event is one break.
        head.hash = stored or head.hash
    if current is not None:
        _settle(current, unmatched, vouched)
        yield current


def _settle(
    current: tuple[int, str, Head],
    unmatched: dict[int, tuple[str, str]],
    vouched: dict[int, tuple[str, str]],
) -> None:
    """Break every event of the trail whose hash does not match and that no purge vouches for,
    as it now reads."""
    _request_id, reference, head = current
    for pk, seen in unmatched.items():
        if vouched.get(pk) != seen:
            head.breaks.append(Break(reference, pk, ALTERED))
    head.breaks.sort(key=lambda item: item.event_id or 0)


def verify(request_ids: Iterable[int] | None = None) -> Iterator[tuple[int, str, Head]]:
    """Recompute the chain of every request (or of ``request_ids``): (id, reference, head)."""
    from dsar.requests.models import PrivacyRequest, RequestEvent

    events = RequestEvent.objects.order_by("request_id", "id")
    requests = PrivacyRequest.objects.order_by("pk")
    if request_ids is not None:
        ids = list(request_ids)
        events, requests = events.filter(request_id__in=ids), requests.filter(pk__in=ids)
    seen = set()
    for request_id, reference, head in _walk(events.values_list(*_COLUMNS).iterator(5000)):
        seen.add(request_id)
        yield request_id, reference, head
    # Every request is written with its first event: one with none lost its whole trail.
    for request_id, reference in requests.values_list("pk", "reference").iterator(5000):
        if request_id not in seen:
            yield request_id, reference, Head(breaks=[Break(reference, None, "has no events")])


def head_of(request_id: int) -> Head:
    """The head of one request's chain, verified (the evidence pack prints it)."""
    for _request_id, _reference, head in verify([request_id]):
        return head
    return Head()
