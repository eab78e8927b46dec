"""Hooks for the housekeeping of ``dsar.reminders`` (``hooks.DELETE_EXPIRED``, ``PURGE_FILES``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dsar.intake import files
from dsar.intake.jobs import prune_intake
from dsar.intake.models import IntakeSubmission, ReleasedFile, StatusLink
from dsar.requests.models import PrivacyRequest


def delete_expired() -> dict[str, Any]:
    """Rate-limit counters whose window is over; kept and orphaned uploads older than a day."""
    return prune_intake(timezone.now())


@transaction.atomic
def purge_request(request: PrivacyRequest) -> None:
    """Delete the files the public side holds for ``request`` and what the requester typed.

    The agent's authorization and the released files are deleted from private storage; their
    checksums stay, as evidence of what was received and sent. Status links stop working.
    """
    now = timezone.now()
    for submission in IntakeSubmission.objects.select_for_update().filter(request=request):
        if submission.authorization_path:
            files.delete_private(submission.authorization_path)
        submission.authorization_path = ""
        submission.details = {}
        submission.save(update_fields=["authorization_path", "details"])
    for released in ReleasedFile.objects.filter(request=request):
        files.delete_private(released.path)
    ReleasedFile.objects.filter(request=request, withdrawn_at__isnull=True).update(withdrawn_at=now)
    StatusLink.objects.filter(submission__request=request, revoked_at__isnull=True).update(
        revoked_at=now
    )
