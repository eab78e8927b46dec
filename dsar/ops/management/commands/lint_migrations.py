"""``manage.py lint_migrations``: fail on a migration that would lock or rewrite a big table while
the previous release serves (``dsar.ops.migration_lint``; CI runs it on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


class Command(BaseCommand):
    help = (
        "Lint dsar's migrations for operations that lock or rewrite a large table while the "
        "previous release serves (needs the test extra; run it on PostgreSQL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        vendor = connections[database].vendor
        if vendor != "postgresql":
            raise CommandError(
                f"lint_migrations reads the SQL PostgreSQL would run, not {vendor}'s: set "
                "DATABASE_URL=postgres://… (CI does)."
            )
        try:
            from dsar.ops.migration_lint import lint

            report = lint(database)
        except ImportError as error:
            raise CommandError(
                f"{error}: install the test extra (pip install -e '.[test]')"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
        if report.failed:
            raise CommandError(
                "A migration would lock or rewrite a table while the previous release serves: "
                "see docs/deploy.md (Upgrades) for how to write it, or review it and add it to "
                "EXEMPT in dsar/ops/migration_lint.py with the reason."
            )
