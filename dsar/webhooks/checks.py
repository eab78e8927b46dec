"""System checks: a webhook setting that cannot work is an error at startup, not at 3 a.m."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register

from dsar.webhooks.conf import webhook_settings


@register()
def check_webhook_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    conf = webhook_settings()
    errors: list[CheckMessage] = []
    if conf.timeout <= 0 or conf.max_attempts < 1 or conf.pause_after_failures < 1:
        errors.append(
            Error(
                "DSAR_WEBHOOK_TIMEOUT, DSAR_WEBHOOK_MAX_ATTEMPTS and "
                "DSAR_WEBHOOK_PAUSE_AFTER_FAILURES must be positive.",
                id="webhooks.E001",
            )
        )
    if conf.lease.total_seconds() <= conf.timeout:
        errors.append(
            Error(
                "DSAR_WEBHOOK_LEASE_SECONDS must be longer than DSAR_WEBHOOK_TIMEOUT: a try that "
                "is still waiting for its answer would be taken over and sent twice.",
                id="webhooks.E002",
            )
        )
    return errors


@register(deploy=True)
def check_webhook_reach(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Allowing plain http in production sends signed personal data in the clear."""
    if webhook_settings().allow_http_loopback:
        return [
            Warning(
                "DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK is on: webhooks may go out over plain http.",
                hint="It is meant for tests; leave it off in production.",
                id="webhooks.W001",
            )
        ]
    return []
