"""Export requests to a spreadsheet: ``python manage.py export_requests [--organization SLUG]``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.organizations.models import Organization
from dsar.requests.csv_io import EXPORT_COLUMNS, export_requests


class Command(BaseCommand):
    help = (
        "Write requests as CSV (UTF-8, comma-separated; columns: "
        + ", ".join(EXPORT_COLUMNS)
        + "), which import_requests reads back. Streams rows, so it holds any number in little "
        "memory. The file holds personal data: --output creates it readable by its owner only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", metavar="SLUG", help="only this organization")
        parser.add_argument(
            "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)"
        )

    def handle(
        self,
        *args: Any,
        organization: str | None = None,
        output: Path | None = None,
        **options: Any,
    ) -> None:
        org = None
        if organization is not None:
            org = Organization.objects.filter(slug=organization).first()
            if org is None:
                raise CommandError(f"organization '{organization}' does not exist")
        if output is None:
            count = export_requests(_Unwrapped(self.stdout), organization=org)
        else:
            try:
                # 0o600: requesters' names and addresses are not for every account on the host.
                fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            except OSError as error:
                raise CommandError(f"{output}: {error.strerror}") from None
            with open(fd, "w", encoding="utf-8", newline="") as out:
                count = export_requests(out, organization=org)
        where = f" to {output}" if output else ""
        # To stderr: standard output may be the CSV itself.
        self.stderr.write(f"Exported {count} request{'s' if count != 1 else ''}{where}.")


class _Unwrapped:
    """``self.stdout`` for the csv module: rows end with CRLF already, so add no newline."""

    def __init__(self, wrapper: Any) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")
