"""The one database chore every benchmark shares: make sure its PostgreSQL database exists.

The benchmarks run as scripts (``python bench/x.py``), so this folder is on ``sys.path`` and they
import it as ``pgdb``.
"""

from __future__ import annotations

import sys


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
