"""The two database roles of docs/security.md: the application runs as a role that can read and
write rows and append to the audit trail, and cannot change the schema, truncate a table, or
rewrite, delete, truncate, alter or drop the trail (nor disable its trigger); the owner role,
which migrates, keeps the trigger against itself.

- Run as the runtime role (``DATABASE_URL`` the runtime role, ``DATABASE_OWNER_URL`` the owner:
  ``.ci/run`` and docs/security.md), the tests below check the test database itself, which the
  owner migrated: what the application does works, what it must not do is refused.
- Run as a superuser (the README's ``DATABASE_URL=postgres://postgres@…``), ``create_db_roles``
  is checked on a scratch database: an installation a superuser migrated is handed to the owner,
  the rights are as above, new tables get them, and a second run changes nothing.
- On SQLite there are no roles: skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import environ
import psycopg
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from dsar.core.db_roles import TRAIL, as_owner, owner_configured, protect, runtime_problems
from dsar.organizations.models import Role
from dsar.requests import chain
from dsar.requests.models import EventKind, RequestEvent
from dsar.requests.services import request_note
from tests.letters.conftest import TODAY, Seeds, log_request, staff

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = connection.vendor == "postgresql"
SPLIT = POSTGRES and owner_configured()

pytestmark = pytest.mark.skipif(not POSTGRES, reason="database roles are PostgreSQL's")

#: What the runtime role tries against the audit trail; each one is refused.
TAMPERING = {
    "disable its trigger": f"ALTER TABLE {TRAIL} DISABLE TRIGGER requests_event_append_only",
    "disable every trigger": f"ALTER TABLE {TRAIL} DISABLE TRIGGER ALL",
    "drop its trigger": f"DROP TRIGGER requests_event_append_only ON {TRAIL}",
    "replace the trigger's function": (
        "CREATE OR REPLACE FUNCTION requests_event_append_only() RETURNS trigger "
        "AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"
    ),
    "alter it": f"ALTER TABLE {TRAIL} ADD COLUMN forged text",
    "take it over": f"ALTER TABLE {TRAIL} OWNER TO CURRENT_USER",
    "truncate it": f"TRUNCATE {TRAIL}",
    "drop it": f"DROP TABLE {TRAIL}",
    "rewrite an event": "UPDATE requests_requestevent SET summary = 'Forged.' WHERE id = %(id)s",
    "move an event": "UPDATE requests_requestevent SET request_id = request_id WHERE id = %(id)s",
    "rewrite a hash": "UPDATE requests_requestevent SET hash = repeat('0', 64) WHERE id = %(id)s",
    "delete an event": "DELETE FROM requests_requestevent WHERE id = %(id)s",
    "create a table": "CREATE TABLE dsar_forged (id integer)",
    "truncate another table": "TRUNCATE django_session",
}
REFUSED = "permission denied|must be owner|append-only"


def refused(sql: str, params: dict[str, Any] | None = None) -> str:
    """The database's refusal of ``sql`` on the default connection (which rolls back)."""
    with (
        pytest.raises(DatabaseError, match=REFUSED) as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(caught.value)


# -- As the runtime role, on the test database the owner migrated ---------------------------------


@pytest.fixture
def committed(_seeded: Any, transactional_db: None) -> None:
    """Rows committed, for the owner's connection to see them: the package's seeds live in a
    transaction that is never committed, which ends first (tests/security/conftest.py), and
    the owner's commands (flush) are not run inside a transaction of the runtime role's."""
    _seeded.close()


@pytest.mark.skipif(not SPLIT, reason="runs as the runtime role (DATABASE_OWNER_URL set)")
def test_the_runtime_role_appends_to_the_trail_and_cannot_rewrite_it(committed: None) -> None:
    runtime = connection.settings_dict["USER"]
    # The application works: a request logged, an event appended (the hash chain too).
    with time_machine.travel(TODAY, tick=False):
        seeds = Seeds()
        alice = staff("alice", seeds["img"], Role.PRIVACY_OFFICER)
        request = log_request(seeds)
        request_note(request=request, actor=alice, text="Called the requester back.")
    trail = list(RequestEvent.objects.filter(request=request).order_by("id"))
    assert [event.kind for event in trail] == [EventKind.RECEIVED, EventKind.NOTE]
    assert trail[1].prev_hash == trail[0].hash
    assert trail[1].hash == chain.event_hash(trail[1], trail[0].hash)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == runtime

    # ...and cannot touch what it wrote: its rights stop it before the trigger would, but for
    # the hash, which it may set once, from empty, and the summary, whose quoted reason a purge
    # may blank (the trigger refuses any other change of them).
    for what, sql in TAMPERING.items():
        why = refused(sql, {"id": trail[0].pk})
        assert ("append-only" in why) == (what in ("rewrite a hash", "rewrite an event")), (
            what,
            why,
        )
    assert list(RequestEvent.objects.filter(request=request).order_by("id")) == trail
    assert trail[0].summary == RequestEvent.objects.get(pk=trail[0].pk).summary

    # The owner may change the schema, but the trigger still refuses it a rewritten event.
    with as_owner() as was:
        assert was == runtime
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] != runtime
        assert "append-only" in refused(TAMPERING["rewrite an event"], {"id": trail[0].pk})
        assert "append-only" in refused(TAMPERING["delete an event"], {"id": trail[0].pk})
    assert RequestEvent.objects.get(pk=trail[0].pk).summary == trail[0].summary


