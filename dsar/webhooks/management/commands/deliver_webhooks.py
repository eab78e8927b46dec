"""Send the webhook outbox once (the task cluster does it every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dsar.webhooks import jobs


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due now, once; print what happened."

    def handle(self, *args: Any, **options: Any) -> None:
        result = jobs.deliver_webhooks()
        self.stdout.write(" ".join(f"{key}={value}" for key, value in result.items()))
