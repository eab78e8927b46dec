"""Fixtures shared by the whole suite: named staff personas and a real browser.

Personas (style rule 15), the same people in every folder: ``alice`` (and ``bob``) handle IMG's
requests, ``olivia`` is IMG's privacy officer, ``audrey`` audits IMG (read only), ``charlie``
handles iMT's requests and must never see IMG's, ``root`` is an administrator (superuser). Each
is staff, a member of one organization and in the group of that role, as the Membership admin
leaves them, with the password ``PASSWORD`` (hashed with MD5 in tests: cheap). ``img`` and
``imt`` are the organizations of the folder asking (each folder loads its seeds its own way).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from playwright.sync_api import Browser, Page

    from dsar.organizations.models import Organization

#: The password of every persona.
PASSWORD = "a-long-test-password"


def ensure_role_groups() -> None:
    """The role groups of migration 0003. A transactional test's flush empties auth_group, and
    migrations do not run again, so browser tests call this (it is idempotent)."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=["Privacy officer", "Request handler"]).count() == 2:
        return
    migration = importlib.import_module("dsar.organizations.migrations.0003_role_groups")
    migration.sync_role_groups(apps)
    views = importlib.import_module("dsar.organizations.migrations.0004_role_groups_view_archives")
    views.grant_view(apps)
    officer = importlib.import_module(
        "dsar.organizations.migrations.0007_privacy_officer_organization_permissions"
    )
    officer.grant(apps)


def make_member(
    username: str, organization: Organization, role: str, *, password: str | None = None
) -> User:
    """A staff member of ``organization`` in ``role``, in the role's group. Without a password
    unless given (tests that do not sign in with a password use ``force_login``)."""
    from django.contrib.auth.models import User

    from dsar.organizations.admin import sync_role_groups
    from dsar.organizations.models import Membership

    ensure_role_groups()
    # The same person when a module-scoped fixture made them already (tests/letters).
    user = User.objects.filter(username=username).first() or User.objects.create_user(
        username, f"{username}@example.org", password=password, is_staff=True
    )
    Membership.objects.get_or_create(user=user, organization=organization, role=role)
    sync_role_groups(user)
    return user


@pytest.fixture
def alice(img: Organization) -> User:
    """A request handler of IMG."""
    from dsar.organizations.models import Role

    return make_member("alice", img, Role.HANDLER, password=PASSWORD)


@pytest.fixture
def olivia(img: Organization) -> User:
    """IMG's privacy officer."""
    from dsar.organizations.models import Role

    return make_member("olivia", img, Role.PRIVACY_OFFICER, password=PASSWORD)


@pytest.fixture
def bob(img: Organization) -> User:
    """A second request handler of IMG (one who did not act, or who owns another system)."""
    from dsar.organizations.models import Role

    return make_member("bob", img, Role.HANDLER, password=PASSWORD)


@pytest.fixture
def audrey(img: Organization) -> User:
    """An auditor of IMG: sees everything of IMG, changes nothing."""
    from dsar.organizations.models import Role

    return make_member("audrey", img, Role.AUDITOR, password=PASSWORD)


@pytest.fixture
def charlie(imt: Organization) -> User:
    """A request handler of iMT: another tenant, who must never see IMG's requests."""
    from dsar.organizations.models import Role

    return make_member("charlie", imt, Role.HANDLER, password=PASSWORD)


@pytest.fixture
def root(db: None) -> User:
    """An administrator (superuser)."""
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


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


@pytest.fixture(autouse=True)
def _each_test_starts_in_english() -> Iterator[None]:
    """Every test starts in the site's default language, whatever the test before activated (a
    view run in Spanish leaves its language active in this thread), so a test reads the words
    it wrote, not those of the test before."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


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