@pytest.mark.skipif(not SPLIT, reason="runs as the runtime role (DATABASE_OWNER_URL set)")
@pytest.mark.django_db
def test_every_table_is_the_owners_and_the_runtime_roles_rights_are_rows_only() -> None:
    """Every app's tables, the ones added since included: the default privileges gave them."""
    runtime = connection.settings_dict["USER"]
    with connection.cursor() as cursor:
        assert runtime_problems(cursor, runtime) == []
        cursor.execute(
            "SELECT c.relname, pg_get_userbyid(c.relowner),"
            " has_table_privilege(%(r)s, c.oid, 'SELECT'),"
            " has_table_privilege(%(r)s, c.oid, 'INSERT'),"
            " has_table_privilege(%(r)s, c.oid, 'UPDATE'),"
            " has_table_privilege(%(r)s, c.oid, 'DELETE'),"
            " has_table_privilege(%(r)s, c.oid, 'TRUNCATE')"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')",
            {"r": runtime},
        )
        tables = {name: rights for name, *rights in cursor.fetchall()}
        cursor.execute(
            "SELECT attname, has_column_privilege(%s, attrelid, attnum, 'UPDATE') "
            "FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped",
            [runtime, TRAIL],
        )
        trail_columns = dict(cursor.fetchall())
        cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [runtime])
        assert cursor.fetchone()[0] is False
    owners = {owner for owner, *_ in tables.values()}
    assert len(owners) == 1 and runtime not in owners
    prefixes = ("auth_", "django_session", "django_q_", "requests_", "letters_", "reminders_")
    for prefix in prefixes:
        assert any(name.startswith(prefix) for name in tables), prefix
    assert tables.pop(TRAIL)[1:] == [True, True, False, False, False]
    assert tables.pop("django_migrations")[1:] == [True, False, False, False, False]
    for name, (_, *rights) in tables.items():
        assert rights == [True, True, True, True, False], name
    # Of the trail's columns, the hash chain's (set once) and the two a purge blanks reasons in.
    assert {column for column, may in trail_columns.items() if may} == {
        "prev_hash",
        "hash",
        "summary",
        "data",
    }


