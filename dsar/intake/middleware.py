"""A content security policy on every response that does not set its own.

The public pages load nothing from elsewhere and run no inline script or style (the
organization's colour comes from /o/<slug>/theme.css), so the policy can forbid both: an
injected ``<script>`` in a requester's text would not run even if escaping ever failed.

Settings: ``DSAR_CONTENT_SECURITY_POLICY`` (the header value, see ``dsar/settings.py``;
an empty string turns the header off) and ``DSAR_CONTENT_SECURITY_POLICY_REPORT_ONLY`` (False;
True sends it as Content-Security-Policy-Report-Only, to try a change out).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def policy() -> str:
    return settings.DSAR_CONTENT_SECURITY_POLICY


def apply_policy(response: HttpResponse) -> HttpResponse:
    """Set the policy on ``response`` unless it has one (the public views call this themselves,
    so that their pages carry it even where the middleware is not installed)."""
    value = policy()
    if not value:
        return response
    report_only = settings.DSAR_CONTENT_SECURITY_POLICY_REPORT_ONLY
    header = "Content-Security-Policy-Report-Only" if report_only else "Content-Security-Policy"
    if "Content-Security-Policy" not in response.headers and header not in response.headers:
        response.headers[header] = value
    return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return apply_policy(self.get_response(request))
