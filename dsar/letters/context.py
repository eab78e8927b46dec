"""What a letter says, read from the request, its policy version and the registers.

``letter_context`` gathers everything a template prints, with a handful of queries; the
templates decide only the words. Labels stay lazy so that they are translated when the letter
is rendered in the requester's language. Every legal fact (the date, what it rests on, what
waiting does to it, whom to complain to) comes from ``dsar.requests.clock`` through
``dsar.letters.law``: a letter never re-derives a rule, so it says what the request page and
the evidence pack say.
"""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.letters import law, money
from dsar.letters.kinds import AskingFor, LetterKind, Part, Period
from dsar.letters.models import Letter, letter_reference
from dsar.letters.render import letter_language
from dsar.letters.wording import wording
from dsar.lib.theme import theme_for
from dsar.organizations.models import DisclosureRegisterConfirmation, disclosures_for_year
from dsar.policies.models import (
    ChannelKind,
    Exemption,
    IdentityVerification,
    PolicyVersion,
    RightKind,
)
from dsar.requests import clock
from dsar.requests.models import EventKind, PrivacyRequest, Status, WaitingFor


class LetterNotApplicable(Exception):
    """The letter cannot be issued for this request now (with a message staff can act on)."""


# Letters that ask the requester to reply: they cannot go out without a way to reply.
ASKS_FOR_REPLY = (LetterKind.VERIFICATION, LetterKind.FEE)

# Letters that can answer a refusal in whole or in part: where the requester's state gives an
# appeal (``law.appeal_right``), they explain it.
APPEAL_KINDS = (
    LetterKind.REFUSAL,
    LetterKind.ACCESS,
    LetterKind.ERASURE,
    LetterKind.RECTIFICATION,
    LetterKind.RESTRICTION,
    LetterKind.PORTABILITY,
)

# Answers to a Californian's request to know, delete or correct: they say how the identity was
# verified (Cal. Code Regs. tit. 11 §7062, §7063; ``law.verified``).
VERIFIED_KINDS = (LetterKind.ACCESS, LetterKind.ERASURE, LetterKind.RECTIFICATION)

# Rights that California statutes give California residents only (Cal. Civ. Code §1798.83,
# Cal. Bus. & Prof. Code §22581): a letter to anyone else does not offer them.
CALIFORNIA_ONLY = frozenset({RightKind.SHINE_THE_LIGHT, RightKind.MINOR_CONTENT_REMOVAL})

# The lists of an access answer, read from the policy (GDPR Art. 15(1); Cal. Civ. Code
# §1798.110(a); Cal. Code Regs. tit. 11 §7024), each a part staff make the requester's own.
LISTED = ("categories", "purposes", "recipients", "sources", "retention")


def _extension_event(request: PrivacyRequest) -> Any:
    return request.events.filter(kind=EventKind.EXTENDED).order_by("-at", "-id").first()


def _original_due(event: Any) -> datetime.date | None:
    """The deadline before the extension, from the EXTENDED event (``due.old``, or ``old``)."""
    data = event.data or {}
    old = (data.get("due") or {}).get("old") if isinstance(data.get("due"), dict) else None
    old = old or data.get("old")
    return datetime.date.fromisoformat(old) if old else None


def letter_parts(kind: LetterKind | str, request: PrivacyRequest) -> tuple[Part, ...]:
    """The parts of ``kind`` that apply to ``request`` (``Part.when``, ``law.parts_for``)."""
    return law.parts_for(LetterKind(kind).parts, request)


def _policy_lists(version: PolicyVersion) -> dict[str, list[str]]:
    """What the policy states for each list of an access answer, one item per entry."""
    return {
        "categories": [c.name for c in version.data_categories.all()],
        "purposes": [p.name for p in version.purposes.all()],
        "recipients": [r.name for r in version.recipients.all()],
        "sources": [s.name for s in version.sources.all()],
        "retention": [r.statement for r in version.retention.all()],
    }


