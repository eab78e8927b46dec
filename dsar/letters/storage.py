"""Write-once private storage for letters, data packages and uploads, never public.

Every private file of dsar (issued letters, data packages, the files of data items, agents'
authorizations and the files released on the status page) goes through one named storage,
``STORAGES["private"]``, which ``settings.PRIVATE_STORAGE_URL`` chooses:

- ``PrivateStorage`` (the embedded default): the folder ``PRIVATE_STORAGE_ROOT`` on this machine,
  outside every public path. A file is created with ``O_EXCL`` (Django's FileSystemStorage never
  overwrites when ``allow_overwrite`` is off) and made read-only.
- ``PrivateS3Storage`` (``dsar.letters.storage_s3``, loaded only when configured): a bucket of
  any S3-compatible object store (django-storages), which every node of an installation shares.
  A file is written by a *conditional* ``PUT`` (``If-None-Match: *``): the store itself refuses
  a second write under a taken name, however many nodes race. A store without conditional writes
  (``conditional_writes=false`` in the URL) gets a ``HEAD`` check before the ``PUT``; that leaves
  a race between the two, which the names close instead: every name dsar writes has a random
  part (``uuid4``, ``token_hex``), so two writers never choose the same one.

Both refuse the rest of what could expose or rewrite a file: no URL (``url()`` raises, so no
template can link a private file, and nothing is ever made public: files are streamed through
the views that check who is asking), no file opened for writing, and ``read_verified`` checks the
SHA-256 recorded when a file was written before anything is served: a mismatch is logged and
refused (``TamperedFileError``), never served.

``private_storage()`` returns a proxy to ``storages["private"]`` that follows changes of
``STORAGES`` (tests switch backends); model fields name the function, so migrations stay stable.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)

#: The name of the storage in ``settings.STORAGES``.
ALIAS = "private"
#: Bytes read at a time when a file is hashed or copied.
CHUNK = 1024 * 1024
NO_URL = "This file is not accessible via a URL."


class TamperedFileError(Exception):
    """A stored file no longer matches the SHA-256 recorded when it was written."""


class WriteOnceStorage:
    """What both backends add to Django's Storage API (a mixin: the backend comes after it)."""

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        raise ValueError(NO_URL)

    def save_once(self, name: str, content: bytes, *, owner_only: bool = False) -> str:
        """Write ``content`` under ``name``; FileExistsError if the name is taken.

        ``owner_only``: on a local disk, readable by this account alone (uploads of the public
        form); an object store has no such notion (its bucket policy is private as a whole)."""
        raise NotImplementedError

    def open_verified(self, name: str, sha256: str, *, what: str = "file") -> IO[bytes]:
        """The file, read once to check its SHA-256 against ``sha256``, rewound for serving.

        Kept in memory up to a few MB, then in a temporary file. FileNotFoundError when it is
        gone; TamperedFileError (logged, with ``what`` and the name: no personal data) when its
        bytes are not the ones written."""
        import tempfile

        spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 - returned
        digest = hashlib.sha256()
        try:
            with self.open(name, "rb") as handle:  # type: ignore[attr-defined]
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    digest.update(chunk)
                    spool.write(chunk)
        except BaseException:
            spool.close()
            raise
        if digest.hexdigest() != sha256:
            spool.close()
            logger.error("private storage: %s %s fails its SHA-256: not served", what, name)
            raise TamperedFileError(f"{what}: stored file fails SHA-256")
        spool.seek(0)
        return spool

    def read_verified(self, name: str, sha256: str, *, what: str = "file") -> bytes:
        """The bytes of ``name``, checked as ``open_verified`` checks them."""
        with self.open_verified(name, sha256, what=what) as handle:
            return handle.read()

    def sha256_of(self, name: str) -> str:
        """The SHA-256 of what is stored under ``name`` now (FileNotFoundError if nothing)."""
        digest = hashlib.sha256()
        with self.open(name, "rb") as handle:  # type: ignore[attr-defined]
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def walk(self, prefix: str) -> Iterator[tuple[str, datetime.datetime]]:
        """Every file whose name starts with the folder ``prefix``, with when it was written."""
        raise NotImplementedError


class PrivateStorage(WriteOnceStorage, FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_STORAGE_ROOT, read at each use (tests change it)."""

    def __init__(self) -> None:
        super().__init__(
            file_permissions_mode=0o440, directory_permissions_mode=0o750, allow_overwrite=False
        )

    @property
    def base_location(self) -> str:
        root = getattr(settings, "PRIVATE_STORAGE_ROOT", None)
        if not root:
            raise ImproperlyConfigured("PRIVATE_STORAGE_ROOT must be set to store letters.")
        return str(root)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]  # None on purpose, a str in the parent
        # No URL: ``url()`` raises, so no template can link a private file by accident.
        return None

    def _open(self, name: str, mode: str = "rb") -> File:
        if any(flag in mode for flag in "wa+x"):
            raise PermissionError("private files are written once, with save_once")
        return super()._open(name, mode)  # type: ignore[misc]  # the stubs lack this method

    def save_once(self, name: str, content: bytes, *, owner_only: bool = False) -> str:
        if owner_only:
            # The folder of the public form's uploads: this account alone, as intake made it.
            Path(self.path(posixpath.dirname(name))).mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.exists(name):
            raise FileExistsError(name)
        saved = self.save(name, ContentFile(content))
        if saved != name:  # pragma: no cover - exists() raced with another writer
            self.delete(saved)
            raise FileExistsError(name)
        if owner_only:
            os.chmod(self.path(saved), 0o400)
        return saved

    def walk(self, prefix: str) -> Iterator[tuple[str, datetime.datetime]]:
        root = Path(self.location)
        base = Path(self.path(prefix))
        if not base.is_dir():
            return
        for folder, _dirs, names in os.walk(base):
            for filename in names:
                path = Path(folder) / filename
                modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
                yield path.relative_to(root).as_posix(), modified


class _PrivateStorageProxy(LazyObject):
    """``storages["private"]``, looked up again after STORAGES changes."""

    def _setup(self) -> None:
        self._wrapped = storages[ALIAS]


_private = _PrivateStorageProxy()


def private_storage() -> Any:
    """The storage of every private file (a callable, so that migrations stay stable)."""
    return _private


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        # ``empty`` is how Django resets a lazy object; the stubs type _wrapped as the storage.
        _private._wrapped = empty  # type: ignore[assignment]


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def is_local() -> bool:
    """Whether private files are in a folder of this machine (PRIVATE_STORAGE_ROOT)."""
    return isinstance(private_storage(), FileSystemStorage)


def is_public_path(path: Path) -> bool:
    """Whether ``path`` lies under a folder the web server serves (static or media)."""
    public = [getattr(settings, "STATIC_ROOT", None), getattr(settings, "MEDIA_ROOT", None)]
    public += list(getattr(settings, "STATICFILES_DIRS", []))
    resolved = path.resolve()
    for folder in public:
        if not folder:
            continue
        root = Path(folder[1] if isinstance(folder, tuple) else folder).resolve()
        # A private root inside a served folder would be served too.
        if resolved == root or root in resolved.parents:
            return True
    return False
