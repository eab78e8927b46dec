"""Fill the demo with requests in every status: ``python manage.py seed_demo_requests``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.requests.demo import HISTORY_DAYS, DemoError, seed_demo_requests
from dsar.requests.models import Status


class Command(BaseCommand):
    help = (
        "Log demo requests for the five seed organizations and drive them through the services "
        "to every status, deterministically. Adds nothing when demo requests exist already. "
        "Needs the seed policies loaded (load_policy dsar/policies/seeds/*.yaml)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            default="demo",
            help="staff user who does the work and gets requests assigned (default: demo, if "
            "it exists; otherwise the work is done by 'system')",
        )
        parser.add_argument("--per-organization", type=int, default=30, metavar="N")

    def handle(self, *args: Any, actor: str, per_organization: int, **options: Any) -> None:
        user = get_user_model().objects.filter(username=actor).first()
        try:
            seeded = seed_demo_requests(actor=user, per_organization=per_organization)
        except DemoError as error:
            raise CommandError(str(error)) from None
        if not seeded.requests:
            self.stdout.write("Demo requests exist already: nothing added.")
            return
        counts = seeded.by_status
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {len(seeded.requests)} demo requests:")
            + "\n"
            + "\n".join(f"  {counts[s.value]:4d} {s.label}" for s in Status)
        )
        if seeded.window < timedelta(days=HISTORY_DAYS):
            minutes = int(seeded.window.total_seconds() // 60)
            since = f"{minutes} minute{'s' if minutes != 1 else ''}" if minutes else "seconds"
            self.stdout.write(
                self.style.WARNING(
                    f"The seed policies have been in force for {since} only: a request cannot "
                    "be received before its policy was in force, so the demo requests were "
                    f"received in that time, not over {HISTORY_DAYS} days."
                )
            )
