"""``manage.py seed_demo_messages --actor demo``: a conversation on a demo request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from dsar.correspondence.demo import seed_demo_conversation


class Command(BaseCommand):
    help = "Add a conversation (sent, answered, one held) to a demo request; safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--actor", default="", help="Username of the staff member who writes.")

    def handle(self, *args: Any, actor: str = "", **options: Any) -> None:
        user = get_user_model().objects.filter(username=actor).first() if actor else None
        made = seed_demo_conversation(actor=user)
        self.stdout.write(f"{len(made)} demo messages")
