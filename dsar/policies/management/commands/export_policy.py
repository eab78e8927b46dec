"""Print the policy version in force as a policy file: ``export_policy img --format json``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.organizations.models import Organization
from dsar.policies.export import dump_json, dump_yaml, policy_document
from dsar.policies.models import PolicyVersion


class Command(BaseCommand):
    help = (
        "Print an organization's policy version in force (or --number N) in the policy-file "
        "schema, with the text inline: load_policy reads it back unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("--format", choices=["json", "yaml"], default="json")
        parser.add_argument(
            "--number", type=int, metavar="N", help="export version N instead of the one in force"
        )

    def handle(self, *args: Any, slug: str, number: int | None, **options: Any) -> None:
        version = _version(slug, number)
        document = policy_document(version)
        if options["format"] == "json":
            out = dump_json(document)
        else:
            out = dump_yaml(document, header=f"{slug} policy version {version.number}")
        # Bytes as built: no style, no extra newline, so two exports compare byte for byte.
        self.stdout.write(out, ending="")


def _version(slug: str, number: int | None) -> PolicyVersion:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise CommandError(f"No organization {slug!r}.")
    versions = organization.policy_versions.all()
    version = versions.filter(number=number).first() if number else versions.in_force().first()
    if version is None:
        raise CommandError(
            f"{slug} has no version {number}." if number else f"{slug} has no version in force."
        )
    return version
