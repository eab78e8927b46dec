"""Load policy files: ``python manage.py load_policy dsar/policies/seeds/*.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.policies.loader import load_policy_files
from dsar.policies.schema import PolicyFileError


class Command(BaseCommand):
    help = (
        "Load policy files (docs/policy-files.md), all or nothing. An unchanged file creates "
        "nothing; a changed one becomes a new version in force and retires the previous one. "
        "A malformed file fails with its line and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        try:
            results = load_policy_files(files)
        except PolicyFileError as error:
            count = len(error.problems)
            raise CommandError(
                f"{error}\nNothing was loaded: {count} problem{'s' if count != 1 else ''}."
            ) from None
        for result in results:
            self.stdout.write(str(result))
