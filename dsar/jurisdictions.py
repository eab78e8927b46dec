"""Which statutory deadline rules the law attaches to a request. Pure, like `dsar.deadlines`.

Two facts decide it: where the requester lives (an ISO 3166 code, or a coarse choice of the
public form) and the kind of right used. These are rules of thumb by residence. A controller
established in the EU owes the GDPR to everyone (GDPR Art. 3(1)); that, and any law the
organization adopts, belongs to the policy, which the caller combines with these rules through
`dsar.deadlines.earliest`. A right with no statutory deadline gets no rule: the caller then relies
on the policy's promise or an internal target, never an invented legal deadline.

Sources: [Sn] are the sources listed in legal-rules.md §6.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dsar.deadlines import Rule, calendar_name


class Law(StrEnum):
    """A law that sets response deadlines, with its name and citation."""

    label: str
    citation: str

    def __new__(cls, code: str, label: str, citation: str) -> Law:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label, member.citation = label, citation
        return member

    # fmt: off
    EU_GDPR = "eu_gdpr", "EU GDPR", "Regulation (EU) 2016/679 Art. 12(3)"  # [S1]
    UK_GDPR = "uk_gdpr", "UK GDPR", "UK GDPR Art. 12(3) and 12A; DPA 2018 s.54"  # [S8-S12]
    CCPA = "ccpa", "CCPA", "Cal. Civ. Code §1798.130; Cal. Code Regs. tit. 11 §7021"  # [S13, S14]
    CAL_1798_83 = "cal_1798_83", "California Shine the Light", "Cal. Civ. Code §1798.83"  # [S19]
    CAL_22581 = "cal_22581", "California minor eraser law", "Cal. Bus. & Prof. Code §22581"  # [S20]
    CAN_SPAM = "can_spam", "CAN-SPAM Act", "15 U.S.C. §7704(a)(4)"  # [S21]
    US_STATE_PRIVACY = "us_state_privacy", "US state consumer privacy law", "see US_STATE_LAWS"
    LGPD = "lgpd", "LGPD", "Lei 13.709/2018 Art. 19(II)"  # [S27]
    PIPEDA = "pipeda", "PIPEDA", "PIPEDA s.8(3)"  # [S28]
    # fmt: on


class Right(StrEnum):
    """The kinds of right a request can use, as the policies and the intake form name them."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    OBJECTION = "objection"
    PORTABILITY = "portability"
    WITHDRAW_CONSENT = "withdraw_consent"
    MARKETING_OPT_OUT = "marketing_opt_out"
    SHINE_THE_LIGHT = "shine_the_light"
    MINOR_CONTENT_REMOVAL = "minor_content_removal"
    PUBLIC_CONTENT_REMOVAL = "public_content_removal"
    ACCOUNT_CLOSURE = "account_closure"
    RETENTION_INFO = "retention_info"
    COMPLAINT = "complaint"
    # The US state opt-outs: sale (California: sale or sharing, Cal. Civ. Code §1798.120), targeted
    # advertising (California: "sharing" for cross-context behavioral advertising, §1798.135),
    # profiling in furtherance of decisions with legal effects (e.g. Va. Code §59.1-577(A)(5)),
    # and California's right to limit the use of sensitive personal information (§1798.121).
    OPT_OUT_SALE = "opt_out_sale"
    OPT_OUT_TARGETED_ADS = "opt_out_targeted_ads"
    OPT_OUT_PROFILING = "opt_out_profiling"
    LIMIT_SENSITIVE = "limit_sensitive"
    # An appeal of a refusal, where a state's law gives one (e.g. Va. Code §59.1-577(C)).
    APPEAL = "appeal"

    @classmethod
    def parse(cls, code: str) -> Right:
        """The right for `code`, or a ValueError that lists the known kinds."""
        try:
            return cls(code)
        except ValueError:
            known = ", ".join(cls)
            raise ValueError(f"unknown right {code!r}; known rights: {known}") from None


