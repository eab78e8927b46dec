"""Fixtures of the API tests: the workspace's seeds, personas and frozen clock, plus API keys.

IMG and iMT are loaded as in ``tests/workspace`` (in force since 1 January 2025, the clock at
14:00 UTC on Monday 2 March 2026). ``img_key`` writes for IMG, ``img_reader`` only reads, and
``imt_key`` writes for iMT: the other tenant, which must never see IMG's data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dsar.api.keys import api_key_create
from dsar.api.models import ApiKey
from dsar.organizations.models import Organization

# The workspace's fixtures: seeds, personas (alice, olivia, audrey, charlie), log_request.
from tests.workspace.conftest import *  # noqa: F403


class Key(str):
    """An API key (the string) with its row."""

    row: ApiKey


def make_key(organization: Organization, scope: str, name: str, **kw: Any) -> Key:
    row, secret = api_key_create(organization=organization, name=name, scope=scope, **kw)
    key = Key(secret)
    key.row = row
    return key


@pytest.fixture
def img_key(img: Organization) -> Key:
    return make_key(img, "write", "crm-sync")


@pytest.fixture
def img_reader(img: Organization) -> Key:
    return make_key(img, "read", "reporting")


@pytest.fixture
def imt_key(imt: Organization) -> Key:
    return make_key(imt, "write", "imt-crm")


Call = Callable[..., Any]


@pytest.fixture
def api(client: Client) -> Call:
    """``api(method, path, key, body=None, **headers)``: a call with ``Authorization: Bearer``;
    the body is sent as JSON."""

    def call(method: str, path: str, key: str | None, body: Any = None, **headers: str) -> Any:
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        if key is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(client, method.lower())(path, **kwargs, **extra)

    return call


@pytest.fixture
def private_root(settings: Any, tmp_path: Any) -> Any:
    """Letters and packages go to a temporary folder, never to the project's var/."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return tmp_path


@pytest.fixture
def img_world(img: Organization, log_request: Any, private_root: Any) -> dict[str, Any]:
    """IMG's request for portability with a data item, its cover letter and a built package."""
    from dsar.letters.services import data_item_add, letter_issue, package_build

    request = log_request(right_kind="portability", requester_email="pat@example.com")
    data_item_add(
        request=request,
        actor=None,
        system="Zoho CRM",
        category="Contact Data",
        records=[{"email": "pat@example.com"}],
    )
    letter = letter_issue(request=request, kind="portability", actor=None)
    package = package_build(request=request, cover_letter=letter, actor=None)
    return {"request": request, "letter": letter, "package": package}
