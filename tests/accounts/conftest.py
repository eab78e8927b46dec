"""Personas for the sign-in tests: each has a real password (checked against a real hash) and
one organization. ``olivia`` is IMG's privacy officer, ``alice`` handles IMG's requests, ``root``
is an administrator (superuser)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dsar.organizations.models import Organization
from tests.workspace.conftest import PASSWORD

LOGIN = "/staff/login/"


@pytest.fixture
def img(db: None) -> Organization:
    return Organization.objects.create(slug="img", name="IMG", reference_prefix="IMG")


def password_login(client: Client, username: str, password: str = PASSWORD, **extra: str):
    """The staff login form, as a browser posts it (``extra``: REMOTE_ADDR and headers)."""
    return client.post(
        LOGIN + "?next=/staff/",
        {"username": username, "password": password, "next": "/staff/"},
        **extra,
    )


def current_code(device: TOTPDevice) -> str:
    """What the person's authenticator app shows now: computed from the device's key."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"
