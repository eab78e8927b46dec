"""What a privacy officer must fix in a policy version: one small rule per kind of finding.

Each rule takes a ``LintContext`` (the version and its rows, loaded once) and yields ``Finding``s.
``lint_version()`` runs them all. The command ``lint_policy`` and the admin page show the same
findings; a version with a finding of severity *error* makes the command exit 1.

Loading never fails for these: a clause that is not verbatim still loads, so that the officer
can see it here, next to the text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import cached_property

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar import deadlines, jurisdictions
from dsar.policies.models import (
    Channel,
    ChannelKind,
    Declaration,
    PolicyVersion,
    Right,
    RightKind,
)
from dsar.policies.schema import DECLARATION_CLAUSES
from dsar.requests import clock


class Severity(models.TextChoices):
    ERROR = "error", _("error")  # the policy or its encoding is wrong: fix before relying on it
    WARNING = "warning", _("warning")  # a weakness staff must work around
    INFO = "info", _("info")  # worth knowing

    @property
    def rank(self) -> int:
        return [Severity.ERROR, Severity.WARNING, Severity.INFO].index(self)


class FindingCode(models.TextChoices):
    CLAUSE_NOT_VERBATIM = "clause_not_verbatim", _("clause not verbatim")
    CHANNEL_WITHOUT_ADDRESS = "channel_without_address", _("channel without address")
    STL_WITHOUT_DESIGNATED_CHANNEL = (
        "stl_without_designated_channel",
        _("Shine the Light without a designated channel"),
    )
    DEADLINE_LAXER_THAN_LAW = "deadline_laxer_than_law", _("deadline promise laxer than the law")
    DEADLINE_RULE_LAXER_THAN_LAW = (
        "deadline_rule_laxer_than_law",
        _("deadline rule laxer than the law"),
    )
    DEFUNCT_FRAMEWORK = "defunct_framework", _("defunct transfer framework")
    RIGHT_WITHOUT_CHANNEL = "right_without_channel", _("right without channel")
    DESIGNATED_CHANNEL_NOT_OFFERED = (
        "designated_channel_not_offered",
        _("designated channel not offered for the right"),
    )
    WORD_PROMISE_WITHOUT_TARGET = (
        "word_promise_without_target",
        _("deadline in words without an internal target"),
    )
    SELLS_WITHOUT_OPT_OUT = "sells_without_opt_out", _("sells without an opt-out of sale")
    SHARES_WITHOUT_OPT_OUT = (
        "shares_without_opt_out",
        _("shares for targeted advertising without an opt-out"),
    )
    SENSITIVE_WITHOUT_LIMIT = (
        "sensitive_without_limit",
        _("sensitive information used beyond the permitted purposes without a right to limit"),
    )
    PROFILES_WITHOUT_OPT_OUT = "profiles_without_opt_out", _("profiling without an opt-out")
    DECLARATION_NOT_STATED = "declaration_not_stated", _("practice not stated")
    GAP = "gap", _("gap")


@dataclass(frozen=True)
class Finding:
    code: FindingCode
    severity: Severity
    message: str
    right: str = ""  # the right's kind, when the finding concerns one
    channel: str = ""  # the channel's key, when the finding concerns one
    quote: str = ""  # the words concerned (a clause, a sentence of the text)

    @property
    def subject(self) -> str:
        parts = [
            f"right {self.right}" if self.right else "",
            f"channel {self.channel}" if self.channel else "",
        ]
        return ", ".join(p for p in parts if p) or "policy"

    def as_dict(self) -> dict[str, str | None]:
        """For JSON: absent right, channel or quote are null; ``subject`` names them in words."""
        data = {key: value or None for key, value in asdict(self).items()}
        return {
            **data,
            "code": str(self.code),
            "severity": str(self.severity),
            "subject": self.subject,
        }


# -- Text matching ---------------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Whitespace runs → one space, curly quotes → straight: the comparison the file rule allows."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


# After . ! ? and a space, except after an initial such as the "S." of "U.S.".
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<![A-Z]\.)\s+")


def sentences(text: str) -> Iterator[str]:
    """The text's sentences, roughly: split at line breaks and at sentence ends."""
    for line in text.splitlines():
        for sentence in _SENTENCE_END.split(line):
            if sentence.strip():
                yield sentence.strip()


