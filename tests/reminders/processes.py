"""Helpers for the tests that run sweeps and a cluster as real processes."""

from __future__ import annotations

import contextlib
import email
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def database_url() -> str:
    """The URL of the database this test uses (the *test* database), for a child process."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def shared_database(tmp_path: Path) -> tuple[str, Path | None]:
    """A DATABASE_URL a child process can share with this test: the PostgreSQL test database,
    or for SQLite (an in-memory test database) a file copy of it, also returned."""
    if connection.vendor == "postgresql":
        return database_url(), None
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}", path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group, read from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def children_of(pid: int) -> list[int]:
    """The processes ``pid`` started that are still its children, read from /proc."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update(extra)
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``manage.py <args>`` in a session of its own (so the test can end it and all of
    its children by its id)."""
    return subprocess.Popen(
        [*MANAGE, *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """End a process started by ``start``: ``sig`` to it (a cluster then stops its workers),
    and SIGKILL to its whole process group if it has not ended within ``timeout``."""
    if process.poll() is None:
        try:
            process.send_signal(sig)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # leftovers of the group, if any
    process.wait(timeout=timeout)


def wait_for(predicate: Callable[[], Any], timeout: float, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(step)
    return predicate()


@dataclass(frozen=True)
class FiledMail:
    to: str
    subject: str
    body: str


def read_mail(folder: Path, pattern: str = "*") -> list[FiledMail]:
    """Every message the file email backend wrote in the files of ``folder`` that match
    ``pattern`` (several per file: a sweep sends over one connection)."""
    found = []
    for path in sorted(folder.glob(pattern)):
        for chunk in path.read_bytes().split(SEPARATOR):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk)
            text = next(
                (
                    part.get_payload(decode=True).decode()
                    for part in message.walk()
                    if part.get_content_type() == "text/plain"
                ),
                None,
            )
            if text is None:
                continue  # a message still being written
            found.append(FiledMail(message["To"], message["Subject"], text))
    return found
