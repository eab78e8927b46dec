"""What the staff-side browser tests share: a handler of IMG, signed in through the login page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from dsar.organizations.models import Role
from tests.workspace.conftest import PASSWORD, load_seeds, make_member


@pytest.fixture
def alice() -> User:
    # The policy must be in force before the request was received: load it a year ago.
    with time_machine.travel(timezone.now() - dt.timedelta(days=365), tick=False):
        img = load_seeds("img")["img"]
    return make_member("alice", img, Role.HANDLER, password=PASSWORD)


def sign_in(page, live_server) -> None:
    page.goto(live_server.url + "/staff/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
