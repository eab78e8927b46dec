"""Run the web server and the django-q2 cluster together until Ctrl-C (or SIGTERM)."""

from __future__ import annotations

import signal
import subprocess
import sys
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
        cluster = subprocess.Popen([sys.executable, sys.argv[0], "qcluster"])  # noqa: S603
        try:
            call_command("runserver", addrport, use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            cluster.send_signal(signal.SIGINT)
            try:
                cluster.wait(timeout=15)
            except subprocess.TimeoutExpired:
                cluster.kill()
