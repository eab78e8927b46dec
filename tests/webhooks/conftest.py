"""An organization, its staff, and a real HTTP receiver on this machine for the webhook tests.

IMG's seed policy is in force since 1 January 2025; the clock is not frozen, because the
receiver checks signatures the way a real one does, against its own clock (Standard Webhooks
allows five minutes). The receiver is a pytest-httpserver on 127.0.0.1, threaded so that a slow
answer does not hold up the next try; plain http to it is allowed by
``DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK``, as the setting is meant for.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from pytest_httpserver import HTTPServer

from dsar.organizations.models import Membership, Organization, Role
from dsar.requests import services
from dsar.requests.models import PrivacyRequest
from dsar.webhooks.models import Subscription, WebhookEvent

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def receiver(receiver_server: HTTPServer) -> Iterator[HTTPServer]:
    receiver_server.clear()
    yield receiver_server
    receiver_server.clear()


@pytest.fixture(autouse=True)
def _webhook_settings(settings: Any) -> None:
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = False
    settings.DSAR_WEBHOOK_TIMEOUT = 1.0
    settings.DSAR_WEBHOOK_RETRY_SECONDS = 60
    settings.DSAR_WEBHOOK_MAX_ATTEMPTS = 4
    settings.DSAR_WEBHOOK_LEASE_SECONDS = 30
    settings.DSAR_WEBHOOK_PAUSE_AFTER_FAILURES = 10
    settings.DSAR_WEBHOOK_PAUSE_AFTER_HOURS = 24.0


def load(slug: str) -> Organization:
    call_command(
        "load_policy",
        SEEDS / f"{slug}.yaml",
        in_force_from=dt.date(2025, 1, 1),
        stdout=io.StringIO(),
    )
    return Organization.objects.get(slug=slug)


@pytest.fixture
def img(db: None) -> Organization:
    return load("img")


def member(username: str, organization: Organization, role: Role) -> User:
    user = User.objects.filter(username=username).first() or User.objects.create_user(
        username, f"{username}@staff.example", is_staff=True
    )
    Membership.objects.create(user=user, organization=organization, role=role)
    from dsar.organizations.admin import sync_role_groups

    sync_role_groups(user)
    return user


Subscribe = Callable[..., Subscription]


@pytest.fixture
def subscribe(img: Organization, receiver: HTTPServer) -> Subscribe:
    """``subscribe(events=[...], path="/hook", **fields)``: a subscription of IMG's to the
    receiver."""

    def make(
        events: list[WebhookEvent] | None = None, path: str = "/hook", **fields: Any
    ) -> Subscription:
        return Subscription.objects.create(
            organization=fields.pop("organization", img),
            url=fields.pop("url", receiver.url_for(path)),
            events=[e.value for e in (events or list(WebhookEvent))],
            **fields,
        )

    return make


LogRequest = Callable[..., PrivacyRequest]


@pytest.fixture
def log(img: Organization) -> LogRequest:
    """``log(**fields)``: an access request to IMG by email, received now."""

    def log_request(**fields: Any) -> PrivacyRequest:
        values: dict[str, Any] = {
            "organization": img,
            "right_kind": "access",
            "channel_kind": "email",
            "received_at": dt.datetime.now(dt.UTC),
            "requester_name": "Dana Data",
            "requester_email": "dana@example.org",
            "jurisdiction": "US-CA",
        }
        values.update(fields)
        return services.request_log(**values)

    return log_request
