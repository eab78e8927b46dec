"""Private files: uploads checked by their bytes, stored in the private storage, never public.

An upload is accepted as PDF, PNG or JPEG only when its first bytes say so (the name and the
browser's content type are the sender's claims, not evidence). It is stored with a random name in
the private storage (``dsar.letters.storage``: ``PRIVATE_STORAGE_ROOT`` or the bucket every node
shares), written once, and only ever read back through ``open_verified``, which checks the
SHA-256 recorded when it was stored and refuses a name that would leave its folder.
"""

from __future__ import annotations

import hashlib
import posixpath
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

# TamperedFileError: what open_verified raises, for the views to catch.
from dsar.letters.storage import TamperedFileError, private_storage  # noqa: F401

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
    return int(settings.DSAR_INTAKE_MAX_UPLOAD_BYTES)


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None when they prove none we accept."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_name(relative: str) -> str:
    """``relative`` if it names a file inside the private storage; ValueError otherwise."""
    clean = posixpath.normpath(relative or "")
    if (
        not relative
        or clean != relative
        or clean.startswith(("/", "../"))
        or clean in (".", "..")
        or "\\" in relative
    ):
        raise ValueError("not a name inside the private storage")
    return relative


def private_root() -> Path:
    """The folder of the private storage on this machine (the local backend only)."""
    return Path(settings.PRIVATE_STORAGE_ROOT).resolve()


def resolve_private(relative: str) -> Path:
    """The absolute path of a stored file on the local backend; ValueError for anything outside
    the private root."""
    root = private_root()
    path = (root / check_name(relative)).resolve()
    if path == root or root not in path.parents:
        raise ValueError("not a path under PRIVATE_STORAGE_ROOT")
    return path


@dataclass(frozen=True)
class StoredFile:
    path: str  # the name in the private storage
    size: int
    sha256: str
    content_type: str


def store(chunks: Iterable[bytes], *, folder: str, content_type: str) -> StoredFile:
    """Write ``chunks`` once, under a new random name in ``folder``.

    On a local disk the file is readable by this account alone (0o400, in a 0o700 folder), so
    that no other account on the host reads it; nothing is ever overwritten.
    """
    digest = hashlib.sha256()
    parts = []
    for chunk in chunks:
        digest.update(chunk)
        parts.append(chunk)
    content = b"".join(parts)
    name = f"{check_name(folder)}/{secrets.token_hex(16)}{EXTENSIONS.get(content_type, '.bin')}"
    saved = private_storage().save_once(name, content, owner_only=True)
    return StoredFile(saved, len(content), digest.hexdigest(), content_type)


def move(relative: str, *, folder: str) -> str:
    """Move a stored file to ``folder`` (same name); returns its new name.

    Files are written once, and an object store has no rename: the bytes are copied under the
    new name, then the old one is deleted."""
    storage = private_storage()
    with storage.open(check_name(relative), "rb") as handle:
        content = handle.read()
    target = f"{check_name(folder)}/{posixpath.basename(relative)}"
    saved = storage.save_once(target, content, owner_only=True)
    storage.delete(relative)
    return saved


def exists(relative: str) -> bool:
    return private_storage().exists(check_name(relative))


def open_verified(relative: str, sha256: str, *, what: str = "upload") -> IO[bytes]:
    """The stored file, checked against ``sha256`` first: TamperedFileError (logged) when its
    bytes are not those stored, OSError when it is gone, ValueError for a bad name."""
    return private_storage().open_verified(check_name(relative), sha256, what=what)


def delete_private(relative: str) -> None:
    private_storage().delete(check_name(relative))  # a file already gone is no error


def walk(folder: str) -> Iterator[tuple[str, datetime]]:
    """Every stored file in ``folder`` (and below) with the time it was written."""
    return private_storage().walk(check_name(folder))


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
