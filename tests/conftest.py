"""Fixtures shared by the whole suite: named staff personas and a real browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Debian's Chromium; Playwright's own browser download cannot reach its servers from here.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Hash test passwords with MD5: PBKDF2's deliberate slowness (about half a second per user
    on this machine) protects real passwords and only slows the suite. Tests of login still
    check a real password against a real hash."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def run_queued_tasks(prefix: str = "dsar.") -> int:
    """Run, in this thread and in order, the tasks queued on the cluster's broker (the ORM
    broker's table in tests) whose function starts with ``prefix``, as a worker would; returns
    how many ran. What a test posts queues its tasks; this is the cluster picking them up."""
    from pydoc import locate

    from django_q.models import OrmQ

    ran = 0
    for row in OrmQ.objects.order_by("id"):
        task = row.task
        func: Any = task["func"]
        if isinstance(func, str):
            if not func.startswith(prefix):
                continue
            func = locate(func)
        row.delete()
        func(*task.get("args", ()), **task.get("kwargs", {}))
        ran += 1
    return ran


def deliver_outbox() -> dict[str, int]:
    """Send what the outbox holds now, as the cluster would (``dsar.outbox``): first the tasks
    that queue emails (the resend lookup), then the sweep."""
    from dsar.outbox.delivery import deliver_queued

    run_queued_tasks("dsar.intake.jobs.")
    return deliver_queued()


@pytest.fixture
def delivered() -> Callable[[], dict[str, int]]:
    """``delivered()``: send the outbox now (``deliver_outbox``); returns what the pass did."""
    return deliver_outbox


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session. CI sets DSAR_REQUIRE_BROWSER=1 so a missing one fails."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("DSAR_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; apt-get install -y chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls our fixtures make
    # from it are still synchronous, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies shared between tests)."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
