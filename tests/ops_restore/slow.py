"""The switch for the slow tests (the restore drill, two nodes): ``DSAR_SLOW_TESTS=1``.

Off by default (``make test`` on a laptop stays quick); ``.ci/run`` turns it on. Once on, a test
that cannot run here fails instead of skipping: CI must not pass on a drill it did not do.
"""

from __future__ import annotations

import os
import shutil

import pytest

ON = os.environ.get("DSAR_SLOW_TESTS", "") not in ("", "0", "false")
REASON = "slow: DSAR_SLOW_TESTS=1 runs it (.ci/run does)"

only_when_asked = pytest.mark.skipif(not ON, reason=REASON)


def require(condition: bool, why: str) -> None:
    """Skip locally, fail in a slow run, when something the test needs is missing."""
    if not condition:
        pytest.fail(why) if ON else pytest.skip(why)


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    require(not missing, f"needs {', '.join(missing)} (apt-get install postgresql-client)")
