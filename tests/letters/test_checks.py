"""The system check that keeps letters out of every served folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dsar.letters.checks import check_private_storage


def test_a_private_root_outside_the_served_folders_passes(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.STATIC_ROOT = tmp_path / "static"

    assert check_private_storage() == []


def test_a_private_root_inside_static_or_media_fails(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "media"
    for inside in (tmp_path / "static" / "private", tmp_path / "media" / "letters"):
        settings.PRIVATE_STORAGE_ROOT = inside

        assert [error.id for error in check_private_storage()] == ["letters.E002"]


def test_a_missing_private_root_fails(settings: Any) -> None:
    settings.PRIVATE_STORAGE_ROOT = None

    assert [error.id for error in check_private_storage()] == ["letters.E001"]