# -- The context -----------------------------------------------------------------------------------


@dataclass
class LintContext:
    """A version and its rows, fetched once for all the rules."""

    version: PolicyVersion
    year: int  # receipt dates of this year are tried when comparing deadlines

    @cached_property
    def text(self) -> str:
        return normalize_text(self.version.text)

    @cached_property
    def rights(self) -> list[Right]:
        return list(
            self.version.rights.prefetch_related("channels", "designated_channels", "exemptions")
        )

    @cached_property
    def channels(self) -> list[Channel]:
        return list(
            self.version.channels.prefetch_related("rights", "designated_for", "label_rules__right")
        )

    @cached_property
    def calendar(self) -> str | None:
        return self.version.organization.holiday_calendar or None

    @cached_property
    def _dues(self) -> dict[tuple[str, datetime.date], datetime.date]:
        return {}

    def due(self, rule: str, received: datetime.date) -> datetime.date:
        """The engine's due date, memoized: every right is tried on every day of the year."""
        key = (rule, received)
        if key not in self._dues:
            self._dues[key] = deadlines.compute(rule, received, calendar=self.calendar).due
        return self._dues[key]

    def contains(self, words: str) -> bool:
        return normalize_text(words) in self.text


Rule = Callable[[LintContext], Iterator[Finding]]


# -- The rules -------------------------------------------------------------------------------------


def clause_not_verbatim(ctx: LintContext) -> Iterator[Finding]:
    """Every clause and quote must be found in the policy text.

    The encoding's one rule is "invent nothing" (docs/policy-files.md): a reviewer, a requester
    or a regulator must be able to find each promise in the policy. Whitespace and quote
    characters may differ (a file cannot always keep the text's line breaks or curly quotes).
    """
    org = ctx.version.organization
    candidates: list[tuple[str, str, str, str]] = []  # (right, channel, what, words)
    for address in org.addresses.all():
        candidates.append(
            ("", "", f"address {address.label or address.address!r} quote", address.quote)
        )
    candidates.append(("", "", "minimum_age_clause", ctx.version.minimum_age_clause))
    for clause in DECLARATION_CLAUSES.values():
        candidates.append(("", "", clause, getattr(ctx.version, clause)))
    for channel in ctx.channels:
        candidates.append(("", channel.key, "quote", channel.quote))
        for rule in channel.label_rules.all():
            candidates.append((rule.right.kind, channel.key, "label rule quote", rule.quote))
    for right in ctx.rights:
        for field in (
            "clause",
            "identity_clause",
            "fee_clause",
            "frequency_clause",
            "deadline_clause",
        ):
            candidates.append((right.kind, "", field, getattr(right, field)))
        for exemption in right.exemptions.all():
            candidates.append(
                (right.kind, "", f"exemption {exemption.name!r} clause", exemption.clause)
            )
    for related in ("data_categories", "purposes", "recipients", "sources"):
        for row in getattr(ctx.version, related).all():
            candidates.append(("", "", f"{related} {row.name!r} clause", row.clause))
    for row in ctx.version.retention.all():
        candidates.append(("", "", f"retention {row.statement!r} clause", row.clause))
    for right_kind, channel_key, what, words in candidates:
        if words and not ctx.contains(words):
            yield Finding(
                FindingCode.CLAUSE_NOT_VERBATIM,
                Severity.ERROR,
                f"the {what} is not found in the policy text",
                right=right_kind,
                channel=channel_key,
                quote=words,
            )


def channel_without_address(ctx: LintContext) -> Iterator[Finding]:
    """A channel the policy offers but gives no address for cannot be used.

    An error when a right relies on it and a requester needs the address to reach it; a
    warning when no right uses it. Self-service is reached through the account, so a missing
    URL there is only worth knowing (the intake form cannot link to it). The recorded gap says
    what the policy leaves out.
    """
    for channel in ctx.channels:
        if channel.address:
            continue
        used = bool(channel.rights.all()) or bool(channel.designated_for.all())
        if not ChannelKind(channel.kind).reached_at_an_address:
            severity = Severity.INFO
        else:
            severity = Severity.ERROR if used else Severity.WARNING
        gap = channel.gap or "no gap recorded"
        yield Finding(
            FindingCode.CHANNEL_WITHOUT_ADDRESS,
            severity,
            f"{channel.get_kind_display()} without an address"
            + ("" if used else " (no right uses it)")
            + f": {gap}",
            channel=channel.key,
            quote=channel.quote,
        )


