"""Failed staff sign-ins lock the account and the client address (django-axes): a locked sign-in
is refused even with the right password, with a page that says what to do, until the cool-off
ends or an administrator unlocks it. The address is the one the trusted-proxy setting gives."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import password_login
from tests.workspace.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5  # DSAR_LOGIN_FAILURE_LIMIT's default
HERE = {"REMOTE_ADDR": "198.51.100.7"}
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.50"}


def signed_in(client: Client) -> bool:
    return client.get("/staff/").status_code == 200


def fail(client: Client, username: str, times: int, **extra: str):
    response = None
    for _ in range(times):
        response = password_login(client, username, "wrong-password", **extra)
    return response


def test_wrong_passwords_below_the_limit_only_say_so(client, alice):
    response = fail(client, "alice", LIMIT - 1, **HERE)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    password_login(client, "alice", **HERE)
    assert signed_in(client)


def test_the_limit_locks_the_account_even_with_the_right_password(client, alice, caplog):
    caplog.set_level(logging.INFO)
    locked = fail(client, "alice", LIMIT, **HERE)
    assert locked.status_code == 429
    assert "Sign-in is locked" in locked.content.decode()

    response = password_login(client, "alice", **HERE)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Try again in 15 minutes" in page
    assert "ask a dsar administrator to unlock your account" in page
    assert response["Retry-After"] == "900"
    assert not signed_in(client)
    # Logged, without the password, the account's name or the address.
    assert "Locking out" in caplog.text
    for secret in ("wrong-password", PASSWORD, "alice", "198.51.100.7"):
        assert secret not in caplog.text


def test_the_account_stays_locked_from_another_address(client, alice):
    for n in range(LIMIT):  # one guess from each of several addresses
        password_login(client, "alice", "wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
    assert password_login(client, "alice", **ELSEWHERE).status_code == 429
    assert not signed_in(client)


def test_the_address_is_locked_for_every_account(client, alice, olivia):
    # Password spraying: one guess at each of many names, from one address.
    for n in range(LIMIT):
        password_login(client, f"user{n}", "wrong", **HERE)
    assert password_login(client, "olivia", **HERE).status_code == 429
    # Another address, the same person: let in (the account itself saw no failure).
    password_login(client, "olivia", **ELSEWHERE)
    assert signed_in(client)


def test_a_spoofed_forwarded_header_does_not_dodge_the_address_lock(client, alice, settings):
    settings.DSAR_TRUSTED_PROXIES = []  # no proxy in front: the header is the client's own word
    for n in range(LIMIT):
        password_login(client, f"user{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}", **HERE)
    response = password_login(client, "alice", HTTP_X_FORWARDED_FOR="10.1.1.1", **HERE)
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, alice, settings):
    settings.DSAR_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(LIMIT):
        password_login(
            client, f"user{n}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.66", **proxy
        )
    # The proxy's own address is not locked, only the client behind it.
    password_login(client, "alice", HTTP_X_FORWARDED_FOR="192.0.2.77", **proxy)
    assert signed_in(client)
    client.logout()
    # A client cannot escape by writing another address on the left: the proxy appends its own.
    response = password_login(client, "alice", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.66", **proxy)
    assert response.status_code == 429


def test_the_lock_ends_after_the_cool_off(client, alice):
    fail(client, "alice", LIMIT, **HERE)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        password_login(client, "alice", **HERE)
        assert signed_in(client)


def test_an_administrator_unlocks_with_the_command(client, alice):
    fail(client, "alice", LIMIT, **HERE)
    call_command("axes_reset_username", "alice")
    call_command("axes_reset_ip", "198.51.100.7")
    password_login(client, "alice", **HERE)
    assert signed_in(client)


def test_an_administrator_unlocks_in_the_staff_area(client, alice, root):
    fail(client, "alice", LIMIT, **HERE)
    admin = Client()
    admin.force_login(root)
    listing = admin.get("/staff/axes/accessattempt/")
    assert listing.status_code == 200
    (attempt,) = AccessAttempt.objects.all()
    deleted = admin.post(f"/staff/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302

    password_login(client, "alice", **HERE)
    assert signed_in(client)


def test_a_staff_member_who_is_not_an_administrator_cannot_unlock(alice):
    handler = Client()
    handler.force_login(alice)
    assert handler.get("/staff/axes/accessattempt/").status_code == 403
