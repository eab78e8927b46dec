"""The database chores the benchmarks share: make sure their PostgreSQL database exists, and
write the select list of a bulk ``INSERT … SELECT`` that fills a model's table.

The benchmarks run as scripts (``python bench/x.py``), so this folder is on ``sys.path`` and they
import it as ``pgdb``.
"""

from __future__ import annotations

import sys
from typing import Any


def ensure_database(url: str, *, fresh: bool, script: str) -> None:
    """Create the database named in ``url`` if it is missing; with ``fresh``, drop it first.

    Exits with a message when ``url`` is not PostgreSQL: the figures are only meaningful there.
    """
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit(f"{script} needs PostgreSQL: set DATABASE_URL=postgres://…")
    name = config["NAME"]
    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            print(f"Dropping database {name}…")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"Creating database {name}…")
            conn.execute(f'CREATE DATABASE "{name}"')


def select_list(
    model: Any, expressions: dict[str, str], params: dict[str, Any], prefix: str
) -> tuple[list[str], list[str]]:
    """The columns of ``model`` and an SQL expression for each: ``expressions``, else the
    field's default as a parameter (named ``prefix_column`` in ``params``), else NULL, else ''
    for blank text; a new required column without any of these stops the bench with its name,
    so that a model change never breaks a fill silently."""
    from django.db import connection

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in expressions:
            values.append(expressions[field.column])
        elif field.has_default():
            key = f"{prefix}_{field.column}"
            params[key] = field.get_db_prep_save(field.get_default(), connection)
            values.append(f"%({key})s")
        elif field.null:
            values.append("NULL")
        elif field.blank and field.get_internal_type() in ("CharField", "TextField"):
            values.append("''")
        else:
            sys.exit(f"bench: no value for {model._meta.db_table}.{field.column}; add it")
    return columns, values
