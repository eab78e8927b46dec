"""Django's ``flush``, as the owner role when ``DATABASE_OWNER_URL`` is set (dsar.core.db_roles):
the runtime role may not TRUNCATE. Test teardown of transactional tests runs it too."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from dsar.core.db_roles import as_owner


class Command(FlushCommand):
    help = FlushCommand.help + " Connects as DATABASE_OWNER_URL's role when it is set."

    def handle(self, **options: Any) -> None:
        with as_owner(options["database"]):
            super().handle(**options)
