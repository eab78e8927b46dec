"""System checks: private files must not be reachable through a public path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@register()
def check_private_storage(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """PRIVATE_STORAGE_ROOT holds agents' authorizations and released letters: it must be set,
    and neither inside nor around STATIC_ROOT, MEDIA_ROOT or a STATICFILES_DIRS folder."""
    root = getattr(settings, "PRIVATE_STORAGE_ROOT", None)
    if not root:
        return [Error("PRIVATE_STORAGE_ROOT is not set.", id="intake.E001")]
    private = Path(root).resolve()
    public = [settings.STATIC_ROOT, settings.MEDIA_ROOT, *settings.STATICFILES_DIRS]
    errors: list[CheckMessage] = []
    for folder in public:
        if not folder:
            continue
        folder_path = Path(folder[1] if isinstance(folder, tuple) else folder).resolve()
        if _inside(private, folder_path) or _inside(folder_path, private):
            errors.append(
                Error(
                    f"PRIVATE_STORAGE_ROOT ({private}) overlaps the public folder {folder_path}.",
                    hint="Keep private files outside every folder a web server serves.",
                    id="intake.E002",
                )
            )
    return errors
