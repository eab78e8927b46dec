"""The backup and restore drill of docs/operations.md, as an operator runs it (slow).

1. An installation with requests, letters, a data package and a released file (committed).
2. Backup, in the documented order: ``pg_dump`` first, then the files (the folder, or every
   object of the bucket). A letter issued between the two is in the file copy and not in the
   dump: files are written once, so a later file set covers the dump, and an extra file is no
   break.
3. The originals are lost: the files deleted, the database flushed.
4. Restore into a fresh database (``createdb``, ``pg_restore``) and a fresh folder or bucket,
   ``manage.py migrate``, then ``manage.py verify_trail``, as separate processes with the
   installation's settings: nothing missing, nothing altered.
5. One event row is altered as the database owner can (the append-only trigger disabled) and one
   letter's PDF is rewritten in storage: ``verify_trail`` exits 1 and names both, by the
   request's reference and the event or letter, and nothing else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import environ
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from dsar.intake.services import release_file
from dsar.letters.models import DataPackage, Letter
from dsar.letters.services import data_item_add, letter_issue, package_build
from dsar.organizations.models import Role
from dsar.requests.models import PrivacyRequest, RequestEvent
from dsar.requests.services import request_note
from tests.letters.conftest import TODAY, Seeds, log_request, staff
from tests.ops_restore import slow
from tests.storage.fixtures import Backend, use_backend

pytestmark = [slow.only_when_asked, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# What the database's owner can do, and verify_trail must catch: the trigger off, a row rewritten.
TAMPER = """
BEGIN;
ALTER TABLE requests_requestevent DISABLE TRIGGER requests_event_append_only;
UPDATE requests_requestevent SET summary = 'Nothing happened.' WHERE id = %d;
ALTER TABLE requests_requestevent ENABLE TRIGGER requests_event_append_only;
COMMIT;
"""


def admin() -> dict[str, Any]:
    """Who runs the PostgreSQL tools: the operator's role. Where the tests run as the
    application's runtime role (``.ci/run``), which may not create databases, a superuser's
    ``DSAR_TEST_ADMIN_DATABASE_URL``; else the tests' own role."""
    url = os.environ.get("DSAR_TEST_ADMIN_DATABASE_URL", "")
    found = environ.Env.db_url_config(url) if url else connection.settings_dict
    return {key: found.get(key) or "" for key in ("HOST", "PORT", "USER", "PASSWORD")}


def pg_args() -> list[str]:
    s = admin()
    return ["-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"]]


