"""Two PostgreSQL roles: the owner of the tables, which migrates, and the role the application
runs as, which reads and writes rows and can do nothing else (docs/security.md).

- ``DATABASE_URL`` is the runtime role (``dsar_app``): SELECT, INSERT, UPDATE and DELETE on the
  tables, USAGE and SELECT on the sequences; no DDL, no TRUNCATE. On the audit trail (``TRAIL``)
  only SELECT and INSERT, and UPDATE of the two hash-chain columns, which the trail's trigger lets
  be set once, from empty, on an event a release older than the chain wrote
  (``dsar.requests.events.seal_pending``), and of ``summary`` and ``data``, which it lets a purge
  blank the reasons in (``blank_reasons``) and nothing else; no other change, no DELETE.
- ``DATABASE_OWNER_URL`` (``settings.DATABASE_OWNER``) is the owner (``dsar_owner``). ``migrate``,
  ``flush`` and ``createcachetable`` (dsar.core's versions of Django's) run inside ``as_owner``:
  this thread's ``default`` connection is replaced, for the command, by one with the owner's
  credentials on the same database. Everything the command runs goes through it, migrations'
  RunPython code and post_migrate handlers included; the test database too, whose name Django
  sets on the connection before it migrates it.
- Tables the owner creates later are the runtime role's by its default privileges
  (``ALTER DEFAULT PRIVILEGES``, set by ``create_db_roles``); the trail's exception, and the few
  others, are applied again after every ``migrate`` on PostgreSQL, to every role but the owner
  (``protect``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

#: The audit trail: insert-only for the runtime role.
TRAIL = "requests_requestevent"
#: Its hash-chain columns (dsar.requests.chain), set once from empty; nothing else may change.
TRAIL_SEALABLE = ("prev_hash", "hash")
#: The columns a purge blanks the reasons in (dsar.requests.events.blank_reasons): the trail's
#: trigger lets them be blanked and nothing else (requests migration 0015).
TRAIL_BLANKABLE = ("summary", "data")
#: Tables the runtime role reads and does not write.
READ_ONLY = ("django_migrations",)
#: The runtime role's rights on every other table and on every sequence.
TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_RIGHTS = "USAGE, SELECT"


def owner_configured(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether ``alias`` has an owner role apart from the role it runs as."""
    owner = getattr(settings, "DATABASE_OWNER", None)
    return bool(
        owner
        and alias == DEFAULT_DB_ALIAS
        and connections[alias].vendor == "postgresql"
        and owner.get("USER")
        and owner["USER"] != connections[alias].settings_dict.get("USER")
    )


@contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[str | None]:
    """Run the block as the owner role: yields the runtime role's name, or None (and changes
    nothing) without an owner role, inside a transaction of the runtime connection (the owner
    would wait on its locks), or already as the owner.

    Only this thread's connection changes: a live server's or a worker thread's stay as they are.
    """
    current = connections[alias]
    owner = settings.DATABASE_OWNER
    if (
        owner is None
        or not owner_configured(alias)
        or getattr(current, "dsar_runtime_role", None)
        or current.in_atomic_block
    ):
        yield None
        return
    settings_dict = copy.deepcopy(current.settings_dict)
    settings_dict.update(
        USER=owner["USER"],
        PASSWORD=owner.get("PASSWORD", ""),
        HOST=owner.get("HOST", "") or settings_dict.get("HOST", ""),
        PORT=owner.get("PORT", "") or settings_dict.get("PORT", ""),
        OPTIONS={**settings_dict.get("OPTIONS", {}), **owner.get("OPTIONS", {})},
        CONN_MAX_AGE=0,
    )
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    runtime = current.settings_dict["USER"]
    wrapper.dsar_runtime_role = runtime
    connections[alias] = wrapper
    try:
        yield runtime
    finally:
        wrapper.close()
        connections[alias] = current


def quote(name: str) -> str:
    """A role, table or column name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


Rights = tuple[set[str], set[tuple[str, str]]]  # (on the table, {(column, right)})


def exceptions(cursor: Any) -> dict[str, Rights]:
    """The relations of the public schema on which no role but the owner may have the default
    privileges' rights, with the most any other role may have:

    - the trail: SELECT and INSERT; UPDATE of its hash-chain columns, if it has them yet, and of
      the columns a purge blanks;
    - ``django_migrations``: SELECT (what is applied is the owner's to say);
    - views: SELECT (an updatable view writes with its owner's rights, past the table's).

    Only those the current role owns (or a superuser: all)."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND (c.relkind IN ('v', 'm') "
        "OR c.relname = ANY(%s)) AND pg_has_role(current_user, c.relowner, 'USAGE')",
        [[TRAIL, *READ_ONLY]],
    )
    most: dict[str, Rights] = {row[0]: ({"SELECT"}, set()) for row in cursor.fetchall()}
    if TRAIL in most:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname = ANY(%s) AND NOT attisdropped",
            [TRAIL, [*TRAIL_SEALABLE, *TRAIL_BLANKABLE]],
        )
        most[TRAIL] = ({"SELECT", "INSERT"}, {(row[0], "UPDATE") for row in cursor.fetchall()})
    return most


