"""The Standard Webhooks headers of one message (https://www.standardwebhooks.com/).

``webhook-id`` names the message (the same on every try), ``webhook-timestamp`` is the time of
this try in seconds, and ``webhook-signature`` is ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``
keyed with the base64 part of the ``whsec_`` secret. During a secret rotation the message is
signed with both secrets, the signatures separated by a space, so that a receiver that still has
the old secret, or already has the new one, accepts it.

The signing itself is the ``standardwebhooks`` reference library's, so that dsar signs exactly
as the receivers' libraries verify.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from standardwebhooks import Webhook


def headers(
    *, message_id: str, body: str, secrets: Sequence[str], at: datetime.datetime
) -> dict[str, str]:
    """The three headers for ``body`` sent at ``at`` (aware), signed with each of ``secrets``."""
    at = at.astimezone(datetime.UTC).replace(microsecond=0)
    signatures = [Webhook(secret).sign(message_id, at, body) for secret in secrets]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
