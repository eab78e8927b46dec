"""The hash chain of every request's trail: computed on every write path, verified by
``verify_trail``, and printed by the evidence pack."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.template.loader import render_to_string

from dsar.letters.evidence import TEMPLATE, evidence_context
from dsar.letters.services import letter_issue
from dsar.requests import chain, events
from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent
from dsar.requests.services import (
    request_ask_requester,
    request_log_awaiting_confirmation,
    request_note,
    requests_exported,
)
from tests.letters.conftest import RECEIVED, REQUESTER

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def assert_chained(request: PrivacyRequest) -> list[RequestEvent]:
    """Every event of ``request`` follows the one before it and hashes what it says."""
    trail = list(RequestEvent.objects.filter(request=request).order_by("id"))
    prev = chain.GENESIS
    for event in trail:
        assert (event.prev_hash, event.hash) == (prev, chain.event_hash(event, prev))
        prev = event.hash
    return trail


def verify(*args: str) -> tuple[int, str]:
    """``verify_trail``'s exit status and output."""
    out = io.StringIO()
    try:
        call_command("verify_trail", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_every_write_path_chains_its_events(make_request: Any, img: Any, olivia: Any) -> None:
    # writes.write_new_request: one statement on PostgreSQL, statement by statement on SQLite.
    logged = make_request("img")
    waiting = request_log_awaiting_confirmation(
        organization=img,
        right_kind="access",
        channel_kind="web_form",
        received_at=RECEIVED,
        jurisdiction="FR",
        note="Follow the link.",
        **REQUESTER,
    )
    assert len(assert_chained(waiting)) == 2
    # events.record and events.append([one]), from services and the letters.
    request_note(request=logged, actor=olivia, text="Called the requester back.")
    request_ask_requester(
        request=logged, actor=olivia, waiting_for="clarification", note="Which account?"
    )
    letter_issue(request=logged, kind="acknowledgement", actor=olivia)
    # events.append, several requests in one insert.
    requests_exported(requests=[logged, waiting, logged], actor=olivia, how="CSV")

    trail = assert_chained(logged)
    assert [event.kind for event in trail][-2:] == [EventKind.EXPORTED, EventKind.EXPORTED]
    assert len(assert_chained(waiting)) == 3
    assert trail[0].prev_hash == chain.GENESIS and len({e.hash for e in trail}) == len(trail)
    # What the writers returned is what was stored.
    made = events.record(logged, kind=EventKind.NOTE, summary="One more.", actor=None)
    assert RequestEvent.objects.get(pk=made.pk).hash == made.hash == assert_chained(logged)[-1].hash


def test_an_event_saved_around_the_writer_is_refused(make_request: Any) -> None:
    from dsar.requests.models import AppendOnlyError

    event = events.build(make_request("img"), kind=EventKind.NOTE, summary="x", actor=None)

    with pytest.raises(AppendOnlyError, match=r"dsar\.requests\.events"):
        event.save(force_insert=True)


def test_the_hash_covers_the_request_and_every_field(make_request: Any) -> None:
    event = make_request("img").events.get()
    other = make_request("img")

    assert chain.event_hash(event, "") == event.hash
    event.request_id = other.pk
    assert chain.event_hash(event, "") != event.hash
    for field, value in [
        ("summary", "Something else"),
        ("actor_label", "mallory"),
        ("data", {"basis": "changed"}),
        ("to_status", "closed"),
    ]:
        changed = RequestEvent.objects.get(pk=event.pk)
        setattr(changed, field, value)
        assert chain.event_hash(changed, "") != event.hash, field


def test_a_canonical_body_does_not_depend_on_how_data_was_written() -> None:
    import datetime

    at = datetime.datetime(2026, 3, 3, 14, 0, 0, 123456, tzinfo=datetime.UTC)
    common = {"at": at, "actor_id": None, "actor_label": "system", "kind": "note"}
    a = chain.body(**common, from_status="", to_status="", summary="x", data={"b": 1.0, "a": (1,)})
    b = chain.body(**common, from_status="", to_status="", summary="x", data={"a": [1], "b": 1})
    assert a == b


def test_verify_trail_finds_nothing_on_an_intact_installation(
    make_request: Any, olivia: Any
) -> None:
    request = make_request("img")
    letter_issue(request=request, kind="acknowledgement", actor=olivia)

    status, output = verify()

    assert status == 0, output
    assert "0 breaks" in output and "1 files checked" in output


def test_an_event_written_without_a_hash_is_chained_once(make_request: Any) -> None:
    """What a release older than the chain writes during the upgrade: no hash. The next writer
    of the request chains it first; so does verify_trail --seal; the database allows that one
    change and no other."""
    request, idle = make_request("img"), make_request("img")
    with connection.cursor() as cursor:
        for target in (request, idle):
            cursor.execute(
                "INSERT INTO requests_requestevent (request_id, at, actor_label, kind, "
                "from_status, to_status, summary, data) VALUES (%s, %s, 'system', 'note', '', "
                "'', 'Written by the previous release.', '{}')",
                [target.pk, RECEIVED],
            )
    status, output = verify("--skip-files")
    assert status == 1 and output.count("not chained") == 2

    events.record(request, kind=EventKind.NOTE, summary="Written by this release.", actor=None)
    assert len(assert_chained(request)) == 3
    status, output = verify("--skip-files", "--seal")
    assert status == 0, output
    assert "sealed: 1 events" in output
    assert len(assert_chained(idle)) == 2

    if POSTGRES:  # a hash, once set, never changes; content never does
        chained = idle.events.order_by("id").last()
        for sql in (
            "UPDATE requests_requestevent SET hash = repeat('0', 64) WHERE id = %s",
            "UPDATE requests_requestevent SET hash = '', prev_hash = '' WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                connection.cursor().execute(sql, [chained.pk])


@pytest.mark.skipif(not POSTGRES, reason="the unique index is tested where writers race")
def test_a_fork_cannot_be_committed(make_request: Any) -> None:
    request = make_request("img")
    head = request.events.get()
    fork = events.build(request, kind=EventKind.NOTE, summary="A fork.", actor=None)
    chain.seal(fork, head.prev_hash)  # after the same event as the head: a second branch

    with pytest.raises(IntegrityError), transaction.atomic():
        RequestEvent.objects.bulk_create([fork])


def test_the_evidence_pack_prints_the_head_of_the_chain(make_request: Any, olivia: Any) -> None:
    request = make_request("img")
    letter_issue(request=request, kind="acknowledgement", actor=olivia)
    head = assert_chained(request)[-1]

    html = render_to_string(TEMPLATE, evidence_context(request))

    assert head.hash in html and f"ends at event {head.pk}" in html
    assert "verifies" in html and "does not verify" not in html
