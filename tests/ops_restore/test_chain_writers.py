"""The chain with committed rows (transactional tests): real concurrency, its migration, and
what only the database's owner can do to a trail.

- Writers of one request in several connections at once queue on the request's row lock: the
  chain stays one line, whatever the interleaving (PostgreSQL; SQLite has one writer at a time).
- Migration 0011 chains the events written before the chain existed exactly as the live writers
  chain them: the trail is migrated back to before the chain, then forward again.
- Rows rewritten or removed past the append-only trigger, as the owner can (the tests run as the
  runtime role where ``DATABASE_OWNER_URL`` is set, as in CI: then through the owner's
  connection), are found by ``verify_trail`` and shown by the evidence pack.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import render_to_string

from dsar.core.db_roles import as_owner
from dsar.letters.evidence import TEMPLATE, evidence_context
from dsar.organizations.models import Role
from dsar.requests import chain, events
from dsar.requests.models import EventKind, RequestEvent
from dsar.requests.services import request_note, requests_exported
from tests.letters.conftest import REQUESTER, Seeds, log_request, staff
from tests.ops_restore.test_chain import assert_chained, verify

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = connection.vendor == "postgresql"

WRITERS = 6
EACH = 5


@contextmanager
def as_database_owner() -> Iterator[Any]:
    """A cursor that writes events past the append-only trigger, as the database's owner can:
    through the owner's connection where the tests run as the runtime role, which may not (on
    SQLite, which has no trigger, any connection can)."""
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("ALTER TABLE requests_requestevent DISABLE TRIGGER USER")
        yield cursor
        if POSTGRES:
            cursor.execute("ALTER TABLE requests_requestevent ENABLE TRIGGER USER")


@pytest.mark.skipif(
    not POSTGRES,
    reason="needs PostgreSQL: SQLite has one writer at a time, so writers cannot race there",
)
def test_concurrent_writers_of_one_request_never_fork_its_chain() -> None:
    seeds = Seeds()
    request = log_request(seeds)
    other = log_request(seeds)
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for k in range(EACH):
                with transaction.atomic():
                    if k % 2:
                        events.record(
                            request, kind=EventKind.NOTE, summary=f"Writer {n}, {k}", actor=None
                        )
                    else:  # several requests in one insert, locked in the order of their ids
                        made = [
                            events.build(r, kind=EventKind.NOTE, summary=f"{n}/{k}", actor=None)
                            for r in (other, request)
                        ]
                        events.append(made)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert len(assert_chained(request)) == 1 + WRITERS * EACH
    assert len(assert_chained(other)) == 1 + WRITERS * ((EACH + 1) // 2)
    assert verify("--skip-files")[0] == 0


def test_the_migration_chains_existing_events_as_the_writers_do() -> None:
    seeds = Seeds()
    olivia = staff("olivia", seeds["img"], Role.PRIVACY_OFFICER)
    requests = [log_request(seeds) for _ in range(3)]
    for request in requests:
        request_note(request=request, actor=olivia, text="Called back.")
    requests_exported(requests=requests, actor=olivia, how="CSV")
    written = dict(RequestEvent.objects.values_list("id", "hash"))
    assert all(written.values()) and len(written) == 9

    graph = MigrationExecutor(connection).loader.graph
    (before,) = [
        parent.key[1]
        for parent in graph.node_map[("requests", "0010_event_hash_chain")].parents
        if parent.key[0] == "requests"
    ]
    # manage.py migrate (as the owner, where there is one): back to before the chain, and on.
    call_command("migrate", "requests", before, verbosity=0)
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "requests_requestevent")
    assert "hash" not in [column.name for column in table]
    call_command("migrate", verbosity=0)

    assert dict(RequestEvent.objects.values_list("id", "hash")) == written
    for request in requests:
        assert_chained(request)
    # ... and the chain goes on from there.
    made = events.record(requests[0], kind=EventKind.NOTE, summary="After.", actor=None)
    assert made.prev_hash == written[max(e.pk for e in requests[0].events.all() if e.pk != made.pk)]
    assert verify("--skip-files")[0] == 0
    assert chain.head_of(requests[0].pk).hash == made.hash


def test_verify_trail_reports_an_altered_and_a_removed_event() -> None:
    seeds = Seeds()
    olivia = staff("olivia", seeds["img"], Role.PRIVACY_OFFICER)
    altered, removed, fine = log_request(seeds), log_request(seeds), log_request(seeds)
    for request in (altered, removed, fine):
        request_note(request=request, actor=olivia, text="First call.")
        request_note(request=request, actor=olivia, text="Second call.")
    first_altered = altered.events.order_by("id")[1]
    middle_removed, after_removed = removed.events.order_by("id")[1:3]

    with as_database_owner() as cursor:
        cursor.execute(
            "UPDATE requests_requestevent SET summary = %s WHERE id = %s",
            ["Nothing happened.", first_altered.pk],
        )
        cursor.execute("DELETE FROM requests_requestevent WHERE id = %s", [middle_removed.pk])
    status, output = verify("--skip-files")

    assert status == 1
    lines = [line for line in output.splitlines() if line.startswith("IMG-")]
    assert lines == [
        f"{altered.reference} event {first_altered.pk}: altered: its hash does not match what "
        "it says",
        f"{removed.reference} event {after_removed.pk}: does not follow the event before it (an "
        "event before it is missing, was inserted or was altered)",
    ]
    assert "2 breaks" in output
    # No personal data: neither the requester nor what the events say.
    assert REQUESTER["requester_name"] not in output and "dana@" not in output
    assert "First call" not in output and "Nothing happened" not in output


def test_the_evidence_pack_says_when_the_chain_does_not_verify() -> None:
    request = log_request(Seeds())
    request_note(request=request, actor=None, text="Called back.")
    first = request.events.order_by("id").first()

    with as_database_owner() as cursor:
        cursor.execute("UPDATE requests_requestevent SET summary = 'x' WHERE id = %s", [first.pk])
    html = render_to_string(TEMPLATE, evidence_context(request))

    assert "does not verify" in html
    assert f"event {first.pk} altered: its hash does not match what it says" in html
