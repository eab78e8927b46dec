"""Report what a privacy officer must fix in a policy: ``lint_policy img [--format json]``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.policies.lint import Finding, Severity, has_errors, lint_version
from dsar.policies.management.commands.export_policy import _version


class Command(BaseCommand):
    help = (
        "List the findings of an organization's policy version in force (or --number N): each "
        "with a code, a severity, the right or channel concerned and a message. Exits with "
        "status 1 when there is a finding of severity error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--number", type=int, metavar="N", help="lint version N instead of the one in force"
        )
        parser.add_argument(
            "--year", type=int, help="try receipt dates of this year for deadlines (default: now)"
        )

    def handle(self, *args: Any, slug: str, number: int | None, **options: Any) -> None:
        version = _version(slug, number)
        findings = lint_version(version, year=options["year"])
        if options["format"] == "json":
            report = {
                "organization": slug,
                "version": version.number,
                "status": version.status,
                "findings": [finding.as_dict() for finding in findings],
            }
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(f"{slug} version {version.number} ({version.get_status_display()})")
            for finding in findings:
                self.stdout.write(_line(finding))
            self.stdout.write(_summary(findings))
        if has_errors(findings):
            # CommandError's return code reaches the shell; the report is already on stdout.
            raise CommandError(f"{slug}: {_summary(findings)}", returncode=1)


def _line(finding: Finding) -> str:
    quote = f'\n    "{finding.quote}"' if finding.quote else ""
    head = f"{finding.severity.upper():7} {finding.code:30} {finding.subject}"
    return f"{head}: {finding.message}{quote}"


def _summary(findings: list[Finding]) -> str:
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    return ", ".join(f"{severity.value}: {n}" for severity, n in counts.items())
