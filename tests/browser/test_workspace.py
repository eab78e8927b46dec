"""The staff workspace in a real browser: a handler logs a mailed 1798.83 request through the
intake form, extends it with a reason, fulfils it, and reads the timeline.

1798.83 itself allows no extension (30 days through the designated address, 150 otherwise), so a
Californian's request is not offered one and the page says why (second test). The first requester
lives in France: the statute does not bind, IMG's promise to answer "within one month" does, and
that month can be extended (GDPR Art. 12(3)).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dsar.organizations.models import Organization
from dsar.requests import services
from dsar.requests.models import PrivacyRequest, Status
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


LETTER = "Your California Privacy Rights: whom did you give my personal data to last year?"


def log_mailed_1798_83_request(page, *, jurisdiction: str) -> PrivacyRequest:
    """Through the intake form: a letter received yesterday at IMG's designated address."""
    page.get_by_role("link", name="Log a request received by email, mail, phone or fax").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Log a request received by email, mail, phone or fax"
    )
    page.get_by_label("Organization").select_option(
        label="Incident Management Group (America/New_York)"
    )
    page.get_by_label("Right").select_option("shine_the_light")
    page.get_by_label("Channel").select_option(label="postal mail")
    yesterday = timezone.now().astimezone(ZoneInfo("America/New_York")) - dt.timedelta(days=1)
    page.get_by_label("Received at").fill(yesterday.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Requester name").fill("Rita Letter")
    page.get_by_label("Requester postal address").fill("1 Main St, Springfield")
    page.get_by_label("Jurisdiction of residence").select_option(jurisdiction)
    page.get_by_label("Message as received").fill(LETTER)
    page.get_by_role("button", name="Log the request").click()

    privacy_request = PrivacyRequest.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(privacy_request.reference)
    expect(page.locator(".messagelist")).to_contain_text(f"Logged {privacy_request.reference}")
    expect(page.locator(".deadline-panel .deadline")).to_have_text(re.compile(r"\d+ days left"))
    return privacy_request


def start_work(page) -> None:
    page.locator("details.action-start > summary").click()
    page.locator("details.action-start").get_by_role("button", name="Start work").click()
    expect(page.locator(".messagelist")).to_contain_text("Start work: done")


def test_a_handler_logs_extends_and_fulfils_a_mailed_request(live_server, page, alice):
    sign_in(page, live_server)
    privacy_request = log_mailed_1798_83_request(page, jurisdiction="FR")
    expect(page.locator(".basis")).to_contain_text('the policy promises "one month"')
    start_work(page)

    extend = page.locator("details.action-extend")
    extend.locator("summary").click()
    extend.get_by_label("Reason for the extension").fill("Records of three systems to search.")
    extend.get_by_role("button", name="Extend the deadline").click()
    expect(page.locator(".messagelist")).to_contain_text("Extend the deadline: done")

    # Fulfil.
    fulfil = page.locator("details.action-fulfil")
    fulfil.locator("summary").click()
    fulfil.get_by_label("Internal note (staff only, never shown to the requester)").fill(
        "Register of 2025 sent by mail."
    )
    fulfil.get_by_role("button", name="Fulfil").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fulfilled")

    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(4)
    expect(timeline.nth(0)).to_contain_text("Received by postal mail")
    expect(timeline.nth(2)).to_contain_text("Deadline extended")
    expect(timeline.nth(1)).to_contain_text("Work started")
    expect(timeline.nth(2)).to_contain_text("Records of three systems to search.")
    expect(timeline.nth(3)).to_contain_text("Register of 2025 sent by mail.")
    for entry in range(1, 4):
        expect(timeline.nth(entry).locator(".actor")).to_have_text("alice")
    expect(page.get_by_text("This request is closed: no action is left.")).to_be_visible()

    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.FULFILLED
    assert privacy_request.extended


def test_a_californians_1798_83_request_is_offered_no_extension(live_server, page, alice):
    sign_in(page, live_server)
    privacy_request = log_mailed_1798_83_request(page, jurisdiction="US-CA")
    start_work(page)

    # The statute gives 30 days and no more: no button, and the deadline panel says why.
    expect(page.locator("details.action-extend")).to_have_count(0)
    expect(page.locator("details.action-set_target")).to_have_count(1)
    expect(page.locator(".deadline-panel .no-extension")).to_contain_text("allows no extension")
    expect(page.locator(".deadline-panel .basis-kind")).to_contain_text("The law: ")
    expect(page.locator("ol.timeline > li")).to_have_count(2)
    privacy_request.refresh_from_db()
    assert not privacy_request.extended


def test_a_search_for_a_requester_keeps_their_name_out_of_the_address(live_server, page, alice):
    sign_in(page, live_server)
    privacy_request = log_mailed_1798_83_request(page, jurisdiction="FR")
    page.goto(live_server.url + "/staff/requests/privacyrequest/")

    page.locator("#searchbar").fill("Rita Letter")
    page.locator("#searchbar").press("Enter")

    expect(page.locator("#result_list")).to_contain_text(privacy_request.reference)
    expect(page.locator("#searchbar")).to_have_value("Rita Letter")
    assert "Rita" not in page.url and "s=" in page.url
    # The request opened from the results, and the way back to them, carry no name either.
    page.locator("#result_list").get_by_role("link", name=privacy_request.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(privacy_request.reference)
    assert "Rita" not in page.url


def test_a_handler_verifies_a_californians_request_to_the_level_the_law_asks(
    live_server, page, alice
):
    """A request to know specific pieces (Cal. Code Regs. tit. 11 §7062(c)): the page says what
    the law asks; ticking the data points and recording the declaration reaches it."""
    img = Organization.objects.get(slug="img")
    img.data_points = ["email address", "postal address", "telephone number"]
    img.save(update_fields=["data_points"])
    privacy_request = services.request_log(
        organization=img,
        right_kind="access",
        channel_kind="email",
        received_at=timezone.now() - dt.timedelta(hours=2),
        requester_name="Carla Coast",
        requester_email="carla@example.com",
        jurisdiction="US-CA",
    )
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/staff/requests/privacyrequest/{privacy_request.pk}/change/")
    level = page.locator(".verification-level")
    expect(level).to_contain_text("§7062(c): 3 data points (0 so far) and a signed declaration")

    match = page.locator("details.action-match_data_points")
    match.locator("summary").click()
    for point in ("email address", "postal address", "telephone number"):
        match.get_by_label(point).check()
    match.get_by_label("Matched against what?").fill("the account record")
    match.get_by_role("button", name="Record matched data points").click()
    expect(page.locator(".messagelist")).to_contain_text("Record matched data points: done")
    expect(level).to_contain_text("3 data points (3 so far)")
    expect(page.locator("details.action-match_data_points")).to_have_count(0)

    declaration = page.locator("details.action-record_declaration")
    declaration.locator("summary").click()
    declaration.get_by_role("button", name="Record the signed declaration").click()
    expect(page.locator(".verification-missing")).to_have_text("nothing: the level is reached")
    expect(page.locator("ol.timeline > li")).to_have_count(3)
    expect(page.locator("ol.timeline > li").nth(1)).to_contain_text("Data points matched")
