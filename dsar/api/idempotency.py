"""``Idempotency-Key`` on request creation: the same key and body get the same answer, and the
request is created once, even when two posts race.

1. ``claim`` inserts the key's row in the transaction that will create the request
   (``INSERT … ON CONFLICT … DO UPDATE … WHERE expired``). A second post with the same key
   blocks on the row's unique index until the first transaction ends: after a commit it finds
   the row and replays the stored answer; after a rollback (the first post was refused) its
   own insert goes through and it creates the request itself.
2. ``store`` records the answer in the same transaction as the request.

An expired row is taken over by the next post with its key. The body is compared by the SHA-256
of its canonical JSON, so whitespace and key order do not matter; another body under the same
key is refused (422, ``problems.IdempotencyConflict``).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from dsar.api.models import ApiKey, IdempotencyKey
from dsar.api.problems import IdempotencyConflict


def body_digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    """Ours to create (``replay`` None), or the answer stored by the first post."""

    row_id: int | None
    replay: tuple[int, Any] | None = None


@functools.cache
def _claim_sql() -> str:
    q = connection.ops.quote_name
    table = q(IdempotencyKey._meta.db_table)
    cols = ["api_key_id", "key", "body_sha256", "created_at", "expires_at"]
    names = ", ".join(q(c) for c in cols)
    fresh = ", ".join(
        f"{q(c)} = EXCLUDED.{q(c)}" for c in ("body_sha256", "created_at", "expires_at")
    )
    cleared = ", ".join(f"{q(c)} = NULL" for c in ("status_code", "response", "request_id"))
    return (
        # Identifiers quoted by the backend, of our own table; every value is a parameter.
        f"INSERT INTO {table} ({names}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({q('api_key_id')}, {q('key')}) DO UPDATE SET {fresh}, {cleared} "
        f"WHERE {table}.{q('expires_at')} <= EXCLUDED.{q('created_at')} "
        f"RETURNING {q('id')}"
    )


def claim(*, api_key: ApiKey, key: str, digest: str, now: datetime.datetime) -> Claim:
    """Take ``key`` for this post, or return the answer of the post that took it (call inside
    the transaction that creates the request)."""
    expires = now + datetime.timedelta(hours=settings.DSAR_API_IDEMPOTENCY_HOURS)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(), [api_key.pk, key, digest, adapt(now), adapt(expires)])
        row = cursor.fetchone()
    if row is not None:
        return Claim(row_id=row[0])
    found = IdempotencyKey.objects.values("body_sha256", "status_code", "response").get(
        api_key=api_key, key=key
    )
    # The answer is stored in the transaction that claimed the key, so another post sees the
    # row complete or not at all; an answer missing is refused, never replayed as a blank 200.
    if found["body_sha256"] != digest or found["status_code"] is None:
        raise IdempotencyConflict()
    return Claim(row_id=None, replay=(found["status_code"], found["response"]))


def store(claimed: Claim, *, status_code: int, response: Any, request_id: int) -> None:
    if claimed.row_id is None:
        raise ValueError("a replayed key has nothing to store")
    IdempotencyKey.objects.filter(pk=claimed.row_id).update(
        status_code=status_code, response=response, request_id=request_id
    )


def prune(now: datetime.datetime) -> int:
    """Forget the keys whose time is over; returns how many."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now).delete()
    return deleted
