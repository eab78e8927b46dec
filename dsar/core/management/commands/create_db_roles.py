"""Create the database's two roles, or bring them and their rights up to date (docs/security.md).

Run it as a PostgreSQL superuser, on the database ``DATABASE_URL`` names (created if missing)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dsar \\
        python manage.py create_db_roles --owner dsar_owner --runtime dsar_app

- the owner role owns the database and everything in its ``public`` schema (tables, sequences,
  views and functions an earlier ``migrate`` as another role left are given to it);
- the runtime role may connect and use the schema, read and write the rows of every table and use
  every sequence, the same on every table and sequence the owner creates later (default
  privileges), and nothing else: on the audit trail SELECT and INSERT only (and the hash-chain
  columns, dsar.core.db_roles); no DDL, no TRUNCATE; it is no member of the owner role.

Safe to run again: it changes only what differs, in one transaction per database.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from psycopg import sql

from dsar.core.db_roles import (
    SEQUENCE_RIGHTS,
    TABLE_RIGHTS,
    protect,
    quote,
    runtime_problems,
)

ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
PASSWORDS = {"owner": "DSAR_DB_OWNER_PASSWORD", "runtime": "DSAR_DB_RUNTIME_PASSWORD"}
# What in the public schema is not the owner's, but an extension's (pg_trgm's functions stay its
# own) or a serial or identity column's sequence (it follows its table).
RELATIONS = """
SELECT c.oid::regclass::text, c.relkind FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = %s)
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i')))
  )
