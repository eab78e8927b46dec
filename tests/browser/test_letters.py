"""A letter's preview in a real browser: the staff pages forbid inline style (content security
policy), so the organization's colour must reach the preview by a stylesheet."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dsar.intake.theme import theme_for
from dsar.letters.views import preview_url
from dsar.requests import services
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLUM = "#7a1f5c"


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def test_the_preview_shows_the_letter_in_the_organizations_colour(live_server, page, alice):
    img = alice.memberships.get().organization
    img.primary_colour = PLUM
    img.save(update_fields=["primary_colour"])
    privacy_request = services.request_log(
        organization=img,
        right_kind="access",
        channel_kind="email",
        received_at=timezone.now(),
        requester_name="Dana Data",
        requester_email="dana@example.org",
        jurisdiction="FR",
    )
    sign_in(page, live_server)

    page.goto(live_server.url + preview_url(privacy_request, "acknowledgement"))

    letter = page.frame_locator("iframe.preview-frame")
    expect(letter.locator("h1.subject")).to_have_css("color", rgb(theme_for(PLUM).accent))
