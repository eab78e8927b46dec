"""Personas, two seed organizations and a frozen clock for the staff workspace tests.

IMG's and iMT's policies (imgwg's on demand) are loaded as ``load_policy`` does, in force since
1 January 2025; the clock is frozen at 14:00 UTC on Monday 2 March 2026 (9:00 in Florida, where IMG
counts its days).

The personas (``alice``, ``olivia``, ``audrey``, ``charlie``, ``root``) are the suite's own
(``tests/conftest.py``).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from dsar.organizations.models import Organization
from dsar.policies.loader import policy_document_load, read_policy_file
from dsar.requests import services
from dsar.requests.models import PrivacyRequest

# Re-exported: the browser, policy and reminder tests import them from here.
from tests.conftest import PASSWORD as PASSWORD
from tests.conftest import ensure_role_groups as ensure_role_groups
from tests.conftest import make_member as make_member

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
UTC = dt.UTC
LOADED_AT = dt.datetime(2025, 1, 1, tzinfo=UTC)
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
TODAY = dt.date(2026, 3, 2)  # in Florida too


@functools.cache
def _seed_document(slug: str) -> dict[str, Any]:
    return read_policy_file(SEEDS / f"{slug}.yaml")


def load_seeds(*slugs: str) -> dict[str, Organization]:
    """What ``load_policy dsar/policies/seeds/<slug>.yaml`` does, with each file read and checked
    once per test session instead of once per test (the check is most of a load's time)."""
    for slug in slugs:
        policy_document_load(document=copy.deepcopy(_seed_document(slug)), file=f"{slug}.yaml")
    return {org.slug: org for org in Organization.objects.filter(slug__in=slugs)}


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