# GDPR Arts 15-22 and 7(3); a marketing opt-out is an Art. 21(3) objection [S1].
GDPR_RIGHTS = frozenset(
    {
        Right.ACCESS, Right.RECTIFICATION, Right.ERASURE, Right.RESTRICTION, Right.OBJECTION,
        Right.PORTABILITY, Right.WITHDRAW_CONSENT, Right.MARKETING_OPT_OUT,
    }
)  # fmt: skip
# CCPA requests to know, delete and correct (§7021) [S13].
CCPA_RIGHTS = frozenset({Right.ACCESS, Right.ERASURE, Right.RECTIFICATION})
STATE_RIGHTS = CCPA_RIGHTS | {Right.PORTABILITY}
# Opt-outs: no identity verification may be required for them (Cal. Code Regs. tit. 11
# §7060(b), §7027(e); Or. Rev. Stat. §646A.576(5)(e); docs/us-state-laws.md, "Authentication").
OPT_OUTS = frozenset(
    {Right.OPT_OUT_SALE, Right.OPT_OUT_TARGETED_ADS, Right.OPT_OUT_PROFILING, Right.LIMIT_SENSITIVE}
)
# California's: sale or sharing (§1798.120, §1798.135) and the limit of §1798.121; it has no
# opt-out of profiling in the statute (docs/us-state-laws.md).
CCPA_OPT_OUTS = frozenset({Right.OPT_OUT_SALE, Right.OPT_OUT_TARGETED_ADS, Right.LIMIT_SENSITIVE})
_ALL_THREE = frozenset({Right.OPT_OUT_SALE, Right.OPT_OUT_TARGETED_ADS, Right.OPT_OUT_PROFILING})

EU_MEMBERS: Mapping[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy",
    "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta", "NL": "the Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia", "SI": "Slovenia",
    "ES": "Spain", "SE": "Sweden",
}  # fmt: skip
# The GDPR applies in Iceland, Liechtenstein and Norway through the EEA Agreement.
EEA_MEMBERS: Mapping[str, str] = {
    **EU_MEMBERS, "IS": "Iceland", "LI": "Liechtenstein", "NO": "Norway"
}  # fmt: skip


@dataclass(frozen=True)
class Appeal:
    """A state's appeal of a refusal: the controller decides within ``rule``'s days and, when it
    denies the appeal, tells the consumer how to contact the Attorney General (``ag_contact``).

    ``mark`` says how sure the figure is (docs/us-state-laws.md): "V" read in the statute, "S"
    from secondary sources (or the issue's own citation), "safe" where the statute was not
    read: the shortest appeal period of any state (45 days) stands in until it is."""

    rule: Rule
    citation: str
    mark: str
    ag_contact: bool = True


@dataclass(frozen=True)
class StateLaw:
    """A US state's comprehensive privacy law: 45 days to respond, +45 once (`Rule.US_STATE`),
    unless ``response`` says otherwise; its opt-outs, its appeal, and from when it requires a
    universal opt-out mechanism such as Global Privacy Control to be honoured (``uoom_from``)."""

    name: str
    citation: str
    in_force: date
    rights: frozenset[Right] = STATE_RIGHTS
    note: str = ""
    opt_outs: frozenset[Right] = _ALL_THREE
    response: Rule = Rule.US_STATE
    appeal: Appeal | None = None
    uoom_from: date | None = None
    # Rights a later amendment added, from the day it did (Utah's correction, HB 418).
    later_rights: tuple[tuple[Right, date], ...] = ()

    def gives(self, right: Right, on: date | None) -> bool:
        """Whether the law gives ``right`` on ``on`` (None: today's text, every amendment in)."""
        if right in self.rights or right in self.opt_outs:
            return True
        return any(r is right and (on is None or on >= since) for r, since in self.later_rights)


_NO_CORRECTION = STATE_RIGHTS - {Right.RECTIFICATION}


def _appeal(days: int, citation: str, mark: str, *, extension: int = 0) -> Appeal:
    rule = {45: Rule.APPEAL_45, 60: Rule.APPEAL_60}[days] if not extension else Rule.APPEAL_45_60
    return Appeal(rule, citation, mark)


# Where the statute's appeal period was not read (docs/us-state-laws.md marks it UNVERIFIED):
# the shortest period of any state, so that no appeal is answered late.
def _safe_appeal(citation: str) -> Appeal:
    return Appeal(Rule.APPEAL_45, citation, "safe")


