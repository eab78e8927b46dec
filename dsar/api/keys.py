"""Making, finding and revoking API keys (the writes of ``ApiKey``, style rule 3).

A key reads ``dsar_<prefix>_<secret>``: the prefix (10 characters of base 32) is public and finds
the row through a unique index; the secret is 256 bits from ``secrets``. Only the SHA-256 of the
whole key is stored. A plain hash, not a slow password hash: the key has 256 bits of entropy, so
nobody can guess it from its hash, and checking it costs microseconds on every call.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from dsar.api import throttling
from dsar.api.models import ApiKey, Scope
from dsar.intake.models import Throttle
from dsar.intake.selectors import form_policy_row_versions_sql
from dsar.organizations.models import Organization
from dsar.webhooks.models import receiving_ids_of_sql

PREFIX = "dsar_"
PREFIX_LENGTH = 10


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_prefix() -> str:
    return base64.b32encode(secrets.token_bytes(10)).decode().lower()[:PREFIX_LENGTH]


def split_key(key: str) -> str | None:
    """The public prefix of ``key``, or None when it is not shaped like a dsar key."""
    if not key.startswith(PREFIX):
        return None
    prefix, sep, secret = key[len(PREFIX) :].partition("_")
    if not sep or len(prefix) != PREFIX_LENGTH or len(secret) < 32:
        return None
    return prefix


# What a call needs of the key's organization; its other fields load if ever read.
ORGANIZATION_FIELDS = ("id", "slug", "name", "reference_prefix", "time_zone")


@functools.cache
def _find_sql() -> str:
    q = connection.ops.quote_name
    key_columns = ", ".join(f"k.{q(f.column)}" for f in ApiKey._meta.concrete_fields)
    org_columns = ", ".join(f"o.{q(name)} AS {q('o_' + name)}" for name in ORGANIZATION_FIELDS)
    keys_table, organizations = q(ApiKey._meta.db_table), q(Organization._meta.db_table)
    return (
        # Identifiers quoted by the backend, of our own tables; the prefix is a parameter.
        f"SELECT {key_columns}, {org_columns} FROM {keys_table} k "  # noqa: S608
        f"JOIN {organizations} o ON o.{q('id')} = k.{q('organization_id')} "
        f"WHERE k.{q('prefix')} = %s"
    )


def find(prefix: str) -> ApiKey | None:
    """The key with ``prefix`` and its organization, in one statement written once.

    Every API call starts here. Through the ORM (``select_related`` and its compiler, and the
    models' default orderings) the read cost a quarter of the CPU of a whole request creation
    (bench/api_throughput.py); a raw query gives the same rows, with the backend's converters
    (SQLite's dates), and the organization is built with ``from_db`` as the ORM builds it."""
    found = list(ApiKey.objects.raw(_find_sql(), [prefix]))
    if not found:
        return None
    api_key = found[0]
    _attach_organization(api_key)
    return api_key


@functools.cache
def _find_and_count_sql() -> str:
    q = connection.ops.quote_name
    key_columns = ", ".join(f"k.{q(f.column)}" for f in ApiKey._meta.concrete_fields)
    org_columns = ", ".join(f"o.{q(name)} AS {q('o_' + name)}" for name in ORGANIZATION_FIELDS)
    keys_table, organizations = q(ApiKey._meta.db_table), q(Organization._meta.db_table)
    counters = q(Throttle._meta.db_table)
    scope, key, bucket, count, expires = map(q, ("scope", "key", "bucket", "count", "expires_at"))
    # What a write will ask next, read here since this statement runs anyway: the check of
    # the organization's cached policy (``form_policy``) and its webhook subscriptions.
    ahead = (
        f"{form_policy_row_versions_sql('o')} AS {q('form_rows')}, "
        f"{receiving_ids_of_sql('o.' + q('id'))} AS {q('hooks')}"
    )
    return (
        # Identifiers quoted by the backend, of our own tables; every value is a parameter.
        f"WITH k AS (SELECT {key_columns}, {org_columns}, {ahead} FROM {keys_table} k "  # noqa: S608
        f"JOIN {organizations} o ON o.{q('id')} = k.{q('organization_id')} "
        f"WHERE k.{q('prefix')} = %s AND k.{q('key_hash')} = %s "
        f"AND k.{q('revoked_at')} IS NULL "
        f"AND (k.{q('expires_at')} IS NULL OR k.{q('expires_at')} > %s)), "
        f"hit AS (INSERT INTO {counters} ({scope}, {key}, {bucket}, {count}, {expires}) "
        f"SELECT %s, CAST(k.{q('id')} AS text), %s, 1, %s FROM k "
        f"ON CONFLICT ({scope}, {key}, {bucket}) DO UPDATE "
        f"SET {count} = {counters}.{count} + 1 RETURNING {count}) "
        f"SELECT k.*, (SELECT {count} FROM hit) AS {q('calls')} FROM k"
    )


@dataclass(frozen=True)
class ReadAhead:
    """What a write asks next, read with the key in the statement that runs anyway: the row
    versions ``form_policy`` checks its cache with (None: no policy in force), and the ids of
    the organization's receiving webhook subscriptions (``receiving_known``)."""

    form_rows: tuple[str, ...] | None
    hooks: list[int]


def authenticate(
    key: str, prefix: str, now: datetime.datetime, count_at: float | None
) -> tuple[ApiKey | None, tuple[int, float] | None, ReadAhead | None]:
    """The usable key ``key`` (neither revoked nor expired at ``now``) and, when ``count_at``
    is a time, this call counted in its minute: (calls so far, seconds left).

    On PostgreSQL the same statement reads what a write asks next (``ReadAhead``; None
    elsewhere), and its row is made into models with ``from_db`` as the ORM makes them: through
    ``raw()`` the building cost more CPU than the statement (bench/api_throughput.py).

    On PostgreSQL one statement does both, so that a call costs one round trip less: the key
    is found by its prefix and the SHA-256 of the whole key, and only a usable key's call is
    counted (a wrong secret under a known prefix never uses up the key's calls). Comparing the
    digest in SQL rather than with ``hmac.compare_digest`` leaks nothing a caller can use: the
    caller controls the key, not its digest. None: no such usable key (``find`` says why)."""
    if connection.vendor != "postgresql" or count_at is None:
        found = find(prefix)
        if found is None or not matches(found, key) or found.state(now) != "active":
            return None, None, None
        return found, (throttling.count_call(found.pk, count_at) if count_at else None), None
    bucket, left, expires = throttling.window(count_at)
    params = [prefix, hash_key(key), now, throttling.SCOPE, bucket, expires]
    with connection.cursor() as cursor:
        cursor.execute(_find_and_count_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None, None, None
    fields = _key_attnames()
    api_key = ApiKey.from_db(connection.alias, fields, row[: len(fields)])
    *organization, form_rows, hooks, calls = row[len(fields) :]
    api_key.organization = Organization.from_db(
        connection.alias, list(ORGANIZATION_FIELDS), organization
    )
    ahead = ReadAhead(tuple(form_rows) if form_rows else None, list(hooks or []))
    return api_key, (int(calls), left), ahead


@functools.cache
def _key_attnames() -> list[str]:
    return [f.attname for f in ApiKey._meta.concrete_fields]


def _attach_organization(api_key: ApiKey) -> None:
    values = [getattr(api_key, f"o_{name}") for name in ORGANIZATION_FIELDS]
    api_key.organization = Organization.from_db(connection.alias, list(ORGANIZATION_FIELDS), values)


def matches(api_key: ApiKey, key: str) -> bool:
    """Whether ``key`` is the key whose hash ``api_key`` stores (constant time)."""
    return hmac.compare_digest(api_key.key_hash, hash_key(key))


@transaction.atomic
def api_key_create(
    *,
    organization: Organization,
    name: str,
    scope: Scope | str = Scope.READ,
    expires_in_days: int | None = None,
    created_by: Any = None,
    now: datetime.datetime | None = None,
) -> tuple[ApiKey, str]:
    """Make a key for ``organization``; returns the row and the key, which is never shown again.

    ``expires_in_days``: None for a key that lasts until revoked."""
    now = now or timezone.now()
    name = name.strip()
    if not name:
        raise ValueError("An API key needs a name (what uses it).")
    scope = Scope(scope)
    if expires_in_days is not None and expires_in_days < 1:
        raise ValueError("An expiry is a positive number of days.")
    api_key = ApiKey(
        organization=organization,
        name=name,
        scope=scope,
        created_at=now,
        created_by=created_by,
        expires_at=now + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    key = new_secret(api_key)
    api_key.full_clean(exclude=["organization", "created_by", "revoked_by"])
    api_key.save(force_insert=True)
    return api_key, key


def new_secret(api_key: ApiKey) -> str:
    """Give the unsaved ``api_key`` a new prefix and the hash of a new key; returns the key,
    which exists nowhere else (the admin's add page shows it once, then forgets it)."""
    api_key.prefix = _new_prefix()
    key = f"{PREFIX}{api_key.prefix}_{secrets.token_urlsafe(32)}"
    api_key.key_hash = hash_key(key)
    return key


def api_key_revoke(
    *, api_key: ApiKey, by: Any = None, now: datetime.datetime | None = None
) -> bool:
    """Revoke the key from now on; False when it already was."""
    now = now or timezone.now()
    updated = ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    if updated:
        api_key.revoked_at, api_key.revoked_by = now, by
    return bool(updated)


# Seconds between two writes of ``last_used_at``: a busy key costs one UPDATE a minute, not one
# per call.
LAST_USED_EVERY = 60


def touch(api_key: ApiKey, now: datetime.datetime) -> None:
    """Record the key's use, at most once a minute (one conditional UPDATE, which two workers
    racing on the same minute both run harmlessly)."""
    last = api_key.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_EVERY:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
