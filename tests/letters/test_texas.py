"""A Texan's request before the Texas Data Privacy and Security Act was in force (1 July 2024)
gets no Texas law: the letter speaks to someone from elsewhere."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from dsar.letters.services import letter_issue

from .conftest import SEEDS
from .helpers import pdf_text

pytestmark = pytest.mark.django_db
SEED_SLUGS = ()  # imservicecenter is loaded here with a policy in force since 2024


@pytest.fixture
def since_2024(seeds: Any) -> Any:
    with time_machine.travel(datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC), tick=False):
        call_command(
            "load_policy",
            str(SEEDS / "imservicecenter.yaml"),
            "--in-force-from",
            "2024-01-01",
            stdout=io.StringIO(),
        )
    return seeds["imservicecenter"]


@pytest.mark.parametrize(
    "received, named",
    [
        (datetime.datetime(2024, 6, 28, 14, 0, tzinfo=datetime.UTC), False),
        (datetime.datetime(2024, 7, 2, 14, 0, tzinfo=datetime.UTC), True),
    ],
    ids=["before-1-July-2024", "after"],
)
def test_a_texans_request_gets_the_texas_law_only_once_in_force(
    make_request: Any, since_2024: Any, received: datetime.datetime, named: bool
) -> None:
    request = make_request("imservicecenter", "access", jurisdiction="US-TX", received_at=received)

    letter = letter_issue(
        request=request,
        kind="refusal",
        actor=None,
        parts={"grounds": "We hold no personal data about you in any system."},
    )

    text = pdf_text(letter.read())
    assert ("Texas Data Privacy and Security Act" in text) is named
    assert ("Office of the Texas Attorney General" in text) is named
    assert ("you may be able to complain" in text) is not named
