"""Jobs of the public side, plain functions that a schedule or a command calls (style rule 9).

- ``close_unverified(now)``: close now the web-form requests whose email address was not
  confirmed ``DSAR_UNVERIFIED_CLOSE_AFTER_DAYS`` days after receipt. The scheduled owner of that
  rule is the reminder sweep of ``dsar.reminders`` (every 15 minutes), which closes them through
  ``dsar.intake.services.intake_close_unverified`` (its ``CLOSE_UNVERIFIED`` hook) and tells the
  requester through its outbox. This function is the manual tool (``manage.py
  close_unverified``): it takes the same claim, so the two never close or tell twice.
- ``prune_intake(now)``: forget rate-limit counters whose window is over, and remove uploads
  kept for a form that was never sent again, or orphaned by a transaction that rolled back.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import Any

from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from dsar.intake import files, throttle
from dsar.intake.models import IntakeSubmission, ReleasedFile
from dsar.intake.services import (
    AUTHORIZATIONS,
    PENDING,
    RELEASED,
    intake_renew_status_link,
    intake_resend,
)
from dsar.organizations.models import Organization

logger = logging.getLogger(__name__)


@sensitive_variables("email")
def resend_links(
    organization_id: int,
    email: str,
    submission_id: int | None,
    origin: str,
    expired_link_id: int | None = None,
) -> int:
    """The task behind "send the link again" and "email me a new link"
    (``services.intake_resend_later``): look the address up and queue its emails in the
    outbox. Returns how many were queued.

    It never raises: a failed django-q2 task is kept with its arguments, and they hold an
    address. The error is logged by kind, without the address, and the requester can ask again.
    """
    try:
        organization = Organization.objects.get(pk=organization_id)
        submission = (
            IntakeSubmission.objects.select_related("request").filter(pk=submission_id).first()
            if submission_id is not None
            else None
        )
        if expired_link_id is not None:
            return intake_renew_status_link(
                organization=organization,
                email=email,
                expired_link_id=expired_link_id,
                now=timezone.now(),
                link_for=lambda path: origin + path,
            )
        return intake_resend(
            organization=organization,
            email=email,
            submission=submission,
            now=timezone.now(),
            link_for=lambda path: origin + path,
        )
    except Exception as error:
        logger.error("intake: resend for org %s failed: %s", organization_id, type(error).__name__)
        return 0


def close_unverified(now: datetime.datetime | None = None) -> int:
    """Close every web-form request whose email address was not confirmed in time, and send the
    notices. Returns how many were closed.

    Each request goes through ``dsar.reminders.services.close_unverified_request``, the claim the
    reminder sweep takes: one transaction per request, a unique claim row, the request closed
    through ``intake_close_unverified`` (one event, ``closed_unverified_at`` set) and the notice
    queued in the reminders outbox, where a failed send is retried and recorded. A request whose
    address was confirmed and whose identity staff have still to verify is not this tool's.
    """
    from dsar.reminders import claims, delivery
    from dsar.reminders import services as reminder_services
    from dsar.reminders.conf import reminder_settings

    now = now or timezone.now()
    conf = reminder_settings()
    run = uuid.uuid4()
    due = (
        claims.awaiting_verification()
        .filter(
            intake__isnull=False,
            intake__confirmation_asked=True,
            intake__verified_at__isnull=True,
            received_at__lte=now - conf.close_unverified_after,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed = sum(reminder_services.close_unverified_request(pk, run=run) for pk in list(due))
    if closed:
        delivery.deliver_pending(conf=conf)
        logger.info("intake: closed %d unconfirmed requests", closed)
    return closed


def prune_intake(
    now: datetime.datetime | None = None, *, grace: datetime.timedelta | None = None
) -> dict[str, Any]:
    """Remove what is no longer needed; files younger than ``grace`` (a day) are kept."""
    now = now or timezone.now()
    grace = grace or datetime.timedelta(days=1)
    oldest = (now - grace).timestamp()
    removed = {"throttles": throttle.prune(now), "files": 0}
    referenced = set(
        IntakeSubmission.objects.exclude(authorization_path="").values_list(
            "authorization_path", flat=True
        )
    ) | set(ReleasedFile.objects.values_list("path", flat=True))
    for folder in (PENDING, AUTHORIZATIONS, RELEASED):
        for name, written in list(files.walk(folder)):
            if written.timestamp() > oldest:
                continue
            if folder == PENDING or name not in referenced:
                files.delete_private(name)
                removed["files"] += 1
    return removed
