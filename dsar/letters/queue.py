"""Queueing the letters' tasks: what the services hand to the cluster on commit.

The tasks themselves (``dsar.letters.jobs``) call the services; the services only queue them, by
the tasks' dotted names. Kept apart so that neither imports the other.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django_q.tasks import async_task


def _chunk_size() -> int:
    return max(1, int(settings.DSAR_LETTER_BULK_CHUNK))


def enqueue_issue(
    request_ids: list[int], kind: str, actor_id: int | None, batch: uuid.UUID
) -> None:
    """One task per chunk of requests: fewer queue round trips than one task per letter."""
    size = _chunk_size()
    for start in range(0, len(request_ids), size):
        async_task(
            "dsar.letters.jobs.issue_letters",
            request_ids[start : start + size],
            kind,
            actor_id,
            str(batch),
            group=f"letters-{batch}",
            task_name=f"letters-{kind}-{str(batch)[:8]}-{start}",
        )


def enqueue_delivery(delivery_id: int) -> None:
    async_task(
        "dsar.letters.jobs.deliver",
        delivery_id,
        group="letter-deliveries",
        task_name=f"letter-delivery-{delivery_id}",
    )
