"""A purge blanks the reasons the requester was told, in the request and on its trail, and the
trail still verifies; any other change of an event is still refused or found (issue 18)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from dsar.reminders.services import PURGED_REASON, request_purge
from dsar.requests import chain
from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent
from dsar.requests.services import request_deny, request_extend

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
EXTENSION = "Your loyalty-card history at the Elm Street shop needs another month"
REFUSAL = "Your request repeats the one you made about your Elm Street loyalty card"


def verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_trail", "--skip-files", stdout=out)
    except SystemExit as exit_:  # pragma: no cover - the command raises CommandError
        return int(exit_.code or 0), out.getvalue()
    except Exception as error:
        return getattr(error, "returncode", 1), out.getvalue() + str(error)
    return 0, out.getvalue()


def rows_with(text: str) -> int:
    """Rows of the request and event tables holding ``text``, read as the database stores them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM requests_requestevent WHERE summary LIKE %s "
            "OR CAST(data AS TEXT) LIKE %s",
            [f"%{text}%", f"%{text}%"],
        )
        events = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM requests_privacyrequest WHERE outcome_reason LIKE %s",
            [f"%{text}%"],
        )
        return events + cursor.fetchone()[0]


@pytest.fixture
def purged(make_request: Any, olivia: Any) -> PrivacyRequest:
    request = make_request("img")
    request = request_extend(request=request, actor=olivia, reason=EXTENSION)
    request = request_deny(request=request, actor=olivia, reason=REFUSAL)
    assert rows_with("Elm Street") >= 3  # the request, and the events quoting both reasons
    return request_purge(request=request)


def test_a_purge_blanks_the_reasons_everywhere(purged: PrivacyRequest) -> None:
    assert rows_with("Elm Street") == 0
    purged.refresh_from_db()
    assert purged.outcome_reason == PURGED_REASON
    # The record keeps what happened: the kinds and statuses of the events are all there.
    kinds = list(purged.events.order_by("id").values_list("kind", flat=True))
    assert EventKind.EXTENDED in kinds and kinds[-1] == EventKind.PURGED
    assert purged.events.filter(to_status="denied").exists()


def test_the_trail_still_verifies(purged: PrivacyRequest) -> None:
    status, output = verify()

    assert status == 0, output
    assert "0 breaks" in output
    assert chain.head_of(purged.pk).intact
    vouched = purged.events.get(kind=EventKind.PURGED).data[chain.VOUCH_KEY]
    assert len(vouched) == 2


def test_purging_again_changes_nothing(purged: PrivacyRequest) -> None:
    count = purged.events.count()

    request_purge(request=purged)

    assert purged.events.count() == count


def _blanked_event(purged: PrivacyRequest) -> RequestEvent:
    return purged.events.get(to_status="denied")


@pytest.mark.skipif(not POSTGRES, reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE requests_requestevent SET kind = 'note' WHERE id = %s",
        "UPDATE requests_requestevent SET actor_label = 'someone' WHERE id = %s",
        "UPDATE requests_requestevent SET summary = 'Fulfilled' WHERE id = %s",
        'UPDATE requests_requestevent SET data = data || \'{"reason": "x"}\' WHERE id = %s',
        'UPDATE requests_requestevent SET data = \'{"reason": ""}\' WHERE id = %s',
        "DELETE FROM requests_requestevent WHERE id = %s",
    ],
)
def test_the_database_refuses_any_other_change(purged: PrivacyRequest, sql: str) -> None:
    # The trigger refuses it; as the runtime role, its rights refuse most of it first.
    with (
        pytest.raises(DatabaseError, match=r"append-only|permission denied") as caught,
        transaction.atomic(),
    ):
        connection.cursor().execute(sql, [_blanked_event(purged).pk])
    assert caught.value.__cause__.sqlstate == "42501"


@pytest.mark.skipif(not POSTGRES, reason="the trigger is PostgreSQL's")
def test_the_database_refuses_blanking_an_event_that_quotes_no_reason(
    make_request: Any, olivia: Any
) -> None:
    request = make_request("img")
    event = request.events.order_by("id").first()
    assert "reason" not in event.data
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(
            "UPDATE requests_requestevent SET summary = '' WHERE id = %s", [event.pk]
        )


@pytest.fixture
def without_trigger() -> None:
    """What only the owner role could do (the runtime role cannot alter the table): rewrite an
    event past the trigger. verify_trail must still find it."""
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                "WHERE relname = 'requests_requestevent'"
            )
            if not cursor.fetchone()[0]:
                pytest.skip("run as the runtime role, which cannot get past the trigger")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks on the table
            cursor.execute(
                "ALTER TABLE requests_requestevent DISABLE TRIGGER requests_event_append_only"
            )


@pytest.mark.parametrize(
    "change",
    [
        {"kind": EventKind.NOTE},
        {"actor_label": "someone"},
        {"to_status": "fulfilled"},
        {"summary": "Fulfilled"},
    ],
)
def test_any_other_change_of_a_blanked_event_is_found(
    purged: PrivacyRequest, without_trigger: None, change: dict[str, Any]
) -> None:
    RequestEvent._base_manager.filter(pk=_blanked_event(purged).pk).update(**change)

    status, output = verify()

    assert status == 1
    assert "altered" in output


def test_a_forged_vouch_is_found(purged: PrivacyRequest, without_trigger: None) -> None:
    event = purged.events.get(kind=EventKind.PURGED)
    data = {**event.data, chain.VOUCH_KEY: []}
    RequestEvent._base_manager.filter(pk=event.pk).update(data=data)

    status, output = verify()

    assert status == 1
    assert output.count("altered") >= 2  # the purge event, and what it no longer vouches for
