"""Which deadline rules the law attaches to a request, by residence and kind of right."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dsar.deadlines import Rule, compute
from dsar.jurisdictions import (
    EEA_MEMBERS,
    EU_MEMBERS,
    US_STATE_LAWS,
    Jurisdiction,
    Law,
    Right,
    acknowledgement_rule,
    applicable_rules,
)

GDPR = ("eu_gdpr", "gdpr")
UK = ("uk_gdpr", "gdpr")
CCPA = ("ccpa", "ccpa")
CAN_SPAM = ("can_spam", "can_spam")
STATE = ("us_state_privacy", "us_state")


def rules(right, jurisdiction, expected, *, designated=True, id):
    return pytest.param(right, jurisdiction, designated, expected, id=id)


CASES = [
    # EU/EEA: every GDPR right, the marketing opt-out as an Art. 21(3) objection.
    *(rules(right, "FR", [GDPR], id=f"FR {right}") for right in (
        "access", "rectification", "erasure", "restriction", "objection", "portability",
        "withdraw_consent", "marketing_opt_out")),
    rules("access", "EU", [GDPR], id="EU coarse choice"),
    rules("access", "IE", [GDPR], id="Ireland"),
    rules("erasure", "NO", [GDPR], id="Norway (EEA)"),
    rules("access", "CH", [], id="Switzerland is not in the EEA"),
    rules("complaint", "FR", [], id="FR complaint: no deadline"),
    rules("account_closure", "DE", [], id="DE account closure: no deadline"),
    rules("retention_info", "EU", [], id="EU retention info: no deadline"),
    # United Kingdom.
    rules("access", "GB", [UK], id="GB access"),
    rules("withdraw_consent", "GB", [UK], id="GB withdraw consent"),
    rules("marketing_opt_out", "GB", [UK], id="GB marketing"),
    rules("public_content_removal", "GB", [], id="GB public content: no deadline"),
    # California.
    rules("access", "US-CA", [CCPA], id="CA access"),
    rules("erasure", "US-CA", [CCPA], id="CA erasure"),
    rules("rectification", "US-CA", [CCPA], id="CA rectification"),
    rules("portability", "US-CA", [], id="CA portability is part of access, not a kind"),
    rules("marketing_opt_out", "US-CA", [CAN_SPAM], id="CA marketing is CAN-SPAM"),
    rules("shine_the_light", "US-CA", [("cal_1798_83", "shine_the_light")], id="CA STL"),
    rules("shine_the_light", "US-CA", [("cal_1798_83", "shine_the_light_undesignated")],
          designated=False, id="CA STL received otherwise"),
    rules("minor_content_removal", "US-CA", [], id="CA minor eraser: no deadline"),
    rules("opt_out_sale", "US-CA", [("ccpa", "ccpa_opt_out")], id="CA opt-out of sale: 15 bd"),
    rules("opt_out_targeted_ads", "US-CA", [("ccpa", "ccpa_opt_out")], id="CA sharing: 15 bd"),
    rules("limit_sensitive", "US-CA", [("ccpa", "ccpa_limit")], id="CA limit SPI: 15 bd"),
    rules("opt_out_profiling", "US-CA", [], id="CA: no statutory profiling opt-out"),
    rules("appeal", "US-CA", [], id="CA: no statutory appeal"),
    rules("opt_out_sale", "US-VA", [STATE], id="Virginia opt-out of sale: 45 days"),
    rules("opt_out_profiling", "US-CO", [STATE], id="Colorado profiling opt-out"),
    rules("opt_out_targeted_ads", "US-CT", [STATE], id="Connecticut targeted ads opt-out"),
    rules("opt_out_profiling", "US-UT", [], id="Utah has no profiling opt-out"),
    rules("opt_out_targeted_ads", "US-IA", [], id="Iowa: sale only"),
    rules("appeal", "US-VA", [("us_state_privacy", "appeal_60")], id="Virginia appeal 60"),
    rules("appeal", "US-CO", [("us_state_privacy", "appeal_45_60")], id="Colorado appeal 45+60"),
    rules("appeal", "US-CT", [("us_state_privacy", "appeal_60")], id="Connecticut appeal 60"),
    rules("appeal", "US-OR", [("us_state_privacy", "appeal_45")], id="Oregon appeal 45"),
    rules("appeal", "US-TX", [("us_state_privacy", "appeal_45")], id="Texas appeal: safe 45"),
    rules("appeal", "US-UT", [], id="Utah: no appeal"),
    rules("opt_out_sale", "FR", [], id="FR: no US opt-out"),
    rules("objection", "US-CA", [], id="CA objection: not a CCPA request"),
    # Other US states.
    rules("access", "US-VA", [STATE], id="Virginia access"),
    rules("portability", "US-CO", [STATE], id="Colorado portability"),
    rules("rectification", "US-CT", [STATE], id="Connecticut rectification"),
    rules("erasure", "US-TX", [STATE], id="Texas erasure"),
    rules("rectification", "US-UT", [STATE], id="Utah: correction since 1 Jul 2026 (HB 418)"),
    rules("access", "US-IA", [("us_state_privacy", "us_state_90")], id="Iowa access: 90 days"),
    rules("rectification", "US-IA", [], id="Iowa has no right to correct"),
    rules("access", "US-NY", [], id="New York: no comprehensive law"),
    rules("access", "US", [], id="US, state not given"),
    rules("marketing_opt_out", "US", [CAN_SPAM], id="US marketing"),
    rules("marketing_opt_out", "US-TX", [CAN_SPAM], id="Texas marketing"),
    rules("shine_the_light", "US-TX", [], id="STL is for Californians only"),
    rules("shine_the_light", "FR", [], id="STL in France"),
    # Brazil, Canada, elsewhere.
    rules("access", "BR", [("lgpd", "lgpd")], id="Brazil access"),
    rules("erasure", "BR", [], id="Brazil erasure"),
    rules("access", "CA", [("pipeda", "pipeda")], id="Canada access"),
    rules("rectification", "CA", [("pipeda", "pipeda")], id="Canada rectification"),
    rules("erasure", "CA", [], id="Canada erasure"),
    rules("access", "JP", [], id="Japan"),
    rules("access", "OTHER", [], id="another country"),
]  # fmt: skip


@pytest.mark.parametrize(("right", "jurisdiction", "designated", "expected"), CASES)
def test_applicable_rules(right, jurisdiction, designated, expected):
    found = applicable_rules(right=right, jurisdiction=jurisdiction, designated=designated)
    assert [(basis.law, basis.rule) for basis in found] == expected


@pytest.mark.parametrize(
    ("right", "jurisdiction", "designated", "reason"),
    [
        ("access", "FR", True, "EU GDPR Art. 12(3) applies to a resident of France"),
        ("marketing_opt_out", "DE", True, "objection to direct marketing, Art. 21(3)"),
        ("access", "EU", True, "a resident of the EU/EEA"),
        ("access", "GB", True, "UK GDPR Art. 12(3) applies to a resident of the United Kingdom"),
        ("access", "US-CA", True, "§7021(b)) applies to a resident of California"),
        ("marketing_opt_out", "US", True, "CAN-SPAM (15 U.S.C. §7704(a)(4))"),
        ("shine_the_light", "US-CA", True, "designated address or in the designated manner: 30"),
        ("shine_the_light", "US-CA", False, "not received at a designated address"),
        ("access", "US-VA", True, "Virginia Consumer Data Protection Act (Va. Code §59.1-577(B))"),
        ("access", "US-IA", True, "Iowa Consumer Data Protection Act (Iowa Code §715D.3(2))"),
        ("access", "BR", True, "LGPD Art. 19(II) applies to a resident of Brazil"),
        ("access", "CA", True, "PIPEDA s.8(3) applies to a resident of Canada"),
    ],
)
def test_the_reason_says_which_law_and_why(right, jurisdiction, designated, reason):
    found = applicable_rules(right=right, jurisdiction=jurisdiction, designated=designated)
    assert len(found) == 1
    assert reason in found[0].reason


@pytest.mark.parametrize(
    ("right", "jurisdiction", "expected"),
    [
        ("access", "US-CA", Rule.CCPA_ACK),
        ("erasure", "us-ca", Rule.CCPA_ACK),
        ("rectification", "US-CA", Rule.CCPA_ACK),
        ("marketing_opt_out", "US-CA", None),
        ("shine_the_light", "US-CA", None),
        ("access", "US-VA", None),
        ("access", "US", None),
        ("access", "FR", None),
    ],
)
def test_acknowledgement_rule(right, jurisdiction, expected):
    basis = acknowledgement_rule(right=right, jurisdiction=jurisdiction)
    assert (basis.rule if basis else None) == expected
    if basis:
        assert basis.law is Law.CCPA
        assert "10 business days" in basis.reason


@pytest.mark.parametrize(
    ("code", "normalised", "name"),
    [
        ("FR", "FR", "France"),
        (" fr ", "FR", "France"),
        ("NL", "NL", "the Netherlands"),
        ("GB", "GB", "the United Kingdom"),
        ("us-ca", "US-CA", "California"),
        ("US-TX", "US-TX", "Texas"),
        ("US", "US", "the United States (state not given)"),
        ("EU", "EU", "the EU/EEA"),
        ("other", "OTHER", "another country"),
        ("BR", "BR", "Brazil"),
    ],
)
def test_jurisdiction_codes_are_normalised_and_named(code, normalised, name):
    assert Jurisdiction.parse(code) == Jurisdiction(normalised, name)


@pytest.mark.parametrize("code", ["XX", "UK", "EU-FR", "US-ZZ", "GB-ENG", "FRA", "", "France", 7])
def test_a_nonsense_jurisdiction_is_refused(code):
    with pytest.raises(ValueError, match=re.escape(f"unknown jurisdiction {code!r}")):
        applicable_rules(right="access", jurisdiction=code)


def test_an_unknown_right_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown right 'deletion'; known rights: access, "):
        applicable_rules(right="deletion", jurisdiction="FR")


def test_the_rights_are_spelled_as_the_brief_says():
    assert [right.value for right in Right] == [
        "access", "rectification", "erasure", "restriction", "objection", "portability",
        "withdraw_consent", "marketing_opt_out", "shine_the_light", "minor_content_removal",
        "public_content_removal", "account_closure", "retention_info", "complaint",
        "opt_out_sale", "opt_out_targeted_ads", "opt_out_profiling", "limit_sensitive", "appeal",
    ]  # fmt: skip


def test_the_eea_list_is_explicit():
    assert len(EU_MEMBERS) == 27
    assert set(EEA_MEMBERS) - set(EU_MEMBERS) == {"IS", "LI", "NO"}
    assert "GB" not in EEA_MEMBERS
    assert all(Jurisdiction.parse(code).in_eea for code in EEA_MEMBERS)


def test_the_state_laws_are_in_force_and_cited():
    assert {"VA", "CO", "CT", "UT", "TX", "OR", "MT"} <= set(US_STATE_LAWS)
    assert "CA" not in US_STATE_LAWS  # the CCPA has its own rules
    for law in US_STATE_LAWS.values():
        assert law.in_force <= date(2026, 1, 1)
        assert law.name
        assert law.citation


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2025, 12, 31), []), (date(2026, 1, 1), [STATE]), (None, [STATE])],
    ids=["before Indiana's law", "from 1 Jan 2026", "no date given"],
)
def test_a_state_law_applies_from_the_day_it_came_into_force(on, expected):
    found = applicable_rules(right="access", jurisdiction="US-IN", on=on)
    assert [(basis.law, basis.rule) for basis in found] == expected


def test_every_law_has_a_label_and_a_citation():
    for law in Law:
        assert law.label
        assert law.citation


@pytest.mark.parametrize("jurisdiction", ["FR", "GB", "US-CA", "US-VA", "US", "BR", "CA", "EU"])
@pytest.mark.parametrize("right", list(Right))
def test_every_rule_returned_yields_a_due_date(right, jurisdiction):
    received = date(2026, 3, 2)
    for basis in applicable_rules(right=right, jurisdiction=jurisdiction):
        assert compute(basis.rule, received).due > received
