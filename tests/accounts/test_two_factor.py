"""The second factor of local staff accounts: set up with an authenticator app (TOTP), asked for
after the password on every staff page, with single-use recovery codes; required of privacy
officers and administrators when DSAR_REQUIRE_2FA is on. Codes are computed from the device's
key, as the person's app computes them."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dsar.accounts import second_factor
from tests.accounts.conftest import current_code, password_login

pytestmark = pytest.mark.django_db

SETUP = "/staff/security/"
VERIFY = "/staff/security/verify/"


def enrol(client: Client) -> list[str]:
    """Through the setup page, as a signed-in staff member: scan, type the code. Returns the
    recovery codes the page shows."""
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code
    device = TOTPDevice.objects.get(confirmed=False)
    # The key typed by hand is the device's own.
    key = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', html).group(1)
    assert device.config_url.split("secret=")[1].startswith(key.replace(" ", "")[:16])
    done = client.post(SETUP, {"code": current_code(device), "next": "/staff/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == second_factor.RECOVERY_CODES
    return codes


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    """``user`` with a confirmed app and recovery codes, set up through the pages."""
    client = Client()
    client.force_login(user)
    codes = enrol(client)
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


def wait_for_next_code(device: TOTPDevice) -> None:
    """A code is accepted once: the next sign-in needs the next time step's code. Moving the
    device's last accepted step back stands in for waiting 30 seconds."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)


# -- Required for privacy officers and administrators ---------------------------------------------


def test_a_privacy_officer_without_a_device_is_sent_to_set_one_up(client, olivia, settings):
    settings.DSAR_REQUIRE_2FA = True
    assert password_login(client, "olivia").status_code == 302

    for page in (
        "/staff/",
        "/staff/requests/privacyrequest/",
        "/staff/reports/",
        "/letters/1/pdf/",
    ):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(SETUP + "?next="), page
    assert "requires privacy officers and administrators" in client.get(SETUP).content.decode()

    codes = enrol(client)

    assert client.get("/staff/").status_code == 200
    device = TOTPDevice.objects.get(user=olivia)
    assert device.confirmed
    entry = LogEntry.objects.get(user=olivia, action_flag=ADDITION)
    assert "set up" in entry.get_change_message()
    assert StaticToken.objects.filter(device__user=olivia).count() == len(codes)


def test_an_administrator_is_required_too(client, root, settings):
    settings.DSAR_REQUIRE_2FA = True
    password_login(client, "root")
    assert client.get("/staff/")["Location"].startswith(SETUP)


def test_a_handler_is_not_required_to(client, alice, settings):
    settings.DSAR_REQUIRE_2FA = True
    password_login(client, "alice")
    assert client.get("/staff/").status_code == 200


def test_nobody_is_required_to_unless_the_installation_says_so(client, olivia):
    password_login(client, "olivia")
    assert client.get("/staff/").status_code == 200


def test_a_wrong_code_does_not_complete_the_setup(client, olivia, settings):
    settings.DSAR_REQUIRE_2FA = True
    password_login(client, "olivia")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=olivia)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/staff/").status_code == 302
    # Reloading the page keeps the same key (a half-done scan stays valid).
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=olivia).key == device.key


def test_single_sign_on_sessions_are_exempt(olivia, settings):
    """The identity provider does the second factor: a session it opened is not asked again."""
    settings.DSAR_REQUIRE_2FA = True
    client = Client()
    client.force_login(olivia, backend="dsar.accounts.oidc.OidcBackend")
    assert client.get("/staff/").status_code == 200


# -- Signing in with the code ------------------------------------------------------------------


