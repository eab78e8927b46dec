"""Tenancy on every staff URL of the organizations admin.

audrey audits IMG: her role group may view every organization, address, contact, membership and
1798.83 register, but she must see IMG's only. iMT's page (with its staff in the membership
inline), its addresses, contacts, memberships and register are a 404 on every URL, and no list
or filter names iMT.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from dsar.organizations.models import (
    MarketingDisclosure,
    Membership,
    Organization,
    OrganizationAddress,
    OrganizationContact,
    Role,
)
from tests.workspace import conftest as workspace
from tests.workspace.conftest import make_member

# The personas and seed organizations of the workspace tests (style rule 15).
img = workspace.img
imt = workspace.imt
login = workspace.login
seeds = workspace.seeds

pytestmark = pytest.mark.django_db

VIEWS = ["change", "history", "delete"]


def url(name: str, *args: object) -> str:
    return reverse(f"admin:organizations_{name}", args=args)


def _disclosure(organization: Organization) -> MarketingDisclosure:
    return MarketingDisclosure.objects.create(
        organization=organization,
        year=2025,
        third_party_name=f"Mailers of {organization.slug}",
        third_party_address="1 Main Street",
        categories="name\npostal address",
    )


def _address(organization: Organization) -> OrganizationAddress:
    return OrganizationAddress.objects.create(
        organization=organization, label="Head office", address=f"{organization.slug} street"
    )


def _contact(organization: Organization) -> OrganizationContact:
    return OrganizationContact.objects.create(
        organization=organization, role="DPO", name=f"DPO of {organization.slug}"
    )


@pytest.fixture
def imt_rows(imt, charlie) -> dict[str, object]:
    """One row of iMT's in each admin of the app (charlie's membership among them)."""
    return {
        "organization": imt,
        "organizationaddress": _address(imt),
        "organizationcontact": _contact(imt),
        "marketingdisclosure": _disclosure(imt),
        "membership": Membership.objects.get(user=charlie),
    }


@pytest.fixture
def img_rows(img, audrey) -> dict[str, object]:
    return {
        "organization": img,
        "organizationaddress": _address(img),
        "organizationcontact": _contact(img),
        "marketingdisclosure": _disclosure(img),
        "membership": Membership.objects.get(user=audrey),
    }


MODELS = [
    "organization",
    "organizationaddress",
    "organizationcontact",
    "marketingdisclosure",
    "membership",
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("view", VIEWS)
def test_another_tenants_objects_are_404_on_every_page(login, audrey, imt_rows, model, view):
    obj = imt_rows[model]

    assert login(audrey).get(url(f"{model}_{view}", obj.pk)).status_code == 404


def test_another_tenants_organization_page_does_not_show_its_staff(login, audrey, imt, charlie):
    response = login(audrey).get(url("organization_change", imt.pk))

    assert response.status_code == 404
    assert "charlie" not in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_lists_and_filters_show_only_the_users_organizations(
    login, audrey, img, imt, img_rows, imt_rows, model
):
    response = login(audrey).get(url(f"{model}_changelist"))

    assert response.status_code == 200
    shown = [row.pk for row in response.context["cl"].result_list]
    assert img_rows[model].pk in shown
    assert imt_rows[model].pk not in shown
    page = response.content.decode()
    assert imt.name not in page
    assert "Mailers of imt" not in page
    assert "charlie" not in page


def test_the_auditor_reads_her_own_organization_and_register(login, audrey, img, img_rows):
    client = login(audrey)

    page = client.get(url("organization_change", img.pk))
    assert page.status_code == 200
    assert "audrey" in page.content.decode()  # the staff of IMG, in the membership inline
    disclosure = img_rows["marketingdisclosure"]
    assert client.get(url("marketingdisclosure_change", disclosure.pk)).status_code == 200


def test_a_manager_of_one_organization_cannot_write_another_tenants_rows(img, imt):
    """Even with every permission of the app (given directly), a member of IMG only changes
    IMG's rows: iMT's are 404, and the organization fields offer IMG only."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = make_member("manager", img, Role.PRIVACY_OFFICER)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="organizations"))
    client = Client()
    client.force_login(user)
    disclosure = _disclosure(imt)

    response = client.post(url("marketingdisclosure_delete", disclosure.pk), {"post": "yes"})
    assert response.status_code == 404
    assert MarketingDisclosure.objects.filter(pk=disclosure.pk).exists()

    response = client.post(
        url("marketingdisclosure_add"),
        {
            "organization": imt.pk,
            "year": 2025,
            "third_party_name": "Planted",
            "third_party_address": "x",
            "categories": "name",
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert not MarketingDisclosure.objects.filter(third_party_name="Planted").exists()

    page = client.get(url("membership_add"))
    assert list(page.context["adminform"].form.fields["organization"].queryset) == [img]


def test_a_superuser_sees_every_organization(login, root: User, img, imt):
    response = login(root).get(url("organization_changelist"))

    shown = {org.pk for org in response.context["cl"].result_list}
    assert shown == {img.pk, imt.pk}
    assert login(root).get(url("organization_change", imt.pk)).status_code == 200


def test_only_a_superuser_creates_organizations(login, olivia, admin_user, client):
    assert login(olivia).get("/staff/organizations/organization/add/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/staff/organizations/organization/add/").status_code == 200