def protect(cursor: Any) -> list[str]:
    """Cut every role but the owner down to ``exceptions`` on those relations (the runtime role
    too, whatever its name: the trail insert-only), changing only what differs; returns what
    changed, as "relation: role". Run it as their owner (``migrate`` does, whichever role it
    runs as) and in a transaction: the running application never sees rights half changed.

    A role keeps only rights it had: one that could only read the trail does not get INSERT.
    One that could write it (INSERT or UPDATE) may update its hash-chain columns, and no other
    (a column dropped and added again by a migration has lost its grants)."""
    changed = []
    for relation, (table_most, column_most) in sorted(exceptions(cursor).items()):
        for grantee, (table, columns) in sorted(grantees(cursor, relation).items()):
            # Who may append to the trail may seal what it appended (the hash columns).
            writes = {"INSERT", "UPDATE"} & table or any(r == "UPDATE" for _, r in columns)
            wanted = (table & table_most, column_most if writes else set())
            if (table, columns) == wanted:
                continue
            role, target = grantee, quote(relation)
            # REVOKE ALL on the table takes its column privileges with it.
            cursor.execute(f"REVOKE ALL ON {target} FROM {role}")
            if wanted[0]:
                cursor.execute(f"GRANT {', '.join(sorted(wanted[0]))} ON {target} TO {role}")
            for column, right in sorted(wanted[1]):
                cursor.execute(f"GRANT {right} ({quote(column)}) ON {target} TO {role}")
            changed.append(f"{relation}: {grantee}")
    return changed


def grantees(cursor: Any, relation: str) -> dict[str, Rights]:
    """Every role but the owner with a right on ``relation`` (quoted, or PUBLIC), and what."""
    cursor.execute(
        "WITH acl AS ("
        "  SELECT (aclexplode(c.relacl)).*, NULL::name AS attname, c.relowner FROM pg_class c"
        "  WHERE c.oid = %(r)s::regclass"
        "  UNION ALL SELECT (aclexplode(t.attacl)).*, t.attname, c.relowner"
        "  FROM pg_class c JOIN pg_attribute t ON t.attrelid = c.oid"
        "  WHERE c.oid = %(r)s::regclass AND NOT t.attisdropped"
        ") SELECT r.rolname, acl.attname, acl.privilege_type FROM acl"
        " LEFT JOIN pg_roles r ON r.oid = acl.grantee WHERE acl.grantee <> acl.relowner",
        {"r": quote(relation)},
    )
    found: dict[str, Rights] = {}
    for name, column, right in cursor.fetchall():
        table, columns = found.setdefault("PUBLIC" if name is None else quote(name), (set(), set()))
        if column is None:
            table.add(right)
        else:
            columns.add((column, right))
    return found


def runtime_problems(cursor: Any, runtime: str) -> list[str]:
    """What is wrong with ``runtime`` as the role the application runs as, seen from the
    database ``cursor`` is on (empty: nothing)."""
    cursor.execute(
        "SELECT rolsuper OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = %s",
        [runtime],
    )
    row = cursor.fetchone()
    if row is None:
        return [f"role {runtime} does not exist"]
    if row[0]:
        return [f"{runtime} is a superuser, or may create roles or bypass row security"]
    problems = []
    cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [runtime])
    if cursor.fetchone()[0]:
        problems.append(f"{runtime} may create tables in the public schema")
    cursor.execute(
        "SELECT c.relname, pg_has_role(%s, c.relowner, 'USAGE'),"
        "  c.relkind <> 'S' AND NOT has_table_privilege(%s, c.oid, 'SELECT'),"
        "  c.relkind <> 'S' AND has_table_privilege(%s, c.oid, 'TRUNCATE, REFERENCES, TRIGGER')"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        " ORDER BY c.relname",
        [runtime, runtime, runtime],
    )
    for name, owns, unreadable, truncates in cursor.fetchall():
        if owns:
            problems.append(f"{runtime} owns {name} (or is a member of its owner)")
        if unreadable:
            problems.append(
                f"{runtime} cannot read {name}: created by another role than the owner, or "
                "before create_db_roles (run it again)"
            )
        if truncates:
            problems.append(f"{runtime} may truncate {name}, or reference or trigger on it")
    return problems