def test_the_apps_code_completes_the_sign_in(client, alice):
    device, _ = enrolled(alice)
    wait_for_next_code(device)
    password_login(client, "alice")

    for page in ("/staff/", "/staff/reports/", "/letters/1/pdf/", "/staff/security/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(VERIFY + "?next="), page

    done = client.post(VERIFY, {"code": current_code(device), "next": "/staff/reports/"})
    assert done.status_code == 302
    assert done["Location"] == "/staff/reports/"
    assert client.get("/staff/").status_code == 200


def test_a_wrong_code_does_not(client, alice):
    device, _ = enrolled(alice)
    wait_for_next_code(device)
    password_login(client, "alice")
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_a_code_is_accepted_once(client, alice):
    device, _ = enrolled(alice)
    # The code the setup page accepted is the one the app still shows: not again.
    password_login(client, "alice")
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 200
    assert client.get("/staff/").status_code == 302


def test_an_outside_next_is_not_followed(client, alice):
    device, _ = enrolled(alice)
    wait_for_next_code(device)
    password_login(client, "alice")
    done = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert done["Location"] == "/staff/"


def test_wrong_codes_count_towards_the_lockout(client, alice):
    device, _ = enrolled(alice)
    wait_for_next_code(device)
    password_login(client, "alice")
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    response = None
    for _ in range(5):
        # django-otp refuses any code for 1, 2, 4, 8 seconds after each wrong one (unread, and
        # not counted): clearing its last failure's time stands in for waiting each pause out.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 429
    assert "Sign-in is locked" in response.content.decode()
    # The session is over, and the password alone cannot start another.
    assert client.get("/staff/")["Location"].startswith("/staff/login/")
    assert password_login(client, "alice").status_code == 429


def test_codes_are_refused_unread_for_a_moment_after_a_wrong_one(client, alice):
    device, _ = enrolled(alice)
    wait_for_next_code(device)
    password_login(client, "alice")
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": current_code(device)})
    assert "wait a few seconds" in response.content.decode()
    time.sleep(1.1)
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302


# -- Recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_works_once(alice):
    _, codes = enrolled(alice)
    first = Client()
    password_login(first, "alice")
    # As people type it off paper: upper case, in two groups.
    spaced = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    done = first.post(VERIFY, {"code": spaced}, follow=True)
    assert done.status_code == 200
    assert "You signed in with a recovery code" in done.content.decode()
    assert first.get("/staff/").status_code == 200
    used = LogEntry.objects.filter(user=alice, action_flag=CHANGE).latest("action_time")
    assert "recovery code; 9 left" in used.get_change_message()

    again = Client()
    password_login(again, "alice")
    assert "That code is not right" in again.post(VERIFY, {"code": codes[0]}).content.decode()
    assert again.get("/staff/").status_code == 302
    # After a wrong code django-otp refuses any for a second, then two, and so on.
    assert "wait a few seconds" in again.post(VERIFY, {"code": codes[1]}).content.decode()
    time.sleep(1.1)
    assert again.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert again.get("/staff/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(alice):
    device, old = enrolled(alice)
    wait_for_next_code(device)
    client = Client()
    password_login(client, "alice")
    client.post(VERIFY, {"code": current_code(device)})
    page = client.post("/staff/security/recovery-codes/")
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert LogEntry.objects.filter(
        user=alice, change_message__contains="New recovery codes"
    ).exists()

    other = Client()
    password_login(other, "alice")
    assert other.post(VERIFY, {"code": old[2]}).status_code == 200  # refused
    time.sleep(1.1)  # django-otp's wait after a wrong code
    assert other.post(VERIFY, {"code": new[2]}).status_code == 302


def test_the_owner_removes_it(alice):
    device, _ = enrolled(alice)
    wait_for_next_code(device)
    client = Client()
    password_login(client, "alice")
    client.post(VERIFY, {"code": current_code(device)})

    client.post("/staff/security/remove/")

    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert LogEntry.objects.filter(user=alice, action_flag=DELETION).count() == 2
    fresh = Client()
    password_login(fresh, "alice")
    assert fresh.get("/staff/").status_code == 200


def test_an_unverified_session_cannot_remove_it_or_see_new_codes(client, alice):
    enrolled(alice)
    password_login(client, "alice")
    for path in ("/staff/security/remove/", "/staff/security/recovery-codes/"):
        response = client.post(path)
        assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=alice).count() == 10


def test_an_administrator_removes_a_lost_device_without_seeing_its_key(alice, root):
    device, codes = enrolled(alice)
    admin = Client()
    admin.force_login(root)
    page = admin.get(f"/staff/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    static = admin.get("/staff/otp_static/staticdevice/").content.decode()
    assert not any(code in static for code in codes)

    admin.post(f"/staff/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})

    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert LogEntry.objects.filter(user=root, action_flag=DELETION).exists()
    # The password alone signs alice in again (nothing requires a second factor of her).
    client = Client()
    password_login(client, "alice")
    assert client.get("/staff/").status_code == 200