# In force by 1 Jan 2026. Each figure is marked and sourced in docs/us-state-laws.md (V: the
# statute read; S: secondary sources; "safe": not read, the earlier date used). Florida's Digital
# Bill of Rights is left out: it covers only businesses with $1bn turnover.
_SALE_AND_ADS = frozenset({Right.OPT_OUT_SALE, Right.OPT_OUT_TARGETED_ADS})
US_STATE_LAWS: Mapping[str, StateLaw] = {
    "VA": StateLaw("Virginia Consumer Data Protection Act", "Va. Code §59.1-577(B)",
                   date(2023, 1, 1),
                   appeal=_appeal(60, "Va. Code §59.1-577(C)", "S")),
    "CO": StateLaw("Colorado Privacy Act", "Colo. Rev. Stat. §6-1-1306", date(2023, 7, 1),
                   appeal=_appeal(45, "Colo. Rev. Stat. §6-1-1306(3)", "S", extension=60),
                   uoom_from=date(2024, 7, 1)),
    "CT": StateLaw("Connecticut Data Privacy Act", "Conn. Gen. Stat. §42-518(c)",
                   date(2023, 7, 1), appeal=_appeal(60, "Conn. Gen. Stat. §42-518", "S"),
                   uoom_from=date(2025, 1, 1)),
    # No appeal in §13-61-203 (V); correction from 1 July 2026 (HB 418, S).
    "UT": StateLaw("Utah Consumer Privacy Act", "Utah Code §13-61-203", date(2023, 12, 31),
                   rights=_NO_CORRECTION, opt_outs=_SALE_AND_ADS,
                   later_rights=((Right.RECTIFICATION, date(2026, 7, 1)),)),
    "TX": StateLaw("Texas Data Privacy and Security Act", "Tex. Bus. & Com. Code §541.052",
                   date(2024, 7, 1), appeal=_safe_appeal("Tex. Bus. & Com. Code §541.053"),
                   uoom_from=date(2025, 1, 1)),
    "OR": StateLaw("Oregon Consumer Privacy Act", "Or. Rev. Stat. §646A.576",
                   date(2024, 7, 1), appeal=_appeal(45, "Or. Rev. Stat. §646A.576(6)(d)", "V"),
                   uoom_from=date(2026, 1, 1)),
    "MT": StateLaw("Montana Consumer Data Privacy Act", "Mont. Code Ann. §30-14-2808",
                   date(2024, 10, 1), appeal=_safe_appeal("Mont. Code Ann. §30-14-2808"),
                   uoom_from=date(2025, 1, 1)),
    "IA": StateLaw("Iowa Consumer Data Protection Act", "Iowa Code §715D.3(2)", date(2025, 1, 1),
                   rights=_NO_CORRECTION, opt_outs=frozenset({Right.OPT_OUT_SALE}),
                   response=Rule.US_STATE_90,
                   appeal=_appeal(60, "Iowa Code §715D.3(3)", "V")),
    "DE": StateLaw("Delaware Personal Data Privacy Act", "Del. Code tit. 6 §12D-104",
                   date(2025, 1, 1), appeal=_appeal(60, "Del. Code tit. 6 §12D-104(d)", "S"),
                   uoom_from=date(2026, 1, 1)),
    "NE": StateLaw("Nebraska Data Privacy Act", "Neb. Rev. Stat. §87-1108", date(2025, 1, 1),
                   appeal=_appeal(60, "Neb. Rev. Stat. §87-1109", "V"),
                   uoom_from=date(2025, 1, 1)),
    "NH": StateLaw("New Hampshire Data Privacy Act", "N.H. Rev. Stat. ch. 507-H",
                   date(2025, 1, 1), appeal=_safe_appeal("N.H. Rev. Stat. §507-H:4"),
                   uoom_from=date(2025, 1, 1)),
    "NJ": StateLaw("New Jersey Data Privacy Act", "N.J. Stat. §56:8-166.7",
                   date(2025, 1, 15), appeal=_appeal(45, "N.J. Stat. §56:8-166.7", "S"),
                   uoom_from=date(2025, 7, 15)),
    "TN": StateLaw("Tennessee Information Protection Act", "Tenn. Code §47-18-3304",
                   date(2025, 7, 1), appeal=_safe_appeal("Tenn. Code §47-18-3304")),
    "MN": StateLaw("Minnesota Consumer Data Privacy Act", "Minn. Stat. §325M.14",
                   date(2025, 7, 31), appeal=_safe_appeal("Minn. Stat. §325M.14 subd. 5"),
                   uoom_from=date(2025, 7, 31)),
    "MD": StateLaw("Maryland Online Data Privacy Act", "Md. Code Com. Law §14-4605",
                   date(2025, 10, 1), appeal=_safe_appeal("Md. Code Com. Law §14-4605"),
                   uoom_from=date(2026, 4, 1)),
    "IN": StateLaw("Indiana Consumer Data Protection Act", "Ind. Code §24-15-3-1",
                   date(2026, 1, 1), appeal=_safe_appeal("Ind. Code §24-15-3-1(d)")),
    "KY": StateLaw("Kentucky Consumer Data Protection Act", "Ky. Rev. Stat. §367.3615",
                   date(2026, 1, 1), appeal=_appeal(60, "Ky. Rev. Stat. §367.3615", "V")),
    "RI": StateLaw("Rhode Island Data Transparency and Privacy Protection Act",
                   "R.I. Gen. Laws §6-48.1-6", date(2026, 1, 1),
                   appeal=_appeal(60, "R.I. Gen. Laws §6-48.1-6", "S")),
}  # fmt: skip
# California requires a universal opt-out mechanism to be honoured as an opt-out of sale and
# sharing (Cal. Code Regs. tit. 11 §7025, first operative as §999.315 on 14 Aug 2020).
CCPA_UOOM_FROM = date(2020, 8, 14)

