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
        # does, or the cluster would outlive the server as an orphan.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
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
        except KeyboardInterrupt:
            pass
        finally:
            cluster.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                cluster.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait()
            _wait_for_group_to_end(cluster.pid)


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
