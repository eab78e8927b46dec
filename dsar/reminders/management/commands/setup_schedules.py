"""Create or update the django-q2 schedules of the reminder jobs; running it twice changes
nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dsar.reminders.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Create or update the schedules of the reminder sweep, daily digests and housekeeping."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, outcome in ensure_schedules():
            self.stdout.write(f"{outcome:9} {name}")
