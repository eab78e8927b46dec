"""The daily housekeeping deletes the record of old staff sign-ins and abandoned app setups."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessLog
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dsar.reminders.jobs import housekeeping
from tests.accounts.conftest import password_login

pytestmark = pytest.mark.django_db


def test_sign_ins_are_forgotten_after_the_retention_period(alice, olivia):
    long_ago = timezone.now() - dt.timedelta(days=91)
    with time_machine.travel(long_ago):
        password_login(Client(), "alice")
    password_login(Client(), "olivia")
    assert AccessLog.objects.count() == 2

    result = housekeeping()

    assert list(AccessLog.objects.values_list("username", flat=True)) == ["olivia"]
    assert result["expired"]["dsar.accounts.housekeeping.delete_expired"]["sign_ins"] == 1


def test_an_app_setup_left_unfinished_is_deleted_after_a_day(alice, olivia):
    client = Client()
    client.force_login(alice)
    with time_machine.travel(timezone.now() - dt.timedelta(days=2)):
        client.get("/staff/security/")  # the key was shown; no code ever typed
    assert TOTPDevice.objects.filter(confirmed=False).count() == 1
    finished = Client()
    finished.force_login(olivia)
    finished.get("/staff/security/")  # set up a moment ago: kept for its owner to finish

    housekeeping()

    assert list(TOTPDevice.objects.values_list("user__username", flat=True)) == ["olivia"]
