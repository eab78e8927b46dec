"""The sweep as real processes: two at once with one killed mid-send, and a real qcluster.

These start ``manage.py`` as child processes against the test database, so the rows they read
must be committed: ``transaction=True``. The file email backend lets the test count what every
process sent.
"""

from __future__ import annotations

import datetime
import re
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule

from dsar.organizations.models import Role
from dsar.reminders.claims import reminder_day
from dsar.reminders.models import Notification, NotificationStatus, Reminder
from dsar.reminders.schedules import ensure_schedules
from tests.reminders import processes
from tests.reminders.conftest import make_member, make_org, make_request

REDIS_URL = "redis://127.0.0.1:6379/15"
LEASE = 3  # seconds a claim is held in the concurrency test: ten times one slow send
MAIL_WAIT = 60  # seconds; the cluster's scheduler looks at schedules as it starts (see
# cluster_settings.py), then the sweep runs in a worker


def references(text: str) -> list[str]:
    return sorted(re.findall(r"^- (\S+) ", text, re.MULTILINE))


def seed_due_requests(handlers: int, per_handler: int, unassigned: int) -> dict[str, list[str]]:
    """Requests whose 7-day reminder is due now; returns each recipient's expected references."""
    org = make_org("procs", time_zone="Europe/London")
    officer = make_member(org, "officer", Role.PRIVACY_OFFICER)
    day = reminder_day(timezone.now(), "Europe/London", 8)
    # due in 3 days: within every offset of 7, 3, 1 whatever the weekday; never overdue.
    received = day - datetime.timedelta(days=42)
    expected: dict[str, list[str]] = {officer.email: []}
    team = []
    for h in range(handlers):
        user = make_member(org, f"handler{h:02d}", Role.HANDLER)
        team.append(user.email)
        expected[user.email] = []
        for n in range(per_handler):
            ref = f"P-{h:02d}-{n}"
            _due_in_3_days(make_request(org, None, received, assignee=user, reference=ref), day)
            expected[user.email].append(ref)
    for n in range(unassigned):
        ref = f"P-U-{n}"
        _due_in_3_days(make_request(org, None, received, reference=ref), day)
        for who in (officer.email, *team):
            expected[who].append(ref)
    return {who: sorted(refs) for who, refs in expected.items() if refs}


def _due_in_3_days(request, day: datetime.date) -> None:
    request.due_date = day + datetime.timedelta(days=3)
    request.deadline_rule = "gdpr"
    request.save()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_one_killed_mid_send_send_exactly_what_is_due(tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has one writer at a time and no row locks, so two sweeps "
            "in two processes cannot race there (run with DATABASE_URL=postgres://…)"
        )
    expected = seed_due_requests(handlers=8, per_handler=2, unassigned=2)
    mail_dir, markers = tmp_path / "mail", tmp_path / "markers"
    mail_dir.mkdir()
    markers.mkdir()
    env = processes.child_env(
        DJANGO_SETTINGS_MODULE="tests.reminders.subprocess_settings",
        DATABASE_URL=processes.database_url(),
        DSAR_TEST_MAIL_DIR=str(mail_dir),
        DSAR_TEST_MARKER_DIR=str(markers),
        DSAR_TEST_SEND_DELAY="0.3",
        DSAR_REMINDER_LEASE_SECONDS=str(LEASE),
    )

    # 1. Two sweeps start together: one records the reminders, both send the outbox.
    a = processes.start(["send_reminders"], env, tmp_path / "a.log")
    b = processes.start(["send_reminders"], env, tmp_path / "b.log")
    try:
        # 2. Once A has sent one email and started on the next, kill it in the middle.
        def a_started_two() -> bool:
            return len(list(markers.glob(f"{a.pid}-*"))) >= 2

        assert processes.wait_for(a_started_two, timeout=60), (tmp_path / "a.log").read_text()
        processes.stop(a, signal.SIGKILL)
        # A claimed the email it was killed on before this instant: its lease ends by then.
        lease_over = time.monotonic() + LEASE + 0.3
        assert b.wait(timeout=120) == 0, (tmp_path / "b.log").read_text()
    finally:
        processes.stop(a, signal.SIGKILL)
        processes.stop(b, signal.SIGKILL)

    # 3. A later sweep, after the lease, takes over whatever A held (if B has not already).
    time.sleep(max(0.0, lease_over - time.monotonic()))
    c = processes.start(["send_reminders"], env, tmp_path / "c.log")
    assert c.wait(timeout=120) == 0, (tmp_path / "c.log").read_text()

    sent = processes.read_mail(mail_dir)
    assert sorted(m.to for m in sent) == sorted(expected)  # each person exactly once
    assert {m.to: references(m.body) for m in sent} == expected
    assert processes.read_mail(mail_dir, f"{a.pid}-*")  # A did send before it died
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()
    assert Reminder.objects.count() == 18 and not Reminder.objects.unsent().exists()
    # The email A was killed on was tried twice: once by A, once by whoever took it over.
    assert sorted(Notification.objects.values_list("attempts", flat=True)) == [1] * 8 + [2]


@pytest.fixture
def redis_queue():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    for key in client.scan_iter("django_q:dsar:*"):
        client.delete(key)
    yield client
    for key in client.scan_iter("django_q:dsar:*"):
        client.delete(key)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_a_real_cluster_runs_the_scheduled_sweep(broker, tmp_path: Path, request):
    redis = request.getfixturevalue("redis_queue") if broker == "redis" else None
    expected = seed_due_requests(handlers=1, per_handler=1, unassigned=0)
    # The schedules as the migration makes them (an earlier transactional test flushed them),
    # then only the sweep, and now.
    ensure_schedules()
    Schedule.objects.exclude(name="dsar: reminder sweep").update(
        next_run=timezone.now() + datetime.timedelta(days=365)
    )
    assert (
        Schedule.objects.filter(name="dsar: reminder sweep").update(
            next_run=timezone.now() - datetime.timedelta(seconds=1)
        )
        == 1
    )
    database_url, sqlite_file = processes.shared_database(tmp_path)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = processes.child_env(
        DJANGO_SETTINGS_MODULE="tests.reminders.cluster_settings",
        DATABASE_URL=database_url,
        # django-environ drops one slash after the scheme: four make an absolute path.
        EMAIL_URL=f"filemail:///{mail_dir}",
        Q_WORKERS="1",
        **({"REDIS_URL": REDIS_URL} if redis else {}),
    )

    cluster = processes.start(["qcluster"], env, tmp_path / "cluster.log")
    try:
        sent = processes.wait_for(lambda: processes.read_mail(mail_dir), timeout=MAIL_WAIT, step=1)
        # The cluster keeps its heartbeat in the broker: in Redis, when Redis is the broker.
        cluster_keys = list(redis.scan_iter("django_q:dsar:cluster*")) if redis else None
    finally:
        processes.stop(cluster)
    log = (tmp_path / "cluster.log").read_text()

    assert [(m.to, references(m.body)) for m in sent] == list(expected.items()), log
    assert cluster_keys is None or cluster_keys, log
    if sqlite_file is None:
        assert Reminder.objects.sent().count() == 1
    else:
        with sqlite3.connect(sqlite_file) as db:
            assert db.execute(
                "SELECT count(*) FROM reminders_notification_reminders t JOIN "
                "reminders_notification n ON n.id = t.notification_id WHERE n.status = 'sent'"
            ).fetchone() == (1,)