def stl_without_designated_channel(ctx: LintContext) -> Iterator[Finding]:
    """A Shine the Light promise needs a designated channel with an address.

    Cal. Civ. Code 1798.83(b)(1) makes a business designate a mailing address, email address,
    or toll-free telephone or fax number for these requests; one received there is due in 30
    days, one received otherwise in up to 150 [S19; legal-rules.md §3].
    """
    for right in ctx.rights:
        if right.kind != RightKind.SHINE_THE_LIGHT:
            continue
        designated = [channel for channel in right.designated_channels.all() if channel.address]
        if not designated:
            yield Finding(
                FindingCode.STL_WITHOUT_DESIGNATED_CHANNEL,
                Severity.ERROR,
                "1798.83 is promised but no channel with an address is designated for it: every "
                "request arrives 'otherwise' (up to 150 days) and the business does not meet "
                "1798.83(b)(1)",
                right=right.kind,
            )


def _laws(ctx: LintContext, right: Right) -> list[jurisdictions.LegalBasis]:
    """The statutory rules for ``right`` in the organization's jurisdictions.

    A 1798.83 promise is a promise to California residents, whatever the jurisdictions list.
    """
    codes = list(ctx.version.organization.jurisdictions)
    if right.kind == RightKind.SHINE_THE_LIGHT and "US-CA" not in codes:
        codes.append("US-CA")
    bases: dict[str, jurisdictions.LegalBasis] = {}
    for code in codes:
        try:
            found = jurisdictions.applicable_rules(right=right.kind, jurisdiction=code)
        except ValueError:  # a right kind or code the law module does not know: no statute
            continue
        for basis in found:
            bases.setdefault(basis.rule, basis)
    return list(bases.values())


def _first_laxer(
    ctx: LintContext, rule: str, law: deadlines.Rule
) -> tuple[datetime.date, datetime.date, datetime.date] | None:
    """The first receipt date of the year for which ``rule`` falls due after ``law``, if any."""
    day = datetime.date(ctx.year, 1, 1)
    while day.year == ctx.year:
        ours, legal = ctx.due(rule, day), ctx.due(law, day)
        if ours > legal:
            return day, ours, legal
        day += datetime.timedelta(days=1)
    return None


def _deadline_findings(
    ctx: LintContext, field: str, code: FindingCode, severity: Severity
) -> Iterator[Finding]:
    for right in ctx.rights:
        rule = getattr(right, field)
        if not rule:
            continue
        for basis in _laws(ctx, right):
            found = _first_laxer(ctx, rule, basis.rule)
            if found is None:
                continue
            received, ours, legal = found
            words = (
                f'"{right.deadline_promise}" ({rule})'
                if field == "promise_rule"
                else f"rule {rule}"
            )
            yield Finding(
                code,
                severity,
                f"{words} can fall due after the law's {basis.rule.label} ({basis.rule.citation}): "
                f"a request received {received:%d %b %Y} is due {ours:%d %b %Y} by it, "
                f"{legal:%d %b %Y} by the law",
                right=right.kind,
                quote=right.deadline_clause if field == "promise_rule" else "",
            )


def deadline_laxer_than_law(ctx: LintContext) -> Iterator[Finding]:
    """A numeric deadline promise that can fall due after a statutory deadline that applies.

    The statute wins over a laxer promise, and a promise that can exceed it misleads requesters:
    IMG promises "within one month" for every request, including 1798.83 whose limit at a
    designated address is 30 days, and a month from 1 March is 1 April, 31 days. Both are
    computed by the deadline engine for every receipt date of a year. Words like "promptly"
    have no rule, so they are never laxer by themselves.
    """
    yield from _deadline_findings(
        ctx, "promise_rule", FindingCode.DEADLINE_LAXER_THAN_LAW, Severity.ERROR
    )


