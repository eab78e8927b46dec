"""How sure the organization must be of who the requester is before it answers, by law.

The California regulations set degrees of certainty (Cal. Code Regs. tit. 11 §7062): a request to
know categories of personal information, a *reasonable* degree (two data points the requester
gives matched with the organization's records, §7062(b)); a request to know specific pieces, a
*reasonably high* degree (three data points and a declaration signed under penalty of perjury,
§7062(c)); a deletion or a correction, one or the other by the sensitivity of the data and the
harm a wrongful one would do (§7062(d)): the organization's ``deletion_data_points``. An opt-out
needs no verification at all (§7060(b)). The other states ask for an "authenticated consumer
request" without a number: dsar asks for two matched data points, the reasonable degree, which a
privacy officer can exceed (docs/legal-decisions.md, "Verification levels").

An authorized agent's request (§7063): the agent's authority is checked, and either the consumer's
own identity is verified or the consumer confirms the agent's authority with the organization; a
power of attorney under the Probate Code stands for both (§7063(b)).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from dsar import jurisdictions
from dsar.jurisdictions import Law
from dsar.policies.models import RightKind
from dsar.requests import clock
from dsar.requests.models import (
    AccessScope,
    AgentAuthority,
    IdentityStatus,
    PrivacyRequest,
)


@dataclass(frozen=True)
class Level:
    """A degree of certainty: how many data points must be matched, and whether a signed
    declaration is needed; with the rule it comes from."""

    data_points: int
    declaration: bool
    citation: str

    def missing(self, request: PrivacyRequest) -> list[str]:
        """What ``request`` still lacks to reach this level, in words; [] when reached."""
        found = len(request.data_points_matched)
        gaps = []
        if found < self.data_points:
            gaps.append(
                _("%(n)s matched data points (%(found)s so far)")
                % {"n": self.data_points, "found": found}
            )
        if self.declaration and request.declaration_signed_on is None:
            gaps.append(_("a declaration signed under penalty of perjury"))
        return gaps


def required_level(request: PrivacyRequest) -> Level | None:
    """The degree of certainty the law of the requester's residence asks for this request, or
    None (no number set: the GDPR's Art. 12(6) lets the organization ask when in doubt)."""
    kind = request.right_kind
    if kind not in set(jurisdictions.Right) or RightKind(kind).is_opt_out:
        return None
    residence = clock.residence_law(request)
    if residence is None or not jurisdictions.requires_verification(
        right=kind, jurisdiction=request.jurisdiction, on=request.received_on
    ):
        return None
    if residence.law is Law.CCPA:
        if kind == RightKind.ACCESS:
            if request.access_scope == AccessScope.CATEGORIES:
                return Level(2, False, "Cal. Code Regs. tit. 11 §7062(b)")
            # Specific pieces unless the request says categories: the higher bar protects them.
            return Level(3, True, "Cal. Code Regs. tit. 11 §7062(c)")
        points = max(2, request.organization.deletion_data_points)
        return Level(points, False, "Cal. Code Regs. tit. 11 §7062(d)")
    citation = residence.state_law.citation if residence.state_law else residence.name
    return Level(2, False, citation)


def agent_gaps(request: PrivacyRequest) -> list[str]:
    """What a Californian's authorized agent's request still lacks before it may be answered
    (§7063), in words; [] when nothing (or when it is not such a request)."""
    if not request.is_agent:
        return []
    residence = clock.residence_law(request)
    if residence is None or residence.law is not Law.CCPA:
        return []  # §7063 is California's; other laws set no steps dsar could apply
    if request.agent_authority == AgentAuthority.POWER_OF_ATTORNEY:
        return []
    gaps = []
    if request.agent_authority != AgentAuthority.PERMISSION:
        gaps.append(_("the agent's signed permission, checked"))
    verified = request.identity_status in (IdentityStatus.VERIFIED, IdentityStatus.NOT_REQUIRED)
    if not verified and request.consumer_confirmed_agent_on is None:
        gaps.append(_("the consumer's own identity verified, or their confirmation of the agent"))
    return gaps


def answer_blockers(request: PrivacyRequest) -> list[str]:
    """Why ``request`` may not be fulfilled yet: the verification level not reached, or an
    agent's authority not shown. [] when it may."""
    if RightKind(request.right_kind).is_opt_out:
        return []
    blockers = []
    level = required_level(request)
    unchecked = request.identity_status != IdentityStatus.NOT_REQUIRED
    if level is not None and unchecked and (missing := level.missing(request)):
        blockers.append(
            _("the identity is verified to %(citation)s: it needs %(missing)s")
            % {"citation": level.citation, "missing": _(" and ").join(missing)}
        )
    blockers += agent_gaps(request)
    return blockers
