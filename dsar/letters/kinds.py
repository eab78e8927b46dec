"""The kinds of letter, what each one answers and which of its parts staff write.

A letter is mostly generated from the request and the policy it is bound to; the ``Part``s of a
kind are the free-text passages a staff member reviews or writes in the preview before issuing
(the reason for an extension, the grounds of a refusal…). Everything else comes from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from dsar.policies.models import OPT_OUT_KINDS, RightKind

if TYPE_CHECKING:  # what gettext_lazy returns, as the form fields' labels expect it
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Part:
    """A free-text passage of a letter that staff may edit before issuing.

    ``choices`` turns the part into a pick-list (e.g. identity vs clarification); a required
    part must not be blank when the letter is issued. ``when`` names the condition under which
    the part applies to a request (``dsar.letters.law.PART_CONDITIONS``: "gdpr", "ccpa",
    "us_law", "not_us_law", "verified", "appeal_granted", "appeal_denied"); blank: always. A
    Californian's access letter has no GDPR transfers section, so staff are not asked to write
    one; a denied appeal has nothing "we will now do".
    """

    name: str
    label: StrPromise
    required: bool = False
    help_text: StrPromise | str = ""
    rows: int = 4
    choices: tuple[tuple[str, StrPromise], ...] = ()
    when: str = ""


NOTE = Part("note", _("Additional paragraph"), help_text=_("Optional; printed before the closing."))
# The authority comes from the data (``dsar.authorities``, for the requester's residence); this
# part only replaces it, when staff know better (a German Land's authority, say).
AUTHORITY = Part(
    "supervisory_authority",
    _("Authority to complain to (only to replace the one named)"),
    help_text=_(
        "Leave blank: the letter names the authority of the requester's residence (see above). "
        "Write a name and address here only to name another one instead."
    ),
    rows=3,
)

# Rights answered by the kinds that close a request on the merits. The general kinds
# (acknowledgement, verification, extension, refusal, fee) fit every right.
_FITS: dict[str, frozenset[str]] = {
    "access": frozenset({RightKind.ACCESS, RightKind.RETENTION_INFO}),
    "rectification": frozenset({RightKind.RECTIFICATION}),
    "erasure": frozenset(
        {
            RightKind.ERASURE,
            RightKind.ACCOUNT_CLOSURE,
            RightKind.PUBLIC_CONTENT_REMOVAL,
            RightKind.CREDENTIAL_REMOVAL,
        }
    ),
    "restriction": frozenset({RightKind.RESTRICTION, RightKind.OBJECTION}),
    "portability": frozenset({RightKind.PORTABILITY}),
    "shine_the_light": frozenset({RightKind.SHINE_THE_LIGHT}),
    # A marketing opt-out, and the US state opt-outs (sale or sharing, targeted advertising,
    # profiling, California's limit on sensitive information): each confirms what stopped,
    # worded for its kind (``dsar.letters.law.opt_out``).
    "opt_out": frozenset(
        {
            RightKind.MARKETING_OPT_OUT,
            RightKind.WITHDRAW_CONSENT,
            RightKind.OBJECTION,
            *OPT_OUT_KINDS,
        }
    ),
    "minor_removal": frozenset({RightKind.MINOR_CONTENT_REMOVAL}),
    "appeal_decision": frozenset({RightKind.APPEAL}),
}
# General kinds that do not answer some rights: an appeal is refused by the appeal decision,
# which tells the requester how to contact the Attorney General (e.g. Va. Code §59.1-577(C)); a
# refusal letter would not, and would offer an appeal of the appeal.
_NOT_FOR: dict[str, frozenset[str]] = {
    "refusal": frozenset({RightKind.APPEAL}),
}


class LetterKind(models.TextChoices):
    """What a letter says. Each value is a template ``letters/<lang>/<value>.html``."""

    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of receipt")
    VERIFICATION = "verification", _("request for identity verification or clarification")
    EXTENSION = "extension", _("extension notice")
    ACCESS = "access", _("access response")
    RECTIFICATION = "rectification", _("rectification confirmation")
    ERASURE = "erasure", _("erasure confirmation")
    RESTRICTION = "restriction", _("restriction confirmation")
    PORTABILITY = "portability", _("data portability cover letter")
    REFUSAL = "refusal", _("refusal")
    FEE = "fee", _("fee notice")
    SHINE_THE_LIGHT = "shine_the_light", _("Cal. Civ. Code 1798.83 disclosure letter")
    OPT_OUT = "opt_out", _("opt-out confirmation")
    MINOR_REMOVAL = "minor_removal", _("Cal. B&P 22581 removal response")
    APPEAL_DECISION = "appeal_decision", _("decision on an appeal")

    def fits(self, right_kind: str) -> bool:
        """Whether this kind of letter can answer a request for ``right_kind``."""
        if right_kind in _NOT_FOR.get(self.value, ()):
            return False
        rights = _FITS.get(self.value)
        return rights is None or right_kind in rights

    @classmethod
    def for_right(cls, right_kind: str) -> list[LetterKind]:
        return [kind for kind in cls if kind.fits(right_kind)]

    @property
    def template_name(self) -> str:
        return f"{self.value}.html"

    @property
    def parts(self) -> tuple[Part, ...]:
        return PARTS[self]

    @property
    def carries_data(self) -> bool:
        """Whether a data package can go with it (GDPR Art. 15(3), Art. 20)."""
        return self in (LetterKind.ACCESS, LetterKind.PORTABILITY)


class AskingFor(models.TextChoices):
    IDENTITY = "identity", _("identity information")
    CLARIFICATION = "clarification", _("clarification")


class Period(models.TextChoices):
    """What a Californian's access answer covers (Cal. Code Regs. tit. 11 §7024(h))."""

    TWELVE_MONTHS = "twelve_months", _("the 12 months before the request was received")
    SINCE_2022 = "since_2022", _("since 1 January 2022 (the requester asked for more)")


