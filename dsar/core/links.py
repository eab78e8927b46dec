"""Absolute links for emails: always on ``DSAR_SITE_URL``, never on the Host a request named.

A link built from the request (``request.build_absolute_uri``) carries whatever Host header the
sender wrote; with a permissive proxy or ``ALLOWED_HOSTS`` a stranger could post the public form
for someone else's address and have the confirmation link point at their own site. So every link
that leaves in an email (confirmation, status page, letters and data packages, reminders) starts
with the configured public origin. Without one, a ``DEBUG`` installation (the demo) builds it from
the request; any other gives the path alone, and ``check --deploy`` warns (``dsar.W001``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest


def site_origin() -> str:
    """``DSAR_SITE_URL`` without a trailing slash; "" when it is not set."""
    return str(settings.DSAR_SITE_URL or "").rstrip("/")


def site_url(path: str, request: HttpRequest | None = None) -> str:
    """The absolute URL of ``path`` (which starts with "/") for an email."""
    origin = site_origin()
    if origin:
        return origin + path
    if settings.DEBUG and request is not None:
        return request.build_absolute_uri(path)
    return path


def link_maker(request: HttpRequest | None = None) -> Callable[[str], str]:
    """``site_url`` for the services' ``link_for`` arguments."""

    def link_for(path: str) -> str:
        return site_url(path, request)

    return link_for
