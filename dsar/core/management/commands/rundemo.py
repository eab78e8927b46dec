"""Run the web server and the django-q2 cluster together until Ctrl-C (or SIGTERM)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the app with runserver and run `qcluster` beside it; stopping one stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        # SIGTERM (from a supervisor, or `timeout`) must unwind through `finally` like Ctrl-C
        # does, or the cluster would outlive the server as an orphan; and only the first one:
        # see _stop_once.
        signal.signal(signal.SIGTERM, _stop_once)
        signal.signal(signal.SIGINT, _stop_once)
        # The cluster in a process group of its own: a signal to ours (Ctrl-C in the terminal, a
        # supervisor's SIGTERM to the group) reaches only this process, which stops the cluster
        # with one SIGINT. Signalled all at once, django-q2's sentinel and its workers can race,
        # and a worker outlived the demo as an orphan; and whatever is left after the wait is
        # killed with the whole group, not only the cluster's first process.
        cluster = subprocess.Popen(  # noqa: S603
            [sys.executable, sys.argv[0], "qcluster"], process_group=0
        )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            cluster.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                cluster.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait()
            _wait_for_group_to_end(cluster.pid)


def _stop_once(signum: int, frame: object) -> None:
    """Begin stopping, and ignore every later SIGTERM and SIGINT until this command has stopped
    the cluster. A stop rarely comes alone: `make demo` forwards the SIGTERM its process group
    got to this command, so the second one lands a moment after the first, and a second Ctrl-C
    is what an impatient person types. Raised inside the `finally` that stops the cluster, it
    would cut that short and leave the cluster running without a parent (seen in CI, with
    all six of its processes alive after the demo had ended)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(0)


def _wait_for_group_to_end(pgid: int, seconds: float = 10) -> None:
    """Return once no process is left in group ``pgid`` (or after ``seconds``): the cluster's
    workers are not our children, so their ends cannot be waited for one by one, and a demo
    stopped by a supervisor should be gone, all of it, when this command returns."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
