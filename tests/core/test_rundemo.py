"""``manage.py rundemo`` (what ``make demo`` runs): stopped, it leaves no task cluster behind.

It runs here as a real process against the test database, with its real server and cluster, so
the rows the cluster reads must be committed: ``transaction=True``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from tests.reminders import processes

#: How long the server and the cluster may take to start here.
START_TIMEOUT = 90


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(signal.SIGTERM, id="make forwards its group's SIGTERM"),
        pytest.param(signal.SIGINT, id="Ctrl-C pressed twice"),
    ],
)
def test_a_second_stop_signal_does_not_cut_the_clusters_stop_short(stop, tmp_path: Path):
    """The first signal begins the stop; the second lands while rundemo is waiting for its
    cluster to end. rundemo returns only once the cluster's whole process group has ended."""
    database_url, _ = processes.shared_database(tmp_path)
    env = processes.child_env(DATABASE_URL=database_url, DEBUG="true", Q_WORKERS="1")
    log = tmp_path / "rundemo.log"
    demo = processes.start(["rundemo", f"127.0.0.1:{processes.free_port()}"], env, log)
    cluster: list[int] = []
    try:
        running = processes.wait_for(lambda: b"running." in log.read_bytes(), START_TIMEOUT, 0.2)
        assert running, log.read_text()
        cluster = processes.children_of(demo.pid)
        assert len(cluster) == 1, log.read_text()
        assert len(processes.group_members(cluster[0])) > 1  # the cluster and its workers

        demo.send_signal(stop)
        time.sleep(0.1)  # rundemo is now stopping the cluster, which takes longer than this
        demo.send_signal(stop)
        returned = demo.wait(timeout=60)
        left = processes.group_members(cluster[0])  # at the moment rundemo has returned
    finally:
        processes.stop(demo, signal.SIGKILL)
        for pgid in cluster:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)

    printed = log.read_text()
    assert left == [], printed
    assert returned == 0, printed
    assert "has stopped." in printed  # stopped by its signal, not killed
