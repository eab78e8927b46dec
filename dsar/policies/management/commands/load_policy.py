"""Load policy files: ``python manage.py load_policy dsar/policies/seeds/*.yaml``."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dsar.policies.loader import load_policy_files
from dsar.policies.schema import PolicyFileError


class Command(BaseCommand):
    help = (
        "Load policy files (docs/policy-files.md), all or nothing. An unchanged file creates "
        "nothing; a changed one becomes a new version in force and retires the previous one. "
        "A malformed file fails with its line and changes nothing."
    )

    @staticmethod
    def _past_date(value: str) -> datetime.date:
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-01-31") from None
        if day > timezone.localdate():
            raise argparse.ArgumentTypeError(f"{value} is in the future")
        return day

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--in-force-from",
            type=self._past_date,
            metavar="DATE",
            help=(
                "Put a new organization's first version in force from this past date (ISO "
                "8601), so that requests received since then can be imported."
            ),
        )

    def handle(
        self,
        *args: Any,
        files: list[Path],
        in_force_from: datetime.date | None = None,
        **options: Any,
    ) -> None:
        try:
            results = load_policy_files(files, in_force_from=in_force_from)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PolicyFileError as error:
            count = len(error.problems)
            raise CommandError(
                f"{error}\nNothing was loaded: {count} problem{'s' if count != 1 else ''}."
            ) from None
        for result in results:
            self.stdout.write(str(result))