def _listed(name: str, label: StrPromise, help_text: StrPromise, when: str = "") -> Part:
    """A list the policy states (one item per line), filled from it: staff make it this
    requester's and fill in what the policy leaves open."""
    return Part(name, label, help_text=help_text, rows=5, when=when)


PARTS: dict[LetterKind, tuple[Part, ...]] = {
    LetterKind.ACKNOWLEDGEMENT: (
        Part(
            "verification",
            _("How the request will be verified"),
            required=True,
            help_text=_(
                "Cal. Code Regs. tit. 11 §7021(a): describe in general how the identity is "
                "verified."
            ),
            when="verified",
        ),
        NOTE,
    ),
    LetterKind.VERIFICATION: (
        Part("asking_for", _("We ask for"), required=True, choices=tuple(AskingFor.choices)),
        Part(
            "details",
            _("What exactly we need"),
            required=True,
            help_text=_("e.g. a copy of an ID document, or which account or period you mean."),
        ),
        NOTE,
    ),
    LetterKind.EXTENSION: (
        Part(
            "reason",
            _("Reason for the extension"),
            required=True,
            help_text=_("The requester must be told why (GDPR Art. 12(3))."),
        ),
        NOTE,
    ),
    LetterKind.ACCESS: (
        Part(
            "enclosure",
            _("How the copy of the data is provided"),
            required=True,
            help_text=_("The copy of the personal data (GDPR Art. 15(3); the specific pieces)."),
        ),
        Part(
            "period",
            _("Period covered"),
            required=True,
            choices=tuple(Period.choices),
            help_text=_("Cal. Code Regs. tit. 11 §7024(h)."),
            when="ccpa",
        ),
        _listed(
            "categories",
            _("Categories of personal data"),
            _("One per line, from the policy: keep those that apply to this requester."),
        ),
        _listed("purposes", _("Purposes"), _("One per line, from the policy.")),
        _listed(
            "recipients",
            _("Recipients (categories of third parties)"),
            _("One per line, from the policy."),
        ),
        _listed("sources", _("Sources"), _("One per line, from the policy.")),
        _listed(
            "retention",
            _("How long the data is kept"),
            _("One per line, from the policy (GDPR Art. 15(1)(d): the period, or its criteria)."),
            when="not_us_law",
        ),
        Part(
            "transfers",
            _("Transfers to other countries and their safeguards"),
            help_text=_(
                "GDPR Art. 15(2): to which countries outside the EEA/UK the data goes, and the "
                "safeguards (Art. 46). Filled with what the policy says about transfers."
            ),
            when="gdpr",
        ),
        Part(
            "automated_decisions",
            _("Automated decision-making"),
            required=True,
            help_text=_("Art. 15(1)(h). Check this statement before issuing."),
            rows=3,
            when="gdpr",
        ),
        AUTHORITY,
        NOTE,
    ),
    LetterKind.RECTIFICATION: (
        Part("actions", _("What we corrected"), required=True),
        NOTE,
    ),
    LetterKind.ERASURE: (
        Part("actions", _("What we erased"), required=True),
        Part(
            "method",
            _("How we deleted it"),
            required=True,
            help_text=_(
                "Erased, deidentified or aggregated; service providers told (Cal. Code Regs. "
                "tit. 11 §7022(b))."
            ),
            rows=3,
            when="us_law",
        ),
        NOTE,
    ),
    LetterKind.RESTRICTION: (
        Part("actions", _("What we restricted, and from when"), required=True),
        NOTE,
    ),
    LetterKind.PORTABILITY: (
        Part(
            "transmission",
            _("Transmission to another controller"),
            help_text=_("Art. 20(2): name the controller the data was sent to, if any."),
            rows=2,
        ),
        NOTE,
    ),
    LetterKind.REFUSAL: (
        Part(
            "grounds",
            _("Grounds for the refusal"),
            required=True,
            help_text=_("GDPR Art. 12(4): the reasons for not taking action."),
        ),
        AUTHORITY,
        NOTE,
    ),
    LetterKind.FEE: (
        Part(
            "amount",
            _("Amount"),
            required=True,
            rows=1,
            help_text=_(
                "A number, e.g. 25.00: printed with the request's or the organization's "
                "currency (or write the code: 25.00 EUR)."
            ),
        ),
        Part("reason", _("Why a fee is asked"), required=True),
        Part("payment", _("How to pay"), required=True, rows=3),
        NOTE,
    ),
    LetterKind.SHINE_THE_LIGHT: (NOTE,),
    LetterKind.OPT_OUT: (
        Part("actions", _("What we stopped"), required=True),
        NOTE,
    ),
    LetterKind.APPEAL_DECISION: (
        Part(
            "actions",
            _("What we will now do"),
            required=True,
            help_text=_("The appeal is granted (in part): what the organization now does."),
            when="appeal_granted",
        ),
        Part(
            "reasons",
            _("Reasons for the decision"),
            required=True,
            help_text=_(
                "The appeal is denied (in part): the written reasons the state's law requires "
                "(e.g. Va. Code §59.1-577(C))."
            ),
            when="appeal_denied",
        ),
        AUTHORITY,
        NOTE,
    ),
    LetterKind.MINOR_REMOVAL: (
        Part(
            "content",
            _("The content removed"),
            required=True,
            help_text=_("As described by the requester, and what was done."),
        ),
        NOTE,
    ),
}
