"""Private files: uploads checked by their bytes, stored outside every public path.

An upload is accepted as PDF, PNG or JPEG only when its first bytes say so (the name and the
browser's content type are the sender's claims, not evidence). It is stored under
``settings.PRIVATE_STORAGE_ROOT`` with a random name, and only ever read back through
``open_private``, which refuses any path that would leave that folder.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

# Magic numbers: PDF 1.0-2.0 (ISO 32000) "%PDF-"; the PNG signature (RFC 2083 §3.1);
# JPEG's SOI marker followed by the first marker's 0xFF.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
CHUNK = 64 * 1024


def max_upload_bytes() -> int:
    """The largest upload accepted (``DSAR_INTAKE_MAX_UPLOAD_BYTES``, default 5 MB)."""
    return int(getattr(settings, "DSAR_INTAKE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None when they prove none we accept."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def private_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT).resolve()


def resolve_private(relative: str) -> Path:
    """The absolute path of a stored file; ValueError for anything outside the private root."""
    root = private_root()
    path = (root / relative).resolve()
    if not relative or path == root or root not in path.parents:
        raise ValueError("not a path under PRIVATE_STORAGE_ROOT")
    return path


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to PRIVATE_STORAGE_ROOT
    size: int
    sha256: str
    content_type: str


def store(chunks: Iterable[bytes], *, folder: str, content_type: str) -> StoredFile:
    """Write ``chunks`` to a new file with a random name in ``folder`` (created 0o700).

    The file is created exclusively with mode 0o600, so that no other account on the host reads
    it and no existing file is ever overwritten.
    """
    directory = resolve_private(folder)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = secrets.token_hex(16) + EXTENSIONS.get(content_type, ".bin")
    path = directory / name
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    relative = path.relative_to(private_root()).as_posix()
    return StoredFile(relative, size, digest.hexdigest(), content_type)


def move(relative: str, *, folder: str) -> str:
    """Move a stored file to ``folder`` (same name); returns its new relative path."""
    source = resolve_private(relative)
    directory = resolve_private(folder)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = directory / source.name
    os.replace(source, target)
    return target.relative_to(private_root()).as_posix()


def open_private(relative: str) -> IO[bytes]:
    return resolve_private(relative).open("rb")


def delete_private(relative: str) -> None:
    resolve_private(relative).unlink(missing_ok=True)


class CappedUploadHandler(FileUploadHandler):
    """Keeps at most ``limit + 1`` bytes of each uploaded file.

    Put first in ``request.upload_handlers``, it passes the first ``limit + 1`` bytes on to
    Django's memory or temporary-file handler and drops the rest, so a huge upload costs neither
    memory nor disk, the form still sees a file "larger than the limit" and says so, and the
    fields sent after the file are still read (stopping the upload would lose them).
    """

    def __init__(self, limit: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.seen = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        keep = self.limit + 1 - self.seen
        self.seen += len(raw_data)
        if keep <= 0:
            return None  # swallowed: no later handler sees it
        return raw_data[:keep]

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the UploadedFile