def database_url(name: str) -> str:
    s = admin()
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PGPASSWORD": admin()["PASSWORD"]}
    env.update(kwargs.pop("env", {}))
    return subprocess.run(  # callers check the status
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a process of its own, with the settings an operator's shell has."""
    return run([sys.executable, str(ROOT / "manage.py"), *args], env=env)


def build_installation() -> dict[str, Any]:
    """Requests with letters, a data package, a released file; everything committed."""
    with time_machine.travel(TODAY, tick=False):
        seeds = Seeds()
        olivia = staff("olivia", seeds["img"], Role.PRIVACY_OFFICER)
        access = log_request(seeds)
        portability = log_request(seeds, right_kind="portability")
        log_request(seeds, "imt", jurisdiction="US-CA")
        letter = letter_issue(request=access, kind="acknowledgement", actor=olivia)
        request_note(request=access, actor=olivia, text="Called the requester back.")
        data_item_add(
            request=portability,
            actor=olivia,
            system="Helpdesk",
            category="Profile Data",
            content=b"ticket 1: hello\n",
            original_name="tickets.txt",
            content_type="text/plain",
        )
        data_item_add(
            request=portability,
            actor=olivia,
            system="CRM",
            category="Contact Data",
            records=[{"email": "dana@example.org"}],
        )
        cover = letter_issue(request=portability, kind="portability", actor=olivia)
        package_build(request=portability, cover_letter=cover, actor=olivia)
        release_file(
            request=access,
            title="Our answer",
            filename="answer.pdf",
            content=PDF,
            content_type="application/pdf",
            notify=False,
        )
    return {"letter": letter, "access": access, "olivia": olivia}


def copy_files(backend: Backend, target: Path) -> None:
    """The file half of the backup: the folder, or every object of the bucket."""
    if backend.kind == "local":
        assert backend.root is not None
        shutil.copytree(backend.root, target)
        return
    client = backend.server.client()  # type: ignore[union-attr]
    for name in backend.names():
        body = client.get_object(Bucket=backend.bucket, Key=backend.key(name))["Body"].read()
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(body)


def restore_files(backend: Backend, source: Path) -> dict[str, str]:
    """Put the copied files into a fresh folder or bucket; the environment that names it."""
    if backend.kind == "local":
        assert backend.root is not None
        restored = backend.root.parent / "restored-private"
        shutil.copytree(source, restored)
        return {"PRIVATE_STORAGE_ROOT": str(restored), "PRIVATE_STORAGE_URL": ""}
    server = backend.server
    assert server is not None
    bucket = server.new_bucket()
    client = server.client()
    for path in source.rglob("*"):
        if path.is_file():
            key = f"dsar/{path.relative_to(source).as_posix()}"
            client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
    return server.env(bucket, "dsar")


def lose_originals(backend: Backend) -> None:
    for name in backend.names():
        if backend.kind == "local":
            os.chmod(backend.root / name, 0o600)  # type: ignore[operator]
        backend.remove(name)
    call_command("flush", "--no-input", verbosity=0)


@pytest.mark.parametrize("kind", ["local", "s3"])
def test_backup_restore_and_verify(kind: str, request: Any, settings: Any, tmp_path: Path) -> None:
    slow.require(connection.vendor == "postgresql", "the drill needs PostgreSQL (DATABASE_URL)")
    slow.require_tools("pg_dump", "pg_restore", "createdb", "dropdb", "psql")
    backend = use_backend(request, settings, tmp_path, kind)
    built = build_installation()
    counts = {
        "requests": PrivacyRequest.objects.count(),
        "events": RequestEvent.objects.count(),
        "letters": Letter.objects.count(),
        "packages": DataPackage.objects.count(),
    }
    assert (counts["letters"], counts["packages"]) == (2, 1)

    # 2. The backup: the database first, then the files.
    dump = tmp_path / "dsar.dump"
    done = run(
        [
            "pg_dump",
            *pg_args(),
            "--format=custom",
            f"--file={dump}",
            connection.settings_dict["NAME"],
        ]
    )
    assert done.returncode == 0, done.stderr
    with time_machine.travel(TODAY, tick=False):  # written after the dump, before the copy
        letter_issue(request=built["access"], kind="acknowledgement", actor=built["olivia"])
    files = tmp_path / "backup-files"
    copy_files(backend, files)

    # 3. The originals are lost.
    lose_originals(backend)
    assert backend.names() == set() and not PrivacyRequest.objects.exists()

    # 4. The restore, into a fresh database and storage.
    name = f"dsar_drill_{uuid.uuid4().hex[:10]}"
    assert run(["createdb", *pg_args(), name]).returncode == 0
    try:
        done = run(
            [
                "pg_restore",
                *pg_args(),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={name}",
                str(dump),
            ]
        )
        assert done.returncode == 0, done.stderr
        # The restored installation, as its operator runs it (one role: no DATABASE_OWNER_URL).
        env = {
            "DATABASE_URL": database_url(name),
            "DATABASE_OWNER_URL": "",
            **restore_files(backend, files),
        }
        migrated = manage("migrate", "--no-input", env=env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        checked = manage("verify_trail", env=env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert (
            f"verify_trail: {counts['requests']} requests, {counts['events']} events, 5 files "
            "checked; 0 breaks"
        ) in checked.stdout  # 2 letters, 1 package, 1 data item, 1 released file

        # 5. One event row and one letter's PDF altered behind the application's back (the
        # original database is empty now: the event is looked up in the restored one).
        letter, reference = built["letter"], built["access"].reference
        event_id = int(
            run(
                [
                    "psql",
                    *pg_args(),
                    "-d",
                    name,
                    "-tAc",
                    "SELECT id FROM requests_requestevent WHERE kind = 'note' ORDER BY id LIMIT 1",
                ]
            ).stdout.strip()
        )
        tampered = run(
            ["psql", *pg_args(), "-d", name, "-v", "ON_ERROR_STOP=1", "-c", TAMPER % event_id]
        )
        assert tampered.returncode == 0, tampered.stderr
        if kind == "local":
            path = Path(env["PRIVATE_STORAGE_ROOT"]) / letter.file.name
            os.chmod(path, 0o600)
            path.write_bytes(b"%PDF-1.7 forged")
        else:
            bucket = env["PRIVATE_STORAGE_URL"].split("?")[0].removeprefix("s3://").split("/")[0]
            backend.server.client().put_object(  # type: ignore[union-attr]
                Bucket=bucket, Key=f"dsar/{letter.file.name}", Body=b"%PDF-1.7 forged"
            )
        checked = manage("verify_trail", env=env)

        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert checked.stdout.splitlines()[:2] == [
            f"{reference} event {event_id}: altered: its hash does not match what it says",
            f"{reference} letter {letter.pk} (L1): file altered: its SHA-256 differs",
        ]
        assert "2 breaks" in checked.stderr
        assert "Dana" not in checked.stdout + checked.stderr
    finally:
        run(["dropdb", *pg_args(), "--if-exists", name])
