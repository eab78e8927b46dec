"""Django's ``createcachetable``, as the owner role when ``DATABASE_OWNER_URL`` is set
(dsar.core.db_roles): a table is schema, which the runtime role may not create."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.createcachetable import Command as CacheTableCommand

from dsar.core.db_roles import as_owner


class Command(CacheTableCommand):
    help = CacheTableCommand.help + " Connects as DATABASE_OWNER_URL's role when it is set."

    # django-stubs types each table name as list[str]; Django passes the str of the command line.
    def handle(self, *tablenames: str, **options: Any) -> None:  # type: ignore[override]
        with as_owner(options["database"]):
            super().handle(*tablenames, **options)  # type: ignore[arg-type]
