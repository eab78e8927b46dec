"""The five seed policy files: verbatim quotes, loading, what they promise, and what the lint finds.

The expected sets below are written out from a reading of each policy text
(dsar/policies/seeds/<slug>.txt), not derived from the YAML, so that a right or channel dropped
from a file, or one added without support in the text, fails here.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from dsar.organizations.models import Organization
from dsar.policies.models import (
    Channel,
    Exemption,
    LabelRule,
    PolicyVersion,
    Right,
)

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
SLUGS = ["imservicecenter", "imgwg", "imt", "ims-consulting", "img"]

# Whitespace runs compare equal, and curly quotes equal straight ones (docs/policy-files.md).
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _verbatim_values(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every value of a key named clause or quote (or *_clause), anywhere, with its path."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if key in {"clause", "quote"} or str(key).endswith("_clause"):
                if value is not None:
                    yield here, value
            else:
                yield from _verbatim_values(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _verbatim_values(value, f"{path}[{i}]")


def _seed(slug: str) -> dict[str, Any]:
    return yaml.safe_load((SEEDS / f"{slug}.yaml").read_text(encoding="utf-8"))


def _load_all() -> str:
    out = io.StringIO()
    call_command("load_policy", *(str(SEEDS / f"{slug}.yaml") for slug in SLUGS), stdout=out)
    return out.getvalue()


def _version(slug: str) -> PolicyVersion:
    version = PolicyVersion.objects.in_force_for(Organization.objects.get(slug=slug))
    assert version is not None, f"{slug} has no version in force"
    return version


def _right(slug: str, kind: str) -> Right:
    return _version(slug).rights.get(kind=kind)


# -- 1. Every clause and quote is verbatim ---------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_every_clause_and_quote_is_verbatim_in_the_policy_text(slug: str) -> None:
    data = _seed(slug)
    assert data["policy"]["text_file"] == f"{slug}.txt"
    text = _normalized((SEEDS / data["policy"]["text_file"]).read_text(encoding="utf-8"))
    values = list(_verbatim_values(data))
    # Each section that holds clauses is covered, not just the rights.
    sections = {path.split(".")[0].split("[")[0] for path, _ in values}
    assert {"rights", "channels"} <= sections
    missing = [
        f"{path}: {value!r}"
        for path, value in values
        if not isinstance(value, str) or _normalized(value) not in text
    ]
    assert not missing, f"{slug}: not found verbatim in {slug}.txt:\n" + "\n".join(missing)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_loaded_version_keeps_the_text_and_quotes_verbatim(slug: str) -> None:
    """What export_policy prints (the stored version) still quotes its own stored text."""
    _load_all()
    out = io.StringIO()
    call_command("export_policy", slug, "--format", "json", stdout=out)
    exported = json.loads(out.getvalue())
    assert exported["policy"]["text"] == (SEEDS / f"{slug}.txt").read_text(encoding="utf-8")
    text = _normalized(exported["policy"]["text"])
    missing = [p for p, v in _verbatim_values(exported) if _normalized(v) not in text]
    assert not missing, f"{slug}: exported quotes not in the stored text: {missing}"


# -- 2. Loading ------------------------------------------------------------------------------------


def _snapshot() -> dict[str, Any]:
    return {
        "versions": sorted(
            PolicyVersion.objects.values_list(
                "organization__slug", "number", "status", "content_hash"
            )
        ),
        "rights": Right.objects.count(),
        "channels": Channel.objects.count(),
        "labels": LabelRule.objects.count(),
        "exemptions": Exemption.objects.count(),
        "organizations": sorted(
            Organization.objects.values_list(
                "slug", "name", "reference_prefix", "time_zone", "holiday_calendar", "updated_at"
            )
        ),
    }


def test_all_five_seeds_load_and_loading_again_changes_nothing() -> None:
    first = _load_all()
    for slug in SLUGS:
        assert f"created {slug} version 1, in force" in first
    assert PolicyVersion.objects.in_force().count() == 5
    before = _snapshot()

    again = _load_all()

    for slug in SLUGS:
        assert f"unchanged ({slug} version 1 in force)" in again
    assert "organization details updated" not in again
    assert _snapshot() == before


def test_each_seed_loads_on_its_own_too() -> None:
    for slug in SLUGS:
        call_command("load_policy", str(SEEDS / f"{slug}.yaml"), stdout=io.StringIO())
    assert sorted(Organization.objects.values_list("slug", flat=True)) == sorted(SLUGS)


def test_reference_prefixes_are_unique_and_upper_case() -> None:
    _load_all()
    prefixes = dict(Organization.objects.values_list("slug", "reference_prefix"))
    assert prefixes == {
        "imservicecenter": "IMSC",
        "imgwg": "IMGWG",
        "imt": "IMT",
        "ims-consulting": "IMS",
        "img": "IMG",
    }


# -- 3. What each seed encodes ---------------------------------------------------------------------

EXPECTED_RIGHTS = {
    "imservicecenter": {
        "access",
        "rectification",
        "marketing_opt_out",
        "complaint",
        "credential_removal",
    },
    "imgwg": {"access", "rectification", "erasure", "shine_the_light", "objection"},
    "imt": {"erasure", "rectification", "marketing_opt_out"},
    "ims-consulting": {"access", "rectification", "account_closure"},
    "img": {
        "access",
        "rectification",
        "erasure",
        "objection",
        "restriction",
        "portability",
        "withdraw_consent",
        "marketing_opt_out",
        "shine_the_light",
        "minor_content_removal",
        "public_content_removal",
        "account_closure",
        "retention_info",
    },
}

EXPECTED_CHANNELS = {  # kind -> address (None: the policy names the channel without it)
    "imservicecenter": {
        "self_service": None,
        "email": "support@imservicecenter.com",
        "certified_mail": "1670 Mahaffey Circle, Lakeland, FL 33811, United States",
        "phone": "863-644-1102",
        "fax": "863-644-1102",
    },
    "imgwg": {"postal_mail": None},
    "imt": {"self_service": None, "email": "service@phonedoctorbiz.com"},
    "ims-consulting": {"self_service": None, "postal_mail": None, "email": None, "phone": None},
    "img": {
        "email": "FTSupport@imgsecurity.com",
        "postal_mail": "10097 Cleary Boulevard, Suite 700, Plantation, FL 33324 USA",
        "phone": "(954) 458-5500",
        "self_service": "https://www.fonetrac-go.com/my-account/",
    },
}


@pytest.mark.parametrize("slug", SLUGS)
def test_rights_and_channels_are_exactly_the_ones_the_policy_promises(slug: str) -> None:
    _load_all()
    version = _version(slug)
    assert set(version.rights.values_list("kind", flat=True)) == EXPECTED_RIGHTS[slug]
    channels = {(c.kind, c.address or None) for c in version.channels.all()}
    assert channels == set(EXPECTED_CHANNELS[slug].items())
    for channel in version.channels.all():
        # An address-less channel reached at an address must say what is missing.
        if not channel.address and channel.kind != "self_service":
            assert channel.gap, f"{slug}: {channel.key} has no address and no gap"
        if channel.address or channel.kind == "self_service":
            assert not channel.gap, f"{slug}: {channel.key} has a gap but nothing is missing"


def test_imservicecenter_facts() -> None:
    _load_all()
    version = _version("imservicecenter")
    org = version.organization
    assert (org.time_zone, org.holiday_calendar, org.jurisdictions) == (
        "America/New_York",
        "US-FL",
        ["US"],
    )
    assert version.minimum_age == 18
    assert str(version.effective_date) == "2016-11-06"  # the archive date
    assert version.source.startswith("https://web.archive.org/web/20161106172424")

    complaint = version.rights.get(kind="complaint")
    assert set(complaint.channels.values_list("kind", flat=True)) == {
        "email",
        "certified_mail",
        "phone",
        "fax",
    }
    assert (complaint.deadline_promise, complaint.promise_rule, complaint.deadline_rule) == (
        "promptly",
        "",
        "",
    )
    labels = {
        (rule.channel.kind, rule.right.kind, rule.words, rule.where)
        for rule in LabelRule.objects.filter(channel__version=version)
    }
    assert labels == {
        ("email", "complaint", "Privacy Policy", "subject"),
        ("certified_mail", "complaint", "Privacy Policy", "subject"),
        ("fax", "complaint", "Privacy Policy", "subject"),
    }
    certified = version.channels.get(kind="certified_mail")
    assert "return receipt requested" in certified.notes

    for kind in ("access", "rectification"):
        assert list(version.rights.get(kind=kind).channels.values_list("kind", flat=True)) == [
            "self_service"
        ]
    assert version.rights.get(kind="marketing_opt_out").deadline_rule == "can_spam"
    # "you must promptly notify us" names no channel.
    assert not version.rights.get(kind="credential_removal").channels.exists()


def test_imgwg_facts() -> None:
    _load_all()
    version = _version("imgwg")
    org = version.organization
    assert (org.time_zone, org.holiday_calendar) == ("UTC", "")
    assert org.jurisdictions == ["US", "US-CA"]
    assert version.effective_date is None

    stl = version.rights.get(kind="shine_the_light")
    assert stl.frequency_limit == "once_per_calendar_year"
    assert stl.fee == "free"
    assert "once a year" in stl.frequency_clause
    assert stl.deadline_rule == "shine_the_light"
    assert not stl.designated_channels.exists()  # the policy designates none

    (channel,) = version.channels.all()
    assert channel.address == ""
    assert "address below" in channel.gap

    for kind in ("access", "rectification", "erasure"):
        right = version.rights.get(kind=kind)
        assert right.identity_verification == "required"
    assert version.rights.get(kind="access").fee == "free_unless_disproportionate_effort"
    assert version.rights.get(kind="erasure").fee == "not_stated"
    erasure_grounds = set(
        version.rights.get(kind="erasure").exemptions.values_list("clause", flat=True)
    )
    assert (
        "if it is not otherwise required to be retained by law or for legitimate business purposes"
        in erasure_grounds
    )
    assert not version.rights.get(kind="objection").channels.exists()
    assert any("Safe Harbor" in gap for gap in version.gaps.values_list("text", flat=True))


def test_imt_facts() -> None:
    _load_all()
    version = _version("imt")
    assert str(version.effective_date) == "2022-11-07"
    opt_out = version.rights.get(kind="marketing_opt_out")
    assert opt_out.deadline_rule == "can_spam"
    assert (opt_out.deadline_promise, opt_out.promise_rule) == ("promptly", "")
    email = opt_out.channels.get(kind="email")
    assert email.address == "service@phonedoctorbiz.com"
    assert set(opt_out.channels.values_list("key", flat=True)) == {
        "email",
        "self_service-unsubscribe",
    }
    erasure = version.rights.get(kind="erasure")
    assert list(erasure.channels.values_list("key", flat=True)) == ["self_service-account"]
    grounds = " ".join(erasure.exemptions.values_list("clause", flat=True))
    for words in ("security", "fraud and abuse prevention", "financial record-keeping"):
        assert words in grounds


def test_ims_consulting_facts() -> None:
    _load_all()
    version = _version("ims-consulting")
    assert version.organization.jurisdictions == []
    access = version.rights.get(kind="access")
    assert set(access.channels.values_list("kind", flat=True)) == {
        "self_service",
        "postal_mail",
        "email",
        "phone",
    }
    for channel in version.channels.exclude(kind="self_service"):
        assert "please refer to the contact details" in channel.gap
    closure = version.rights.get(kind="account_closure")
    assert closure.deadline_promise == "as soon as reasonably possible"
    assert closure.promise_rule == ""
    assert "public postings" in set(closure.exemptions.values_list("name", flat=True))


def test_img_facts() -> None:
    _load_all()
    version = _version("img")
    org = version.organization
    assert org.legal_name == "Incident Management Group, Inc."
    assert (org.time_zone, org.holiday_calendar) == ("America/New_York", "US-FL")
    assert org.jurisdictions == ["US", "US-CA", "EU"]
    assert version.minimum_age == 13
    assert str(version.effective_date) == "2024-01-09"

    stl = version.rights.get(kind="shine_the_light")
    assert set(stl.designated_channels.values_list("kind", flat=True)) == {"email", "postal_mail"}
    labels = {
        (rule.channel.kind, rule.words, rule.where) for rule in LabelRule.objects.filter(right=stl)
    }
    assert labels == {
        ("email", "Your California Privacy Rights", "subject"),
        ("postal_mail", "Your California Privacy Rights", "letter"),
    }
    assert (stl.deadline_promise, stl.promise_rule, stl.deadline_rule) == (
        "one month",
        "gdpr",
        "shine_the_light",
    )

    erasure = version.rights.get(kind="erasure")
    assert set(erasure.exemptions.values_list("name", flat=True)) == {
        "email records",
        "website backup files",
        "specific legal reasons",
        "clearly unfounded, repetitive or excessive",
    }
    gdpr_rights = (
        "access",
        "rectification",
        "erasure",
        "objection",
        "restriction",
        "portability",
        "withdraw_consent",
    )
    for kind in gdpr_rights:
        right = version.rights.get(kind=kind)
        assert right.fee == "free_unless_unfounded_or_excessive", kind
        assert right.identity_verification == "may_request", kind
        assert (right.deadline_promise, right.promise_rule, right.deadline_rule) == (
            "one month",
            "gdpr",
            "gdpr",
        ), kind
        assert right.deadline_clause == (
            "We will try to respond to all legitimate requests within one month."
        )
    assert version.rights.get(kind="marketing_opt_out").deadline_rule == "can_spam"
    assert list(
        version.rights.get(kind="public_content_removal").channels.values_list("kind", flat=True)
    ) == ["email"]
    minor = version.rights.get(kind="minor_content_removal")
    assert "a detailed description of the specific content" in minor.requires


# What each policy says about the practices the US state opt-outs are about (sells, shares for
# targeted advertising, uses sensitive information beyond the permitted purposes, profiles), as
# read from the text; the reasoning is in each YAML's comments. None offers an opt-out of them.
EXPECTED_DECLARATIONS = {
    "imservicecenter": ("no", "no", "not_stated", "not_stated"),
    "imgwg": ("yes", "not_stated", "no", "not_stated"),
    "imt": ("no", "yes", "not_stated", "not_stated"),
    "ims-consulting": ("no", "not_stated", "not_stated", "not_stated"),
    "img": ("not_stated", "yes", "yes", "not_stated"),
}


@pytest.mark.parametrize("slug", SLUGS)
def test_what_each_policy_declares_about_the_opt_out_practices(slug: str) -> None:
    _load_all()
    version = _version(slug)
    declared = (
        version.sells,
        version.shares,
        version.sensitive_beyond_permitted,
        version.profiles,
    )
    assert declared == EXPECTED_DECLARATIONS[slug]
    # A yes or a no rests on the policy's own words; silence has none.
    for value, clause in zip(
        declared,
        (
            version.sells_clause,
            version.shares_clause,
            version.sensitive_clause,
            version.profiles_clause,
        ),
        strict=True,
    ):
        assert bool(clause) is (value != "not_stated"), (slug, value, clause)
    # Only the opt-outs a text offers are rights; none does (a marketing opt-out, Do Not Track
    # and third parties' ad-choice tools are not opt-outs of sale, sharing or profiling).
    kinds = set(version.rights.values_list("kind", flat=True))
    assert not kinds & {"opt_out_sale", "opt_out_targeted_ads", "opt_out_profiling"}
    assert "limit_sensitive" not in kinds


def test_the_seed_declarations_quote_the_practice() -> None:
    _load_all()
    assert _version("imgwg").sells_clause == (
        "We may provide Member Information, such as your email address, to companies or "
        "individuals who may wish to contact you to offer their goods or services."
    )
    assert "third-party behavioral tracking" in _version("imt").shares_clause
    img = _version("img")
    assert "personalize the ads of its own advertising network" in img.shares_clause
    assert "to do a better job of advertising and marketing" in img.sensitive_clause


# -- 4. What the lint finds ------------------------------------------------------------------------

# (code, right, channel) of every finding except the recorded gaps, which are compared by text
# below. Each is a real weakness of the policy text (see the gaps and comments in the YAML):
EXPECTED_FINDINGS: dict[str, set[tuple[str, str | None, str | None]]] = {
    "imservicecenter": {
        # "you must promptly notify us" of a lost card, user name or password: no channel given.
        ("right_without_channel", "credential_removal", None),
        # The member profile has no URL in the text (info only: the page is named).
        ("channel_without_address", None, "self_service"),
        # Complaints: "promptly", in words; the staff target is the installation default.
        ("word_promise_without_target", "complaint", None),
        # Silent on sensitive information and on profiling (it says it neither sells nor
        # discloses to third parties).
        ("declaration_not_stated", "limit_sensitive", None),
        ("declaration_not_stated", "opt_out_profiling", None),
    },
    "imgwg": {
        # "contact us at the address below": no address follows.
        ("channel_without_address", None, "postal_mail"),
        # "registered with the U.S. Department of Commerce's safe harbor program".
        ("defunct_framework", None, None),
        # 1798.83 promised, nothing designated for it.
        ("stl_without_designated_channel", "shine_the_light", None),
        # "we will offer you an effective way to opt out": no way is offered yet.
        ("right_without_channel", "objection", None),
        # Member Information goes to third parties to market to them (a sale), with no opt-out.
        ("sells_without_opt_out", "opt_out_sale", None),
        # Silent on targeted advertising and profiling.
        ("declaration_not_stated", "opt_out_targeted_ads", None),
        ("declaration_not_stated", "opt_out_profiling", None),
    },
    "imt": {
        ("channel_without_address", None, "self_service-account"),
        ("channel_without_address", None, "self_service-unsubscribe"),
        ("word_promise_without_target", "marketing_opt_out", None),
        # "we allow third-party behavioral tracking", and no opt-out (Do Not Track is none).
        ("shares_without_opt_out", "opt_out_targeted_ads", None),
        ("declaration_not_stated", "limit_sensitive", None),
        ("declaration_not_stated", "opt_out_profiling", None),
    },
    "ims-consulting": {
        # "please refer to the contact details": none are given.
        ("channel_without_address", None, "postal_mail"),
        ("channel_without_address", None, "email"),
        ("channel_without_address", None, "phone"),
        ("channel_without_address", None, "self_service"),
        # "Upon your request, we will close your account": no way to ask.
        ("right_without_channel", "account_closure", None),
        ("word_promise_without_target", "account_closure", None),
        # It does not sell; silent on the rest.
        ("declaration_not_stated", "opt_out_targeted_ads", None),
        ("declaration_not_stated", "limit_sensitive", None),
        ("declaration_not_stated", "opt_out_profiling", None),
    },
    "img": {
        # "within one month" for all requests: 1798.83 allows 30 days at the designated address,
        # CAN-SPAM 10 business days for an email opt-out.
        ("deadline_laxer_than_law", "shine_the_light", None),
        ("deadline_laxer_than_law", "marketing_opt_out", None),
        # Google Analytics data goes to Google for its ads; only third parties' tools to opt out.
        ("shares_without_opt_out", "opt_out_targeted_ads", None),
        # The exact location may serve "advertising and marketing": no right to limit.
        ("sensitive_without_limit", "limit_sensitive", None),
        # Silent on selling and on profiling.
        ("declaration_not_stated", "opt_out_sale", None),
        ("declaration_not_stated", "opt_out_profiling", None),
    },
}

# Severity of the findings above that are errors (all others are warnings or info).
EXPECTED_ERRORS = {
    "imservicecenter": {("right_without_channel", "credential_removal", None)},
    "imgwg": {
        ("channel_without_address", None, "postal_mail"),
        ("defunct_framework", None, None),
        ("stl_without_designated_channel", "shine_the_light", None),
        ("right_without_channel", "objection", None),
        ("sells_without_opt_out", "opt_out_sale", None),
    },
    "imt": {("shares_without_opt_out", "opt_out_targeted_ads", None)},
    "ims-consulting": {
        ("channel_without_address", None, "postal_mail"),
        ("channel_without_address", None, "email"),
        ("channel_without_address", None, "phone"),
        ("right_without_channel", "account_closure", None),
    },
    "img": {
        ("deadline_laxer_than_law", "shine_the_light", None),
        ("deadline_laxer_than_law", "marketing_opt_out", None),
        ("shares_without_opt_out", "opt_out_targeted_ads", None),
        ("sensitive_without_limit", "limit_sensitive", None),
    },
}


def _lint(slug: str) -> list[dict[str, Any]]:
    """The findings of ``lint_policy SLUG --format json`` (receipt dates of a fixed year)."""
    out = io.StringIO()
    # lint_policy exits with status 1 when there is an error; the report is on stdout anyway.
    with contextlib.suppress(CommandError):
        call_command("lint_policy", slug, "--format", "json", "--year", "2026", stdout=out)
    report = json.loads(out.getvalue())
    assert report["organization"] == slug
    assert report["status"] == "in_force"
    return report["findings"]


@pytest.mark.parametrize("slug", SLUGS)
def test_lint_reports_exactly_the_real_gaps(slug: str) -> None:
    _load_all()
    findings = _lint(slug)
    for finding in findings:
        assert {"code", "severity", "message"} <= set(finding)
    found = {(f["code"], f["right"], f["channel"]) for f in findings if f["code"] != "gap"}
    assert found == EXPECTED_FINDINGS[slug], (
        f"{slug}: unexpected {sorted(found - EXPECTED_FINDINGS[slug], key=str)}, "
        f"missing {sorted(EXPECTED_FINDINGS[slug] - found, key=str)}"
    )
    errors = {(f["code"], f["right"], f["channel"]) for f in findings if f["severity"] == "error"}
    assert errors == EXPECTED_ERRORS[slug]
    # Nothing the file quotes is reported as invented.
    assert not [f for f in findings if f["code"] == "clause_not_verbatim"]
    # The recorded gaps come back one for one, as policy-level warnings.
    gaps = [f for f in findings if f["code"] == "gap"]
    assert sorted(f["message"] for f in gaps) == sorted(_seed(slug).get("gaps") or [])
    assert all(f["severity"] == "warning" and not f["right"] for f in gaps)
