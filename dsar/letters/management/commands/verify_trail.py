"""``python manage.py verify_trail``: recompute every request's hash chain and every stored
file's SHA-256; a line per break, exit status 1 if there is any (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dsar.letters.integrity import FileReport
from dsar.requests import chain, events
from dsar.requests.models import RequestEvent


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of every request's audit trail and the SHA-256 of every stored "
        "letter, data package and upload. Prints one line per break (the request's reference "
        "and the event or file, never personal data) and exits with status 1 if there is any; "
        "run it after a restore (docs/operations.md). Read-only unless --seal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seal",
            action="store_true",
            help="first chain the events written without a hash at the end of a trail (by a "
            "release older than the chain, during the upgrade that brought it)",
        )
        parser.add_argument(
            "--skip-files", action="store_true", help="check the trails only, not the files"
        )

    def handle(self, *args: Any, seal: bool = False, skip_files: bool = False, **o: Any) -> None:
        if seal:
            sealed = self._seal()
            self.stdout.write(f"sealed: {sealed} events chained at the end of their trails")
        breaks = 0
        requests = events_checked = 0
        for _request_id, _reference, head in chain.verify():
            requests += 1
            events_checked += head.events
            for found in head.breaks:
                breaks += 1
                self.stdout.write(found.line())
        files = FileReport()
        if not skip_files:
            for broken in files.run():
                breaks += 1
                self.stdout.write(broken.line())
        summary = (
            f"verify_trail: {requests} requests, {events_checked} events, "
            f"{files.checked} files checked; {breaks} breaks"
        )
        if breaks:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)

    def _seal(self) -> int:
        pending = (
            RequestEvent.objects.filter(hash="").order_by().values_list("request_id", flat=True)
        )
        before = RequestEvent.objects.filter(hash="").count()
        for request_id in sorted(set(pending)):
            with transaction.atomic():
                events.heads([request_id])  # locks the request, chains its unchained tail
        return before - RequestEvent.objects.filter(hash="").count()
