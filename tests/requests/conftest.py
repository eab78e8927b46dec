"""Personas, the five seed organizations and a frozen clock for the request tests.

Every test gets the five seed policies loaded afresh (``load_policy``, as an administrator would),
put in force on 1 January 2025, and a clock frozen at 14:00 UTC on Monday 2 March 2026 (9:00 in
Florida, where IMG counts its days). Tests move the clock with ``time_machine.move_to``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from time_machine import TimeMachineFixture

from dsar.organizations.models import Organization
from dsar.requests import services
from dsar.requests.models import PrivacyRequest

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
SLUGS = ["imservicecenter", "imgwg", "imt", "ims-consulting", "img"]

UTC = dt.UTC
LOADED_AT = dt.datetime(2025, 1, 1, tzinfo=UTC)
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def seeds(db: None, time_machine: TimeMachineFixture) -> dict[str, Organization]:
    """The five seed organizations by slug, their policies in force since LOADED_AT."""
    time_machine.move_to(LOADED_AT, tick=False)
    call_command("load_policy", *(SEEDS / f"{slug}.yaml" for slug in SLUGS), stdout=io.StringIO())
    time_machine.move_to(NOW, tick=False)
    return {org.slug: org for org in Organization.objects.all()}


@pytest.fixture
def img(seeds: dict[str, Organization]) -> Organization:
    return seeds["img"]


@pytest.fixture
def imgwg(seeds: dict[str, Organization]) -> Organization:
    return seeds["imgwg"]


@pytest.fixture
def imt(seeds: dict[str, Organization]) -> Organization:
    return seeds["imt"]


@pytest.fixture
def ims_consulting(seeds: dict[str, Organization]) -> Organization:
    return seeds["ims-consulting"]


@pytest.fixture
def imservicecenter(seeds: dict[str, Organization]) -> Organization:
    return seeds["imservicecenter"]


LogRequest = Callable[..., PrivacyRequest]


@pytest.fixture
def log(seeds: dict[str, Organization]) -> LogRequest:
    """``log(org, **fields)``: ``request_log`` with an access request by email, received now."""

    def log_request(organization: Organization, **fields: Any) -> PrivacyRequest:
        values: dict[str, Any] = {
            "right_kind": "access",
            "channel_kind": "email",
            "received_at": NOW,
            "requester_name": "Dana Data",
            "requester_email": "dana@example.org",
        }
        values.update(fields)
        return services.request_log(organization=organization, **values)

    return log_request
