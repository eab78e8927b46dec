"""The audit trail: one event per action, with actor and time, which nothing can rewrite.

The model refuses updates and deletes everywhere; on PostgreSQL a trigger (migration 0002)
refuses them in the database too, even from raw SQL.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from dsar.requests import services
from dsar.requests.models import AppendOnlyError, EventKind, PrivacyRequest, RequestEvent, Status

from .conftest import NOW, UTC

pytestmark = pytest.mark.django_db

D = dt.date
POSTGRES = connection.vendor == "postgresql"
NEEDS_POSTGRES = "the append-only trigger and row locks are PostgreSQL's; SQLite has neither"
# The trigger's refusal; or, connected as the runtime role of docs/security.md (which is not the
# table's owner), the database's before it: that role has no UPDATE or DELETE on the trail.
REFUSED = "append-only|permission denied for table requests_requestevent"


def test_every_service_writes_exactly_one_event_with_actor_and_time(
    log, img, alice, olivia, time_machine
):
    """Walk a request through every service; each call adds one event, stamped with who and when."""
    request = log(img, jurisdiction="FR", actor_label="intake")
    steps = [
        ("assign", lambda r: services.request_assign(request=r, actor=olivia, assignee=alice)),
        ("start", lambda r: services.request_start(request=r, actor=alice)),
        ("ask", lambda r: services.request_ask_requester(
            request=r, actor=alice, waiting_for="identity", note="ID please.")),
        ("answer", lambda r: services.request_requester_answered(request=r, actor=alice)),
        ("acknowledge", lambda r: services.request_acknowledge(request=r, actor=alice)),
        ("target", lambda r: services.request_set_target(
            request=r, actor=olivia, target=D(2026, 4, 1))),
        ("extend", lambda r: services.request_extend(request=r, actor=olivia, reason="Volume.")),
        ("note", lambda r: services.request_note(request=r, actor=alice, text="Data found.")),
        ("fee", lambda r: services.request_ask_requester(
            request=r, actor=alice, waiting_for="fee", note="Copies.", fee_amount=Decimal(10))),
        ("paid", lambda r: services.request_requester_answered(request=r, actor=alice)),
        ("fulfil", lambda r: services.request_fulfil(
            request=r, actor=olivia, partial=True, reason="Backups excluded.")),
    ]  # fmt: skip
    first = request.events.get()
    assert (first.kind, first.actor, first.actor_label, first.at) == (
        EventKind.RECEIVED, None, "intake", NOW
    )  # fmt: skip
    for day, (name, step) in enumerate(steps, start=3):
        when = dt.datetime(2026, 3, day, 15, 30, tzinfo=UTC)
        time_machine.move_to(when, tick=False)
        count = RequestEvent.objects.count()
        actor = olivia if name in {"assign", "target", "extend", "fulfil"} else alice
        request = step(request)
        assert RequestEvent.objects.count() == count + 1, name
        event = RequestEvent.objects.latest("id")
        assert (event.request, event.actor, event.actor_label, event.at) == (
            request, actor, actor.username, when
        ), name  # fmt: skip
    assert request.status == Status.PARTIALLY_FULFILLED
    assert request.events.count() == len(steps) + 1


def test_a_refused_action_writes_no_event(log, img, alice):
    request = log(img)
    with pytest.raises(services.TransitionError):
        services.request_fulfil(request=request, actor=alice)
    with pytest.raises(services.TransitionError):
        services.request_extend(request=request, actor=alice, reason="")
    assert request.events.count() == 1


def test_it_refuses_to_change_a_saved_event(log, img):
    event = log(img).events.get()
    event.summary = "Nothing happened"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.summary.startswith("Received by email")


def test_it_refuses_to_delete_an_event(log, img):
    event = log(img).events.get()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert RequestEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_bulk_updates_and_deletes_of_events(log, img):
    request = log(img)
    with pytest.raises(AppendOnlyError):
        RequestEvent.objects.filter(request=request).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        RequestEvent.objects.all().delete()
    assert request.events.get().summary.startswith("Received")


def test_a_request_with_a_trail_cannot_be_deleted(log, img):
    request = log(img)
    with pytest.raises(ProtectedError):
        request.delete()
    assert PrivacyRequest.objects.filter(pk=request.pk).exists()


@pytest.mark.skipif(not POSTGRES, reason=NEEDS_POSTGRES)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE requests_requestevent SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM requests_requestevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_raw_sql_that_rewrites_an_event(log, img, sql):
    event = log(img).events.get()
    with (
        pytest.raises(DatabaseError, match=REFUSED),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.summary.startswith("Received")


@pytest.mark.skipif(not POSTGRES, reason=NEEDS_POSTGRES)
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_get_distinct_consecutive_references(seeds):
    """Four intakes at once, in four connections: the counter's row lock queues them."""
    img = seeds["img"]
    barrier = threading.Barrier(4)
    references: list[str] = []
    errors: list[BaseException] = []

    def intake(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            request = services.request_log(
                organization=img,
                right_kind="access",
                channel_kind="email",
                received_at=NOW,
                requester_name=f"Requester {n}",
                requester_email=f"r{n}@example.org",
            )
            references.append(request.reference)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(references) == [f"IMG-2026-{n:05d}" for n in range(1, 5)]
