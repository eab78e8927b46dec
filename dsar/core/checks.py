"""Deployment checks of the installation as a whole (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Emails carry links (the requester's verification link and status page, staff
    reminders): without an absolute https origin they would be relative and lead nowhere."""
    url = str(settings.DSAR_SITE_URL or "")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return []
    return [
        Warning(
            f"DSAR_SITE_URL is {url!r}: links in emails need the public https origin.",
            hint="Set DSAR_SITE_URL=https://privacy.example.org (no path).",
            id="dsar.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_client_ip_header(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A client-address header is read only from a trusted proxy (``dsar.intake.throttle``):
    named without DSAR_TRUSTED_PROXIES it is ignored, and every requester counts as the proxy."""
    header = settings.DSAR_INTAKE_CLIENT_IP_HEADER
    if not header or settings.DSAR_TRUSTED_PROXIES:
        return []
    return [
        Warning(
            f"DSAR_INTAKE_CLIENT_IP_HEADER is {header!r} but DSAR_TRUSTED_PROXIES is empty: the "
            "header is ignored, and the public form's rate limits count the proxy's address.",
            hint="Set DSAR_TRUSTED_PROXIES to the number of proxies in front (1 for one nginx), "
            "or to their networks (docs/security.md).",
            id="dsar.W002",
        )
    ]