# ISO 3166-1 alpha-2, the officially assigned codes.
_COUNTRY_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW
"""
# ISO 3166-2:US: the 50 states, the District of Columbia and the outlying areas.
_US_STATE_CODES = """
AK AL AR AS AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MP MS MT NC
ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UM UT VA VI VT WA WI WV WY
"""
_COUNTRIES = frozenset(_COUNTRY_CODES.split())
_US_SUBDIVISIONS = frozenset(_US_STATE_CODES.split())
# The coarse choices of the public form.
_COARSE = {
    "EU": "the EU/EEA",
    "GB": "the United Kingdom",
    "US": "the United States (state not given)",
    "OTHER": "another country",
}


@dataclass(frozen=True)
class Jurisdiction:
    """Where a requester lives: "FR", "GB", "US-CA", "US" (state unknown), "EU" or "OTHER"."""

    code: str
    name: str  # in words, for reasons: "France", "California", "the EU/EEA"

    @classmethod
    def parse(cls, code: str) -> Jurisdiction:
        """Validate and normalise a code ("us-ca" → "US-CA"); ValueError for anything else."""
        norm = code.strip().upper() if isinstance(code, str) else ""
        country, _, state = norm.partition("-")
        if norm in _COARSE:
            return cls(norm, _COARSE[norm])
        if country == "US" and state in _US_SUBDIVISIONS:
            return cls(norm, calendar_name(norm))
        if not state and norm in _COUNTRIES:
            return cls(norm, EEA_MEMBERS.get(norm) or calendar_name(norm))
        raise ValueError(
            f"unknown jurisdiction {code!r}: use an ISO 3166 country code (FR, GB, BR, …), "
            "a US state (US-CA, US-TX, …), US, EU or OTHER"
        )

    @property
    def in_eea(self) -> bool:
        return self.code == "EU" or self.code in EEA_MEMBERS

    @property
    def in_us(self) -> bool:
        return self.code.partition("-")[0] == "US"

    @property
    def us_state(self) -> str | None:
        """The state of a US resident ("CA" for "US-CA"); None when not given or not in the US."""
        country, _, state = self.code.partition("-")
        return state if country == "US" and state else None


@dataclass(frozen=True)
class ResidenceLaw:
    """The comprehensive privacy law of where a requester lives: whom they complain to, which
    letter they are owed (a GDPR Art. 15 access letter or a CCPA one), how the law is named."""

    law: Law
    name: str  # as a requester reads it: "GDPR", "UK GDPR", "Virginia Consumer Data Protection Act"
    state_law: StateLaw | None = None

    @property
    def is_gdpr(self) -> bool:
        """The EU GDPR or the UK GDPR: the same Art. 12-22 duties."""
        return self.law in (Law.EU_GDPR, Law.UK_GDPR)

    @property
    def is_us_state(self) -> bool:
        """California's CCPA or another state's comprehensive law."""
        return self.law in (Law.CCPA, Law.US_STATE_PRIVACY)


def residence_law(jurisdiction: str, *, on: date | None = None) -> ResidenceLaw | None:
    """The comprehensive privacy law that protects residents of ``jurisdiction`` on ``on``, or
    None (a US state without one, "elsewhere", a state not given).

    This is about the person, whatever the right: a Californian's marketing opt-out is still a
    Californian's, who complains to the California Privacy Protection Agency. Whether the law
    binds the organization is the caller's question (``dsar.requests.clock.serves``).
    """
    if not jurisdiction:
        return None
    where = Jurisdiction.parse(jurisdiction)
    if where.in_eea:
        return ResidenceLaw(Law.EU_GDPR, "GDPR")
    if where.code == "GB":
        return ResidenceLaw(Law.UK_GDPR, "UK GDPR")
    if where.us_state == "CA":
        return ResidenceLaw(Law.CCPA, "California Consumer Privacy Act")
    state_law = US_STATE_LAWS.get(where.us_state or "")
    if state_law is not None and (on is None or on >= state_law.in_force):
        return ResidenceLaw(Law.US_STATE_PRIVACY, state_law.name, state_law)
    if where.code == "BR":
        return ResidenceLaw(Law.LGPD, "LGPD")
    if where.code == "CA":
        return ResidenceLaw(Law.PIPEDA, "PIPEDA")
    return None


def requires_verification(*, right: str, jurisdiction: str, on: date | None = None) -> bool:
    """Whether the law of the requester's residence lets the organization act only on a
    verified (California: "verifiable consumer request", Cal. Civ. Code §1798.140(ak); Cal.
    Code Regs. tit. 11 §7060) or authenticated (e.g. Va. Code §59.1-577(A), Tex. Bus. & Com.
    Code §541.051(b)) request. The GDPR only allows asking (Art. 12(6)): False there."""
    kind = Right.parse(right)
    law = residence_law(jurisdiction, on=on)
    if law is None or kind in OPT_OUTS or kind is Right.APPEAL:
        return False
    if law.law is Law.CCPA:
        return kind in CCPA_RIGHTS
    if law.state_law is not None:
        return law.state_law.gives(kind, on)
    return False


def uoom_required(jurisdiction: str, *, on: date) -> bool:
    """Whether the law of ``jurisdiction`` requires honouring a universal opt-out mechanism such
    as Global Privacy Control on ``on`` (Cal. Code Regs. tit. 11 §7025; Colorado from 1 July
    2024, Connecticut and Texas from 1 January 2025, ...: docs/us-state-laws.md §3). A GPC
    signal is honoured everywhere as a request to opt out (legal-rules.md, "Global Privacy
    Control"); this says where the law makes it one."""
    where = Jurisdiction.parse(jurisdiction) if jurisdiction else None
    if where is None or not where.in_us:
        return False
    if where.us_state == "CA":
        return on >= CCPA_UOOM_FROM
    state_law = US_STATE_LAWS.get(where.us_state or "")
    return bool(state_law and state_law.uoom_from and on >= state_law.uoom_from)


def appeal_for(jurisdiction: str, *, on: date | None = None) -> tuple[StateLaw, Appeal] | None:
    """The state law and its appeal, when the law of ``jurisdiction`` gives an appeal of a
    refusal (in force on ``on``); None elsewhere (California's CCPA has none)."""
    where = Jurisdiction.parse(jurisdiction) if jurisdiction else None
    state_law = US_STATE_LAWS.get((where.us_state if where else None) or "")
    if state_law is None or state_law.appeal is None:
        return None
    if on is not None and on < state_law.in_force:
        return None
    return state_law, state_law.appeal


@dataclass(frozen=True)
class LegalBasis:
    """A deadline rule the law attaches to a request, and why, in words for the request's log."""

    law: Law
    rule: Rule
    reason: str
    name: str = ""  # the law as a requester reads it; the state's own law for US_STATE_PRIVACY

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.law.label)


