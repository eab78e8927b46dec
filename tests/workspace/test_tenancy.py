"""Tenancy and roles on every staff URL of the workspace.

charlie (a handler of iMT) must not learn that an IMG request exists: 404 on its page, its
history, every action and the export, and no trace of it in the list, the dashboard or the filter
choices. audrey (IMG's auditor) sees everything of IMG and changes nothing: no buttons, 403 on
every POST.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse

from dsar.organizations.models import Membership, Role
from dsar.requests.models import PrivacyRequest, RequestEvent, Status
from dsar.requests.views_staff import ACTIONS
from tests.workspace.conftest import CHANGELIST, DASHBOARD, INTAKE, act_url, change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def img_request(log_request):
    return log_request(requester_name="Ines Private", requester_email="ines@example.com")


@pytest.fixture
def imt_request(log_request, imt):
    return log_request(
        organization=imt,
        right_kind="erasure",
        requester_name="Tom Other",
        requester_email="tom@example.com",
        jurisdiction="",
    )


def _history_url(privacy_request: PrivacyRequest) -> str:
    return reverse("admin:requests_privacyrequest_history", args=[privacy_request.pk])


# -- Another tenant --------------------------------------------------------------------------------


def test_another_tenants_request_page_and_history_are_404(login, charlie, img_request):
    client = login(charlie)

    assert client.get(change_url(img_request)).status_code == 404
    assert client.get(_history_url(img_request)).status_code == 404


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_on_another_tenants_request_is_404(login, charlie, img_request, action):
    client = login(charlie)
    events = RequestEvent.objects.count()

    response = client.post(
        act_url(img_request, action),
        {f"{action}-reason": "x", f"{action}-note": "x", f"{action}-how": "x"},
    )

    assert response.status_code == 404
    assert RequestEvent.objects.count() == events
    img_request.refresh_from_db()
    assert img_request.status == Status.RECEIVED


def test_the_list_and_its_filters_show_only_the_users_organizations(
    login, charlie, img_request, imt_request
):
    response = login(charlie).get(CHANGELIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert imt_request.reference in page
    assert img_request.reference not in page
    assert "Ines Private" not in page
    # The organization filter lists iMT only (one choice: the filter is not even shown).
    assert "Incident Management Group" not in page


def test_searching_for_another_tenants_requester_finds_nothing(login, charlie, img_request):
    response = login(charlie).get(CHANGELIST, {"q": "ines@example.com"}, follow=True)

    assert img_request.reference not in response.content.decode()


def test_the_dashboard_counts_only_the_users_organizations(
    login, charlie, img_request, imt_request
):
    response = login(charlie).get(DASHBOARD)

    queues = {q.key: q.count for q in response.context["queues"]}
    assert queues["new"] == 1  # iMT's, not IMG's
    assert queues["unassigned"] == 1


@pytest.mark.parametrize("action", ["export_csv", "assign_to_me", "issue_acknowledgements"])
def test_bulk_actions_on_another_tenants_requests_are_404(
    login, charlie, img_request, imt_request, action
):
    response = login(charlie).post(
        CHANGELIST,
        {"action": action, "_selected_action": [img_request.pk, imt_request.pk], "index": 0},
    )

    assert response.status_code == 404
    assert not LogEntry.objects.exists()
    assert PrivacyRequest.objects.filter(assignee__isnull=False).count() == 0


def test_intake_cannot_log_for_another_organization(login, charlie, img):
    client = login(charlie)
    form = client.get(INTAKE).context["form"]
    assert list(form.fields["organization"].queryset) == [charlie.memberships.get().organization]

    response = client.post(
        INTAKE,
        {
            "organization": img.pk,
            "right_kind": "access",
            "channel_kind": "email",
            "received_at": "2026-03-01T10:00",
            "requester_name": "Mallory",
            "requester_email": "m@example.com",
        },
    )

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not PrivacyRequest.objects.exists()


def test_events_of_another_tenant_are_not_listed_and_404(login, charlie, img_request):
    client = login(charlie)
    event = img_request.events.get()

    listing = client.get(reverse("admin:requests_requestevent_changelist"))
    page = client.get(reverse("admin:requests_requestevent_change", args=[event.pk]))

    assert listing.status_code == 200
    assert img_request.reference not in listing.content.decode()
    assert page.status_code == 404


def test_a_superuser_sees_every_organization(login, root, img_request, imt_request):
    client = login(root)

    page = client.get(CHANGELIST).content.decode()

    assert img_request.reference in page and imt_request.reference in page
    assert client.get(change_url(img_request)).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client, img_request):
    for url in (CHANGELIST, DASHBOARD, INTAKE, change_url(img_request)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")
    response = client.post(act_url(img_request, "start"))
    assert response.status_code == 302
    assert img_request.events.count() == 1


def test_a_non_staff_member_is_sent_to_the_login(client, img, img_request):
    user = User.objects.create_user("mona", password="a-long-test-password")
    Membership.objects.create(user=user, organization=img, role=Role.HANDLER)
    client.force_login(user)

    assert client.post(act_url(img_request, "start")).status_code == 302
    assert img_request.events.count() == 1


# -- The auditor -----------------------------------------------------------------------------------


def test_the_auditor_sees_the_request_but_no_buttons(login, audrey, img_request):
    response = login(audrey).get(change_url(img_request))

    page = response.content.decode()
    assert response.status_code == 200
    assert img_request.reference in page
    assert "Timeline" in page
    assert "/act/" not in page
    assert 'id="actions-heading"' not in page


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_post_by_the_auditor_is_403(login, audrey, img_request, action):
    events = RequestEvent.objects.count()

    response = login(audrey).post(act_url(img_request, action), {f"{action}-reason": "x"})

    assert response.status_code == 403
    assert RequestEvent.objects.count() == events


def test_the_auditor_cannot_log_a_request(login, audrey, img):
    client = login(audrey)

    assert client.get(INTAKE).status_code == 403
    assert client.post(INTAKE, {"organization": img.pk}).status_code == 403
    assert "Log a request" not in client.get(CHANGELIST).content.decode()


@pytest.mark.parametrize("action", ["export_csv", "assign_to_me", "issue_acknowledgements"])
def test_bulk_action_posts_by_the_auditor_are_403(login, audrey, img_request, action):
    client = login(audrey)
    assert 'name="action"' not in client.get(CHANGELIST).content.decode()

    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [img_request.pk], "index": 0}
    )

    assert response.status_code == 403
    assert not LogEntry.objects.exists()


def test_a_handler_of_one_organization_is_read_only_where_they_audit(
    login, alice, imt, log_request
):
    # alice handles IMG (so her groups carry the change permission) but only audits iMT.
    Membership.objects.create(user=alice, organization=imt, role=Role.AUDITOR)
    imt_request = log_request(organization=imt, right_kind="erasure", jurisdiction="")
    client = login(alice)

    page = client.get(change_url(imt_request)).content.decode()
    response = client.post(act_url(imt_request, "start"))

    assert "/act/" not in page
    assert response.status_code == 403


def test_the_request_fields_cannot_be_posted_as_a_form(login, olivia, img_request):
    response = login(olivia).post(
        change_url(img_request), {"status": "fulfilled", "requester_name": "Changed"}
    )

    assert response.status_code == 405
    img_request.refresh_from_db()
    assert (img_request.status, img_request.requester_name) == ("received", "Ines Private")


def test_requests_cannot_be_deleted_even_by_a_superuser(login, root, img_request):
    url = reverse("admin:requests_privacyrequest_delete", args=[img_request.pk])

    assert login(root).post(url, {"post": "yes"}).status_code == 403
    assert PrivacyRequest.objects.filter(pk=img_request.pk).exists()
