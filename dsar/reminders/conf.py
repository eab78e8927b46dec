"""The reminder settings as one typed value: read once per call, so tests can override them.

Each is declared, with its default and from the environment, in ``dsar/settings.py`` only;
``checks.py`` reports a bad value at startup.
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


def _int(name: str) -> int:
    return int(getattr(settings, name))


def _ints(name: str) -> tuple[int, ...]:
    value: Sequence[int] | int = getattr(settings, name)
    if isinstance(value, int):
        value = [value]
    return tuple(sorted({int(v) for v in value}))


def reminder_settings() -> ReminderSettings:
    """The current values of the ``DSAR_…`` settings."""
    return ReminderSettings(
        offsets=_ints("DSAR_REMINDER_OFFSETS"),
        ack_offsets=_ints("DSAR_ACK_REMINDER_OFFSETS"),
        reminder_hour=_int("DSAR_REMINDER_HOUR"),
        digest_hour=_int("DSAR_DIGEST_HOUR"),
        lease=timedelta(seconds=_int("DSAR_REMINDER_LEASE_SECONDS")),
        max_attempts=_int("DSAR_REMINDER_MAX_ATTEMPTS"),
        retry_after=timedelta(seconds=_int("DSAR_REMINDER_RETRY_SECONDS")),
        verify_nudge_after=timedelta(hours=_int("DSAR_VERIFY_NUDGE_AFTER_HOURS")),
        close_unverified_after=timedelta(days=_int("DSAR_UNVERIFIED_CLOSE_AFTER_DAYS")),
        purge_after=timedelta(days=_int("DSAR_PURGE_AFTER_DAYS")),
        email_limit=_int("DSAR_REMINDER_EMAIL_LIMIT"),
        site_url=str(settings.DSAR_SITE_URL).rstrip("/"),
    )