ORDER BY c.relkind = 'S', 1
"""
ROUTINES = """
SELECT p.oid::regprocedure::text FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p', 'w')
  AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = %s)
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  )
ORDER BY 1
"""
KIND = {
    "r": "TABLE",
    "p": "TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "f": "FOREIGN TABLE",
    "S": "SEQUENCE",
}


def secret(name: str) -> str:
    """``$NAME``, or the content of the file ``$NAME_FILE`` names (as settings.read_secret)."""
    path = os.environ.get(f"{name}_FILE", "")
    value = Path(path).read_text(encoding="utf-8").strip() if path else os.environ.get(name, "")
    if not value:
        raise CommandError(f"--password-from-env: {name} (or {name}_FILE) is not set")
    return value


class Command(BaseCommand):
    help = (
        "Create the owner role (runs migrate) and the runtime role (the application: rows only, "
        "the audit trail insert-only) on DATABASE_URL's database, as a superuser; safe to run "
        "again (docs/security.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", default="dsar_owner", help="Default: dsar_owner.")
        parser.add_argument("--runtime", default="dsar_app", help="Default: dsar_app.")
        parser.add_argument(
            "--password-from-env",
            action="store_true",
            help=(
                "Set the roles' passwords from DSAR_DB_OWNER_PASSWORD and "
                "DSAR_DB_RUNTIME_PASSWORD (or files named by ..._FILE). Without it passwords "
                "are left as they are."
            ),
        )

    def handle(self, *args: Any, owner: str, runtime: str, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            raise CommandError("create_db_roles needs PostgreSQL: DATABASE_URL=postgres://...")
        for role in (owner, runtime):
            if not ROLE.match(role):
                raise CommandError(f"{role!r}: a role name is lower case letters, digits and _")
        if owner == runtime:
            raise CommandError("the owner and the runtime role must be two roles")
        passwords = {}
        if options["password_from_env"]:
            passwords = {owner: secret(PASSWORDS["owner"]), runtime: secret(PASSWORDS["runtime"])}
        name = connection.settings_dict["NAME"]

        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
            )
            me, superuser = cursor.fetchone()
            if not superuser:
                raise CommandError(f"run it as a PostgreSQL superuser ({me} is not one)")
            if me in (owner, runtime):
                raise CommandError(f"{me} is the role this runs as: name two other roles")
            for role in (owner, runtime):
                self.ensure_role(cursor, role, createdb=None if role == owner else False)
            cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [runtime, owner])
            if cursor.fetchone()[0]:
                cursor.execute(f"REVOKE {quote(owner)} FROM {quote(runtime)}")
                self.say(f"role {runtime}: no longer a member of {owner}")
            for role, password in passwords.items():
                # The driver's own cursor: Django's would keep the statement in its query log.
                # Composed here: ALTER ROLE takes no bound parameter (server-side binding).
                statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(password)
                )
                cursor.cursor.execute(statement)
                self.say(f"role {role}: password set")
            cursor.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name]
            )
            row = cursor.fetchone()
            if row is None:
                cursor.execute(f"CREATE DATABASE {quote(name)} OWNER {quote(owner)}")
                self.say(f"database {name}: created, owned by {owner}")
            elif row[0] != owner:
                cursor.execute(f"ALTER DATABASE {quote(name)} OWNER TO {quote(owner)}")
                self.say(f"database {name}: owner was {row[0]}, now {owner}")

        connection.close()
        with transaction.atomic(), connection.cursor() as cursor:
            self.grant(cursor, name, owner, runtime)
            problems = runtime_problems(cursor, runtime)
        if problems:
            raise CommandError("; ".join(problems))
        self.say(
            f"{name}: {owner} owns it and runs migrate (DATABASE_OWNER_URL); {runtime} reads and "
            f"writes rows (DATABASE_URL), adds to the audit trail and cannot change it"
        )

    def say(self, line: str) -> None:
        self.stdout.write(line)

    def ensure_role(self, cursor: Any, role: str, *, createdb: bool | None) -> None:
        """Create ``role`` (LOGIN) if missing; take away what neither role should have. An
        existing superuser is refused rather than demoted: it is someone else's role."""
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row and row[0]:
            raise CommandError(f"{role} is a superuser: give dsar roles of its own")
        if row is None:
            cursor.execute(f"CREATE ROLE {quote(role)} LOGIN")
            self.say(f"role {role}: created")
        attributes = "LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        if createdb is False:
            attributes += " NOCREATEDB"
        cursor.execute(f"ALTER ROLE {quote(role)} {attributes}")

    def grant(self, cursor: Any, name: str, owner: str, runtime: str) -> None:
        """In the database: ownership to ``owner``; rows and sequences to ``runtime``, now and
        for what ``owner`` creates later; the trail insert-only."""
        o, r, db = quote(owner), quote(runtime), quote(name)
        cursor.execute(RELATIONS, [owner])
        relations = cursor.fetchall()
        cursor.execute(ROUTINES, [owner])
        routines = [row[0] for row in cursor.fetchall()]
        for relation, kind in relations:
            cursor.execute(f"ALTER {KIND[kind]} {relation} OWNER TO {o}")
        for routine in routines:
            cursor.execute(f"ALTER ROUTINE {routine} OWNER TO {o}")
        if relations or routines:
            self.say(f"{name}: {len(relations) + len(routines)} tables, sequences and functions "
                     f"given to {owner}")  # fmt: skip
        statements = [
            f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {o}, {r}",
            f"REVOKE CREATE ON DATABASE {db} FROM {r}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"REVOKE CREATE ON SCHEMA public FROM {r}",
            f"GRANT USAGE, CREATE ON SCHEMA public TO {o}",
            f"GRANT USAGE ON SCHEMA public TO {r}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
            f"GRANT {TABLE_RIGHTS} ON ALL TABLES IN SCHEMA public TO {r}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}",
            f"GRANT {SEQUENCE_RIGHTS} ON ALL SEQUENCES IN SCHEMA public TO {r}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public REVOKE ALL ON TABLES FROM {r}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
            f"GRANT {TABLE_RIGHTS} ON TABLES TO {r}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
            f"REVOKE ALL ON SEQUENCES FROM {r}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
            f"GRANT {SEQUENCE_RIGHTS} ON SEQUENCES TO {r}",
        ]
        for statement in statements:
            cursor.execute(statement)
        protect(cursor)
