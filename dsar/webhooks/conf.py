"""The webhook settings, read from ``dsar/settings.py`` (declared there, each with its default,
from the environment) once per call, so that tests can override them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


@dataclass(frozen=True)
class WebhookSettings:
    #: Seconds to wait for the receiver to connect and answer.
    timeout: float
    #: Tries per delivery before it is given up as failed (each try is recorded).
    max_attempts: int
    #: Wait after the first failed try; it doubles after each further failure.
    retry_after: timedelta
    #: How long a claimed, unsent delivery stays claimed before another worker may take it over
    #: (the worker that claimed it was killed, or hangs). Longer than the slowest try.
    lease: timedelta
    #: A subscription is paused after this many failed tries in a row...
    pause_after_failures: int
    #: ...that have been failing for at least this long (a receiver down for a minute is not
    #: paused however busy the queue).
    pause_after: timedelta
    #: How long the previous secret keeps signing after a rotation.
    rotation_window: timedelta
    #: Private, loopback and link-local addresses are refused unless this is on (an
    #: installation whose receivers are on its own network).
    allow_private: bool
    #: http:// to a loopback address (tests, a receiver on the same machine); https otherwise.
    allow_http_loopback: bool


def webhook_settings() -> WebhookSettings:
    return WebhookSettings(
        timeout=float(settings.DSAR_WEBHOOK_TIMEOUT),
        max_attempts=int(settings.DSAR_WEBHOOK_MAX_ATTEMPTS),
        retry_after=timedelta(seconds=int(settings.DSAR_WEBHOOK_RETRY_SECONDS)),
        lease=timedelta(seconds=int(settings.DSAR_WEBHOOK_LEASE_SECONDS)),
        pause_after_failures=int(settings.DSAR_WEBHOOK_PAUSE_AFTER_FAILURES),
        pause_after=timedelta(hours=float(settings.DSAR_WEBHOOK_PAUSE_AFTER_HOURS)),
        rotation_window=timedelta(hours=float(settings.DSAR_WEBHOOK_ROTATION_HOURS)),
        allow_private=bool(settings.DSAR_WEBHOOK_ALLOW_PRIVATE),
        allow_http_loopback=bool(settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK),
    )
