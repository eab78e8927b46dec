"""A real S3-compatible server for the tests: moto in server mode, as a child process.

Not a mock of our code: the storage talks HTTP to it through boto3 exactly as it would to AWS S3
or MinIO, conditional writes included (``If-None-Match: *`` is refused with 412 for a taken
key). Each test gets its own bucket; the server runs once per session.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REGION = "us-east-1"
ACCESS_KEY = "dsar-test-access-key"
SECRET_KEY = "dsar-test-secret-key"  # moto accepts any


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@dataclass
class MotoServer:
    process: subprocess.Popen[bytes]
    endpoint: str

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self, name: str = "") -> str:
        name = name or f"dsar-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def url(self, bucket: str, prefix: str = "") -> str:
        """PRIVATE_STORAGE_URL for ``bucket`` on this server."""
        path = f"/{prefix}" if prefix else ""
        return f"s3://{bucket}{path}?endpoint={self.endpoint}&region={REGION}&addressing=path"

    def storage_options(self, bucket: str, prefix: str = "") -> dict[str, Any]:
        """STORAGES["private"] for ``bucket``, as dsar.settings makes it from ``url``."""
        from dsar.settings import private_storage_backend

        backend = private_storage_backend(self.url(bucket, prefix))
        backend["OPTIONS"].update(access_key=ACCESS_KEY, secret_key=SECRET_KEY)
        return backend

    def env(self, bucket: str, prefix: str = "") -> dict[str, str]:
        """The environment of a child process that keeps its files in ``bucket``."""
        return {
            "PRIVATE_STORAGE_URL": self.url(bucket, prefix),
            "PRIVATE_STORAGE_ACCESS_KEY_ID": ACCESS_KEY,
            "PRIVATE_STORAGE_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start(log: Path, host: str = "127.0.0.1", timeout: float = 30) -> MotoServer:
    """Start ``moto_server`` on a free port of ``host``; return once it answers."""
    port = free_port(host)
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "false"},
    )
    server = MotoServer(process, f"http://{host}:{port}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server ended: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.endpoint}/moto-api/", timeout=1):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"moto_server did not answer in {timeout}s: {log.read_text()}")
