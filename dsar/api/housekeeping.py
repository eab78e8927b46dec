"""The API's part of the daily housekeeping of ``dsar.reminders`` (``hooks.DELETE_EXPIRED``)."""

from __future__ import annotations

from django.utils import timezone

from dsar.api import idempotency


def delete_expired() -> int:
    """Idempotency keys whose time is over, with the answers (personal data) they kept. The
    rate counters are rows of the public form's table, pruned by intake's housekeeping."""
    return idempotency.prune(timezone.now())
