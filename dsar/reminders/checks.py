"""System checks: a reminder setting that cannot work is an error at startup, not at 08:00."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from dsar.reminders import hooks
from dsar.reminders.conf import reminder_settings


@register()
def check_hooks(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A hook that is configured but missing would skip a purge or a clean-up: refuse to start."""
    return [
        Error(f"The hook {path} does not exist.", id="reminders.E006")
        for path in hooks.all_configured()
        if hooks.lookup(path) is None
    ]


@register()
def check_reminder_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        conf = reminder_settings()
    except (TypeError, ValueError) as error:
        return [Error(f"A DSAR_ reminder setting is not a number: {error}", id="reminders.E001")]
    errors: list[CheckMessage] = []
    if any(o < 0 for o in (*conf.offsets, *conf.ack_offsets)):
        errors.append(
            Error(
                "DSAR_REMINDER_OFFSETS and DSAR_ACK_REMINDER_OFFSETS are days before a date: "
                "use numbers of 0 or more.",
                id="reminders.E002",
            )
        )
    for name, hour in (
        ("DSAR_REMINDER_HOUR", conf.reminder_hour),
        ("DSAR_DIGEST_HOUR", conf.digest_hour),
    ):
        if not 0 <= hour <= 23:
            errors.append(Error(f"{name} is an hour of the day: 0 to 23.", id="reminders.E003"))
    if conf.max_attempts < 1 or conf.lease.total_seconds() < 1 or conf.email_limit < 1:
        errors.append(
            Error(
                "DSAR_REMINDER_MAX_ATTEMPTS, DSAR_REMINDER_LEASE_SECONDS and "
                "DSAR_REMINDER_EMAIL_LIMIT must be positive.",
                id="reminders.E004",
            )
        )
    if conf.close_unverified_after <= conf.verify_nudge_after:
        errors.append(
            Error(
                "DSAR_UNVERIFIED_CLOSE_AFTER_DAYS must be later than the verification reminder "
                "(DSAR_VERIFY_NUDGE_AFTER_HOURS).",
                id="reminders.E005",
            )
        )
    return errors
