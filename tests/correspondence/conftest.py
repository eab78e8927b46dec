"""Raw email fixtures, a reply mailbox and private storage for the correspondence tests.

The workspace's personas and seed organizations are reused (``alice`` handles IMG's requests,
``charlie`` iMT's). Fixtures in ``fixtures/`` are real RFC 5322 messages; ``TOKEN`` in them stands
for the reply token of the request under test, which is random and made as the test runs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from dsar.correspondence.addresses import reply_address_for
from dsar.correspondence.models import Message
from dsar.organizations.models import Organization
from dsar.requests.models import PrivacyRequest
from tests.conftest import deliver_outbox
from tests.workspace.conftest import (  # noqa: F401 - fixtures
    NOW,
    img,
    imt,
    log_request,
    login,
    seeds,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MAILBOX = "replies@dsar.example.org"


@pytest.fixture(autouse=True)
def _mail_settings(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_SITE_URL = "https://dsar.example.org"
    settings.DSAR_REPLY_ADDRESS = MAILBOX


def token_of(request: PrivacyRequest) -> str:
    address = reply_address_for(request)
    return address.split("+", 1)[1].split("@", 1)[0]


def raw_fixture(name: str, request: PrivacyRequest | None = None) -> bytes:
    """The fixture's bytes, its ``TOKEN`` replaced by the reply token of ``request``."""
    raw = (FIXTURES / name).read_bytes()
    if request is not None:
        raw = raw.replace(b"TOKEN", token_of(request).encode())
    return raw


def pipe(raw: bytes, *args: str) -> Message:
    """What an MTA does: the raw message on the command's standard input."""
    out = io.StringIO()
    call_command("receive_email", *args, stdin=io.BytesIO(raw), stdout=out)
    pk = int(re.search(r"message (\d+)", out.getvalue()).group(1))
    return Message.objects.get(pk=pk)


@pytest.fixture
def ann_request(log_request: Callable[..., PrivacyRequest]) -> PrivacyRequest:  # noqa: F811
    """Ann's access request to IMG, logged by staff from her email."""
    return log_request()


def web_request(client: Client, organization: Organization, capture: Any) -> tuple[str, str]:
    """A request through the public form, confirmed by its emailed link: the requester's email
    address and the path of the status page they land on."""
    email = "dana@example.org"
    with capture(execute=True):
        client.post(
            f"/o/{organization.slug}/request/",
            {
                "right": "access",
                "name": "Dana Data",
                "email": email,
                "residence": "FR",
                "acting_for": "self",
                "message": "",
                "website": "",
            },
        )
    deliver_outbox()
    confirm = re.search(r"https?://[^/\s]+(/o/[^\s]+/confirm/[^\s]+/)", mail.outbox[-1].body)
    assert confirm, mail.outbox[-1].body
    # The link is exchanged for the session (a page without its token), which confirms.
    landing = client.get(confirm.group(1))["Location"]
    with capture(execute=True):
        response = client.post(landing)
    deliver_outbox()
    assert response.status_code == 303, response
    return email, response["Location"]
