"""Fixtures for the private storage on both backends; conftests import what they use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.storage import moto_server

LOCAL = {"BACKEND": "dsar.letters.storage.PrivateStorage"}


@pytest.fixture(scope="session")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[moto_server.MotoServer]:
    """One moto server for the session (each test takes a bucket of its own)."""
    pytest.importorskip("moto", reason="the test extra brings moto[server]")
    server = moto_server.start(tmp_path_factory.mktemp("moto") / "moto.log")
    yield server
    server.stop()


@dataclass
class Backend:
    """The private storage a test runs on, and a way around it (to alter what it holds)."""

    kind: str  # "local" or "s3"
    root: Path | None = None
    server: moto_server.MotoServer | None = None
    bucket: str = ""
    prefix: str = ""

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def overwrite(self, name: str, content: bytes) -> None:
        """Replace a stored file behind dsar's back (as an intruder or a bad disk would)."""
        if self.kind == "local":
            assert self.root is not None
            path = self.root / name
            os.chmod(path, 0o600)
            path.write_bytes(content)
        else:
            assert self.server is not None
            self.server.client().put_object(Bucket=self.bucket, Key=self.key(name), Body=content)

    def remove(self, name: str) -> None:
        if self.kind == "local":
            assert self.root is not None
            (self.root / name).unlink()
        else:
            assert self.server is not None
            self.server.client().delete_object(Bucket=self.bucket, Key=self.key(name))

    def names(self) -> set[str]:
        """Every name stored."""
        if self.kind == "local":
            assert self.root is not None
            if not self.root.exists():
                return set()
            files = (path for path in self.root.rglob("*") if path.is_file())
            return {path.relative_to(self.root).as_posix() for path in files}
        assert self.server is not None
        pages = self.server.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        start = len(self.prefix) + 1 if self.prefix else 0
        return {o["Key"][start:] for page in pages for o in page.get("Contents", ())}


def use_backend(
    request: pytest.FixtureRequest, settings: Any, tmp_path: Path, kind: str
) -> Backend:
    if kind == "local":
        settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
        settings.STORAGES = {**settings.STORAGES, "private": LOCAL}
        return Backend("local", root=tmp_path / "private")
    server = request.getfixturevalue("moto")
    bucket = server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "private": server.storage_options(bucket, "dsar")}
    return Backend("s3", server=server, bucket=bucket, prefix="dsar")


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Backend:
    """Each test that takes it runs twice: on a local folder, and in a bucket of moto."""
    return use_backend(request, settings, tmp_path, request.param)
