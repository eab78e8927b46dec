"""Writes to policy versions: draft from a published version, and put a draft in force.

A published version never changes (requests are bound to it), so every edit goes through a new
draft: ``policy_version_draft_from`` copies a version and everything it promises, and
``policy_version_publish`` puts the draft in force and retires its predecessor at the same instant.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.organizations.models import Organization
from dsar.policies import export, schema
from dsar.policies.models import (
    PolicyVersion,
    PolicyVersionStatus,
    PublishedPolicyError,
)

if TYPE_CHECKING:
    from dsar.core.actors import Actor

M = TypeVar("M", bound=models.Model)


def _clone(obj: M, **changes: Any) -> M:
    """A new row with ``obj``'s column values, ``changes`` (by attname) applied."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.update(changes)
    return type(obj)._default_manager.create(**values)


@transaction.atomic
def policy_version_draft_from(*, version: PolicyVersion, actor: Actor) -> PolicyVersion:
    """A new draft with a deep copy of ``version``: the one way to edit a published policy.

    Copies the text and every row of content (channels, rights, their links to each other,
    label rules, exemptions, categories, purposes, recipients, retention, sources, gaps), so
    that the draft, put in force unchanged, promises exactly what ``version`` promised.
    """
    organization = Organization.objects.select_for_update().get(pk=version.organization_id)
    draft = _clone(
        version,
        number=PolicyVersion.next_number(organization),
        status=PolicyVersionStatus.DRAFT,
        content_hash="",
        based_on_id=version.pk,
        in_force_from=None,
        in_force_until=None,
        created_by_id=getattr(actor, "pk", None),
        published_by_id=None,
    )
    channels = {}
    for channel in version.channels.all():
        channels[channel.pk] = _clone(channel, version_id=draft.pk)
    rights = {}
    for right in version.rights.prefetch_related("channels", "exemptions"):
        copy = _clone(right, version_id=draft.pk)
        rights[right.pk] = copy
        copy.channels.set([channels[channel.pk] for channel in right.channels.all()])
        for exemption in right.exemptions.all():
            _clone(exemption, right_id=copy.pk)
    for channel in version.channels.prefetch_related("designated_for", "label_rules"):
        copy = channels[channel.pk]
        copy.designated_for.set([rights[right.pk] for right in channel.designated_for.all()])
        for rule in channel.label_rules.all():
            _clone(rule, channel_id=copy.pk, right_id=rights[rule.right_id].pk)
    for related in ("data_categories", "purposes", "recipients", "retention", "sources", "gaps"):
        for row in getattr(version, related).all():
            _clone(row, version_id=draft.pk)
    return draft


@transaction.atomic
def policy_version_publish(
    *,
    version: PolicyVersion,
    actor: Actor,
    in_force_from: datetime.datetime | None = None,
) -> PolicyVersion:
    """Put the draft ``version`` in force now, retiring the version in force, atomically.

    ``in_force_from`` backdates an organization's *first* version, for a team that starts using
    dsar with a year of requests in a spreadsheet: a request binds to the version in force when
    it was received, so without it no past request could be imported. Only the first version,
    and never into the future: backdating a later version would rewrite which promise earlier
    requests were made under.

    1. Lock the organization, so that two publications for it run one after the other.
    2. Refuse anything but a draft: a retired version is never reinstated (make a draft of it).
    3. Record the content hash the draft's export would have, so that ``load_policy`` of the
       same content later says "unchanged".
    4. Retire the version in force first, then put the draft in force at the same instant: the
       partial unique constraint allows one version in force per organization at any moment,
       and requests received from now on bind to the new version (``in_force_on``).
    """
    Organization.objects.select_for_update().get(pk=version.organization_id)
    version.refresh_from_db()
    if not version.is_draft:
        raise PublishedPolicyError(
            _("Version %(version)s is not a draft: it cannot be put in force again."),
            params={"version": version.number},
        )
    now = timezone.now()
    previous = (
        PolicyVersion.objects.in_force().filter(organization_id=version.organization_id).first()
    )
    if in_force_from is not None:
        if in_force_from > now:
            raise PublishedPolicyError(_("A policy cannot be put in force in the future."))
        if (
            PolicyVersion.objects.published()
            .filter(organization_id=version.organization_id)
            .exists()
        ):
            raise PublishedPolicyError(
                _(
                    "Only an organization's first policy version can be put in force from a past "
                    "date; later versions come into force when they are published."
                )
            )
    if previous is not None:
        previous.status = PolicyVersionStatus.RETIRED
        previous.in_force_until = now
        previous.save(update_fields=["status", "in_force_until"])
    version.content_hash = schema.content_hash(export.policy_document(version))
    version.status = PolicyVersionStatus.IN_FORCE
    version.in_force_from = in_force_from or now
    version.published_by_id = getattr(actor, "pk", None)
    version.save(update_fields=["content_hash", "status", "in_force_from", "published_by"])
    return version
