"""Deleting a policy version that cannot be deleted (in force, retired, or bound to requests) says
why on the page, never a bare 403: a published version is the record of what the policy promised,
and requests are bound to it. A draft is still deleted as before."""

from __future__ import annotations

import logging

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dsar.policies.models import PolicyVersion, PolicyVersionStatus
from dsar.policies.services import policy_version_draft_from, policy_version_publish
from tests.workspace import conftest as workspace

img = workspace.img
login = workspace.login
seeds = workspace.seeds

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"admin:policies_{name}", args=args)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def versions(acme) -> dict[str, PolicyVersion]:
    """Acme's version 1, retired by version 2 (in force), and a draft version 3."""
    v1 = acme.version
    v2 = policy_version_publish(
        version=policy_version_draft_from(version=v1, actor=None), actor=None
    )
    draft = policy_version_draft_from(version=v2, actor=None)
    v1.refresh_from_db()
    return {"retired": v1, "in_force": v2, "draft": draft}


@pytest.mark.parametrize(
    ("which", "words"),
    [
        ("in_force", "Version 2 cannot be deleted. Version 2 is in force"),
        ("retired", "Version 1 cannot be deleted. Version 1 was in force from"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_published_version_is_not_deleted_and_the_page_says_why(
    admin_client, versions, which, words, method, caplog
):
    version = versions[which]
    assert version.status == getattr(PolicyVersionStatus, which.upper())

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = getattr(admin_client, method)(
            url("policyversion_delete", version.pk), {"post": "yes"}
        )

    assert response.status_code == 302
    assert response["Location"] == url("policyversion_change", version.pk)
    [message] = _messages(response)
    assert message.startswith(words)
    assert "record of what the policy promised" in message
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # no 403 logged
    assert PolicyVersion.objects.filter(pk=version.pk).exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "cannot be deleted" in page


def test_the_bulk_delete_of_a_selection_with_a_published_version_deletes_nothing(
    admin_client, versions
):
    selected = [versions["draft"].pk, versions["in_force"].pk]

    response = admin_client.post(
        url("policyversion_changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )

    assert response.status_code == 302
    assert any("Version 2 cannot be deleted" in m for m in _messages(response))
    assert PolicyVersion.objects.filter(pk__in=selected).count() == 2


def test_a_draft_is_still_deleted(admin_client, versions):
    draft = versions["draft"]

    confirm = admin_client.get(url("policyversion_delete", draft.pk))
    response = admin_client.post(url("policyversion_delete", draft.pk), {"post": "yes"})

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()


def test_a_row_of_a_published_version_is_not_deleted_and_the_page_says_why(admin_client, versions):
    right = versions["in_force"].rights.get(kind="access")

    response = admin_client.post(url("right_delete", right.pk), {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == url("right_change", right.pk)
    [message] = _messages(response)
    assert "belongs to version 2 and cannot be deleted" in message
    assert type(right).objects.filter(pk=right.pk).exists()


def test_a_privacy_officer_is_told_why_too(login, olivia, img):
    version = PolicyVersion.objects.in_force_for(img)

    response = login(olivia).get(url("policyversion_delete", version.pk))

    assert response.status_code == 302
    assert any("is in force" in m for m in _messages(response))
