"""Who calls: an API key, sent as ``Authorization: Bearer <key>``; and what it may do (scope).

The key authenticates as an ``ApiClient``, not as a staff member: it belongs to one organization,
acts with ``actor=None`` on the audit trail and is named there by its label ("api:crm-sync",
``dsar.requests.events.acting_as``). Every refusal is a problem document (``dsar.api.problems``):
401 for a missing, unknown, revoked or expired key (with ``WWW-Authenticate: Bearer``), 403 for
a read key that tries to write.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from dsar.api import keys, throttling
from dsar.api.models import ApiKey


@dataclass(frozen=True)
class ApiClient:
    """The caller of one API request: an organization's system holding ``api_key``."""

    api_key: ApiKey
    # What a write asks next, read with the key (PostgreSQL; ``keys.ReadAhead``).
    ahead: keys.ReadAhead | None = None
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def organization_id(self) -> int:
        return self.api_key.organization_id

    @property
    def label(self) -> str:
        return self.api_key.label


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Bearer dsar_<prefix>_<secret>``: one statement reads the usable key and
    its organization and counts the call for the rate limit (``keys.authenticate``), and at most
    one UPDATE a minute records the key's use."""

    def authenticate(self, request: Request) -> tuple[ApiClient, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer":
            return None  # not ours: 401 with WWW-Authenticate (authenticate_header)
        key = key.strip()
        prefix = keys.split_key(key)
        if prefix is None:
            raise exceptions.AuthenticationFailed("The API key is not valid.")
        now = timezone.now()
        limit = throttling.rate_limit()
        api_key, calls, ahead = keys.authenticate(
            key, prefix, now, time.time() if limit > 0 else None
        )
        if api_key is None:
            # Only on a refusal: say why, for the key's holder (a wrong secret learns nothing).
            found = keys.find(prefix)
            if found is None or not keys.matches(found, key):
                raise exceptions.AuthenticationFailed("The API key is not valid.")
            raise exceptions.AuthenticationFailed(f"The API key is {found.state(now)}.")
        if calls is not None:
            # Read by throttling.PerKeyRateThrottle; an attribute of ours, unknown to the stubs.
            request._request.dsar_api_calls = calls  # type: ignore[attr-defined]
        keys.touch(api_key, now)
        return ApiClient(api_key, ahead), api_key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="dsar"'


class HasScope(BasePermission):
    """A key with a scope: read keys may only read (GET, HEAD, OPTIONS); write keys may all."""

    message = "This API key has the read scope: it may not change anything."

    def has_permission(self, request: Request, view: Any) -> bool:
        client = request.user
        if not isinstance(client, ApiClient):
            # Authentication is not optional: an anonymous call is answered 401.
            raise exceptions.NotAuthenticated("Send an API key: Authorization: Bearer <key>.")
        return request.method in SAFE_METHODS or client.api_key.can_write
