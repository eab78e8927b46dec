"""The scheduled job of the webhooks app: a plain function that django-q2 and the management
command call (style rule 9).

``deliver_webhooks`` runs every minute (``schedules``) and also right after a transaction that
queued deliveries commits (``services._kick``), so a message usually leaves within seconds and
never waits longer than a minute plus its backoff.
"""

from __future__ import annotations

import logging
from typing import Any

from dsar.webhooks import outbox

logger = logging.getLogger(__name__)


def deliver_webhooks() -> dict[str, Any]:
    """Send the webhook outbox once. Returns counts (no personal data)."""
    result = outbox.deliver_pending().as_dict()
    busy = any(result.values())
    logger.log(logging.INFO if busy else logging.DEBUG, "webhooks %s", result)
    return result
