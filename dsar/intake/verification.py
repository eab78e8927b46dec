"""Hooks for ``dsar.reminders`` (``hooks.VERIFICATION_URL``): the link that confirms a request."""

from __future__ import annotations

from dsar.core.links import site_url
from dsar.intake.models import IntakeSubmission
from dsar.intake.services import confirmation_link
from dsar.requests.models import PrivacyRequest


def site_link(path: str) -> str:
    """An absolute URL from ``DSAR_SITE_URL`` (e.g. https://dsar.example.org); the path alone
    when it is not set (``dsar.core.links``)."""
    return site_url(path)


def verification_url(request: PrivacyRequest) -> str:
    """A fresh confirmation link for a web-form request not yet confirmed; "" for any other."""
    submission = (
        IntakeSubmission.objects.select_related("request", "request__organization")
        .filter(
            request=request,
            confirmation_asked=True,
            verified_at__isnull=True,
            closed_unverified_at__isnull=True,
        )
        .first()
    )
    if submission is None or not request.is_open:
        return ""
    return confirmation_link(submission, site_link)
