"""Import requests from a spreadsheet: ``python manage.py import_requests FILE.csv``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.requests.csv_io import EXPORT_COLUMNS, CsvImportError, import_requests


class Command(BaseCommand):
    help = (
        "Log the requests of a CSV file (UTF-8, comma-separated, columns: "
        + ", ".join(EXPORT_COLUMNS)
        + "; see dsar/requests/csv_io.py), all or nothing: every bad row is reported with its "
        "line and nothing is stored. Requests are logged as received, with a new reference and "
        "the deadline their policy and the law give; reference, status and deadline columns, as "
        "export_requests writes them, are ignored. A received_at without an offset is read in "
        "the organization's time zone; a date alone is midnight there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and log every row, print the result, then store nothing",
        )

    def handle(self, *args: Any, file: Path, dry_run: bool = False, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise CommandError(
                f"{file}, line {line}: not UTF-8 text (byte 0x{data[error.start]:02x}); save the "
                "spreadsheet as 'CSV UTF-8'. Nothing was imported."
            ) from None
        try:
            imported = import_requests(io.StringIO(text, newline=""), dry_run=dry_run)
        except CsvImportError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}, {problem}")
            count = len(error.problems)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''}."
            ) from None
        for item in imported:
            request = item.request
            if request.due_date:
                deadline = f"due {request.due_date.isoformat()}"
            else:
                # Neither a law nor the policy's promise sets a date: the organization's own.
                target = request.internal_target
                deadline = "date set by the organization" + (
                    f": internal target {target}" if target else ""
                )
            zone = item.row.zone_assumed
            zone = f" (received_at read in {zone})" if zone else ""
            self.stdout.write(
                f"line {item.row.line}: {request.reference} {request.status} {deadline}{zone}"
            )
        count = len(imported)
        noun = "request" if count == 1 else "requests"
        if dry_run:
            self.stdout.write(f"Dry run: {count} {noun} checked, nothing stored.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {count} {noun}, logged as received."))
