"""Tenancy and roles on every staff URL of the policy admin.

olivia is IMG's privacy officer. Her role group carries the policy permissions of every
organization, but she must not learn what iMT's policy says or is about to say: iMT's versions and
their rows are a 404 on every URL (change, history, delete, lint, new draft, put in force), and
the lists, filters and choices name IMG only. A privacy officer of IMG who merely handles iMT's
requests reads iMT's policy but cannot draft, edit or publish it.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse

from dsar.organizations.admin import sync_role_groups
from dsar.organizations.models import Membership, Organization, Role
from dsar.policies.models import (
    DataSource,
    LabelPlacement,
    LabelRule,
    PolicyVersion,
    PolicyVersionStatus,
)
from dsar.policies.services import policy_version_draft_from
from tests.workspace import conftest as workspace
from tests.workspace.conftest import make_member

# The personas and seed organizations of the workspace tests (style rule 15).
img = workspace.img
imt = workspace.imt
login = workspace.login
seeds = workspace.seeds

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "Channel",
    "Right",
    "LabelRule",
    "Exemption",
    "DataCategory",
    "Purpose",
    "Recipient",
    "RetentionStatement",
    "DataSource",
    "PolicyGap",
]
# The path from each row to its organization.
ORGANIZATION_PATH = {
    "LabelRule": "channel__version__organization",
    "Exemption": "right__version__organization",
}


def url(name: str, *args: object) -> str:
    return reverse(f"admin:policies_{name}", args=args)


def _path(model_name: str) -> str:
    return ORGANIZATION_PATH.get(model_name, "version__organization")


def _row_of(model_name: str, organization: Organization):
    model = apps.get_model("policies", model_name)
    row = model.objects.filter(**{_path(model_name): organization}).order_by("pk").first()
    assert row is not None, f"the {organization.slug} seed has no {model_name}"
    return row


@pytest.fixture
def imt_v1(imt) -> PolicyVersion:
    return PolicyVersion.objects.in_force_for(imt)


@pytest.fixture
def imt_draft(imt_v1) -> PolicyVersion:
    """iMT's unpublished next version, as its own privacy officer would have started it, with a
    row of every kind (iMT's policy has no label rule and names no data source)."""
    draft = policy_version_draft_from(version=imt_v1, actor=None)
    if not LabelRule.objects.filter(channel__version=draft).exists():
        LabelRule.objects.create(
            channel=draft.channels.first(),
            right=draft.rights.first(),
            words="Privacy request",
            where=LabelPlacement.values[0],
        )
    if not DataSource.objects.filter(version=draft).exists():
        DataSource.objects.create(version=draft, name="Partners")
    return draft


@pytest.fixture
def dual(img, imt) -> User:
    """Privacy officer of IMG, request handler of iMT: in both role groups."""
    user = make_member("dual", img, Role.PRIVACY_OFFICER)
    Membership.objects.create(user=user, organization=imt, role=Role.HANDLER)
    sync_role_groups(user)
    return user


# -- Another tenant's versions ---------------------------------------------------------------------


@pytest.mark.parametrize("view", ["change", "history", "delete", "lint", "new_draft"])
def test_another_tenants_version_is_404_on_every_page(login, olivia, imt_v1, view):
    client = login(olivia)

    assert client.get(url(f"policyversion_{view}", imt_v1.pk)).status_code == 404


@pytest.mark.parametrize("view", ["change", "history", "delete", "lint", "put_in_force"])
def test_another_tenants_draft_is_404_even_to_read(login, alice, imt_draft, view):
    # alice handles IMG's requests: iMT's unpublished draft is none of her business.
    assert login(alice).get(url(f"policyversion_{view}", imt_draft.pk)).status_code == 404


def test_a_privacy_officer_cannot_draft_or_publish_another_tenants_policy(
    login, olivia, imt, imt_v1, imt_draft
):
    client = login(olivia)
    versions = PolicyVersion.objects.filter(organization=imt).count()

    assert client.post(url("policyversion_new_draft", imt_v1.pk)).status_code == 404
    assert client.post(url("policyversion_put_in_force", imt_draft.pk)).status_code == 404
    assert client.post(url("policyversion_delete", imt_draft.pk), {"post": "yes"}).status_code == (
        404
    )
    response = client.post(
        url("policyversion_change", imt_draft.pk), {"title": "Taken over", "text": "x"}
    )
    assert response.status_code == 404

    assert PolicyVersion.objects.filter(organization=imt).count() == versions
    imt_draft.refresh_from_db()
    assert imt_draft.status == PolicyVersionStatus.DRAFT
    assert imt_draft.title != "Taken over"
    assert PolicyVersion.objects.in_force_for(imt) == imt_v1
    assert not LogEntry.objects.filter(user=olivia).exists()


def test_the_version_list_and_its_filter_show_only_the_users_organizations(
    login, olivia, img, imt, imt_draft
):
    response = login(olivia).get(url("policyversion_changelist"))

    assert response.status_code == 200
    shown = {version.organization_id for version in response.context["cl"].result_list}
    assert shown == {img.pk}
    assert imt.name not in response.content.decode()


def test_the_add_form_offers_only_organizations_where_the_user_is_privacy_officer(
    login, dual, img, imt
):
    response = login(dual).get(url("policyversion_add"))

    assert response.status_code == 200
    choices = response.context["adminform"].form.fields["organization"].queryset
    assert list(choices) == [img]


def test_a_version_cannot_be_added_to_another_tenant(login, olivia, imt):
    versions = PolicyVersion.objects.filter(organization=imt).count()

    response = login(olivia).post(
        url("policyversion_add"),
        {"organization": imt.pk, "title": "Ours now", "text": "x", "effective_date": "2026-03-01"},
    )

    assert response.status_code == 200  # the form again, with an error on the organization
    assert "organization" in response.context["adminform"].form.errors
    assert PolicyVersion.objects.filter(organization=imt).count() == versions


# -- A member of the other organization without a writing role there -------------------------------


def test_a_handler_of_the_organization_reads_its_policy_but_cannot_write_it(
    login, dual, imt, imt_v1, imt_draft
):
    client = login(dual)
    versions = PolicyVersion.objects.filter(organization=imt).count()

    page = client.get(url("policyversion_change", imt_draft.pk))
    assert page.status_code == 200
    assert page.context["can_new_draft"] is False
    assert page.context["can_put_in_force"] is False
    assert 'name="_save"' not in page.content.decode()  # read-only

    assert client.post(url("policyversion_new_draft", imt_v1.pk)).status_code == 403
    assert client.post(url("policyversion_put_in_force", imt_draft.pk)).status_code == 403
    assert client.post(url("policyversion_delete", imt_draft.pk), {"post": "yes"}).status_code == (
        403
    )
    response = client.post(url("policyversion_change", imt_draft.pk), {"title": "x", "text": "x"})
    assert response.status_code == 403

    assert PolicyVersion.objects.filter(organization=imt).count() == versions
    imt_draft.refresh_from_db()
    assert imt_draft.status == PolicyVersionStatus.DRAFT
    assert PolicyVersion.objects.in_force_for(imt) == imt_v1


def test_the_privacy_officer_still_drafts_and_publishes_her_own_policy(login, olivia, img):
    client = login(olivia)
    v1 = PolicyVersion.objects.in_force_for(img)

    page = client.get(url("policyversion_change", v1.pk))
    assert page.context["can_new_draft"] is True

    response = client.post(url("policyversion_new_draft", v1.pk))
    assert response.status_code == 302
    draft = PolicyVersion.objects.get(organization=img, status=PolicyVersionStatus.DRAFT)
    assert client.get(url("policyversion_change", draft.pk)).context["can_put_in_force"] is True

    response = client.post(url("policyversion_put_in_force", draft.pk))
    assert response.status_code == 302
    assert PolicyVersion.objects.in_force_for(img) == draft


def test_a_superuser_sees_every_organizations_versions(login, root, img, imt, imt_draft):
    response = login(root).get(url("policyversion_changelist"))

    shown = {version.organization_id for version in response.context["cl"].result_list}
    assert shown == {img.pk, imt.pk}
    assert login(root).get(url("policyversion_change", imt_draft.pk)).status_code == 200


# -- The rows of another tenant's policy -----------------------------------------------------------


@pytest.mark.parametrize("model_name", CONTENT_MODELS)
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_tenants_policy_rows_are_404(login, olivia, imt_draft, model_name, view):
    row = _row_of(model_name, imt_draft.organization)
    client = login(olivia)

    assert client.get(url(f"{model_name.lower()}_{view}", row.pk)).status_code == 404


@pytest.mark.parametrize("model_name", CONTENT_MODELS)
def test_another_tenants_draft_rows_cannot_be_deleted(login, olivia, imt_draft, model_name):
    model = apps.get_model("policies", model_name)
    version_path = _path(model_name).removesuffix("__organization")
    row = model.objects.filter(**{version_path: imt_draft}).first()
    assert row is not None

    response = login(olivia).post(url(f"{model_name.lower()}_delete", row.pk), {"post": "yes"})

    assert response.status_code == 404
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model_name", CONTENT_MODELS)
def test_row_lists_and_filters_show_only_the_users_organizations(
    login, olivia, img, imt, imt_draft, model_name
):
    response = login(olivia).get(url(f"{model_name.lower()}_changelist"))

    assert response.status_code == 200
    ids = [row.pk for row in response.context["cl"].result_list]
    model = apps.get_model("policies", model_name)
    organizations = set(
        model.objects.filter(pk__in=ids).values_list(f"{_path(model_name)}__slug", flat=True)
    )
    assert organizations == {"img"}
    assert imt.name not in response.content.decode()


@pytest.mark.parametrize("model_name", ["DataCategory", "LabelRule", "Exemption"])
def test_new_rows_can_only_go_to_the_users_own_drafts(login, olivia, img, imt_draft, model_name):
    img_draft = policy_version_draft_from(
        version=PolicyVersion.objects.in_force_for(img), actor=None
    )

    response = login(olivia).get(url(f"{model_name.lower()}_add"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        versions = {getattr(obj, "version", obj) for obj in queryset}
        assert versions == {img_draft}
