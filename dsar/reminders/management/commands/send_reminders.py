"""Run the reminder sweep once, or with --dry-run print what it would send now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dsar.reminders import delivery, jobs


class Command(BaseCommand):
    help = (
        "Record the reminders due now and send the outbox, once (the scheduled sweep does the "
        "same every 15 minutes). --dry-run prints the emails instead and records nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the emails that would go out now; claim, record and send nothing.",
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        if dry_run:
            previews = jobs.preview_due_reminders()
            for message in previews:
                self.stdout.write(delivery.describe(message))
                self.stdout.write("-" * 72)
            self.stdout.write(f"{len(previews)} email(s) would go out now (dry run: nothing sent).")
            return
        result = jobs.send_due_reminders()
        self.stdout.write(" ".join(f"{key}={value}" for key, value in result.items()))
