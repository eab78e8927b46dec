"""A sender killed in the middle of a try, as real processes: its delivery is left alone while
its claim may be alive, then taken over and sent once the lease has run out.

The senders are ``manage.py deliver_webhooks`` child processes against the test database, so the
rows must be committed (``transaction=True``), and the database shared: PostgreSQL (CI's), as for
the reminders' process tests.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from werkzeug import Request, Response

from dsar.webhooks import outbox
from dsar.webhooks.models import Delivery, OutboxStatus
from tests.reminders import processes

LEASE = 10  # seconds: longer than a child process takes to start on a busy machine


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_mid_try_is_taken_over_after_the_lease(
    tmp_path: Path, subscribe, log, receiver, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the child processes share the test database")
    started = threading.Event()
    release = threading.Event()

    def hang(request: Request) -> Response:
        started.set()  # the first sender is inside its try: kill it now
        release.wait(30)
        return Response("too late")

    receiver.expect_oneshot_request("/hook").respond_with_handler(hang)
    receiver.expect_request("/hook").respond_with_data("ok")
    subscription = subscribe()
    log()
    delivery = Delivery.objects.get()
    env = processes.child_env(
        DATABASE_URL=processes.database_url(),
        DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK="true",
        DSAR_WEBHOOK_TIMEOUT="2",
        DSAR_WEBHOOK_LEASE_SECONDS=str(LEASE),
    )

    # 1. A sender claims the delivery and is killed while the receiver has not answered.
    a = processes.start(["deliver_webhooks"], env, tmp_path / "a.log")
    try:
        assert started.wait(60), (tmp_path / "a.log").read_text()
        processes.stop(a, signal.SIGKILL)
    finally:
        processes.stop(a, signal.SIGKILL)
        release.set()
    claimed = time.monotonic()
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.PENDING and delivery.claimed_at is not None
    assert delivery.attempts == 1 and not delivery.tries.exists()

    # 2. A sender within the lease (here, in this process) leaves it alone: the claim may
    # still be alive.
    settings.DSAR_WEBHOOK_LEASE_SECONDS = LEASE
    assert outbox.deliver_pending().as_dict()["delivered"] == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    # 3. After the lease, the next sender takes it over and delivers it.
    time.sleep(max(0.0, claimed + LEASE + 0.5 - time.monotonic()))
    c = processes.start(["deliver_webhooks"], env, tmp_path / "c.log")
    assert c.wait(timeout=60) == 0, (tmp_path / "c.log").read_text()
    assert "delivered=1" in (tmp_path / "c.log").read_text()
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.DELIVERED and delivery.attempts == 2
    ids = {request.headers["webhook-id"] for request, _ in receiver.log}
    assert ids == {delivery.message_id} and subscription.deliveries.count() == 1
