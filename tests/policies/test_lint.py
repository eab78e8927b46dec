"""lint_policy: one fixture per kind of finding, and a clean policy with none."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dsar.policies.lint import FindingCode, Severity, lint_version, normalize_text
from tests.policies.conftest import load

pytestmark = pytest.mark.django_db

# Fixture file → the one finding it must trigger (and nothing else).
CASES = [
    ("lint-clause-not-verbatim.yaml", FindingCode.CLAUSE_NOT_VERBATIM, Severity.ERROR),
    ("lint-channel-without-address.yaml", FindingCode.CHANNEL_WITHOUT_ADDRESS, Severity.ERROR),
    (
        "lint-stl-without-designated-channel.yaml",
        FindingCode.STL_WITHOUT_DESIGNATED_CHANNEL,
        Severity.ERROR,
    ),
    ("lint-deadline-laxer-than-law.yaml", FindingCode.DEADLINE_LAXER_THAN_LAW, Severity.ERROR),
    (
        "lint-deadline-rule-laxer-than-law.yaml",
        FindingCode.DEADLINE_RULE_LAXER_THAN_LAW,
        Severity.WARNING,
    ),
    ("lint-defunct-framework.yaml", FindingCode.DEFUNCT_FRAMEWORK, Severity.ERROR),
    ("lint-right-without-channel.yaml", FindingCode.RIGHT_WITHOUT_CHANNEL, Severity.ERROR),
    (
        "lint-designated-channel-not-offered.yaml",
        FindingCode.DESIGNATED_CHANNEL_NOT_OFFERED,
        Severity.WARNING,
    ),
    (
        "lint-word-promise-without-target.yaml",
        FindingCode.WORD_PROMISE_WITHOUT_TARGET,
        Severity.INFO,
    ),
    ("lint-gap.yaml", FindingCode.GAP, Severity.WARNING),
]


@pytest.mark.parametrize(("name", "code", "severity"), CASES, ids=[c[1].value for c in CASES])
def test_it_reports_exactly_the_finding_of_its_fixture(name, code, severity):
    [result] = load(name)

    findings = lint_version(result.version, year=2026)

    assert [(f.code, f.severity) for f in findings] == [(code, severity)]
    assert findings[0].message


def test_every_finding_code_has_a_fixture():
    assert {code for _, code, _ in CASES} == set(FindingCode)


def test_it_finds_nothing_in_a_clean_policy(acme):
    # acme.yaml quotes across a line break and with straight quotes for the text's curly ones.
    assert lint_version(acme.version, year=2026) == []


def test_it_compares_promise_and_law_over_a_year_of_receipt_dates():
    [result] = load("lint-deadline-laxer-than-law.yaml")

    [finding] = lint_version(result.version, year=2026)

    # One month, not 30 days: a request received 1 Jan is due 1 Feb (a Sunday: 2 Feb), not 31 Jan.
    # The CCPA's 45 days and the GDPR's month for access are not laxer: no finding for access.
    assert finding.right == "shine_the_light"
    assert (
        "received 01 Jan 2026 is due 02 Feb 2026 by it, 31 Jan 2026 by the law" in finding.message
    )
    assert finding.quote == "We answer all requests within one month"


def test_it_quotes_the_sentence_of_a_defunct_framework():
    [result] = load("lint-defunct-framework.yaml")

    [finding] = lint_version(result.version)

    assert finding.quote == (
        "We comply with the EU-U.S. Privacy Shield Framework as set forth by the U.S. Department "
        "of Commerce."
    )
    assert "Schrems II" in finding.message


def test_it_normalizes_whitespace_and_quote_characters():
    assert (
        normalize_text("\u201cYour  California\nPrivacy Rights\u2019")
        == "\"Your California Privacy Rights'"
    )


def test_the_command_exits_1_with_an_error_finding_and_prints_json():
    load("lint-right-without-channel.yaml")
    out = io.StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command("lint_policy", "tiny", "--format", "json", stdout=out)

    assert excinfo.value.returncode == 1
    report = json.loads(out.getvalue())
    assert report["organization"] == "tiny" and report["version"] == 1
    [finding] = report["findings"]
    assert finding == {
        "code": "right_without_channel",
        "severity": "error",
        "message": "access is promised with no channel to exercise it",
        "right": "access",
        "channel": None,
        "quote": "You may ask us for a copy of your data",
        "subject": "right access",
    }


def test_the_command_exits_0_without_error_findings(acme):
    load("lint-gap.yaml")
    out = io.StringIO()

    call_command("lint_policy", "tiny", stdout=out)
    call_command("lint_policy", "acme", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "tiny version 1 (in force)"
    assert lines[1].startswith("WARNING gap")
    assert lines[2] == "error: 0, warning: 1, info: 0"
    assert lines[3:] == ["acme version 1 (in force)", "error: 0, warning: 0, info: 0"]


def test_the_command_refuses_an_unknown_organization():
    with pytest.raises(CommandError, match="No organization 'nobody'"):
        call_command("lint_policy", "nobody")