#: Functions that give an access answer's lists from what the organization records beyond its
#: policy (the fulfilment app's register of systems and recipients): ``source(request)`` returns
#: {part name: items}; a list it gives replaces the policy's in the preview's defaults. Registered
#: in the providing app's ``ready()``, so this module imports nothing above it.
_REGISTER_SOURCES: list[Callable[[PrivacyRequest], dict[str, list[str]]]] = []


def register_source(source: Callable[[PrivacyRequest], dict[str, list[str]]]) -> None:
    """Let ``source`` give the lists of access answers (see ``_REGISTER_SOURCES``)."""
    if source not in _REGISTER_SOURCES:
        _REGISTER_SOURCES.append(source)


def register_lists(request: PrivacyRequest) -> dict[str, list[str]]:
    """What the registered sources say for each list of ``request``'s access answer."""
    found: dict[str, list[str]] = {}
    for source in _REGISTER_SOURCES:
        for name, items in source(request).items():
            if items:
                found[name] = items
    return found


def transfer_clauses(version: PolicyVersion) -> list[str]:
    """What the policy says about transfers of personal data (to other countries): the clauses
    of its recipients that speak of a transfer. The policy model has no field for transfers to
    third countries or their safeguards (GDPR Art. 15(2)), so this is what the letter can quote
    and staff complete (an open item of the preview)."""
    found = []
    for recipient in version.recipients.all():
        text = f"{recipient.name} {recipient.clause}".lower()
        if "transfer" in text and recipient.clause:
            found.append(recipient.clause)
    return found


