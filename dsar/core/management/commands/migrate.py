"""Django's ``migrate``, as the owner role when ``DATABASE_OWNER_URL`` is set (dsar.core.db_roles).

After the migrations, on PostgreSQL, the exceptions to the default privileges are applied again to
every role but the owner (the audit trail insert-only: ``db_roles.protect``), whichever role
migrated; and, with an owner role, what is wrong with the runtime role is said, if anything (a
table created by another role than the owner, say)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections, transaction

from dsar.core.db_roles import as_owner, protect, runtime_problems


class Command(MigrateCommand):
    help = MigrateCommand.help + " Connects as DATABASE_OWNER_URL's role when it is set."

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"]
        problems: list[str] = []
        with as_owner(database) as runtime:
            super().handle(*args, **options)
            connection = connections[database]
            if connection.vendor != "postgresql" or options["plan"] or options["check_unapplied"]:
                return
            with transaction.atomic(using=database), connection.cursor() as cursor:
                changed = protect(cursor)
                if runtime:
                    problems = runtime_problems(cursor, runtime)
        if changed and options["verbosity"] >= 1:
            self.stdout.write(
                f"Rights set to the exceptions (docs/security.md): {', '.join(changed)}"
            )
        for problem in problems:
            self.stderr.write(f"Warning: {problem} (docs/security.md)")
