"""A privacy officer does in the admin what the role is described with, for their own
organization only: its record, addresses, contacts, staff and 1798.83 register, and the rows of
a draft policy (issue 18). olivia is IMG's privacy officer; iMT is another tenant."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from dsar.organizations.models import (
    MarketingDisclosure,
    Membership,
    OrganizationAddress,
    OrganizationContact,
    Role,
)
from tests.workspace import conftest as workspace
from tests.workspace.conftest import make_member

img = workspace.img
imt = workspace.imt
login = workspace.login
seeds = workspace.seeds

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"admin:organizations_{name}", args=args)


def test_she_adds_changes_and_removes_her_organizations_staff(login, olivia, img, alice):
    client = login(olivia)
    newcomer = make_member("newcomer", img, Role.AUDITOR)
    Membership.objects.filter(user=newcomer).delete()

    added = client.post(
        url("membership_add"),
        {
            "user": newcomer.pk,
            "organization": img.pk,
            "role": Role.HANDLER,
            "receives_digests": "on",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    assert membership.role == Role.HANDLER
    assert newcomer.groups.filter(name="Request handler").exists()

    alices = Membership.objects.get(user=alice)
    changed = client.post(
        url("membership_change", alices.pk),
        {"user": alice.pk, "organization": img.pk, "role": Role.AUDITOR},
    )
    assert changed.status_code == 302
    assert Membership.objects.get(user=alice).role == Role.AUDITOR

    removed = client.post(url("membership_delete", membership.pk), {"post": "yes"})
    assert removed.status_code == 302
    assert not Membership.objects.filter(user=newcomer).exists()


def test_she_keeps_her_organizations_addresses_contacts_and_register(login, olivia, img):
    client = login(olivia)

    for model, data in (
        ("organizationaddress", {"position": 0, "label": "Head office", "address": "1 Main St"}),
        ("organizationcontact", {"position": 0, "role": "DPO", "name": "Dee Po"}),
        (
            "marketingdisclosure",
            {
                "year": 2025,
                "third_party_name": "Mailers Ltd",
                "third_party_address": "2 Side St",
                "categories": "name\npostal address",
            },
        ),
    ):
        response = client.post(url(f"{model}_add"), {"organization": img.pk, **data})
        assert response.status_code == 302, (model, response.content.decode()[:2000])

    address = OrganizationAddress.objects.get(organization=img, label="Head office")
    assert OrganizationContact.objects.filter(organization=img, name="Dee Po").exists()
    disclosure = MarketingDisclosure.objects.get(organization=img, third_party_name="Mailers Ltd")
    assert (
        client.post(url("organizationaddress_delete", address.pk), {"post": "yes"}).status_code
        == 302
    )
    assert not OrganizationAddress.objects.filter(pk=address.pk).exists()
    assert client.get(url("marketingdisclosure_change", disclosure.pk)).status_code == 200


def test_her_organizations_page_lets_her_edit_its_staff_inline(login, olivia, img):
    page = login(olivia).get(url("organization_change", img.pk))

    assert page.status_code == 200
    inlines = {
        formset.opts.model._meta.model_name: formset
        for formset in page.context["inline_admin_formsets"]
    }
    assert inlines["membership"].has_add_permission
    assert inlines["membership"].has_change_permission
    assert inlines["organizationaddress"].has_add_permission


def test_nothing_of_another_organization(login, olivia, imt, charlie):
    client = login(olivia)
    theirs = Membership.objects.get(user=charlie)

    assert client.get(url("organization_change", imt.pk)).status_code == 404
    assert client.post(url("membership_delete", theirs.pk), {"post": "yes"}).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()
    planted = client.post(
        url("membership_add"),
        {"user": olivia.pk, "organization": imt.pk, "role": Role.PRIVACY_OFFICER},
    )
    assert planted.status_code == 200
    assert "organization" in planted.context["adminform"].form.errors
    assert not Membership.objects.filter(user=olivia, organization=imt).exists()
    response = client.post(
        url("organizationcontact_add"),
        {"organization": imt.pk, "position": 0, "role": "x", "name": "x"},
    )
    assert response.status_code == 200
    assert not OrganizationContact.objects.filter(organization=imt, name="x").exists()


def test_a_handler_still_cannot_set_the_staff(login, alice, img, audrey):
    client = login(alice)

    assert client.get(url("membership_add")).status_code == 403
    audreys = Membership.objects.get(user=audrey)
    client.post(
        url("membership_change", audreys.pk),
        {"user": audrey.pk, "organization": img.pk, "role": Role.PRIVACY_OFFICER},
    )
    assert Membership.objects.get(user=audrey).role == Role.AUDITOR


def test_the_group_gets_no_more_than_the_role_says(olivia):
    codenames = set(
        Group.objects.get(name="Privacy officer")
        .permissions.filter(content_type__app_label="organizations")
        .values_list("codename", flat=True)
    )

    assert "add_organization" not in codenames and "delete_organization" not in codenames
    assert {
        "view_organization",
        "change_organization",
        "add_membership",
        "delete_membership",
    } <= codenames
    # The register's confirmation is written by its own page (dsar.letters), for privacy
    # officers, not through a model permission.
    every = set(
        Permission.objects.filter(content_type__app_label="organizations")
        .exclude(content_type__model="disclosureregisterconfirmation")
        .values_list("codename", flat=True)
    )
    assert every - codenames == {"add_organization", "delete_organization"}
    assert not any("disclosureregisterconfirmation" in codename for codename in codenames)


def test_she_deletes_a_row_of_her_organizations_draft_policy_only(login, olivia, img, imt):
    from dsar.policies.models import PolicyVersion, Right
    from dsar.policies.services import policy_version_draft_from

    mine, theirs = (
        policy_version_draft_from(
            version=PolicyVersion.objects.filter(organization=org).get(), actor=None
        )
        for org in (img, imt)
    )
    client = login(olivia)

    for draft, status in ((mine, 302), (theirs, 404)):
        right = Right.objects.filter(version=draft).first()
        response = client.post(
            reverse("admin:policies_right_delete", args=[right.pk]), {"post": "yes"}
        )
        assert response.status_code == status
        assert Right.objects.filter(pk=right.pk).exists() == (status == 404)
