"""Housekeeping: personal data purged after retention, the anonymised record kept; hooks."""

from __future__ import annotations

import datetime
import logging
import sys
import types

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore

from dsar.reminders import hooks, jobs
from dsar.reminders.checks import check_hooks
from dsar.reminders.services import PurgeError, request_purge
from dsar.requests.models import EventKind, Status
from tests.reminders.conftest import make_request, utc

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = utc(2027, 6, 1, 3, 30)


def closed(london, closed_at, **fields):
    return make_request(
        london.org,
        "gdpr",
        D(2026, 1, 5),
        status=Status.FULFILLED,
        closed_at=closed_at,
        requester_phone="+44 20 7946 0000",
        requester_address="1 Byron Street",
        subject_line="Subject access request",
        message="Please send me my data.",
        agent_name="A. Agent",
        **fields,
    )


def run_housekeeping(at=NOW):
    with time_machine.travel(at, tick=False):
        return jobs.housekeeping()


def test_it_purges_personal_data_after_the_retention_period(london, settings):
    settings.DSAR_PURGE_AFTER_DAYS = 365
    old = closed(london, NOW - datetime.timedelta(days=365), reference="L-OLD")
    recent = closed(london, NOW - datetime.timedelta(days=364), reference="L-NEW")
    still_open = make_request(london.org, "gdpr", D(2026, 1, 5), reference="L-OPEN")

    result = run_housekeeping()

    assert result["purged"] == 1
    old.refresh_from_db()
    assert [
        getattr(old, f)
        for f in (
            "requester_name",
            "requester_email",
            "requester_phone",
            "requester_address",
            "agent_name",
            "subject_line",
            "message",
        )
    ] == [""] * 7
    # The record (CCPA §7101(b)): reference, dates, right, channel, status, outcome.
    assert (old.reference, old.received_on, old.right_kind, old.channel_kind, old.status) == (
        "L-OLD",
        D(2026, 1, 5),
        "access",
        "email",
        Status.FULFILLED,
    )
    event = old.events.get()
    assert (event.kind, event.actor_label) == (EventKind.PURGED, "system")
    assert event.data["purged"] == [
        "requester_name",
        "requester_email",
        "requester_phone",
        "requester_address",
        "agent_name",
        "subject_line",
        "message",
    ]
    for untouched in (recent, still_open):
        untouched.refresh_from_db()
        assert untouched.requester_name == "Ada Lovelace"


def test_purging_twice_changes_nothing(london):
    request = closed(london, NOW - datetime.timedelta(days=400))
    run_housekeeping()
    assert run_housekeeping()["purged"] == 0
    assert request_purge(request=request).events.count() == 1


def test_an_open_request_keeps_its_data(london):
    request = make_request(london.org, "gdpr", D(2026, 1, 5))
    with pytest.raises(PurgeError):
        request_purge(request=request)


def test_it_reports_housekeeping_hooks_that_do_not_exist(london, monkeypatch, caplog):
    monkeypatch.setattr(hooks, "DELETE_EXPIRED", ("dsar.no_such_app.housekeeping.delete_expired",))
    with caplog.at_level(logging.ERROR, logger="dsar.reminders.hooks"):
        assert run_housekeeping()["expired"] == {
            "dsar.no_such_app.housekeeping.delete_expired": "missing"
        }
    assert [r.levelno for r in caplog.records if "no_such_app" in r.getMessage()] == [logging.ERROR]


def test_a_missing_purge_hook_stops_the_purge_instead_of_skipping_it(london, monkeypatch, caplog):
    """Else the request would count as purged while that app's files of it stay for good."""
    monkeypatch.setattr(
        hooks,
        "PURGE_FILES",
        ("dsar.intake.housekeeping.purge_request", "dsar.letterz.housekeeping.purge_request"),
    )
    request = closed(london, NOW - datetime.timedelta(days=400))

    with caplog.at_level(logging.ERROR):
        result = run_housekeeping()

    assert (result["purged"], result["purge_errors"]) == (0, 1)
    request.refresh_from_db()
    assert request.requester_name == "Ada Lovelace"
    assert not request.events.exists()
    assert any("dsar.letterz.housekeeping.purge_request" in r.getMessage() for r in caplog.records)


def test_the_configured_hooks_exist_and_a_missing_one_fails_the_system_check(monkeypatch):
    assert check_hooks() == []
    monkeypatch.setattr(hooks, "DELETE_EXPIRED", ("dsar.letterz.housekeeping.delete_expired",))
    assert [(e.id, "dsar.letterz.housekeeping.delete_expired" in e.msg) for e in check_hooks()] == [
        ("reminders.E006", True)
    ]


@pytest.fixture
def fake_hooks(monkeypatch):
    calls = []
    module = types.ModuleType("dsar_fake_housekeeping")
    module.delete_expired = lambda: calls.append("delete_expired") or 3
    module.purge_request = lambda request: calls.append(f"purge {request.reference}")
    monkeypatch.setitem(sys.modules, "dsar_fake_housekeeping", module)
    monkeypatch.setattr(hooks, "DELETE_EXPIRED", ("dsar_fake_housekeeping.delete_expired",))
    monkeypatch.setattr(hooks, "PURGE_FILES", ("dsar_fake_housekeeping.purge_request",))
    return calls


def test_it_calls_the_hooks_that_exist(london, fake_hooks):
    closed(london, NOW - datetime.timedelta(days=400), reference="L-7")

    result = run_housekeeping()

    assert result["expired"] == {"dsar_fake_housekeeping.delete_expired": 3}
    assert fake_hooks == ["purge L-7", "delete_expired"]


def test_a_hook_module_that_fails_to_import_is_not_taken_for_missing(monkeypatch):
    module = types.ModuleType("dsar_broken")
    monkeypatch.setitem(sys.modules, "dsar_broken", module)
    assert hooks.find("dsar_broken.nothing_here") is None
    assert hooks.find("dsar.no_such_app.housekeeping.delete_expired") is None
    with pytest.raises(ModuleNotFoundError):
        hooks.find("tests.reminders.broken_hook.delete_expired")


def test_it_forgets_expired_sessions_and_the_searches_they_hold(london):
    # A staff member's session keeps the request list's search terms (names, addresses).
    with time_machine.travel(NOW - datetime.timedelta(days=2), tick=False):
        old = SessionStore()
        old["dsar_searches"] = {"t": "Dana Data"}
        old.set_expiry(60)
        old.create()
    current = SessionStore()
    current["dsar_searches"] = {"u": "Eve Example"}
    current.set_expiry(NOW + datetime.timedelta(hours=8))
    current.create()

    run_housekeeping()

    assert not SessionStore().exists(old.session_key)
    assert SessionStore().exists(current.session_key)
