"""Published versions are immutable: every way of changing their rows is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dsar.policies.models import (
    Channel,
    DataCategory,
    Exemption,
    LabelRule,
    PolicyVersion,
    PolicyVersionStatus,
    PublishedPolicyError,
    Right,
)
from dsar.policies.services import policy_version_draft_from, policy_version_publish

pytestmark = pytest.mark.django_db


def test_a_published_right_cannot_be_saved_or_deleted(acme):
    right = acme.version.rights.get(kind="access")
    right.clause = "Something the policy never said."

    with pytest.raises(PublishedPolicyError):
        right.save()
    with pytest.raises(PublishedPolicyError):
        right.delete()
    right.refresh_from_db()
    assert right.clause.startswith("You may ask us for a copy")


def test_published_rows_cannot_be_changed_in_bulk_or_through_links(acme):
    version = acme.version
    right = version.rights.get(kind="access")
    email = version.channels.get(key="email")

    with pytest.raises(PublishedPolicyError):
        Right.objects.filter(version=version).update(deadline_promise="never")
    with pytest.raises(PublishedPolicyError):
        DataCategory.objects.filter(version=version).delete()
    with pytest.raises(PublishedPolicyError):
        LabelRule.objects.filter(channel=email).update(words="anything")
    # Django changes links inside an atomic block without a savepoint: give each its own.
    with pytest.raises(PublishedPolicyError), transaction.atomic():
        right.channels.remove(email)
    with pytest.raises(PublishedPolicyError), transaction.atomic():
        email.designated_for.clear()
    with pytest.raises(PublishedPolicyError):
        Channel.objects.create(version=version, key="fax", kind="fax")
    assert right.channels.count() == 2


def test_a_published_version_keeps_its_text_and_cannot_be_deleted(acme):
    version = PolicyVersion.objects.get(pk=acme.version.pk)
    version.text = "Rewritten."

    with pytest.raises(PublishedPolicyError):
        version.save()
    with pytest.raises(PublishedPolicyError):
        PolicyVersion.objects.get(pk=version.pk).delete()
    with pytest.raises(PublishedPolicyError):
        PolicyVersion.objects.filter(pk=version.pk).delete()


def test_a_retired_version_is_never_reinstated(acme):
    draft = policy_version_draft_from(version=acme.version, actor=None)
    policy_version_publish(version=draft, actor=None)
    retired = PolicyVersion.objects.get(pk=acme.version.pk)
    retired.status = PolicyVersionStatus.IN_FORCE

    with pytest.raises(PublishedPolicyError):
        retired.save()
    with pytest.raises(PublishedPolicyError):
        policy_version_publish(version=retired, actor=None)


def test_a_draft_is_editable_and_its_links_stay_within_the_version(acme):
    draft = policy_version_draft_from(version=acme.version, actor=None)
    right = draft.rights.get(kind="access")
    right.clause = "Edited in the draft."
    right.save()
    Exemption.objects.create(right=right, name="legal privilege")

    with pytest.raises(ValidationError), transaction.atomic():
        # A channel of the published version cannot be linked to the draft's right.
        right.channels.add(acme.version.channels.get(key="email"))
    assert acme.version.rights.get(kind="access").clause != "Edited in the draft."


def test_the_database_allows_one_version_in_force_per_organization(acme):
    draft = policy_version_draft_from(version=acme.version, actor=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=draft.pk).update(
            status=PolicyVersionStatus.IN_FORCE, in_force_from=acme.version.in_force_from
        )


def test_the_database_refuses_a_second_right_of_a_kind(acme):
    draft = policy_version_draft_from(version=acme.version, actor=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Right.objects.create(version=draft, kind="access", clause="Again.")