def applicable_rules(
    *, right: str, jurisdiction: str, designated: bool = True, on: date | None = None
) -> list[LegalBasis]:
    """The statutory deadline rules for a right used by a resident of `jurisdiction`.

    `designated` matters only for Shine the Light: False when the request did not come through
    the designated address or manner (or lacked a label the policy demands) [S19].
    `on` is the day the request arrived: a state law not yet in force that day does not apply
    (None: every law in `US_STATE_LAWS`). The clock is never read here.
    An empty list means no statutory deadline (e.g. minor_content_removal, §22581 [S20]).
    """
    kind = Right.parse(right)
    where = Jurisdiction.parse(jurisdiction)
    resident = f"a resident of {where.name}"
    marketing = kind is Right.MARKETING_OPT_OUT
    why = " (an objection to direct marketing, Art. 21(3))" if marketing else ""
    bases = []
    if kind in GDPR_RIGHTS and where.in_eea:
        reason = f"EU GDPR Art. 12(3) applies to {resident}{why}"
        bases.append(LegalBasis(Law.EU_GDPR, Rule.GDPR, reason))
    if kind in GDPR_RIGHTS and where.code == "GB":
        reason = f"UK GDPR Art. 12(3) applies to {resident}{why}"
        bases.append(LegalBasis(Law.UK_GDPR, Rule.GDPR, reason))
    if marketing and where.in_us:
        reason = f"CAN-SPAM (15 U.S.C. §7704(a)(4)) applies to an email opt-out from {resident}"
        bases.append(LegalBasis(Law.CAN_SPAM, Rule.CAN_SPAM, reason))
    if kind in CCPA_RIGHTS and where.us_state == "CA":
        reason = f"CCPA (Cal. Code Regs. tit. 11 §7021(b)) applies to {resident}"
        bases.append(LegalBasis(Law.CCPA, Rule.CCPA, reason))
    if kind in CCPA_OPT_OUTS and where.us_state == "CA":
        rule = Rule.CCPA_LIMIT if kind is Right.LIMIT_SENSITIVE else Rule.CCPA_OPT_OUT
        reason = f"CCPA ({rule.citation}) applies to {resident}: 15 business days"
        bases.append(LegalBasis(Law.CCPA, rule, reason))
    if kind is Right.SHINE_THE_LIGHT and where.us_state == "CA":
        reason = f"Cal. Civ. Code §1798.83 applies to {resident}; " + (
            "received at a designated address or in the designated manner: 30 days"
            if designated
            else "not received at a designated address or in the designated manner: 150 days"
        )
        rule = Rule.SHINE_THE_LIGHT if designated else Rule.SHINE_THE_LIGHT_UNDESIGNATED
        bases.append(LegalBasis(Law.CAL_1798_83, rule, reason))
    state_law = US_STATE_LAWS.get(where.us_state or "")
    in_force = state_law is not None and (on is None or on >= state_law.in_force)
    if state_law and in_force and kind is Right.APPEAL and state_law.appeal is not None:
        appeal = state_law.appeal
        reason = (
            f"the {state_law.name} ({appeal.citation}) gives {resident} an appeal of a refusal, "
            f"decided within {appeal.rule.period} days"
        )
        if appeal.rule.max_extension:
            reason += f" (+{appeal.rule.max_extension})"
        if appeal.mark == "safe":
            reason += "; the statute's own period was not read, so the shortest of any state"
        bases.append(LegalBasis(Law.US_STATE_PRIVACY, appeal.rule, reason, state_law.name))
    elif state_law and in_force and state_law.gives(kind, on):
        rule = state_law.response
        reason = f"the {state_law.name} ({state_law.citation}) applies to {resident}"
        reason += f"; {state_law.note}" if state_law.note else ""
        bases.append(LegalBasis(Law.US_STATE_PRIVACY, rule, reason, state_law.name))
    if kind is Right.ACCESS and where.code == "BR":
        reason = f"LGPD Art. 19(II) applies to {resident}"
        bases.append(LegalBasis(Law.LGPD, Rule.LGPD, reason))
    if kind in {Right.ACCESS, Right.RECTIFICATION} and where.code == "CA":
        reason = f"PIPEDA s.8(3) applies to {resident}"
        bases.append(LegalBasis(Law.PIPEDA, Rule.PIPEDA, reason))
    return bases


def acknowledgement_rule(*, right: str, jurisdiction: str) -> LegalBasis | None:
    """The duty to confirm receipt, separate from the response: CCPA, 10 business days [S13].

    Returns a basis whose rule is `Rule.CCPA_ACK` for a California resident's request to know,
    delete or correct, else None.
    """
    kind = Right.parse(right)
    where = Jurisdiction.parse(jurisdiction)
    if kind not in CCPA_RIGHTS or where.us_state != "CA":
        return None
    reason = (
        f"CCPA (Cal. Code Regs. tit. 11 §7021(a)): confirm receipt of a request from a resident "
        f"of {where.name} within 10 business days"
    )
    return LegalBasis(Law.CCPA, Rule.CCPA_ACK, reason)
