"""Close web-form requests never confirmed, and prune intake's counters and stale uploads."""

from typing import Any

from django.core.management.base import BaseCommand

from dsar.intake.jobs import close_unverified, prune_intake


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_unverified()
        pruned = prune_intake()
        self.stdout.write(
            f"closed {closed} unconfirmed requests; pruned {pruned['throttles']} counters and "
            f"{pruned['files']} files"
        )
