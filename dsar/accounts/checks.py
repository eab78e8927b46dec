"""System checks: single sign-on configured halfway is an error at startup, not at sign-in."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from dsar.accounts import groups


@register()
def check_oidc_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.DSAR_OIDC_ISSUER:
        return []
    errors: list[CheckMessage] = []
    if not (settings.DSAR_OIDC_CLIENT_ID and settings.DSAR_OIDC_CLIENT_SECRET):
        errors.append(
            Error(
                "DSAR_OIDC_ISSUER is set without DSAR_OIDC_CLIENT_ID and DSAR_OIDC_CLIENT_SECRET.",
                id="accounts.E001",
            )
        )
    try:
        if not groups.parse(settings.DSAR_OIDC_GROUP_MAP):
            errors.append(
                Error(
                    "DSAR_OIDC_GROUP_MAP is empty: single sign-on would let nobody in.",
                    hint="e.g. DSAR_OIDC_GROUP_MAP=privacy-team=img:privacy_officer",
                    id="accounts.E002",
                )
            )
    except groups.GroupMapError as error:
        errors.append(Error(f"DSAR_OIDC_GROUP_MAP: {error}", id="accounts.E003"))
    parts = urlsplit(settings.DSAR_OIDC_ISSUER)
    if parts.scheme != "https" and not _loopback(parts.hostname or ""):
        errors.append(
            Error(
                "DSAR_OIDC_ISSUER must be an https:// URL (plain http only on this machine).",
                id="accounts.E004",
            )
        )
    return errors


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
