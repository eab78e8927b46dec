"""The reminder settings, each with its default: read once per call, so tests can override them.

None of these is in ``dsar/settings.py`` yet; a deployment that wants other values adds them there
(from the environment, like every other setting). ``checks.py`` reports a bad value at startup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


@dataclass(frozen=True)
class ReminderSettings:
    #: Calendar days before a legal deadline at which the assignee (or the team) is reminded.
    offsets: tuple[int, ...]
    #: Calendar days before a CCPA acknowledgement date (§7021(a), 10 business days).
    ack_offsets: tuple[int, ...]
    #: Local hour (0-23) from which a local day's reminders go out: a reminder due "today" is
    #: not sent at midnight but from this hour of the organization's day.
    reminder_hour: int
    #: Local hour (0-23) after which the daily digest of a local day goes out.
    digest_hour: int
    #: How long a claimed, unsent email stays claimed before another sweep may take it over
    #: (the worker that claimed it was killed, or hangs). Longer than the slowest send.
    lease: timedelta
    #: Tries per email before it is given up as failed (each try is recorded).
    max_attempts: int
    #: Wait after the first failed try; it doubles after each further failure.
    retry_after: timedelta
    #: A requester who has not finished identity verification is reminded once after this long.
    verify_nudge_after: timedelta
    #: An unverified request is closed as unverifiable this long after receipt, with a notice.
    close_unverified_after: timedelta
    #: Personal data of a closed request is blanked this long after closure.
    purge_after: timedelta
    #: A staff email lists this many requests at most, the most urgent first, and counts the rest.
    email_limit: int
    #: Absolute base URL of the staff site for links in emails, e.g. https://dsar.example.org.
    site_url: str


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _ints(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    value: Sequence[int] | int = getattr(settings, name, default)
    if isinstance(value, int):
        value = [value]
    return tuple(sorted({int(v) for v in value}))


def reminder_settings() -> ReminderSettings:
    """The current values (``getattr(settings, "DSAR_…", default)``)."""
    return ReminderSettings(
        offsets=_ints("DSAR_REMINDER_OFFSETS", (7, 3, 1)),
        ack_offsets=_ints("DSAR_ACK_REMINDER_OFFSETS", (3, 1)),
        reminder_hour=_int("DSAR_REMINDER_HOUR", 8),
        digest_hour=_int("DSAR_DIGEST_HOUR", 8),
        lease=timedelta(seconds=_int("DSAR_REMINDER_LEASE_SECONDS", 600)),
        max_attempts=_int("DSAR_REMINDER_MAX_ATTEMPTS", 5),
        retry_after=timedelta(seconds=_int("DSAR_REMINDER_RETRY_SECONDS", 300)),
        verify_nudge_after=timedelta(hours=_int("DSAR_VERIFY_NUDGE_AFTER_HOURS", 24)),
        close_unverified_after=timedelta(days=_int("DSAR_UNVERIFIED_CLOSE_AFTER_DAYS", 30)),
        purge_after=timedelta(days=_int("DSAR_PURGE_AFTER_DAYS", 365)),
        email_limit=_int("DSAR_REMINDER_EMAIL_LIMIT", 100),
        site_url=str(getattr(settings, "DSAR_SITE_URL", "")).rstrip("/"),
    )
