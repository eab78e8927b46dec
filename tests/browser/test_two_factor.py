"""Two-factor sign-in in a real browser: a privacy officer, required to have a second factor,
signs in with the password, is sent to set up an app, types the key into "the app" (the code is
computed from the key the page shows, as an app would), keeps the recovery codes, and next time
signs in with the password and the app's code."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from dsar.organizations.models import Organization, Role
from tests.workspace.conftest import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(key_text: str) -> str:
    """What an authenticator app shows for the key typed into it from the page."""
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def sign_in_with_password(page, live_server) -> None:
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_privacy_officer_sets_up_the_app_and_signs_in_with_it(page, live_server, settings):
    settings.DSAR_REQUIRE_2FA = True
    img = Organization.objects.create(slug="img", name="IMG", reference_prefix="IMG")
    make_member("olivia", img, Role.PRIVACY_OFFICER, password=PASSWORD)

    sign_in_with_password(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.locator(".errornote")).to_contain_text("requires privacy officers")
    qr = page.get_by_alt_text("QR code holding the key for your authenticator app")
    expect(qr).to_be_visible()
    # The QR code's image loaded (the content security policy lets a data: image through).
    assert qr.evaluate("img => img.naturalWidth") > 0
    key = page.locator(".totp-key").inner_text()
    page.get_by_label("Code").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data-subject requests")

    page.get_by_role("button", name="Log out").click()
    # The app's next code: a code is accepted once, and the next one comes 30 seconds later.
    TOTPDevice.objects.update(last_t=-1)
    sign_in_with_password(page, live_server)

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    page.get_by_label("Code").fill("123456" if app_code(key) != "123456" else "654321")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".errornote")).to_contain_text("That code is not right")
    page.wait_for_timeout(1100)  # django-otp's pause after a wrong code
    page.get_by_label("Code").fill(app_code(key))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data-subject requests")
