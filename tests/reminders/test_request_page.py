"""Staff see on the request page which reminders of the request went out, to whom and when."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from dsar.organizations.admin import sync_role_groups
from dsar.reminders import jobs
from tests.reminders.conftest import make_request, utc
from tests.workspace.conftest import ensure_role_groups

pytestmark = pytest.mark.django_db

TUESDAY_09 = utc(2026, 3, 31, 8)  # 09:00 BST: the 7-day reminder of a 7 Apr deadline is due


class HankFailsOnce(BaseEmailBackend):
    """The locmem backend, except that the first email to Hank is refused."""

    refused = 0

    def send_messages(self, messages):
        if type(self).refused == 0 and any("hank@" in to for m in messages for to in m.to):
            type(self).refused += 1
            raise ConnectionRefusedError("smtp.example: connection refused")
        mail.outbox.extend(messages)
        return len(messages)


def test_the_request_page_lists_its_reminders_and_who_got_them(london, client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.HankFailsOnce"
    HankFailsOnce.refused = 0
    mine = make_request(
        london.org, "gdpr", datetime.date(2026, 3, 3), assignee=london.hank, reference="L-1"
    )
    other = make_request(london.org, "gdpr", datetime.date(2026, 3, 3), reference="L-2")
    with time_machine.travel(TUESDAY_09, tick=False):
        jobs.send_due_reminders()
    with time_machine.travel(TUESDAY_09 + datetime.timedelta(minutes=15), tick=False):
        jobs.send_due_reminders()
    ensure_role_groups()
    london.olivia.is_staff = True
    london.olivia.save()
    sync_role_groups(london.olivia)
    client.force_login(london.olivia)

    page = client.get(reverse("admin:requests_privacyrequest_change", args=[mine.pk]))

    assert page.status_code == 200
    section = page.content.decode().split('id="reminders"')[1].split("</section>")[0]
    assert "Deadline approaching · 7 days before" in section
    assert "7 April 2026" in section or "April 7, 2026" in section
    # Hank, the assignee, was told; on the second try, 15 minutes later (09:15 in London).
    assert "hank: sent" in section and "(2 tries)" in section
    assert "9:15" in section
    assert "olivia" not in section  # the team hears of unassigned requests only
    # The other request's reminders went to the team, and are not on this page.
    other_page = client.get(reverse("admin:requests_privacyrequest_change", args=[other.pk]))
    other_section = other_page.content.decode().split('id="reminders"')[1]
    assert "olivia: sent" in other_section and "hannah: sent" in other_section


def test_the_reminder_list_filters_on_sent(london, admin_client):
    from dsar.reminders.models import Notification

    day = datetime.date(2026, 3, 3)
    make_request(london.org, "gdpr", day, assignee=london.hank, reference="L-1")
    make_request(london.org, "gdpr", day, assignee=london.hannah, reference="L-2")
    with time_machine.travel(TUESDAY_09, tick=False):
        jobs.send_due_reminders()
    # Say Hannah's email had failed for good instead: L-2's reminder has not gone out.
    Notification.objects.filter(user=london.hannah).update(status="failed", sent_at=None)
    changelist = reverse("admin:reminders_reminder_changelist")

    shown = admin_client.get(changelist, {"sent": "yes"}).content.decode()
    hidden = admin_client.get(changelist, {"sent": "no"}).content.decode()

    assert "L-1" in shown and "L-2" not in shown
    assert "L-2" in hidden and "L-1" not in hidden
    assert "hannah (failed: gave up)" in hidden