@pytest.mark.skipif(not SPLIT, reason="runs as the runtime role (DATABASE_OWNER_URL set)")
def test_schema_commands_run_as_the_owner(committed: None) -> None:
    """flush (transactional tests' teardown) and createcachetable go through the owner role;
    without it the runtime role may not even truncate."""
    assert "permission denied" in refused("TRUNCATE django_session")
    call_command("flush", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == connection.settings_dict["USER"]


# -- As a superuser: create_db_roles on a scratch database ----------------------------------------


def psql(settings_dict: dict[str, Any], name: str, sql: str) -> list[tuple[Any, ...]]:
    """Run ``sql`` on database ``name`` with ``settings_dict``'s credentials (autocommit)."""
    with psycopg.connect(**connect_args(settings_dict, name), autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def connect_args(settings_dict: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": int(settings_dict["PORT"] or 5432),
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "dbname": name,
    }


def url(settings_dict: dict[str, Any], name: str) -> str:
    s = settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def superuser() -> dict[str, Any]:
    """A superuser's settings: ``DSAR_TEST_ADMIN_DATABASE_URL``'s, or the suite's own."""
    admin = os.environ.get("DSAR_TEST_ADMIN_DATABASE_URL")
    settings_dict = environ.Env.db_url_config(admin) if admin else connection.settings_dict
    try:
        rows = psql(settings_dict, "postgres", "SELECT rolsuper FROM pg_roles "
                    "WHERE rolname = current_user")  # fmt: skip
    except psycopg.OperationalError as error:  # no such server or role: nothing to check with
        pytest.skip(f"no superuser connection: {error}")
    if not rows[0][0]:
        pytest.skip("needs a superuser: DSAR_TEST_ADMIN_DATABASE_URL, or the suite run as one")
    return settings_dict


@pytest.fixture
def scratch(superuser: dict[str, Any]) -> Iterator[dict[str, str]]:
    """A database, and two role names, that exist for one test."""
    tag = uuid.uuid4().hex[:8]
    names = {"db": f"dsar_roles_{tag}", "owner": f"dsar_o_{tag}", "runtime": f"dsar_r_{tag}"}
    names |= {"owner_password": uuid.uuid4().hex, "runtime_password": uuid.uuid4().hex}
    psql(superuser, "postgres", f"CREATE DATABASE {names['db']}")
    try:
        yield names
    finally:
        psql(superuser, "postgres", f"DROP DATABASE IF EXISTS {names['db']} WITH (FORCE)")
        for role in (names["runtime"], names["owner"]):
            psql(superuser, "postgres", f"DROP ROLE IF EXISTS {role}")


# What a superuser's `migrate` leaves: tables (an identity and a serial column), a view, the
# append-only trigger and its function (requests 0010's), an extension's objects (which stay the
# extension's).
LEGACY = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE requests_privacyrequest (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
CREATE TABLE requests_requestevent (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    request_id bigint NOT NULL REFERENCES requests_privacyrequest (id),
    summary text NOT NULL,
    prev_hash varchar(64) NOT NULL DEFAULT '',
    hash varchar(64) NOT NULL DEFAULT ''
);
CREATE TABLE django_session (session_key varchar(40) PRIMARY KEY, n serial);
CREATE VIEW recent_events AS SELECT id, summary FROM requests_requestevent;
CREATE FUNCTION requests_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash = '' AND NEW.hash <> ''
       AND (to_jsonb(NEW) - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'request events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER requests_event_append_only BEFORE UPDATE OR DELETE ON requests_requestevent
    FOR EACH ROW EXECUTE FUNCTION requests_event_append_only();
INSERT INTO requests_privacyrequest DEFAULT VALUES;
INSERT INTO requests_requestevent (request_id, summary) VALUES (1, 'Received.');
"""


def create_db_roles(
    superuser: dict[str, Any], names: dict[str, str], runtime: str = ""
) -> subprocess.CompletedProcess[str]:
    """``manage.py create_db_roles --password-from-env``, as an operator runs it: a process of
    its own, with a superuser's DATABASE_URL."""
    env = {
        **os.environ,
        "DATABASE_URL": url(superuser, names["db"]),
        "DSAR_DB_OWNER_PASSWORD": names["owner_password"],
        "DSAR_DB_RUNTIME_PASSWORD": names["runtime_password"],
    }
    env.pop("DATABASE_OWNER_URL", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "create_db_roles", "--password-from-env",
         "--owner", names["owner"], "--runtime", runtime or names["runtime"]],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def as_role(superuser: dict[str, Any], names: dict[str, str], role: str) -> dict[str, Any]:
    return {**superuser, "USER": names[role], "PASSWORD": names[f"{role}_password"]}


def test_create_db_roles_hands_an_installation_to_the_owner(
    superuser: dict[str, Any], scratch: dict[str, str]
) -> None:
    db, owner, runtime = scratch["db"], scratch["owner"], scratch["runtime"]
    psql(superuser, db, LEGACY)

    done = create_db_roles(superuser, scratch)
    assert done.returncode == 0, done.stdout + done.stderr
    first = done.stdout
    assert "password set" in first
    assert f"role {owner}: created" in first and f"role {runtime}: created" in first
    assert f"owner was {superuser['USER']}, now {owner}" in first
    assert f"given to {owner}" in first

    objects = psql(
        superuser,
        db,
        "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r','S','v') "
        "UNION ALL SELECT proname, pg_get_userbyid(proowner) FROM pg_proc "
        "WHERE proname IN ('requests_event_append_only', 'similarity')",
    )
    owners = dict(objects)
    assert owners.pop("similarity") == superuser["USER"]  # pg_trgm's own
    assert set(owners.values()) == {owner}, owners
    assert len(owners) == 8  # 3 tables, their 3 sequences, the view, the function

    # Later tables (any migration's) are the runtime role's by the default privileges.
    owner_role = as_role(superuser, scratch, "owner")
    psql(owner_role, db, "CREATE TABLE later_table (id bigserial PRIMARY KEY, note text)")
    runtime_role = as_role(superuser, scratch, "runtime")
    psql(runtime_role, db, "INSERT INTO later_table (note) VALUES ('x')")
    psql(runtime_role, db, "UPDATE later_table SET note = 'y'")
    psql(runtime_role, db, "DELETE FROM later_table")
    psql(
        runtime_role,
        db,
        "INSERT INTO requests_requestevent (request_id, summary) VALUES (1, 'Noted.')",
    )
    psql(
        runtime_role,
        db,
        "UPDATE requests_requestevent SET prev_hash = 'p', hash = 'h' WHERE hash = ''",
    )
    for sql in [
        "TRUNCATE later_table",
        "DROP TABLE later_table",
        "CREATE TABLE forged (id integer)",
        f"ALTER TABLE {TRAIL} DISABLE TRIGGER ALL",
        f"TRUNCATE {TRAIL}",
        f"DROP TABLE {TRAIL}",
        "UPDATE requests_requestevent SET request_id = 1",
        "DELETE FROM requests_requestevent",
        "UPDATE recent_events SET summary = 'Nothing happened.'",
        f"SET ROLE {owner}",
    ]:
        with pytest.raises(psycopg.Error, match=r"permission denied|must be owner") as caught:
            psql(runtime_role, db, sql)
        assert caught.value.sqlstate == "42501", sql
    # The summary may be updated (a purge blanks the reasons it quotes), as the trigger allows:
    # not this.
    with pytest.raises(psycopg.Error, match="append-only") as caught:
        psql(runtime_role, db, "UPDATE requests_requestevent SET summary = 'Nothing happened.'")
    assert caught.value.sqlstate == "42501"
    with pytest.raises(psycopg.Error, match="append-only"):
        psql(owner_role, db, "UPDATE requests_requestevent SET summary = 'Nothing happened.'")

    # Rights granted past the exceptions are cut back by `migrate` (db_roles.protect), for
    # every role but the owner, each keeping only what it had.
    psql(
        owner_role,
        db,
        f"GRANT ALL ON requests_requestevent TO {runtime}; "
        "GRANT SELECT ON requests_requestevent TO PUBLIC; "
        f"GRANT SELECT, INSERT ON later_table TO {runtime}",
    )
    with psycopg.connect(**connect_args(owner_role, db)) as conn:
        assert protect(conn.cursor()) == [f'requests_requestevent: "{runtime}"']
        assert protect(conn.cursor()) == []
    trail = psql(superuser, db, "SELECT relacl::text FROM pg_class WHERE relname = "
                 "'requests_requestevent'")[0][0]  # fmt: skip
    assert f"{runtime}=ar/{owner}" in trail and f"=r/{owner}" in trail

    # Run again: nothing to create, nothing to hand over; the rights are the same.
    rights = (
        "SELECT relname, relacl::text, attname, attacl::text FROM pg_class "
        "LEFT JOIN pg_attribute ON attrelid = pg_class.oid AND attacl IS NOT NULL "
        "WHERE relname IN ('later_table', 'requests_requestevent') ORDER BY 1, 3"
    )
    before = psql(superuser, db, rights)
    again = create_db_roles(superuser, scratch)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "created" not in again.stdout and "given to" not in again.stdout
    assert psql(superuser, db, rights) == before

    # A superuser is nobody's runtime role (nor demoted: it is someone else's).
    refused_ = create_db_roles(superuser, scratch, runtime=superuser["USER"])
    assert refused_.returncode == 1
    assert "the role this runs as" in refused_.stderr or "superuser" in refused_.stderr


def test_create_db_roles_refuses_one_role_for_both_and_odd_names() -> None:
    for args, message in [
        (["--owner", "dsar_x", "--runtime", "dsar_x"], "two roles"),
        (["--owner", "Robert'); DROP ROLE postgres; --", "--runtime", "dsar_x"], "role name"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("create_db_roles", *args)
