"""The outbox's settings, read in one place (``DSAR_OUTBOX_*`` in dsar/settings.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class OutboxSettings:
    #: Tries before an email is marked failed.
    max_attempts: int
    #: Wait after the first failed try; doubled after each further one.
    retry_after: datetime.timedelta
    #: How long a claim holds: past it, a worker is taken for dead and another sends.
    lease: datetime.timedelta


def outbox_settings() -> OutboxSettings:
    return OutboxSettings(
        max_attempts=settings.DSAR_OUTBOX_MAX_ATTEMPTS,
        retry_after=datetime.timedelta(seconds=settings.DSAR_OUTBOX_RETRY_AFTER),
        lease=datetime.timedelta(seconds=settings.DSAR_OUTBOX_LEASE),
    )
