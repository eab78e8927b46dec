"""The public form's rate limits as an operator writes them in the environment.

``DSAR_INTAKE_RATE_LIMITS="submit_ip=20/3600,resend_email=3/3600"``: for each scope, hits allowed
per window in seconds. Read by ``dsar/settings.py`` (so no model is imported here); the scopes
and their defaults are ``dsar.intake.throttle.DEFAULT_LIMITS``. A setting that cannot be read
stops the start with a message naming the part at fault, rather than leaving a form unlimited.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

#: The scopes the public form counts (``dsar.intake.throttle.DEFAULT_LIMITS`` holds their limits).
SCOPES = ("submit_ip", "submit_email", "resend_ip", "resend_email")


def parse_limits(text: str) -> dict[str, tuple[int, int]]:
    """``"scope=hits/seconds,…"`` as ``{scope: (hits, seconds)}``; "" is no override."""
    limits: dict[str, tuple[int, int]] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        scope, _, value = part.partition("=")
        hits, _, seconds = value.partition("/")
        scope = scope.strip()
        if scope not in SCOPES:
            raise ImproperlyConfigured(
                f"DSAR_INTAKE_RATE_LIMITS: {scope!r} is not one of {', '.join(SCOPES)}."
            )
        try:
            allowed, window = int(hits), int(seconds)
        except ValueError:
            raise ImproperlyConfigured(
                f"DSAR_INTAKE_RATE_LIMITS: write {scope} as {scope}=HITS/SECONDS, e.g. "
                f"{scope}=10/3600 (got {part!r})."
            ) from None
        if allowed < 1 or window < 1:
            raise ImproperlyConfigured(
                f"DSAR_INTAKE_RATE_LIMITS: {scope} needs at least 1 hit in at least 1 second "
                "(turn the limits off with DSAR_INTAKE_RATE_LIMITS_ENABLED=false)."
            )
        limits[scope] = (allowed, window)
    return limits
