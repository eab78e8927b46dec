"""The five seed organizations, a frozen clock and private storage for the public-side tests.

The seed policies are put in force on 1 January 2025 and the clock stops at 14:00 UTC on Monday
2 March 2026 (9:00 in Florida, where IMG counts its days). Private files go to a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from time_machine import TimeMachineFixture

from dsar.organizations.models import Organization
from tests.conftest import deliver_outbox

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
SLUGS = ["imservicecenter", "imgwg", "imt", "ims-consulting", "img"]
LOADED_AT = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_SITE_URL = "https://dsar.example.org"
    return settings.PRIVATE_STORAGE_ROOT


def load_seeds(*slugs: str) -> None:
    """Load seed policies as an administrator would, in force since LOADED_AT."""
    with time_machine.travel(LOADED_AT, tick=False):
        call_command(
            "load_policy", *(SEEDS / f"{slug}.yaml" for slug in slugs), stdout=io.StringIO()
        )


class PackageSeeds:
    """The five seed policies, loaded once for the package inside a transaction that is rolled
    back at the end (Django's ``TestCase.setUpTestData`` pattern): each test's own transaction
    nests in it as a savepoint, and the database is left exactly as it was found.

    pytest-django runs every transactional test after the others; the one here (the flood
    against a live server, whose threads must see committed rows) calls ``close()`` first.
    """

    def __init__(self, blocker: Any) -> None:
        self.blocker = blocker
        with blocker.unblock():
            self.atomic: Any = transaction.atomic()
            self.atomic._from_testcase = True  # as TestCase marks its own class-wide block
            self.atomic.__enter__()
            load_seeds(*SLUGS)

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


@pytest.fixture(scope="package")
def _seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[PackageSeeds]:
    seeds = PackageSeeds(django_db_blocker)
    yield seeds
    seeds.close()


@pytest.fixture
def seeds(
    _seeded: PackageSeeds, db: None, time_machine: TimeMachineFixture
) -> dict[str, Organization]:
    """The five seed organizations by slug; the clock stopped at NOW."""
    time_machine.move_to(NOW, tick=False)
    return {org.slug: org for org in Organization.objects.filter(slug__in=SLUGS)}


@pytest.fixture
def img(seeds: dict[str, Organization]) -> Organization:
    """Incident Management Group."""
    return seeds["img"]


@pytest.fixture
def imt(seeds: dict[str, Organization]) -> Organization:
    return seeds["imt"]


def form_data(**overrides: Any) -> dict[str, Any]:
    """A valid access request from a resident of France, for themselves."""
    data: dict[str, Any] = {
        "right": "access",
        "name": "Dana Data",
        "email": "dana@example.org",
        "residence": "FR",
        "acting_for": "self",
        "message": "",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


Submit = Callable[..., Any]


@pytest.fixture
def submit(client: Client, django_capture_on_commit_callbacks: Any) -> Submit:
    """``submit(org, **fields)``: POST the form, running what waits for the commit, then send
    the outbox as the task cluster would (``deliver=False`` leaves it queued)."""

    def post(
        organization: Organization,
        *,
        client_: Client | None = None,
        deliver: bool = True,
        **fields: Any,
    ) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = (client_ or client).post(
                f"/o/{organization.slug}/request/", form_data(**fields)
            )
        if deliver:
            deliver_outbox()
        return response

    return post


def link_in(message: mail.EmailMessage, kind: str) -> str:
    """The path of the first /o/…/<kind>/… link in an email's text."""
    found = re.search(rf"https?://[^/\s]+(/o/[^\s]+/{kind}/[^\s]+/)", message.body)
    assert found, f"no {kind} link in {message.body!r}"
    return found.group(1)


_BLOCKS = {"p", "div", "dt", "dd", "li", "br", "h1", "h2", "h3", "option", "blockquote"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.skipping += tag in {"script", "style", "title"}
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in {"script", "style", "title"}

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def text_of(html: str) -> str:
    """What a reader of a page (or of an HTML fragment) sees: its text, whitespace runs
    collapsed, quotation marks of <q> left to the browser."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())
