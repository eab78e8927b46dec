"""lint_policy: one fixture per kind of finding, and a clean policy with none."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dsar.policies.lint import FindingCode, Severity, lint_version, normalize_text
from dsar.policies.loader import LoadResult, load_policy_files
from tests.policies.conftest import FILES, load

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
    ("lint-sells-without-opt-out.yaml", FindingCode.SELLS_WITHOUT_OPT_OUT, Severity.ERROR),
    ("lint-shares-without-opt-out.yaml", FindingCode.SHARES_WITHOUT_OPT_OUT, Severity.ERROR),
    ("lint-sensitive-without-limit.yaml", FindingCode.SENSITIVE_WITHOUT_LIMIT, Severity.ERROR),
    ("lint-profiles-without-opt-out.yaml", FindingCode.PROFILES_WITHOUT_OPT_OUT, Severity.ERROR),
    ("lint-declaration-not-stated.yaml", FindingCode.DECLARATION_NOT_STATED, Severity.WARNING),
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


# -- The US state opt-outs: a declared practice needs its opt-out; silence is a finding -----------


def _variant(tmp_path: Path, name: str, *changes: tuple[str, str]) -> LoadResult:
    """The fixture ``name`` with each (old, new) text replaced, loaded."""
    text = (FILES / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [result] = load_policy_files([path])
    return result


def _codes(result: LoadResult) -> list[str]:
    return [f.code for f in lint_version(result.version, year=2026)]


def test_selling_without_an_opt_out_cites_california_and_the_states():
    [result] = load("lint-sells-without-opt-out.yaml")

    [finding] = lint_version(result.version, year=2026)

    assert finding.right == "opt_out_sale"
    assert finding.quote == "We sell your contact details to our partners."
    assert finding.message.startswith(
        "the policy says it sells personal information but offers no opt-out of sale: "
    )
    assert "Cal. Civ. Code §1798.120" in finding.message
    assert '"Do Not Sell or Share My Personal Information" link (§1798.135(a))' in finding.message
    # Every state in dsar.jurisdictions gives an opt-out of sale.
    for state in ("Virginia", "Colorado", "Utah", "Iowa", "Rhode Island"):
        assert state in finding.message
    assert "e.g. Va. Code §59.1-577(A)(5)" in finding.message


def test_an_opt_out_of_sale_answers_selling_and_a_marketing_opt_out_does_not(tmp_path):
    fixed = _variant(
        tmp_path,
        "lint-sells-without-opt-out.yaml",
        ("    Unsubscribe from our newsletter by email.\n", "    Write to us to stop the sale.\n"),
        ("kind: marketing_opt_out", "kind: opt_out_sale"),
        (
            "clause: Unsubscribe from our newsletter by email.",
            "clause: Write to us to stop the sale.",
        ),
    )

    assert _codes(fixed) == []


@pytest.mark.parametrize("kind", ["opt_out_sale", "opt_out_targeted_ads"])
def test_either_opt_out_answers_sharing(tmp_path, kind):
    fixed = _variant(
        tmp_path,
        "lint-shares-without-opt-out.yaml",
        ("    We make no decisions", "    Email us to opt out.\n    We make no decisions"),
        (
            "    channels: [email]\n",
            f"    channels: [email]\n  - kind: {kind}\n    clause: Email us to opt out.\n"
            "    channels: [email]\n",
        ),
    )

    assert _codes(fixed) == []


def test_sensitive_information_needs_californias_right_to_limit():
    [result] = load("lint-sensitive-without-limit.yaml")

    [finding] = lint_version(result.version, year=2026)

    assert finding.right == "limit_sensitive"
    assert "beyond the purposes the regulations permit (Cal. Code Regs. tit. 11 §7027(m))" in (
        finding.message
    )
    assert "but offers no right to limit its use: " in finding.message
    assert "(Cal. Civ. Code §1798.121)" in finding.message
    assert "Limit the Use of My Sensitive Personal Information" in finding.message
    assert "Virginia" not in finding.message  # the limit is California's alone


def test_profiling_names_the_states_that_give_an_opt_out_and_not_california():
    [result] = load("lint-profiles-without-opt-out.yaml")

    [finding] = lint_version(result.version, year=2026)

    assert finding.right == "opt_out_profiling"
    assert "Virginia" in finding.message and "Colorado" in finding.message
    # Utah and Iowa give no opt-out of profiling; the CCPA neither.
    assert "Utah" not in finding.message and "Iowa" not in finding.message
    assert "Cal. Civ. Code" not in finding.message


def test_silence_on_each_practice_is_a_finding_of_its_own(tmp_path):
    [result] = load("lint-declaration-not-stated.yaml")
    [finding] = lint_version(result.version, year=2026)
    assert finding.right == "opt_out_profiling"
    assert finding.message.startswith(
        "the policy does not say whether it profiles people in furtherance of decisions that "
        "produce legal or similarly significant effects: the laws of Virginia, Colorado"
    )
    assert finding.message.endswith("; state it")

    silent = load("tiny.yaml")[0]  # says nothing of any practice
    findings = lint_version(silent.version, year=2026)

    assert {(f.code, f.severity, f.right) for f in findings} == {
        ("declaration_not_stated", "warning", "opt_out_sale"),
        ("declaration_not_stated", "warning", "opt_out_targeted_ads"),
        ("declaration_not_stated", "warning", "limit_sensitive"),
        ("declaration_not_stated", "warning", "opt_out_profiling"),
    }
    [sale] = [f for f in findings if f.right == "opt_out_sale"]
    assert sale.message.startswith(
        "the policy does not say whether it sells personal information: California residents "
        "may direct a business not to sell or share their personal information"
    )


def test_no_opt_out_finding_where_no_state_law_reaches_the_organization(tmp_path):
    out_of_scope = (
        "  jurisdictions: [US-CA]\n",
        "  jurisdictions: [US-CA]\n  out_of_scope: [US]\n"
        "  out_of_scope_reason: Below every state law's thresholds.\n",
    )
    for name in (
        "lint-sells-without-opt-out.yaml",
        "lint-sensitive-without-limit.yaml",
        "lint-declaration-not-stated.yaml",
    ):
        assert _codes(_variant(tmp_path, name, out_of_scope)) == []
    # Out of California's reach only: the limit (California's) goes; sale stays for the states.
    only_california = (
        out_of_scope[0],
        "  jurisdictions: [US-CA]\n  out_of_scope: [US-CA]\n"
        "  out_of_scope_reason: Below the CCPA's thresholds.\n",
    )
    assert _codes(_variant(tmp_path, "lint-sensitive-without-limit.yaml", only_california)) == []
    [sale] = lint_version(
        _variant(tmp_path, "lint-sells-without-opt-out.yaml", only_california).version, year=2026
    )
    assert "Cal. Civ. Code" not in sale.message and "Virginia" in sale.message


def test_a_declarations_clause_must_be_verbatim(tmp_path):
    result = _variant(
        tmp_path,
        "lint-gap.yaml",
        ("  sells_clause: We do not sell or share", "  sells_clause: We never sell or share"),
    )

    findings = lint_version(result.version, year=2026)

    assert [(f.code, f.quote) for f in findings if f.code == "clause_not_verbatim"] == [
        ("clause_not_verbatim", "We never sell or share your personal information.")
    ]
