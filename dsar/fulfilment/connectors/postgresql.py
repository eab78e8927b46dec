"""The PostgreSQL connector: a system's own database, reached with the statements the register
gives, for one person at a time.

What it promises (docs/security.md, "Connectors"):

- The database URL is read from the environment variable the register names, when the statement
  runs; it is never stored, logged or shown.
- The person's identity values are bound as parameters (psycopg sends them apart from the SQL),
  never formatted into the statement: a name like ``x'); DROP TABLE customers; --`` is a string
  the database compares, not SQL it runs.
- Each statement runs in a transaction of its own, with ``statement_timeout`` set for that
  transaction only (``set_config(..., true)``, PostgreSQL's ``SET LOCAL``). An access query runs
  in a READ ONLY transaction: even a mistaken query cannot change the customer's data.
- An erasure's count is the erasure itself, run and rolled back: the number staff confirm is the
  number of rows the statement touched, not the estimate of a second, hand-written query.
- Errors are reported by their kind (timeout, connection refused, SQL error), never with the
  values or rows, which may be personal data.
"""

from __future__ import annotations

import datetime
import decimal
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

from dsar.fulfilment.models import System, statement_parameters

#: The most rows an access query may return; more means the query does not find one person.
MAX_ROWS = 10_000
#: How long to wait for the customer's server to answer at all.
CONNECT_TIMEOUT = 10


class ConnectorError(Exception):
    """A run that could not be done, in words without personal data."""


@dataclass(frozen=True)
class AccessResult:
    rows: list[dict[str, Any]]


def _dsn(system: System) -> str:
    if not system.dsn_env:
        raise ConnectorError("the system names no environment variable for its database URL")
    dsn = os.environ.get(system.dsn_env, "")
    if not dsn:
        raise ConnectorError(f"the environment variable {system.dsn_env} is not set")
    return dsn


def _parameters(sql: str, identity: Mapping[str, str]) -> dict[str, str]:
    """The identity values the statement names; refuses a statement that names a value the
    request lacks (an empty email would match the rows of everyone without one)."""
    wanted = statement_parameters(sql)
    missing = sorted(name for name in wanted if not identity.get(name))
    if missing:
        raise ConnectorError(f"the request has no {', '.join(missing)} to look for")
    return {name: identity[name] for name in wanted}


def _json_safe(value: Any) -> Any:
    """A value of a row as JSON can hold it: dates as ISO text, decimals and UUIDs as text."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _connect(system: System) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(_dsn(system), connect_timeout=CONNECT_TIMEOUT, autocommit=True)
    except psycopg.OperationalError as error:
        raise ConnectorError("could not connect to the system's database") from error


def _begin(cursor: psycopg.Cursor[Any], system: System, *, read_only: bool) -> None:
    if read_only:
        cursor.execute("SET TRANSACTION READ ONLY")
    # set_config(..., is_local => true) is SET LOCAL: it ends with this transaction.
    cursor.execute(
        "SELECT set_config('statement_timeout', %s, true)",
        [f"{int(system.timeout_seconds) * 1000}ms"],
    )


def _failure(error: psycopg.Error) -> ConnectorError:
    if isinstance(error, psycopg.errors.QueryCanceled):
        return ConnectorError("the statement ran past its timeout and was cancelled")
    if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
        return ConnectorError("the access query tried to change data; it runs read-only")
    # The SQLSTATE names the kind of error; the message may quote values, so it stays out.
    return ConnectorError(f"the database refused the statement (SQLSTATE {error.sqlstate})")


def run_access(system: System, identity: Mapping[str, str]) -> AccessResult:
    """The person's rows, found by the system's access query in a read-only transaction."""
    if not system.access_query.strip():
        raise ConnectorError("the system has no access query")
    params = _parameters(system.access_query, identity)
    with _connect(system) as connection:
        try:
            with connection.transaction(), connection.cursor(row_factory=dict_row) as cursor:
                _begin(cursor, system, read_only=True)
                cursor.execute(system.access_query, params)
                if cursor.description is None:
                    raise ConnectorError("the access query returns no rows: use a SELECT")
                rows = cursor.fetchmany(MAX_ROWS + 1)
        except psycopg.Error as error:
            raise _failure(error) from error
    if len(rows) > MAX_ROWS:
        raise ConnectorError(f"the access query found more than {MAX_ROWS} rows for one person")
    return AccessResult(rows=[{str(k): _json_safe(v) for k, v in row.items()} for row in rows])


class _RollBack(Exception):
    """Raised inside a transaction to undo it (the dry run of an erasure)."""


def run_erasure(system: System, identity: Mapping[str, str], *, dry_run: bool) -> int:
    """Run the erasure statement and return how many rows it touched; ``dry_run`` rolls it
    back, so the count is exact and nothing changes."""
    if not system.erasure_statement.strip():
        raise ConnectorError("the system has no erasure statement")
    params = _parameters(system.erasure_statement, identity)
    touched = 0
    with _connect(system) as connection:
        try:
            with connection.transaction(), connection.cursor() as cursor:
                _begin(cursor, system, read_only=False)
                cursor.execute(system.erasure_statement, params)
                touched = max(cursor.rowcount, 0)
                if dry_run:
                    raise _RollBack
        except _RollBack:
            pass
        except psycopg.Error as error:
            raise _failure(error) from error
    return touched
