"""Writing a new request: its reference number, its row, its events and the rows that refer to it.

A request is numbered PREFIX-YEAR-NNNNN per organization and year, from a counter row that is
locked while the number is taken and until the transaction commits (no gaps, no race: two intakes
at once queue on the lock, and a failed intake gives its number back with the rollback).

On PostgreSQL the whole write is **one statement**: a data-modifying ``WITH`` query takes the
number, inserts the request, its events and its dependents (an intake's web-form submission, say)
and returns their ids. Written statement by statement, a request from the public form costs four
round trips, each parsed and planned by the server, with the counter lock held across them: the
one statement took a quarter off the CPU each submission costs PostgreSQL and raised the form's
rate by a quarter (``bench/intake_throughput.py``). Other databases (SQLite, the embedded
default) get the same rows statement by statement through the ORM.

The statement is built from the models' fields, not from a hand-kept list of columns, and its
values pass through each field's ``get_db_prep_save``, so it writes what ``Model.save()`` would.
Nothing here runs ``save()`` overrides or signals (none of these models has one that an insert
would need; ``RequestEvent.save`` refuses updates, and events its writers did not chain).

The events are chained (``dsar.requests.chain``) as they are written: the chain of a new request
starts with them, so no lock is needed. In the one statement the request's id is made by the
statement itself, so the hashes are computed there too, one step per event, from the canonical
bodies Python computed (the same formula as ``chain.link``); the statement returns the last hash,
which must equal Python's.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from django.db import connection, models
from django.db.backends.utils import CursorWrapper
from django.db.models.fields import AutoFieldMixin

from dsar.organizations.models import Organization
from dsar.requests import chain
from dsar.requests import events as trail
from dsar.requests.models import PrivacyRequest, ReferenceCounter, RequestEvent

# The shortest number a reference shows (IMG-2026-00042); longer ones are written in full.
DIGITS = 5
# An event's links, which the one statement computes (and its other fields do not include).
CHAIN_FIELDS = ("request", "prev_hash", "hash")
CHAIN_COLUMNS = ("prev_hash", "hash")


def write_new_request(
    request: PrivacyRequest,
    events: Sequence[RequestEvent],
    dependents: Sequence[models.Model] = (),
) -> None:
    """Number ``request`` and insert it, then its ``events`` in order, then ``dependents``: new
    rows with a foreign key to the request (set here). Sets the reference and every primary key.

    Call it inside the transaction that should hold the reference counter's lock, last: the lock
    is held from here until commit.
    """
    if connection.vendor == "postgresql":
        _write_in_one_statement(request, events, dependents)
    else:
        request.reference = _next_reference(request.organization, request.received_on.year)
        request.save(force_insert=True)
        head = chain.GENESIS  # a new request: its chain starts here, and no one else sees it
        for event in events:
            event.request = request
            head = chain.seal(event, head)
        RequestEvent.objects.bulk_create(events)
        for row in dependents:
            setattr(row, _link_to_request(type(row)).name, request)
            row.save(force_insert=True)
    trail.written(events)


def _next_reference(organization: Organization, year: int) -> str:
    """Take the next number of ``organization``'s ``year`` (locks the counter until commit).

    One statement counts and locks (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, PostgreSQL
    and SQLite ≥ 3.35).
    """
    with connection.cursor() as cursor:
        cursor.execute(_counter_sql(), [organization.pk, year])
        (last,) = cursor.fetchone()
    return f"{_reference_prefix(organization, year)}{last:0{DIGITS}d}"


def _reference_prefix(organization: Organization, year: int) -> str:
    return f"{organization.reference_prefix}-{year}-"


# -- SQL -------------------------------------------------------------------------------------------


@functools.cache
def _counter_sql() -> str:
    q = connection.ops.quote_name
    table = q(ReferenceCounter._meta.db_table)
    organization, year, last = q("organization_id"), q("year"), q("last")
    return (
        # Identifiers quoted by the backend, of our own table; every value is a parameter.
        f"INSERT INTO {table} ({organization}, {year}, {last}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({organization}, {year}) DO UPDATE SET {last} = {table}.{last} + 1 "
        f"RETURNING {last}"
    )


@functools.cache
def _columns(model: type[models.Model], *skip: str) -> list[models.Field[Any, Any]]:
    """The fields an insert writes: all but the generated primary key and ``skip``."""
    pk = model._meta.pk
    if not isinstance(pk, AutoFieldMixin):
        raise TypeError(f"{model.__name__}'s primary key is not generated by the database")
    fields = [f for f in model._meta.concrete_fields if f is not pk and f.name not in skip]
    # Values the database makes would need DEFAULT in the statement, which it does not write. A
    # field with a Python default too (a db_default kept for the previous release during a
    # deploy) gets its value from the instance, as ``save()`` would write it.
    made = [f.name for f in fields if f.generated or (f.has_db_default() and not f.has_default())]
    if made:
        raise TypeError(f"{model.__name__}: teach writes.py database-made fields: {made}")
    return fields


@functools.cache
def _link_to_request(model: type[models.Model]) -> models.ForeignKey[Any, Any]:
    """The one foreign key (or one-to-one) of a dependent row that points at its request."""
    (link,) = (
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is PrivacyRequest
    )
    return link


def _values(row: models.Model, fields: list[models.Field[Any, Any]]) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]


def _row(count: int, first: str = "", last: str = "") -> str:
    """``(first, %s, %s, …, last)``: ``count`` parameters between optional SQL expressions."""
    return (
        "("
        + ", ".join([*([first] if first else []), *["%s"] * count, *([last] if last else [])])
        + ")"
    )


@functools.cache
def _statement(events: int, dependents: tuple[type[models.Model], ...]) -> str:
    """The WITH query for a request with ``events`` events and these dependents, made once.

    Each step hands the next what it needs through RETURNING (the steps of a WITH query run on one
    snapshot and cannot see each other's rows otherwise); the foreign keys, deferred, are checked
    at commit. Values are parameters, typed by the columns they go to as in a plain INSERT. The
    parameters, in order: the counter's organization and year, the request's fields but its
    reference, the reference's prefix, each event's chain body, each event's fields but its
    request and links, each dependent's fields but its request.
    """
    q = connection.ops.quote_name

    def insert(step: str, model: type[models.Model], columns: list[str], rows: list[str]) -> str:
        table, names = q(model._meta.db_table), ", ".join(q(c) for c in columns)
        returning = "id, reference" if model is PrivacyRequest else "id"
        # Identifiers quoted by the backend, of our own tables; every value is a parameter.
        sql = f"INSERT INTO {table} ({names}) VALUES {', '.join(rows)} RETURNING {returning}"  # noqa: S608
        return f"{step} AS ({sql})"

    digits = f"greatest({DIGITS}, length(last::text))"
    number = f"(SELECT %s || lpad(last::text, {digits}, '0') FROM counter)"  # noqa: S608
    fields = [f.column for f in _columns(PrivacyRequest, "reference")]
    steps = [
        f"counter AS ({_counter_sql()})",
        insert(
            "new_request", PrivacyRequest, [*fields, "reference"], [_row(len(fields), last=number)]
        ),
    ]
    selected = ["new_request.id", "new_request.reference"]
    request_id = "(SELECT id FROM new_request)"
    if events:
        # The chain: step h<n> hashes event n's body (a parameter) after step h<n-1>'s hash.
        hashes = [f"(SELECT hash FROM h{n})" for n in range(1, events + 1)]  # noqa: S608
        previous = [f"'{chain.GENESIS}'", *hashes[:-1]]
        for n, prev in enumerate(previous, start=1):
            message = f"{prev} || E'\\n' || {request_id}::text || E'\\n' || %s::text"
            steps.append(
                f"h{n} AS (SELECT encode(sha256(convert_to({message}, 'UTF8')), 'hex') AS hash)"
            )
        fields = [f.column for f in _columns(RequestEvent, *CHAIN_FIELDS)]
        link = RequestEvent._meta.get_field("request").column
        rows = [
            "(" + ", ".join([request_id, *["%s"] * len(fields), prev, made]) + ")"
            for prev, made in zip(previous, hashes, strict=True)
        ]
        steps.append(insert("new_events", RequestEvent, [link, *fields, *CHAIN_COLUMNS], rows))
        selected.append("(SELECT array_agg(id ORDER BY id) FROM new_events)")
        selected.append(hashes[-1])
    for n, model in enumerate(dependents):
        fields = [f.column for f in _columns(model, _link_to_request(model).name)]
        row = _row(len(fields), first=request_id)
        steps.append(
            insert(f"dependent_{n}", model, [_link_to_request(model).column, *fields], [row])
        )
        selected.append(f"(SELECT id FROM dependent_{n})")  # noqa: S608 - our own step name
    return f"WITH {', '.join(steps)} SELECT {', '.join(selected)} FROM new_request"  # noqa: S608


def _write_in_one_statement(
    request: PrivacyRequest, events: Sequence[RequestEvent], dependents: Sequence[models.Model]
) -> None:
    params = _values(request, _columns(PrivacyRequest, "reference"))
    params.append(_reference_prefix(request.organization, request.received_on.year))
    bodies = [chain.event_body(event) for event in events]
    params += bodies
    for event in events:
        params += _values(event, _columns(RequestEvent, *CHAIN_FIELDS))
    for row in dependents:
        params += _values(row, _columns(type(row), _link_to_request(type(row)).name))
    sql = _statement(len(events), tuple(type(row) for row in dependents))
    with _cursor_for(sql) as (cursor, statement):
        cursor.execute(statement, [request.organization_id, request.received_on.year, *params])
        request_id, reference, *ids = cursor.fetchone()
    request.pk, request.reference = request_id, reference
    _saved(request)
    if events:
        head = chain.GENESIS
        for event, pk, text in zip(events, ids.pop(0), bodies, strict=True):
            event.pk, event.request = pk, request
            event.prev_hash, head = head, chain.link(head, request_id, text)
            event.hash = head
            _saved(event)
        if ids.pop(0) != head:  # pragma: no cover - the SQL and chain.link disagree
            raise RuntimeError("the trail's hash computed in SQL differs from chain.link's")
    for row, pk in zip(dependents, ids, strict=True):
        row.pk = pk
        setattr(row, _link_to_request(type(row)).name, request)
        _saved(row)


@contextlib.contextmanager
def _cursor_for(sql: str) -> Iterator[tuple[Any, str]]:
    """A cursor for the one statement, and the statement as that cursor wants it.

    psycopg turns a query's ``%s`` into PostgreSQL's ``$1, $2…`` on every execution, and keeps
    the result only for a query of at most 50 parameters and 4 KB; the one statement has more of
    both, so it was converted again on each request: a twelfth of the CPU an API creation cost
    in the application (bench/api_throughput.py). A psycopg ``RawCursor`` takes the statement
    already numbered (converted once per process, ``_numbered``), and is wrapped by Django as
    its own cursors are: the same errors (``IntegrityError``…) and execute wrappers.

    When Django logs the queries (``DEBUG``, or a test counting them) it writes each one out
    with its values, which it does for ``%s`` only: the statement then goes as written."""
    with connection.cursor() as cursor:
        if connection.queries_logged:
            yield cursor, sql
            return
        with psycopg.RawCursor(cursor.connection) as raw:
            yield CursorWrapper(raw, connection), _numbered(sql)


@functools.cache
def _numbered(sql: str) -> str:
    """``sql`` with PostgreSQL's numbered placeholders: the n-th ``%s`` becomes ``$n``. The
    statements built here hold no other ``%``."""
    number = itertools.count(1)
    return re.sub("%s", lambda _match: f"${next(number)}", sql)


def _saved(row: models.Model) -> None:
    row._state.adding = False
    row._state.db = connection.alias
