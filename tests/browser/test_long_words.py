"""A requester who types one endless word (300 characters without a space) must not widen the
staff pages: the text wraps where it is shown, and a table too wide for its box scrolls inside
that box, never past the window's edge."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from dsar.letters.services import data_item_add, letter_issue
from dsar.requests import services
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "Supercalifragilistic" * 15  # 300 characters, no space
NAME = WORD[:200]  # the longest name the field holds
VIEWPORT = {"width": 1280, "height": 900}
TOLERANCE = 2  # CSS pixels of rounding


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 or less: it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_an_endless_word_wraps_on_the_staff_pages(live_server, page, alice, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path  # the letter's PDF, never the project's var/
    img = alice.memberships.get().organization
    privacy_request = services.request_log(
        organization=img,
        right_kind="access",
        channel_kind="email",
        received_at=timezone.now(),
        requester_name=NAME,
        requester_email="dana@example.org",
        requester_address=WORD,
        subject_line=WORD,
        message=WORD,
        jurisdiction="FR",
    )
    services.request_note(request=privacy_request, actor=alice, text=WORD)
    letter_issue(request=privacy_request, kind="acknowledgement", actor=alice)
    data_item_add(
        request=privacy_request, actor=alice, system="CRM", category=WORD, records=[{"a": "b"}]
    )
    page.set_viewport_size(VIEWPORT)
    sign_in(page, live_server)
    pages = {
        "request list": reverse("admin:requests_privacyrequest_changelist"),
        "request page": reverse("admin:requests_privacyrequest_change", args=[privacy_request.pk]),
        "letters page": reverse("letters:request_letters", args=[privacy_request.pk]),
        "dashboard": reverse("admin:requests_privacyrequest_dashboard"),
    }

    wider = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        wider[name] = overflow(page)

    assert all(pixels <= TOLERANCE for pixels in wider.values()), wider

    # The word is shown in full, wrapped rather than cut: on the request page the address,
    # subject line and message, and on the timeline the note and the data category (the name
    # is a shorter prefix of it).
    page.goto(live_server.url + pages["request page"])
    assert page.locator("#content-main").inner_text().count(WORD) == 5
    assert page.locator("ol.timeline").evaluate("e => e.scrollWidth <= e.clientWidth + 2")

    # In the list the name wraps inside its column: read without scrolling the table sideways.
    page.goto(live_server.url + pages["request list"])
    name_cell = page.locator("#result_list td.field-requester_name")
    assert name_cell.inner_text() == NAME
    list_box = page.locator("#changelist-form .results").evaluate("e => e.clientWidth")
    assert name_cell.evaluate("e => e.getBoundingClientRect().width") <= list_box / 2

    # On the letters page the data category wraps inside its table.
    page.goto(live_server.url + pages["letters page"])
    category = page.locator("#content-main td", has_text=WORD[:40])
    assert category.inner_text() == WORD
    section = page.locator("section[aria-labelledby=data-heading]")
    assert section.evaluate("e => e.scrollWidth <= e.clientWidth + 2")
