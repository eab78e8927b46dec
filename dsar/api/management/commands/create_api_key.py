"""Make an API key: ``manage.py create_api_key --organization SLUG --scope read|write
[--expires DAYS] [--name NAME]``.

Prints the key once; only its SHA-256 is stored (``dsar.api.keys``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.api.keys import api_key_create
from dsar.api.models import Scope
from dsar.organizations.models import Organization


class Command(BaseCommand):
    help = "Make an API key for an organization and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="The organization's slug.")
        parser.add_argument("--scope", required=True, choices=Scope.values)
        parser.add_argument("--expires", type=int, default=None, metavar="DAYS")
        parser.add_argument("--name", default="", help="What uses the key (default: cli-<scope>).")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization with slug {options['organization']!r}.")
        try:
            api_key, key = api_key_create(
                organization=organization,
                name=options["name"] or f"cli-{options['scope']}",
                scope=options["scope"],
                expires_in_days=options["expires"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"API key {api_key.label} ({api_key.scope}) for {organization.slug}; "
            "shown once, only its SHA-256 is kept:"
        )
        self.stdout.write(key)
