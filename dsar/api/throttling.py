"""Rate limits per API key, counted in the database so that every web worker and node shares them.

``DSAR_API_RATE_LIMIT`` calls per key per fixed minute (600 by default, ``dsar/settings.py``).
The counters are rows of the table the public form's limits use (``dsar.intake.models.Throttle``,
scope "api_key", key the API key's id: no personal data), and go with its housekeeping once
their minute is over. One statement counts and reads a call (``INSERT … ON CONFLICT DO UPDATE …
RETURNING``, PostgreSQL and SQLite ≥ 3.35), so concurrent workers never lose one. Beyond the
limit the answer is 429 with ``Retry-After``: the seconds left in the minute.
"""

from __future__ import annotations

import datetime
import functools
import math
import time
from typing import Any

from django.conf import settings
from django.db import connection
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from dsar.intake.models import Throttle

SCOPE = "api_key"
WINDOW = 60  # seconds


@functools.cache
def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table = q(Throttle._meta.db_table)
    scope, key, bucket, count, expires = map(q, ("scope", "key", "bucket", "count", "expires_at"))
    return (
        # Identifiers quoted by the backend, of our own table; every value is a parameter.
        f"INSERT INTO {table} ({scope}, {key}, {bucket}, {count}, {expires}) "  # noqa: S608
        f"VALUES (%s, %s, %s, 1, %s) "
        f"ON CONFLICT ({scope}, {key}, {bucket}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )


def window(now: float) -> tuple[int, float, Any]:
    """The current minute: its number, the seconds left in it, and its end for the database."""
    bucket = int(now) // WINDOW
    end = (bucket + 1) * WINDOW
    expires = datetime.datetime.fromtimestamp(end, tz=datetime.UTC)
    return bucket, end - now, connection.ops.adapt_datetimefield_value(expires)


def count_call(api_key_id: int, now: float) -> tuple[int, float]:
    """Count one call of the key in the current minute: (calls so far, seconds left in it)."""
    bucket, left, expires = window(now)
    params = [SCOPE, str(api_key_id), bucket, expires]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), params)
        (count,) = cursor.fetchone()
    return int(count), left


def rate_limit() -> int:
    return int(settings.DSAR_API_RATE_LIMIT)


class PerKeyRateThrottle(BaseThrottle):
    """DRF's hook: ``allow_request`` counts the call, ``wait`` says when to try again."""

    def __init__(self) -> None:
        self._wait: float | None = None
        self.limit = rate_limit()
        self.remaining: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        api_key = getattr(request.user, "api_key", None)
        if api_key is None or self.limit <= 0:
            return True
        # Counted already by the statement that authenticated the key (PostgreSQL), or now.
        counted = getattr(request._request, "dsar_api_calls", None)
        count, left = counted if counted is not None else count_call(api_key.pk, time.time())
        self.remaining = max(self.limit - count, 0)
        request.rate_limit = (self.limit, self.remaining, left)  # type: ignore[attr-defined]
        if count <= self.limit:
            return True
        self._wait = left
        return False

    def wait(self) -> float | None:
        return math.ceil(self._wait) if self._wait is not None else None