def deadline_rule_laxer_than_law(ctx: LintContext) -> Iterator[Finding]:
    """The app's default deadline rule for a right can fall due after a law that applies.

    Staff would then be shown a date later than the legal one (legal-rules.md: the earlier
    date is the safe one); set deadline_rule to the stricter law.
    """
    yield from _deadline_findings(
        ctx, "deadline_rule", FindingCode.DEADLINE_RULE_LAXER_THAN_LAW, Severity.WARNING
    )


# Schrems I (CJEU C-362/14, 6 Oct 2015) invalidated the Safe Harbor decision; Schrems II
# (C-311/18, 16 Jul 2020) the EU-U.S. Privacy Shield. "Safe harbor" alone is also a COPPA term
# (FTC-approved programs), so it counts only next to words of the EU/Swiss transfer framework.
_PRIVACY_SHIELD = re.compile(r"privacy[\s-]+shield", re.IGNORECASE)
_SAFE_HARBOR = re.compile(r"safe[\s-]+harbou?r", re.IGNORECASE)
_TRANSFER_WORDS = re.compile(
    r"\b(E\.?U\.?|European|Swiss|Switzerland|Department of Commerce)\b", re.IGNORECASE
)


def defunct_framework(ctx: LintContext) -> Iterator[Finding]:
    """A claim to the invalidated Safe Harbor or EU-U.S. Privacy Shield frameworks.

    The CJEU invalidated Safe Harbor in Schrems I (C-362/14, 6 October 2015) and the Privacy
    Shield in Schrems II (C-311/18, 16 July 2020). A policy that still relies on either gives
    no valid basis for EU transfers and misstates the company's practices, which the FTC has
    pursued as deception.
    """
    for sentence in sentences(ctx.version.text):
        if _PRIVACY_SHIELD.search(sentence):
            name = "the Privacy Shield, invalidated by the CJEU in Schrems II (16 July 2020)"
        elif _SAFE_HARBOR.search(sentence) and _TRANSFER_WORDS.search(sentence):
            name = "the U.S.-EU Safe Harbor, invalidated by the CJEU in Schrems I (6 October 2015)"
        else:
            continue
        yield Finding(
            FindingCode.DEFUNCT_FRAMEWORK,
            Severity.ERROR,
            f"the policy relies on {name}",
            quote=sentence,
        )


def right_without_channel(ctx: LintContext) -> Iterator[Finding]:
    """A promised right with no channel to exercise it through cannot be used.

    Requests will still arrive (by whatever means the requester finds); staff must know the
    policy gave them no route, and the officer should add one.
    """
    for right in ctx.rights:
        if not right.channels.all() and not right.designated_channels.all():
            yield Finding(
                FindingCode.RIGHT_WITHOUT_CHANNEL,
                Severity.ERROR,
                f"{right.get_kind_display()} is promised with no channel to exercise it",
                right=right.kind,
                quote=right.clause,
            )


def designated_channel_not_offered(ctx: LintContext) -> Iterator[Finding]:
    """A channel designated for a right, but not listed among the right's channels.

    The designation decides the deadline (1798.83: 30 days there, otherwise 150), so the
    intake form must offer it for that right.
    """
    for right in ctx.rights:
        offered = set(right.channels.all())
        for channel in right.designated_channels.all():
            if channel not in offered:
                yield Finding(
                    FindingCode.DESIGNATED_CHANNEL_NOT_OFFERED,
                    Severity.WARNING,
                    f"{channel.key} is designated for {right.kind} but not among its channels",
                    right=right.kind,
                    channel=channel.key,
                )


def word_promise_without_target(ctx: LintContext) -> Iterator[Finding]:
    """A deadline promised in words ("promptly") with no internal target of the staff's own.

    Words create no legal deadline (legal-rules.md, "Policy promises in words"); the app then
    uses the installation's default target, which may not be what the officer means.
    """
    for right in ctx.rights:
        if right.deadline_promise and not right.promise_rule and right.internal_target_days is None:
            yield Finding(
                FindingCode.WORD_PROMISE_WITHOUT_TARGET,
                Severity.INFO,
                f'"{right.deadline_promise}" has no internal_target_days: the installation '
                "default applies",
                right=right.kind,
                quote=right.deadline_clause,
            )


