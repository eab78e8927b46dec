"""The policy admin: staff read published versions, copy them into drafts, put drafts in force."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from dsar.organizations.models import Membership, Role
from dsar.policies import export
from dsar.policies.models import PolicyVersion, PolicyVersionStatus
from tests.policies.conftest import row_counts

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


@pytest.fixture
def reader(client, acme):
    """A staff member of Acme who may only view policies (no superuser powers)."""
    user = User.objects.create_user("reader", password="x", is_staff=True)
    Membership.objects.create(user=user, organization=acme.version.organization, role=Role.AUDITOR)
    codenames = [f"view_{m._meta.model_name}" for m in apps.get_app_config("policies").get_models()]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


MODELS = [
    "organizations.Organization",
    "organizations.OrganizationAddress",
    "organizations.OrganizationContact",
    "organizations.MarketingDisclosure",
    "policies.PolicyVersion",
    "policies.Channel",
    "policies.Right",
    "policies.LabelRule",
    "policies.Exemption",
    "policies.DataCategory",
    "policies.Purpose",
    "policies.Recipient",
    "policies.RetentionStatement",
    "policies.DataSource",
    "policies.PolicyGap",
]


@pytest.mark.parametrize("label", MODELS)
def test_staff_can_open_every_changelist(admin_client, acme, label):
    model = apps.get_model(label)
    assert admin.site.is_registered(model)

    response = admin_client.get(url(f"{model._meta.app_label}_{model._meta.model_name}_changelist"))

    assert response.status_code == 200


def test_every_model_of_the_policies_app_is_in_the_admin():
    registered = {m._meta.label for m in apps.get_app_config("policies").get_models()}
    assert registered == {label for label in MODELS if label.startswith("policies.")}


def test_staff_can_search_and_filter_versions(admin_client, acme):
    response = admin_client.post(
        url("policies_policyversion_changelist") + "?status=in_force", {"q": "acme"}, follow=True
    )

    assert response.status_code == 200
    assert b"Privacy Policy" in response.content
    assert "acme" not in response.request["QUERY_STRING"]
    assert "status=in_force" in response.request["QUERY_STRING"]


def test_a_published_version_is_shown_read_only_with_its_tools(admin_client, acme):
    response = admin_client.get(url("policies_policyversion_change", acme.version.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content  # view-only: no save button
    assert 'name="rights-0-kind"' not in content  # inlines read-only
    assert url("policies_policyversion_lint", acme.version.pk) in content
    assert url("policies_policyversion_new_draft", acme.version.pk) in content
    assert url("policies_policyversion_put_in_force", acme.version.pk) not in content


def test_staff_can_open_the_lint_page(reader, acme):
    response = reader.get(url("policies_policyversion_lint", acme.version.pk))

    assert response.status_code == 200
    assert b"No findings." in response.content


def test_the_lint_page_lists_findings(admin_client):
    from tests.policies.conftest import load

    [result] = load("lint-right-without-channel.yaml")

    response = admin_client.get(url("policies_policyversion_lint", result.version.pk))

    assert b"right_without_channel" in response.content
    assert b"access is promised with no channel to exercise it" in response.content


def test_the_lint_page_is_for_staff_only(client, acme):
    response = client.get(url("policies_policyversion_lint", acme.version.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(url("login"))


def test_a_reader_cannot_create_a_draft(reader, acme):
    response = reader.post(url("policies_policyversion_new_draft", acme.version.pk))

    assert response.status_code == 403
    assert PolicyVersion.objects.count() == 1


def test_new_draft_then_put_in_force_makes_version_2_and_leaves_version_1_alone(admin_client, acme):
    v1 = acme.version
    v1_before = export.policy_document(v1)
    counts_before = row_counts()

    # Confirm page, then the copy.
    assert admin_client.get(url("policies_policyversion_new_draft", v1.pk)).status_code == 200
    response = admin_client.post(url("policies_policyversion_new_draft", v1.pk))
    draft = PolicyVersion.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == url("policies_policyversion_change", draft.pk)
    assert draft.status == PolicyVersionStatus.DRAFT and draft.based_on == v1
    # A deep copy: same content, its own rows.
    assert export.policy_document(draft) == v1_before
    counts = row_counts()
    for label, before in counts_before.items():
        if label not in {
            "organizations.Organization",
            "organizations.OrganizationAddress",
            "organizations.OrganizationContact",
        }:
            assert counts[label] == (2 * before if label != "policies.PolicyVersion" else 2), label

    # The draft is editable, in the admin too.
    page = admin_client.get(url("policies_policyversion_change", draft.pk)).content.decode()
    assert 'name="_save"' in page
    assert url("policies_policyversion_put_in_force", draft.pk) in page
    access = draft.rights.get(kind="access")
    access.deadline_promise = "30 days"
    access.save()

    assert admin_client.get(url("policies_policyversion_put_in_force", draft.pk)).status_code == 200
    response = admin_client.post(url("policies_policyversion_put_in_force", draft.pk))

    assert response.status_code == 302
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == (PolicyVersionStatus.RETIRED, PolicyVersionStatus.IN_FORCE)
    assert PolicyVersion.objects.in_force_for(acme.organization) == draft
    assert export.policy_document(v1) == v1_before  # version 1's rows untouched
    assert draft.content_hash != v1.content_hash
    assert draft.published_by.username == "admin"


def test_put_in_force_refuses_a_published_version(admin_client, acme):
    response = admin_client.post(url("policies_policyversion_put_in_force", acme.version.pk))

    assert response.status_code == 302
    acme.version.refresh_from_db()
    assert acme.version.status == PolicyVersionStatus.IN_FORCE


def test_a_published_right_cannot_be_changed_in_the_admin(admin_client, acme):
    right = acme.version.rights.get(kind="access")
    change = url("policies_right_change", right.pk)

    page = admin_client.get(change)
    response = admin_client.post(change, {"kind": "erasure", "clause": "x"})

    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert response.status_code == 403
    right.refresh_from_db()
    assert right.kind == "access"


def _post_data(response) -> dict[str, object]:
    """The change form's current values, as the browser would post them back."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[form.add_prefix(name)] = value
    return data


def test_staff_can_edit_a_draft_in_the_admin(admin_client, acme):
    admin_client.post(url("policies_policyversion_new_draft", acme.version.pk))
    draft = PolicyVersion.objects.get(number=2)
    change = url("policies_policyversion_change", draft.pk)
    data = _post_data(admin_client.get(change))
    data["title"] = "Privacy Notice"
    rights = [k for k, v in data.items() if k.startswith("rights-") and v == "access"]
    data[rights[0].replace("-kind", "-deadline_promise")] = "four weeks"

    response = admin_client.post(change, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    draft.refresh_from_db()
    assert draft.title == "Privacy Notice"
    assert draft.rights.get(kind="access").deadline_promise == "four weeks"
    assert set(draft.rights.get(kind="access").channels.all()) == set(draft.channels.all())
    assert acme.version.rights.get(kind="access").deadline_promise == "one month"


def test_staff_can_start_a_draft_from_scratch(admin_client, acme):
    add = url("policies_policyversion_add")
    data = _post_data(admin_client.get(add))
    data.update({"organization": acme.organization.pk, "title": "New policy", "text": "Hello."})

    response = admin_client.post(add, data)

    assert response.status_code == 302
    draft = PolicyVersion.objects.get(title="New policy")
    assert (draft.number, draft.status, draft.created_by.username) == (2, "draft", "admin")
    assert PolicyVersion.objects.in_force_for(acme.organization) == acme.version
