"""A letter's preview in a real browser: the staff pages forbid inline style (content security
policy), so the organization's colour must reach the preview by a stylesheet; and an organization
without contact details is flagged before a letter is issued."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from dsar.letters.views import preview_url
from dsar.lib.theme import theme_for
from dsar.organizations.models import Role
from dsar.requests import services
from tests.browser.conftest import sign_in
from tests.workspace.conftest import PASSWORD, load_seeds, make_member

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


def test_the_preview_warns_when_the_organization_gives_no_way_to_reply(live_server, page):
    """imgwg's letterhead has neither a postal address nor an email address: staff see it
    before issuing, and reach the organization's contacts from the warning."""
    with time_machine.travel(timezone.now() - dt.timedelta(days=365), tick=False):
        imgwg = load_seeds("imgwg")["imgwg"]
    make_member("olga", imgwg, Role.PRIVACY_OFFICER, password=PASSWORD)
    privacy_request = services.request_log(
        organization=imgwg,
        right_kind="access",
        channel_kind="email",
        received_at=timezone.now(),
        requester_name="Dana Data",
        requester_email="dana@example.org",
        jurisdiction="FR",
    )
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + preview_url(privacy_request, "verification"))

    warning = page.locator(".warning-no-contact")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("has no postal address and no email address on record")
    expect(page.get_by_role("alert").filter(has_text="asks the requester to reply")).to_be_visible()
    warning.get_by_role("link", name="Complete the organization's contact details").click()
    expect(page).to_have_url(re.compile(rf"/staff/organizations/organization/{imgwg.pk}/change/$"))
    expect(page.locator("#content h2, #content h1").first).to_be_visible()
