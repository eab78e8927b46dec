"""A newcomer's first hour, from a fresh clone: ``make demo``, a request on the public form, its
confirmation from the demo mailbox page, and the request on the staff home.

The repository's committed HEAD is cloned into a temporary folder and ``make demo`` runs there
as the README says, on a free port, with its own SQLite database and var/ (no DATABASE_URL). It
reuses this checkout's virtual environment (``VENV=…``, its install stamp marked up to date with
``make -o``) rather than installing one: the install is pip's job, the rest is the demo's. The
staff login is the one ``demo_setup`` prints. Slow (migrations, seeds, a server and a task
cluster): ``DSAR_SLOW_TESTS=1`` runs it, as CI does.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ops_restore.slow import only_when_asked, require
from tests.reminders.processes import free_port, group_members

pytestmark = [pytest.mark.browser, only_when_asked]

HERE = Path(__file__).resolve().parent
#: What a fresh clone's first `make demo` may take here: migrations, five seed organizations
#: with their demo requests, then the server.
START_TIMEOUT = 600
#: How long the task cluster may take to send an email.
MAIL_TIMEOUT = 90
#: Environment a newcomer's shell would have; nothing of this test run's settings (pytest-env
#: sets DEBUG=false, CI sets DATABASE_URL).
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")


@dataclass
class Demo:
    url: str
    username: str
    password: str
    log: Path


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _running_from(folder: Path) -> list[int]:
    """The live processes whose working directory is in ``folder``: what escaped the group."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc / "cwd")
        except OSError:  # gone, a zombie, or not ours to read
            continue
        if cwd == str(folder) or cwd.startswith(f"{folder}/"):
            found.append(int(proc.name))
    return found


def _describe(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        ppid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    except OSError:
        return str(pid)
    return f"{pid} (parent {ppid}): {command.strip()}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop `make demo` and everything it started (its process group) with SIGTERM, as a
    supervisor or `timeout` would, then SIGKILL whatever is still there 30 s later. Not SIGINT:
    a process started in the background by a non-interactive shell (CI's, this test's parent)
    inherits SIGINT ignored."""
    pgid = process.pid
    _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.5)
    if left := group_members(pgid):
        what = [_describe(pid) for pid in left]
        warnings.warn(f"make demo ignored SIGTERM for 30 s: killing {what}", stacklevel=1)
        _signal_group(pgid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.2)
    process.wait(timeout=10)


def _wait_until_served(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make demo stopped ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    pytest.fail(f"make demo did not answer within {START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """`make demo` in a fresh clone of this repository, until the test ends."""
    require(bool(subprocess.run(["which", "make"], capture_output=True).stdout), "needs make")
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=HERE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    clone = tmp_path / "dsar"
    subprocess.run(["git", "clone", "--quiet", top, str(clone)], check=True)
    venv = Path(sys.prefix)  # this run's virtual environment: the one `make test` made
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    env["PYTHONUNBUFFERED"] = "1"
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                "-o",
                f"{venv}/.installed-app",
                "demo",
                f"VENV={venv}",
                "HOST=127.0.0.1",
                f"PORT={port}",
            ],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped whole at the end
        )
    try:
        _wait_until_served(url, process, log)
        printed = log.read_text()
        login = re.search(r"username: (\S+)\s+password: (\S+)", printed)
        assert login, printed[-4000:]
        assert f"{url}/staff/mailbox/" in printed
        yield Demo(url, login.group(1), login.group(2), log)
    finally:
        _stop(process)
        # What left the group (the task cluster has a group of its own, which rundemo stops)
        # still runs in the clone: killed here if rundemo failed to, and the test fails.
        # A process killed a moment ago may still be exiting: given a few seconds to go.
        deadline = time.monotonic() + 10
        while (escaped := _running_from(clone)) and time.monotonic() < deadline:
            time.sleep(0.2)
        described = [_describe(pid) for pid in escaped]
        for pid in escaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert group_members(process.pid) == []
    assert escaped == [], f"make demo left processes behind: {described}\n{log.read_text()[-4000:]}"


def test_fresh_clone_make_demo_form_mailbox_confirmation_dashboard(demo: Demo, page: Page):
    page.set_default_timeout(20_000)
    # A request on IMG's public form.
    page.goto(f"{demo.url}/o/img/request/")
    page.locator("#id_right_access").check()
    page.locator("#id_name").fill("Dana Data")
    page.locator("#id_email").fill("dana@example.org")
    page.locator("#id_residence").select_option("FR")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    reference = page.locator(".reference").inner_text().strip()

    # The demo mailbox, signed in with the login make demo printed.
    page.goto(f"{demo.url}/staff/mailbox/")
    page.get_by_label("Username").fill(demo.username)
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Demo mailbox")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="dana@example.org")
    deadline = time.monotonic() + MAIL_TIMEOUT
    while not row.count() and time.monotonic() < deadline:  # the task cluster sends it
        time.sleep(2)
        page.reload()
    expect(row.first).to_be_visible()
    row.first.get_by_role("link").click()

    # The confirmation email, its link followed.
    expect(page.locator(".mailbox-text")).to_contain_text(reference)
    page.locator(".mailbox-text").get_by_role("link").filter(has_text="/confirm/").first.click()
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your request {reference}")

    # The request on the staff home, among what needs doing today.
    page.goto(f"{demo.url}/staff/")
    expect(page.get_by_role("heading", name="What needs doing today")).to_be_visible()
    unassigned = page.locator(".pile-unassigned")
    expect(unassigned.get_by_role("link", name=reference)).to_be_visible()
    unassigned.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
