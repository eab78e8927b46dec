"""Personas, two seed organizations and a frozen clock for the staff workspace tests.

IMG's and iMT's policies (imgwg's on demand) are loaded as ``load_policy`` does, in force since
1 January 2025; the clock is frozen at 14:00 UTC on Monday 2 March 2026 (9:00 in Florida, where IMG
counts its days).

Personas (style rule 15): ``alice`` handles IMG's requests, ``olivia`` is IMG's privacy officer,
``audrey`` audits IMG (read only), ``charlie`` handles iMT's requests and must never see IMG's.
Each is staff, a member of one organization, and in the group of that role, as the Membership
admin leaves them.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from dsar.organizations.admin import sync_role_groups
from dsar.organizations.models import Membership, Organization, Role
from dsar.policies.loader import policy_document_load, read_policy_file
from dsar.requests import services
from dsar.requests.models import PrivacyRequest

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
UTC = dt.UTC
LOADED_AT = dt.datetime(2025, 1, 1, tzinfo=UTC)
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
TODAY = dt.date(2026, 3, 2)  # in Florida too
PASSWORD = "a-long-test-password"


def ensure_role_groups() -> None:
    """The role groups of migration 0003. A transactional test's flush empties auth_group, and
    migrations do not run again, so browser tests call this (it is idempotent)."""
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


@functools.cache
def _seed_document(slug: str) -> dict[str, Any]:
    return read_policy_file(SEEDS / f"{slug}.yaml")


def load_seeds(*slugs: str) -> dict[str, Organization]:
    """What ``load_policy dsar/policies/seeds/<slug>.yaml`` does, with each file read and checked
    once per test session instead of once per test (the check is most of a load's time)."""
    for slug in slugs:
        policy_document_load(document=copy.deepcopy(_seed_document(slug)), file=f"{slug}.yaml")
    return {org.slug: org for org in Organization.objects.filter(slug__in=slugs)}


def make_member(
    username: str, organization: Organization, role: Role, *, password: str | None = None
) -> User:
    """A staff member of ``organization`` in ``role``. Without a password (the tests log in with
    ``force_login``), which spares a deliberately slow password hash per persona."""
    ensure_role_groups()
    user = User.objects.create_user(
        username, f"{username}@example.org", password=password, is_staff=True
    )
    Membership.objects.create(user=user, organization=organization, role=role)
    sync_role_groups(user)
    return user


@pytest.fixture
def seeds(db: None, time_machine: TimeMachineFixture) -> dict[str, Organization]:
    time_machine.move_to(LOADED_AT, tick=False)
    organizations = load_seeds("img", "imt")
    time_machine.move_to(NOW, tick=False)
    return organizations


@pytest.fixture
def img(seeds: dict[str, Organization]) -> Organization:
    return seeds["img"]


@pytest.fixture
def imt(seeds: dict[str, Organization]) -> Organization:
    return seeds["imt"]


@pytest.fixture
def imgwg(seeds: dict[str, Organization], time_machine: TimeMachineFixture) -> Organization:
    """Its access right requires identity verification (IMG's only may ask for it)."""
    time_machine.move_to(LOADED_AT, tick=False)
    organization = load_seeds("imgwg")["imgwg"]
    time_machine.move_to(NOW, tick=False)
    return organization


@pytest.fixture
def alice(img: Organization) -> User:
    """A request handler of IMG."""
    return make_member("alice", img, Role.HANDLER)


@pytest.fixture
def olivia(img: Organization) -> User:
    """IMG's privacy officer."""
    return make_member("olivia", img, Role.PRIVACY_OFFICER)


@pytest.fixture
def audrey(img: Organization) -> User:
    """An auditor of IMG: sees everything of IMG, changes nothing."""
    return make_member("audrey", img, Role.AUDITOR)


@pytest.fixture
def charlie(imt: Organization) -> User:
    """A request handler of iMT: another tenant."""
    return make_member("charlie", imt, Role.HANDLER)


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.org", None)


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def log_request(img: Organization) -> Callable[..., PrivacyRequest]:
    """Log a request through the real service; IMG, an email access request by default."""

    def log(**overrides: Any) -> PrivacyRequest:
        fields: dict[str, Any] = {
            "organization": img,
            "right_kind": "access",
            "channel_kind": "email",
            "received_at": NOW - dt.timedelta(hours=1),
            "requester_name": "Ann Example",
            "requester_email": "ann@example.com",
            "jurisdiction": "FR",
        }
        fields.update(overrides)
        return services.request_log(**fields)

    return log


def change_url(privacy_request: PrivacyRequest) -> str:
    return reverse("admin:requests_privacyrequest_change", args=[privacy_request.pk])


def act_url(privacy_request: PrivacyRequest, action: str) -> str:
    return reverse("admin:requests_privacyrequest_act", args=[privacy_request.pk, action])


CHANGELIST = "/staff/requests/privacyrequest/"
DASHBOARD = "/staff/requests/privacyrequest/dashboard/"
INTAKE = "/staff/requests/privacyrequest/add/"
