"""Write-once storage for letters and data packages, outside every public path.

Files live under ``settings.PRIVATE_STORAGE_ROOT`` and have no URL: they are only ever served by a
view that checks who is asking. A file is created with ``O_EXCL`` (Django's FileSystemStorage
never overwrites when ``allow_overwrite`` is off) and made read-only, so an issued letter cannot
be rewritten in place, not even by a bug in this app.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_STORAGE_ROOT, read at each use (tests change it)."""

    def __init__(self) -> None:
        super().__init__(
            file_permissions_mode=0o440, directory_permissions_mode=0o750, allow_overwrite=False
        )

    @property  # type: ignore[override]
    def base_location(self) -> str:
        root = getattr(settings, "PRIVATE_STORAGE_ROOT", None)
        if not root:
            raise ImproperlyConfigured("PRIVATE_STORAGE_ROOT must be set to store letters.")
        return str(root)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property  # type: ignore[override]
    def base_url(self) -> None:
        # No URL: ``url()`` raises, so no template can link a private file by accident.
        return None

    def save_once(self, name: str, content: bytes) -> str:
        """Write ``content`` under ``name``; refuse (FileExistsError) if the name is taken."""
        if self.exists(name):
            raise FileExistsError(name)
        saved = self.save(name, ContentFile(content))
        if saved != name:  # pragma: no cover - exists() raced with another writer
            self.delete(saved)
            raise FileExistsError(name)
        return saved


@cache
def private_storage() -> PrivateStorage:
    """The storage of every file field of this app (a callable, so migrations stay stable)."""
    return PrivateStorage()


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


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
