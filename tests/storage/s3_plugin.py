"""Run tests with the private storage in a bucket of a real S3-compatible server (moto).

    pytest -p tests.storage.s3_plugin tests/letters

The whole session then keeps letters, packages and uploads in one bucket (``STORAGES["private"]``
points there, as ``PRIVATE_STORAGE_URL=s3://…`` would make it), so the very tests that run on
the local folder run on S3. The few that look at the local folder itself are skipped here; each
has its counterpart on both backends in ``tests/storage``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

#: Tests that read the local folder itself (paths, file modes): their counterparts on both
#: backends are in tests/storage/apps/test_letters.py.
LOCAL_ONLY = {
    "tests/letters/test_immutability.py::test_the_stored_bytes_match_the_recorded_sha256",
    "tests/letters/test_immutability.py::test_a_failed_insert_leaves_no_file",
    "tests/letters/test_views.py::TestDownload::test_a_tampered_file_is_not_served",
    "tests/letters/test_housekeeping.py::test_after_retention_the_files_go_and_the_record_stays",
    "tests/letters/test_housekeeping.py::test_nothing_is_touched_before_the_retention_period_ends",
    "tests/letters/test_housekeeping.py::test_an_expired_package_loses_its_zip_and_keeps_its_row",
    "tests/letters/test_housekeeping.py::"
    "test_requests_purged_before_the_letters_hook_existed_are_caught_up",
}

_state: dict[str, Any] = {}


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    from tests.storage import moto_server

    folder = Path(tempfile.mkdtemp(prefix="dsar-moto-"))
    server = moto_server.start(folder / "moto.log")
    bucket = server.new_bucket()
    override = override_settings(
        STORAGES={**settings.STORAGES, "private": server.storage_options(bucket, "dsar")}
    )
    override.enable()
    _state.update(server=server, override=override)


def pytest_unconfigure(config: pytest.Config) -> None:
    if "override" in _state:
        _state.pop("override").disable()
    if "server" in _state:
        _state.pop("server").stop()


def pytest_report_header(config: pytest.Config) -> str:
    server = _state.get("server")
    return f"private storage: a bucket of moto at {server.endpoint}" if server else ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="looks at the local folder; tests/storage covers it on S3")
    for item in items:
        if item.nodeid in LOCAL_ONLY:
            item.add_marker(skip)