# -- The US state opt-outs: what the policy declares, and the rights it offers -------------------

_R = jurisdictions.Right
# What each declaration (``PolicyVersion`` field) is about: the opt-out the law gives against it,
# the rights of the policy that offer that opt-out (a marketing opt-out is none of them: it stops
# emails, not a sale), and the finding when it is declared but not offered.
_PRACTICES: tuple[tuple[str, _R, frozenset[str], FindingCode], ...] = (
    (
        "sells",
        _R.OPT_OUT_SALE,
        frozenset({RightKind.OPT_OUT_SALE}),
        FindingCode.SELLS_WITHOUT_OPT_OUT,
    ),
    (
        "shares",
        _R.OPT_OUT_TARGETED_ADS,
        # California's opt-out is of "sale or sharing" (§1798.120); the other states' of targeted
        # advertising: either answers sharing.
        frozenset({RightKind.OPT_OUT_SALE, RightKind.OPT_OUT_TARGETED_ADS}),
        FindingCode.SHARES_WITHOUT_OPT_OUT,
    ),
    (
        "sensitive_beyond_permitted",
        _R.LIMIT_SENSITIVE,
        frozenset({RightKind.LIMIT_SENSITIVE}),
        FindingCode.SENSITIVE_WITHOUT_LIMIT,
    ),
    (
        "profiles",
        _R.OPT_OUT_PROFILING,
        frozenset({RightKind.OPT_OUT_PROFILING}),
        FindingCode.PROFILES_WITHOUT_OPT_OUT,
    ),
)
# The practice in words, after "the policy says it" / "does not say whether it".
_PRACTICE_WORDS = {
    "sells": "sells personal information",
    "shares": "shares personal information for targeted (cross-context behavioral) advertising",
    "sensitive_beyond_permitted": (
        "uses sensitive personal information beyond the purposes the regulations permit "
        "(Cal. Code Regs. tit. 11 §7027(m))"
    ),
    "profiles": (
        "profiles people in furtherance of decisions that produce legal or similarly "
        "significant effects"
    ),
}
# The right the policy does not offer, after "but offers no".
_MISSING = {
    "sells": "opt-out of sale",
    "shares": "opt-out of sale or sharing, or of targeted advertising",
    "sensitive_beyond_permitted": "right to limit its use",
    "profiles": "opt-out of profiling",
}
# What California gives against each practice, and how a business must offer it.
_CALIFORNIA = {
    _R.OPT_OUT_SALE: (
        "California residents may direct a business not to sell or share their personal "
        'information (Cal. Civ. Code §1798.120), through a "Do Not Sell or Share My Personal '
        'Information" link (§1798.135(a))'
    ),
    _R.OPT_OUT_TARGETED_ADS: (
        "California residents may direct a business not to share their personal information "
        "for cross-context behavioral advertising (Cal. Civ. Code §1798.120, §1798.135(a))"
    ),
    _R.LIMIT_SENSITIVE: (
        "California residents may limit its use and disclosure (Cal. Civ. Code §1798.121), "
        'through a "Limit the Use of My Sensitive Personal Information" link (§1798.135(a))'
    ),
}
# What the other states give (e.g. Va. Code §59.1-577(A)(5)(i)-(iii)).
_STATES = {
    _R.OPT_OUT_SALE: "an opt-out of the sale of personal data",
    _R.OPT_OUT_TARGETED_ADS: "an opt-out of targeted advertising",
    _R.OPT_OUT_PROFILING: (
        "an opt-out of profiling in furtherance of decisions with legal or similarly "
        "significant effects"
    ),
}