def default_parts(
    kind: LetterKind, request: PrivacyRequest, given: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """The free-text parts as first shown in the preview, in the letter's language. ``given``
    (what staff chose so far) steers the defaults that depend on a choice."""
    kind = LetterKind(kind)
    language = letter_language(request.language)
    defaults: dict[str, str] = {part.name: "" for part in letter_parts(kind, request)}
    if kind is LetterKind.VERIFICATION:
        asking = (given or {}).get("asking_for") or (
            request.waiting_for
            if request.waiting_for in AskingFor.values
            else AskingFor.IDENTITY
            if request.identity_status == "pending"
            else AskingFor.CLARIFICATION
        )
        defaults["asking_for"] = asking
        if asking == AskingFor.IDENTITY:
            defaults["details"] = wording(language, "identity_details")
    elif kind is LetterKind.ACKNOWLEDGEMENT:
        if "verification" in defaults:
            defaults["verification"] = wording(language, "verification")
    elif kind is LetterKind.EXTENSION:
        event = _extension_event(request)
        defaults["reason"] = (event.data.get("reason", "") if event else "") or ""
    elif kind is LetterKind.ACCESS:
        days = settings.DSAR_DATA_PACKAGE_LINK_DAYS
        defaults["enclosure"] = wording(language, "enclosure", days=days)
        lists = _policy_lists(request.policy_version)
        for name in LISTED:
            if name in defaults:
                defaults[name] = "\n".join(lists[name])
        if "period" in defaults:
            defaults["period"] = Period.TWELVE_MONTHS
        if "transfers" in defaults:
            defaults["transfers"] = "\n".join(
                wording(language, "policy_says", clause=clause)
                for clause in transfer_clauses(request.policy_version)
            )
        # The register says what the organization holds and whom it tells, today; where it
        # has an answer, it replaces the policy's general one.
        for name, items in register_lists(request).items():
            if name in defaults:
                defaults[name] = "\n".join(items)
        if "automated_decisions" in defaults:
            defaults["automated_decisions"] = wording(language, "automated_decisions")
    elif kind in (LetterKind.RECTIFICATION, LetterKind.ERASURE, LetterKind.RESTRICTION):
        defaults["actions"] = wording(language, kind.value)
        if "method" in defaults:
            defaults["method"] = wording(language, "deletion_method")
    elif kind is LetterKind.REFUSAL:
        defaults["grounds"] = request.outcome_reason
    elif kind is LetterKind.FEE:
        if request.fee_amount is not None:
            defaults["amount"] = f"{request.fee_amount}"
        defaults["reason"] = wording(language, "fee_reason")
    elif kind is LetterKind.OPT_OUT:
        defaults["actions"] = wording(language, _OPT_OUT_WORDING[_opt_out_key(request)])
    elif kind is LetterKind.APPEAL_DECISION:
        if "actions" in defaults:
            appealed = request.appeal_of
            reference = appealed.reference if appealed is not None else ""
            defaults["actions"] = wording(language, "appeal_granted", reference=reference)
        if "reasons" in defaults:
            defaults["reasons"] = request.outcome_reason
    # The authority to complain to comes from the data (``law.complaint_route``); the part
    # only replaces it, so it starts blank.
    return defaults


# The default "what we stopped" of an opt-out confirmation, by what the opt-out is about
# (``law.opt_out``): California's opt-out of sale is of "sale or sharing".
_OPT_OUT_WORDING = {
    "marketing": "opt_out",
    "sale_ca": "opt_out_sale_ca",
    "sale": "opt_out_sale",
    "targeted_ads": "opt_out_targeted_ads",
    "profiling": "opt_out_profiling",
    "limit": "limit_sensitive",
}


def _opt_out_key(request: PrivacyRequest) -> str:
    found = law.opt_out(request, "en")
    if found.subject == "sale" and found.california:
        return "sale_ca"
    return found.subject


def register_year(request: PrivacyRequest) -> int:
    """The calendar year a 1798.83 request covers: the one before it was received (§1798.83(a)
    "the immediately preceding calendar year")."""
    return request.received_on.year - 1


def register_confirmation(request: PrivacyRequest) -> DisclosureRegisterConfirmation | None:
    """A privacy officer's confirmation that the register of the covered year is complete."""
    return DisclosureRegisterConfirmation.objects.filter(
        organization=request.organization, year=register_year(request)
    ).first()


def check_applicable(kind: LetterKind, request: PrivacyRequest, *, today: datetime.date) -> None:
    """Refuse a letter the request's state or the law does not allow (LetterNotApplicable)."""
    kind = LetterKind(kind)
    if not kind.fits(request.right_kind):
        raise LetterNotApplicable(
            _("A %(kind)s does not answer a request for %(right)s.")
            % {"kind": kind.label, "right": request.get_right_kind_display()}
        )
    if kind in ASKS_FOR_REPLY and not law.has_contact(request, _org_contact(request)[0]):
        raise LetterNotApplicable(
            _(
                "%(org)s has no postal address and no email address on record: this letter "
                "asks the requester to reply, and would give them nowhere to reply to. Add the "
                "organization's contact details first."
            )
            % {"org": request.organization.name}
        )
    if kind is LetterKind.SHINE_THE_LIGHT and register_confirmation(request) is None:
        raise LetterNotApplicable(
            _(
                "Confirm that the 1798.83 register of %(year)s is complete before issuing: an "
                "empty or short register may only mean that nobody kept it, and the letter "
                "states what was disclosed in %(year)s."
            )
            % {"year": register_year(request)}
        )
    if kind is LetterKind.APPEAL_DECISION:
        if request.appeal_of_id is None:
            raise LetterNotApplicable(
                _(
                    "This appeal is not linked to the request it appeals: the decision must say "
                    "which decision was reviewed."
                )
            )
        if not law.appeal_outcome(request):
            raise LetterNotApplicable(
                _(
                    "Decide the appeal first: fulfil it (in whole or in part) to grant it, or "
                    "deny it with the reasons the requester is told."
                )
            )
    if kind is LetterKind.EXTENSION:
        event = _extension_event(request)
        if not request.extended or event is None:
            raise LetterNotApplicable(
                _("Extend the deadline first: the notice states the new deadline and its reason.")
            )
        original = _original_due(event)
        if original is not None and today > original:
            raise LetterNotApplicable(
                _(
                    "The original deadline of %(due)s has passed: an extension notice must be "
                    "sent before it (GDPR Art. 12(3); Cal. Civ. Code 1798.130(a)(2))."
                )
                % {"due": original.isoformat()}
            )


def fee_money(request: PrivacyRequest, amount: str) -> money.Money | None:
    """The fee of a fee letter: the amount staff wrote, in the request's fee currency or the
    organization's (``Organization.currency``) unless they wrote another."""
    default = request.fee_currency or request.organization.currency
    return money.parse(amount, default)


def check_parts(kind: LetterKind, request: PrivacyRequest, parts: Mapping[str, str]) -> None:
    """Refuse parts the letter cannot print as meant (a fee that is not an amount)."""
    amount = parts.get("amount", "").strip()
    if LetterKind(kind) is LetterKind.FEE and amount and fee_money(request, amount) is None:
        raise LetterNotApplicable(
            _("Write the fee as an amount, e.g. 25.00 (or 25.00 EUR for another currency).")
        )


def open_items(kind: LetterKind, request: PrivacyRequest, parts: Mapping[str, str]) -> list[str]:
    """What the letter would leave unsaid that the law asks for, for staff to fill in before
    issuing (the preview lists them): a list the policy does not state, transfers the policy
    file does not record, how a Californian's identity was verified, a refusal not yet recorded
    whose appeal the letter offers. Staff language."""
    kind = LetterKind(kind)
    items = _law_items(kind, request)
    if kind is not LetterKind.ACCESS:
        return items
    applicable = {part.name: part for part in letter_parts(kind, request)}
    lists = _policy_lists(request.policy_version)
    missing = {
        "categories": _("the policy does not list the categories of personal data"),
        "purposes": _("the policy does not state the purposes of processing"),
        "recipients": _("the policy names no recipients"),
        "sources": _("the policy does not say where personal data comes from"),
        "retention": _("the policy does not state retention periods"),
    }
    for name, text in missing.items():
        part = applicable.get(name)
        if part is None or (parts.get(name) or "").strip():
            continue
        if lists[name]:
            items.append(_("“%(part)s” is empty.") % {"part": part.label})
        else:
            items.append(
                _("%(what)s: fill it in under “%(part)s”.") % {"what": text, "part": part.label}
            )
    if "transfers" in applicable:
        label = applicable["transfers"].label
        written = (parts.get("transfers") or "").strip()
        default = default_parts(kind, request).get("transfers", "").strip()
        if not written:
            items.append(
                _(
                    "the policy file does not record transfers to countries outside the EEA/UK "
                    "or their safeguards (GDPR Art. 15(2)): say under “%(part)s” whether "
                    "the data leaves the EEA/UK, and with which safeguards."
                )
                % {"part": label}
            )
        elif written == default:
            items.append(
                _(
                    "the policy file does not record the safeguards of transfers to countries "
                    "outside the EEA/UK (GDPR Art. 15(2)): “%(part)s” quotes what the policy "
                    "says; add the safeguards."
                )
                % {"part": label}
            )
    if law.regime(request).is_us:
        items.append(
            _(
                "The answer must be about this requester (Cal. Code Regs. tit. 11 §7024; the "
                "state laws likewise): keep in each list only what applies to them."
            )
        )
    return items


def _law_items(kind: LetterKind, request: PrivacyRequest) -> list[str]:
    """What the law asks the letter to state that the request's record does not hold yet: how
    a Californian's identity was verified; the refusal the letter announces, so that the appeal
    it offers can be made from the status page. Staff language."""
    items = []
    if kind in VERIFIED_KINDS:
        found = law.verified(request)
        if found is not None and not found.recorded:
            items.append(
                _(
                    "nothing is recorded about how the identity was verified (Cal. Code Regs. "
                    "tit. 11 §7062): record the data points matched, the signed declaration or "
                    "the verification before issuing, so that the letter can say what was "
                    "checked."
                )
            )
        elif found is not None and found.declaration_required and not found.declaration_on:
            items.append(
                _(
                    "the declaration signed under penalty of perjury that this request needs "
                    "(Cal. Code Regs. tit. 11 §7062(c)) is not recorded: the letter says so."
                )
            )
    appeal_pending = kind is LetterKind.REFUSAL and request.is_open
    if appeal_pending and law.appeal_right(request, "en", refusal=True) is not None:
        items.append(
            _(
                "the request is still open: record the refusal (deny it, or close it as partly "
                "fulfilled) when this letter goes out, so that the requester can appeal as the "
                "letter says."
            )
        )
    return items


@dataclass(frozen=True)
class ExemptionGroup:
    """Exemptions the policy states in one clause (IMG: email records and website backups)."""

    names: tuple[str, ...]
    clause: str


def exemption_groups(exemptions: Iterable[Exemption]) -> list[ExemptionGroup]:
    """The exemptions relied on, those sharing a clause together, so it is quoted once."""
    groups: dict[str, list[str]] = {}
    for exemption in exemptions:
        key = exemption.clause or f"\0{exemption.name}"
        groups.setdefault(key, []).append(exemption.name)
    return [
        ExemptionGroup(tuple(names), "" if key.startswith("\0") else key)
        for key, names in groups.items()
    ]


def _org_contact(request: PrivacyRequest) -> tuple[str, str]:
    """The email address and phone number letters give: the policy's contacts first, then its
    email channel."""
    contacts = list(request.organization.contacts.all())
    email = next((c.email for c in contacts if c.email), "")
    phone = next((c.phone for c in contacts if c.phone), "")
    if not email:
        email = next(
            (
                channel.address
                for channel in request.policy_version.channels.filter(kind=ChannelKind.EMAIL)
                if channel.address
            ),
            "",
        )
    return email, phone


def missing_contact(request: PrivacyRequest) -> bool:
    """Whether the letterhead would give neither a postal address nor an email address."""
    return not law.has_contact(request, _org_contact(request)[0])


def logo_inline(request: PrivacyRequest) -> dict[str, tuple[bytes, str]]:
    """The organization's logo as an in-memory resource (``dsar-inline:logo``), if it has one."""
    logo = request.organization.logo
    if not logo:
        return {}
    try:
        with logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        return {}
    mimetype = mimetypes.guess_type(logo.name)[0] or "image/png"
    return {"logo": (content, mimetype)}


def issued_on(request: PrivacyRequest, now: datetime.datetime | None = None) -> datetime.date:
    """Today in the organization's time zone: the date printed on the letter."""
    return timezone.localtime(
        now or timezone.now(), ZoneInfo(request.organization.time_zone)
    ).date()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _year_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def addressee(request: PrivacyRequest) -> tuple[str, str]:
    """Whom the letter is addressed to, and on whose behalf: an authorized agent acts for the
    data subject and receives the letters (its address is the request's), the data subject is
    named as the person it acts for."""
    if request.is_agent and request.agent_name.strip():
        return request.agent_name, request.requester_name
    return request.requester_name, ""


def letter_context(
    request: PrivacyRequest,
    kind: LetterKind | str,
    parts: dict[str, str],
    *,
    number: int,
    date: datetime.date,
    corrects: Letter | None = None,
    has_logo: bool = False,
) -> dict[str, Any]:
    """Everything the template of ``kind`` prints for ``request``."""
    kind = LetterKind(kind)
    organization = request.organization
    version = request.policy_version
    right = request.right
    language = letter_language(request.language)
    org_email, org_phone = _org_contact(request)
    decision = clock.decide_for(request)
    regime = law.regime(request)
    to, on_behalf_of = addressee(request)
    context: dict[str, Any] = {
        "kind": kind,
        "request": request,
        "org": organization,
        "accent": theme_for(organization.primary_colour).accent,
        "org_name": organization.legal_name or organization.name,
        "org_addresses": list(organization.addresses.all()),
        "org_email": org_email,
        "org_phone": org_phone,
        "org_website": (organization.websites or [""])[0],
        "has_logo": has_logo,
        "policy": version,
        "right": right,
        "letter_reference": letter_reference(request.reference, number),
        "date": date,
        "parts": parts,
        "corrects": corrects,
        "corrects_reference": corrects.reference if corrects else "",
        "corrects_date": issued_on(request, corrects.issued_at) if corrects else None,
        "addressee": to,
        "on_behalf_of": on_behalf_of,
        "regime": regime.value,
        "complaint": law.complaint_route(request, language),
        "due_date": decision.deadline.due if decision.deadline else None,
        "internal_target": request.internal_target,
        "basis": decision.basis_kind.value,
        "binding_law": (
            law.law_title(decision.binding_law.law, decision.binding_law.law_name, language)
            if decision.binding_law is not None and decision.binding_law.law is not None
            else ""
        ),
        "partial": request.status == Status.PARTIALLY_FULFILLED,
        "exemptions": exemption_groups(request.exemptions.all()),
    }
    waiting = None
    if kind is LetterKind.ACKNOWLEDGEMENT:
        context["answer"] = law.answer_by(request, decision, language)
        context["verification_needed"] = "verification" in parts
        context["identity_needed"] = (
            right is not None
            and right.identity_verification
            in (IdentityVerification.REQUIRED, IdentityVerification.MAY_REQUEST)
            and request.identity_status == "pending"
        )
    elif kind is LetterKind.VERIFICATION:
        asking = parts.get("asking_for") or AskingFor.IDENTITY
        context["asking_for"] = AskingFor(asking)
        waiting = law.waiting(request, decision, asking, language)
    elif kind is LetterKind.FEE:
        waiting = law.waiting(request, decision, clock.FEE, language)
        fee = fee_money(request, parts.get("amount", ""))
        context["fee"] = fee.printed(language) if fee else parts.get("amount", "")
    elif kind is LetterKind.EXTENSION:
        event = _extension_event(request)
        context["original_due"] = (_original_due(event) if event else None) or request.due_date
        context["new_due"] = request.due_date
    elif kind is LetterKind.ACCESS:
        policy_lists = _policy_lists(version)
        context.update(
            lists={name: _lines(parts.get(name, "")) for name in LISTED},
            policy_has={name: bool(items) for name, items in policy_lists.items()},
            transfers=_lines(parts.get("transfers", "")),
            other_rights=[
                r
                for r in version.rights.all()
                if r.kind != request.right_kind
                and (regime is law.Regime.CCPA or r.kind not in CALIFORNIA_ONLY)
            ],
            period_start=(
                datetime.date(2022, 1, 1)
                if parts.get("period") == Period.SINCE_2022
                else _year_before(request.received_on)
            ),
        )
    elif kind is LetterKind.OPT_OUT:
        # A marketing objection is acted on without extension (clock.extension_allowed): the
        # date it takes effect by is the first period's, whatever was recorded.
        effect_by = law.unextended_due(request) or context["due_date"]
        context["effect_by"] = effect_by
        context["in_effect"] = effect_by is not None and date >= effect_by
        context["opt_out"] = law.opt_out(request, language)
    elif kind is LetterKind.SHINE_THE_LIGHT:
        year = register_year(request)
        context["year"] = year
        context["disclosures"] = list(disclosures_for_year(organization, year))
        context["confirmation"] = register_confirmation(request)
    elif kind is LetterKind.MINOR_REMOVAL:
        context["right_exemptions"] = list(right.exemptions.all()) if right else []
    elif kind is LetterKind.REFUSAL:
        context["waiting_identity"] = request.waiting_for == WaitingFor.IDENTITY
    elif kind is LetterKind.APPEAL_DECISION:
        context["appeal_decision"] = law.appeal_decision(request, language)
    if kind in APPEAL_KINDS:
        # A refusal (or a partial answer) whose requester's state gives an appeal explains it.
        context["appeal"] = law.appeal_right(request, language, refusal=kind is LetterKind.REFUSAL)
    if kind in VERIFIED_KINDS:
        context["verified"] = law.verified(request)
    context["waiting"] = waiting
    context["heading"] = law.heading(
        request,
        decision,
        kind=kind.value,
        effect=waiting,
        new_due=context.get("new_due"),
        due=context.get("effect_by"),
    )
    return context
