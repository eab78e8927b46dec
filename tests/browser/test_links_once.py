"""In a real browser, the token of an emailed link is in the path of the first request only:
not in the address bar, not in the Referer of what the page then loads (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import Page, Request, expect

from dsar.requests.models import PrivacyRequest

from .test_intake import latest_link, load_seeds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _setup(settings: Any, live_server: Any) -> None:
    settings.DSAR_SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DSAR_INTAKE_RATE_LIMITS_ENABLED = False


def _sent(live_server: Any) -> str:
    """An access request to IMG sent through the form; returns its confirmation link."""
    load_seeds("img")
    Client().post(
        "/o/img/request/",
        {
            "right": "access",
            "name": "Dana Data",
            "email": "dana@example.org",
            "residence": "FR",
            "acting_for": "self",
            "message": "",
            "website": "",
        },
    )
    return latest_link("confirm")


def _record(page: Page) -> list[Request]:
    seen: list[Request] = []
    page.on("request", lambda request: seen.append(request))
    return seen


def _leaks(seen: list[Request], token: str) -> list[str]:
    """Every request after the link's own that carries the token, in its URL or its Referer."""
    found = []
    for request in seen[1:]:
        referer = request.all_headers().get("referer", "")
        if token in request.url or token in referer:
            found.append(f"{request.url} (Referer: {referer})")
    return found


def test_the_confirmation_and_status_links_leave_no_token_behind(live_server, page):
    confirm = _sent(live_server)
    confirm_token = confirm.rstrip("/").rsplit("/", 1)[1]
    seen = _record(page)

    page.goto(confirm)
    expect(page.get_by_role("button", name="Confirm my email address")).to_be_visible()
    assert confirm_token not in page.url
    page.get_by_role("button", name="Confirm my email address").click()
    reference = PrivacyRequest.objects.get().reference
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your request {reference}")

    assert seen[0].url == confirm
    assert _leaks(seen, confirm_token) == []

    # The status link of the "confirmed" email, opened in a browser that never saw it.
    status = latest_link("status")
    status_token = status.rstrip("/").rsplit("/", 1)[1]
    other = page.context.browser.new_context(locale="en-GB")
    try:
        fresh = other.new_page()
        seen = _record(fresh)
        response = fresh.goto(status)
        expect(fresh.get_by_role("heading", level=1)).to_have_text(f"Your request {reference}")

        assert status_token not in fresh.url
        assert response.request.redirected_from.url == status
        redirect = response.request.redirected_from.response()
        assert redirect.status == 303
        assert redirect.headers["referrer-policy"] == "no-referrer"
        assert len(seen) > 2  # the page, and its stylesheets: each with a Referer
        assert _leaks(seen, status_token) == []
        assert fresh.evaluate("document.referrer") == ""
    finally:
        other.close()
    assert mail.outbox
