"""System checks: letters hold personal data and must never sit where the web server serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from dsar.letters.storage import is_public_path


@register()
def check_private_storage(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    root = getattr(settings, "PRIVATE_STORAGE_ROOT", None)
    if not root:
        return [
            Error(
                "PRIVATE_STORAGE_ROOT is not set.",
                hint="Letters and data packages are stored there; set it to a private folder.",
                id="letters.E001",
            )
        ]
    if is_public_path(Path(root)):
        return [
            Error(
                f"PRIVATE_STORAGE_ROOT ({root}) lies inside a static or media folder.",
                hint="Letters hold personal data: keep them out of every served folder.",
                id="letters.E002",
            )
        ]
    return []