def _opt_out_law(ctx: LintContext, right: jurisdictions.Right) -> str:
    """Which laws give ``right`` to residents they protect at this organization, in words with
    their citations; "" when none reaches it (every such state listed as out of scope).

    Whose law reaches the organization is decided once, by ``clock.serves``: every state's,
    unless the organization's record lists it out of scope (docs/legal-decisions.md, "Whose
    law"), as the public form that offers these opt-outs decides it."""
    organization = ctx.version.organization
    said = []
    if right in jurisdictions.CCPA_OPT_OUTS and clock.serves(organization, "US-CA"):
        said.append(_CALIFORNIA[right])
    states = [
        jurisdictions.Jurisdiction.parse(f"US-{code}").name
        for code, law in jurisdictions.US_STATE_LAWS.items()
        if right in law.opt_outs and clock.serves(organization, f"US-{code}")
    ]
    if states:
        names = ", ".join(states[:-1]) + (" and " if len(states) > 1 else "") + states[-1]
        said.append(
            f"the laws of {names} give their residents {_STATES[right]} "
            "(e.g. Va. Code §59.1-577(A)(5))"
        )
    return "; ".join(said)


def practice_without_opt_out(ctx: LintContext) -> Iterator[Finding]:
    """A practice the policy declares (sells, shares, uses sensitive information beyond the
    permitted purposes, profiles) with no right to opt out of it.

    The law gives the opt-out whatever the policy says (Cal. Civ. Code §1798.120, §1798.121; e.g.
    Va. Code §59.1-577(A)(5)), and a business that sells or shares must offer it (§1798.135(a);
    the state laws ask the privacy notice for "the manner in which a consumer may exercise" it).
    A policy that declares the practice and offers no opt-out misleads the requester and leaves
    staff without a channel for the requests that will come anyway. A marketing opt-out is not
    one: it stops emails, not a sale.
    """
    offered = {right.kind for right in ctx.rights}
    for field, right, answers, code in _PRACTICES:
        if getattr(ctx.version, field) != Declaration.YES or offered & answers:
            continue
        law = _opt_out_law(ctx, right)
        if not law:
            continue
        yield Finding(
            code,
            Severity.ERROR,
            f"the policy says it {_PRACTICE_WORDS[field]} but offers no {_MISSING[field]}: "
            f"{law}; add the right, with its channels",
            right=str(right),
            quote=getattr(ctx.version, DECLARATION_CLAUSES[field]),
        )


def declaration_not_stated(ctx: LintContext) -> Iterator[Finding]:
    """A practice the policy is silent on (``not_stated``) where a law that reaches the
    organization gives an opt-out against it.

    The requester cannot tell whether there is anything to opt out of, so the public form
    offers the opt-out anyway; the privacy notice of a business that sells or shares must say
    so (Cal. Civ. Code §1798.130(a)(5); e.g. Conn. Gen. Stat. §42-520(d)). The officer finds out
    what the organization does and has the policy state it.
    """
    for field, right, _answers, _code in _PRACTICES:
        if getattr(ctx.version, field) != Declaration.NOT_STATED:
            continue
        law = _opt_out_law(ctx, right)
        if not law:
            continue
        yield Finding(
            FindingCode.DECLARATION_NOT_STATED,
            Severity.WARNING,
            f"the policy does not say whether it {_PRACTICE_WORDS[field]}: {law}; state it",
            right=str(right),
        )


def gap(ctx: LintContext) -> Iterator[Finding]:
    """Every gap the encoder recorded: something the policy leaves out that staff must know."""
    for row in ctx.version.gaps.all():
        yield Finding(FindingCode.GAP, Severity.WARNING, row.text)
    for channel in ctx.channels:
        # A channel without an address reports its gap under channel_without_address.
        if channel.gap and channel.address:
            yield Finding(FindingCode.GAP, Severity.WARNING, channel.gap, channel=channel.key)


RULES: tuple[Rule, ...] = (
    clause_not_verbatim,
    channel_without_address,
    stl_without_designated_channel,
    deadline_laxer_than_law,
    deadline_rule_laxer_than_law,
    defunct_framework,
    right_without_channel,
    designated_channel_not_offered,
    word_promise_without_target,
    practice_without_opt_out,
    declaration_not_stated,
    gap,
)


def lint_version(version: PolicyVersion, *, year: int | None = None) -> list[Finding]:
    """Every finding for ``version``, errors first.

    ``year``: receipt dates of this year are tried for deadline comparisons (default: this
    year), so a finding's example dates are reproducible with the same year.
    """
    ctx = LintContext(version, year or timezone.localdate().year)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    return sorted(findings, key=lambda f: (Severity(f.severity).rank, f.code, f.right, f.channel))


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.severity == Severity.ERROR for finding in findings)
