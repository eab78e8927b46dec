"""Fixtures of the letters tests: the seed organizations, personas, requests, a private root.

Speed: loading a seed policy costs a few tenths of a second and WeasyPrint renders are slow, so
each test module runs inside one transaction (``module_transaction``, rolled back at the end of
the module) in which the seeds it uses are loaded once; every test still runs in its own savepoint
and sees only the seeds. A module can share issued letters the same way (``module_letter``) for
tests that only read them. Staff users get no password (tests log in with ``force_login``): the
password hasher would cost half a second per user.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from dsar.organizations.admin import sync_role_groups
from dsar.organizations.models import Membership, Organization, Role
from dsar.requests.models import PrivacyRequest
from dsar.requests.services import request_log

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
SLUGS = ["imservicecenter", "imgwg", "imt", "ims-consulting", "img"]

# The day every letter test runs on: a Thursday, two days after the requests arrive.
TODAY = datetime.datetime(2026, 3, 5, 15, 0, tzinfo=datetime.UTC)
RECEIVED = datetime.datetime(2026, 3, 3, 14, 0, tzinfo=datetime.UTC)

REQUESTER = {
    "requester_name": "Dana Ortiz",
    "requester_email": "dana@example.org",
    "requester_address": "742 Evergreen Terrace\nSpringfield, OR 97403\nUSA",
}


@pytest.fixture(scope="module")
def module_private_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("private")


@pytest.fixture(autouse=True)
def private_root(settings: Any, module_private_root: Path) -> Path:
    """Letters go to a private folder of the module, never to the project's var/ (a module's
    shared letters live there too, so it is one per module rather than per test)."""
    settings.PRIVATE_STORAGE_ROOT = module_private_root
    settings.DSAR_SITE_URL = "https://dsar.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return module_private_root


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def _load_seed(slug: str) -> Organization:
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        call_command("load_policy", str(SEEDS / f"{slug}.yaml"), stdout=io.StringIO())
    return Organization.objects.get(slug=slug)


class Seeds(dict[str, Organization]):
    """The seed organizations (policy in force since 1 January), fetched fresh for each test:
    those the module preloaded are read back, any other is loaded on first use."""

    def __missing__(self, slug: str) -> Organization:
        if slug not in SLUGS:
            raise KeyError(slug)
        organization = Organization.objects.filter(slug=slug).first() or _load_seed(slug)
        self[slug] = organization
        return organization


@pytest.fixture(scope="module")
def module_transaction(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[None]:
    """One transaction around the module, rolled back at its end, holding the seeds it uses
    (``SEED_SLUGS`` in the module; IMG by default). Tests run in savepoints inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        for slug in getattr(request.module, "SEED_SLUGS", ("img",)):
            _load_seed(slug)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_db(
    module_transaction: None, module_private_root: Path, django_db_blocker: Any
) -> Callable[[], AbstractContextManager[None]]:
    """For module-scoped fixtures: ``with module_db(): ...`` opens the database (inside
    ``module_transaction``) at the tests' frozen day, with the module's private root."""

    @contextmanager
    def opened() -> Iterator[None]:
        with (
            django_db_blocker.unblock(),
            time_machine.travel(TODAY, tick=False),
            override_settings(PRIVATE_STORAGE_ROOT=module_private_root),
        ):
            yield

    return opened


@pytest.fixture
def seeds(db: Any, module_transaction: None) -> Seeds:
    return Seeds()


@pytest.fixture
def img(seeds: Seeds) -> Organization:
    return seeds["img"]


@pytest.fixture
def imt(seeds: Seeds) -> Organization:
    return seeds["imt"]


def staff(username: str, organization: Organization, role: Role) -> Any:
    """A staff member of ``organization`` in the group of the role (the same one if a module
    fixture made it already)."""
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organization=organization, role=role)
    sync_role_groups(user)  # the admin's model permissions come with the role's group
    return user


MakeRequest = Callable[..., PrivacyRequest]


def log_request(
    seeds: Seeds,
    slug: str = "img",
    right_kind: str = "access",
    *,
    channel_kind: str = "email",
    jurisdiction: str = "FR",
    received_at: datetime.datetime = RECEIVED,
    **details: Any,
) -> PrivacyRequest:
    """Log a request with request_log; defaults: an EU resident's email to IMG."""
    return request_log(
        organization=seeds[slug],
        right_kind=right_kind,
        channel_kind=channel_kind,
        received_at=received_at,
        jurisdiction=jurisdiction,
        **{**REQUESTER, **details},
    )


@pytest.fixture(scope="module")
def shared_acknowledgement(module_db: Callable[[], AbstractContextManager[None]]) -> int:
    """An acknowledgement olivia issued for an IMG access request, once per module, for tests
    that only read it or whose changes roll back. Its id: take a fresh instance per test."""
    from dsar.letters.services import letter_issue

    with module_db():
        seeds = Seeds()
        olivia = staff("olivia", seeds["img"], Role.PRIVACY_OFFICER)
        return letter_issue(request=log_request(seeds), kind="acknowledgement", actor=olivia).pk


@pytest.fixture
def make_request(seeds: Seeds) -> MakeRequest:
    """``log_request`` for this test's seeds."""

    def make(*args: Any, **kwargs: Any) -> PrivacyRequest:
        return log_request(seeds, *args, **kwargs)

    return make
