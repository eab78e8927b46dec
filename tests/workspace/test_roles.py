"""Role groups (migration organizations 0003) and the Membership admin that keeps them in step."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation

from dsar.organizations.admin import sync_role_groups
from dsar.organizations.models import Membership, Role

pytestmark = pytest.mark.django_db


def _perms(role: Role) -> set[str]:
    with translation.override(None):
        group = Group.objects.get(name=role.group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_migration_creates_one_group_per_role():
    with translation.override(None):
        names = {role.group_name for role in Role}
    assert set(Group.objects.filter(name__in=names).values_list("name", flat=True)) == names


def test_the_privacy_officer_may_do_everything_with_requests_and_keep_the_policies():
    """Delete on the policies app is given (organizations 0007) so that a privacy officer can
    discard a draft; a published version is kept whatever the permission says
    (tests/policies/test_admin_delete.py, ``test_a_privacy_officer_is_told_why_too``)."""
    perms = _perms(Role.PRIVACY_OFFICER)

    for action in ("add", "change", "delete", "view"):
        assert f"requests.{action}_privacyrequest" in perms
    assert {
        "policies.view_policyversion",
        "policies.add_policyversion",
        "policies.change_right",
        "policies.publish_policyversion",
    } <= perms
    assert "policies.delete_policyversion" in perms  # drafts only: the admin refuses the rest


def test_the_handler_may_view_add_and_change_requests_and_read_policies():
    perms = _perms(Role.HANDLER)

    assert {
        "requests.view_privacyrequest",
        "requests.add_privacyrequest",
        "requests.change_privacyrequest",
        "policies.view_right",
    } <= perms
    assert "requests.delete_privacyrequest" not in perms
    assert not {p for p in perms if p.startswith("policies.") and ".view_" not in p}


def test_the_auditor_may_only_view():
    perms = _perms(Role.AUDITOR)

    assert perms
    assert all(".view_" in p for p in perms)
    assert {"requests.view_privacyrequest", "organizations.view_organization"} <= perms


def test_sync_role_groups_follows_the_memberships(img, imt):
    user = User.objects.create_user("dora", is_staff=True)
    Membership.objects.create(user=user, organization=img, role=Role.HANDLER)
    Membership.objects.create(user=user, organization=imt, role=Role.AUDITOR)

    sync_role_groups(user)
    assert set(user.groups.values_list("name", flat=True)) == {
        "Request handler",
        "Auditor (read only)",
    }

    Membership.objects.filter(user=user, organization=img).delete()
    sync_role_groups(user)
    assert set(user.groups.values_list("name", flat=True)) == {"Auditor (read only)"}


def test_saving_a_membership_in_the_admin_sets_the_groups(client, root, img):
    client.force_login(root)
    user = User.objects.create_user("evan", is_staff=True)

    response = client.post(
        reverse("admin:organizations_membership_add"),
        {
            "user": user.pk,
            "organization": img.pk,
            "role": Role.PRIVACY_OFFICER,
            "receives_digests": "on",
        },
    )

    assert response.status_code == 302
    assert list(user.groups.values_list("name", flat=True)) == ["Privacy officer"]
    assert user.has_perm("requests.change_privacyrequest")


def test_memberships_are_listed_within_the_users_organizations_only(client, audrey, charlie):
    client.force_login(audrey)  # the auditor may view memberships

    response = client.get(reverse("admin:organizations_membership_changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "audrey" in page
    assert "charlie" not in page
    # Not even in the organization filter (as a word: a CSRF token may hold the letters).
    assert not re.search(r"\biMT\b", page)
