"""Rate limits of the public form, counted in the database so that every worker shares them.

A limit is a number of hits per fixed window, per scope ("submit_ip", "submit_email", …). The key
is an HMAC of the email address or of the client's network (the /64 of an IPv6 address), so the
counters hold no personal data. One statement counts and reads a hit (``INSERT … ON CONFLICT DO
UPDATE … RETURNING``, PostgreSQL and SQLite ≥ 3.35), so concurrent workers never lose a hit.

Settings: ``DSAR_INTAKE_RATE_LIMITS_ENABLED`` (True; the benchmark turns it off),
``DSAR_INTAKE_RATE_LIMITS`` (overrides of ``DEFAULT_LIMITS``), and
``DSAR_INTAKE_CLIENT_IP_HEADER`` (None: REMOTE_ADDR; behind a proxy the header it sets with the
client's address, e.g. "HTTP_X_REAL_IP").
"""

from __future__ import annotations

import datetime
import functools
import ipaddress

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dsar.intake.models import Throttle

# scope: (hits allowed, window in seconds)
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "submit_ip": (10, 60 * 60),
    "submit_email": (5, 24 * 60 * 60),
    "resend_ip": (10, 60 * 60),
    "resend_email": (3, 60 * 60),
}


def enabled() -> bool:
    return bool(getattr(settings, "DSAR_INTAKE_RATE_LIMITS_ENABLED", True))


def limit_for(scope: str) -> tuple[int, int]:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "DSAR_INTAKE_RATE_LIMITS", {})}
    return limits[scope]


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "DSAR_INTAKE_CLIENT_IP_HEADER", None)
    value = request.META.get(header, "") if header else ""
    # A proxy that appends to X-Forwarded-For puts the address it saw last.
    value = value.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")
    return value


def network_key(address: str) -> str:
    """The client's network: the address for IPv4, its /64 for IPv6 (one subscriber's block)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _key(value: str) -> str:
    return salted_hmac("dsar.intake.throttle", value.casefold()).hexdigest()


@functools.cache
def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table, scope, key, bucket, count, expires = (
        q(Throttle._meta.db_table),
        q("scope"),
        q("key"),
        q("bucket"),
        q("count"),
        q("expires_at"),
    )
    return (
        # Identifiers quoted by the backend, of our own table; every value is a parameter.
        f"INSERT INTO {table} ({scope}, {key}, {bucket}, {count}, {expires}) "  # noqa: S608
        f"VALUES (%s, %s, %s, 1, %s) "
        f"ON CONFLICT ({scope}, {key}, {bucket}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )


def hit(scope: str, value: str, *, now: datetime.datetime | None = None) -> bool:
    """Count one hit of ``value`` in ``scope``; False when it is beyond the limit."""
    if not enabled():
        return True
    allowed, seconds = limit_for(scope)
    now = now or timezone.now()
    bucket = int(now.timestamp()) // seconds
    expires = datetime.datetime.fromtimestamp((bucket + 1) * seconds, tz=datetime.UTC)
    params = [scope, _key(value), bucket, connection.ops.adapt_datetimefield_value(expires)]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), params)
        (count,) = cursor.fetchone()
    return count <= allowed


def prune(now: datetime.datetime) -> int:
    """Delete the counters of windows that are over; returns how many."""
    deleted, _ = Throttle.objects.filter(expires_at__lte=now).delete()
    return deleted
