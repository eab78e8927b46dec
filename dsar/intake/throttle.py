"""Rate limits of the public form, counted in the database so that every worker shares them.

A limit is a number of hits per fixed window, per scope ("submit_ip", "submit_email", …). The key
is an HMAC of the email address or of the client's network (the /64 of an IPv6 address), so the
counters hold no personal data. One statement counts and reads a hit (``INSERT … ON CONFLICT DO
UPDATE … RETURNING``, PostgreSQL and SQLite ≥ 3.35), so concurrent workers never lose a hit.

Settings: ``DSAR_INTAKE_RATE_LIMITS_ENABLED`` (True; the benchmark turns it off),
``DSAR_INTAKE_RATE_LIMITS`` (overrides of ``DEFAULT_LIMITS``), ``DSAR_TRUSTED_PROXIES`` and
``DSAR_INTAKE_CLIENT_IP_HEADER`` (``client_ip``: whose address a request comes from).
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
from typing import Any

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
    return bool(settings.DSAR_INTAKE_RATE_LIMITS_ENABLED)


def limit_for(scope: str) -> tuple[int, int]:
    limits = {**DEFAULT_LIMITS, **settings.DSAR_INTAKE_RATE_LIMITS}
    return limits[scope]


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a header's item: "192.0.2.1", "192.0.2.1:443", "[2001:db8::1]:443";
    an IPv4 address mapped into IPv6 as the IPv4 address. None for anything else."""
    value = value.strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":")[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


@functools.cache
def _networks(values: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for the rate limits.

    REMOTE_ADDR, unless it is a proxy trusted by ``DSAR_TRUSTED_PROXIES``; a header a client can
    write is read only from such a proxy:

    - a number N of proxies in front: the address N hops from the right of X-Forwarded-For
      (each proxy appends the address it saw; anything the client put there is on the left);
    - networks: when REMOTE_ADDR is in one of them, X-Forwarded-For is walked from the right
      past the addresses in those networks, and the first address outside them is the client.

    ``DSAR_INTAKE_CLIENT_IP_HEADER`` names another header, one that the proxy next to dsar sets
    to the one address it saw (X-Real-IP): it is then read instead, from a trusted proxy only.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.DSAR_TRUSTED_PROXIES or None
    if isinstance(trusted, str):  # as written in the environment, when set by hand
        trusted = int(trusted) if trusted.strip().isdigit() else trusted.split(",")
    if trusted is None:
        return remote
    count = trusted if isinstance(trusted, int) else None
    networks = () if isinstance(trusted, int) else _networks(tuple(trusted))
    remote_ip = _address(remote)
    if networks and not (remote_ip and any(remote_ip in net for net in networks)):
        return remote  # a direct connection: whatever its headers say is the client's own word
    header = settings.DSAR_INTAKE_CLIENT_IP_HEADER or "HTTP_X_FORWARDED_FOR"
    hops = [item for item in request.META.get(header, "").split(",") if item.strip()]
    if header != "HTTP_X_FORWARDED_FOR":
        hops, count = hops[-1:], 1  # one address, set by the proxy next to dsar
    if count is not None:
        if len(hops) < count:
            return remote  # fewer hops than proxies: not the route configured
        found = _address(hops[-count])
        return str(found) if found else remote
    client = remote_ip
    for item in reversed(hops):
        ip = _address(item)
        if ip is None:
            break  # not an address: the proxy that wrote it is the last one known
        client = ip
        if not any(ip in net for net in networks):
            break
    return str(client)


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
    params: list[Any] = [
        scope,
        _key(value),
        bucket,
        connection.ops.adapt_datetimefield_value(expires),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), params)
        (count,) = cursor.fetchone()
    return count <= allowed


def prune(now: datetime.datetime) -> int:
    """Delete the counters of windows that are over; returns how many."""
    deleted, _ = Throttle.objects.filter(expires_at__lte=now).delete()
    return deleted
