"""What a letter says, read from the request, its policy version and the registers.

``letter_context`` gathers everything a template prints, with a handful of queries; the
templates decide only the words. Labels stay lazy so that they are translated when the letter
is rendered in the requester's language.
"""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.deadlines import Rule
from dsar.intake.theme import theme_for
from dsar.letters.kinds import AskingFor, LetterKind
from dsar.letters.models import Letter, letter_reference
from dsar.letters.render import letter_language
from dsar.letters.wording import wording
from dsar.organizations.models import disclosures_for_year
from dsar.policies.models import ChannelKind, Exemption, IdentityVerification
from dsar.requests import clock
from dsar.requests.models import EventKind, PrivacyRequest, Status, WaitingFor


class LetterNotApplicable(Exception):
    """The letter cannot be issued for this request now (with a message staff can act on)."""


def clock_effect(request: PrivacyRequest, asking_for: str) -> clock.WaitingEffect:
    """What asking for ``asking_for`` does to the request's deadline: ``dsar.requests.clock``
    decides it, for the letters as for the request page and the evidence pack."""
    return clock.decide_for(request).waiting_effect(asking_for)


def _extension_event(request: PrivacyRequest) -> Any:
    return request.events.filter(kind=EventKind.EXTENDED).order_by("-at", "-id").first()


def _original_due(event: Any) -> datetime.date | None:
    """The deadline before the extension, from the EXTENDED event (``due.old``, or ``old``)."""
    data = event.data or {}
    old = (data.get("due") or {}).get("old") if isinstance(data.get("due"), dict) else None
    old = old or data.get("old")
    return datetime.date.fromisoformat(old) if old else None


def default_parts(
    kind: LetterKind, request: PrivacyRequest, given: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """The free-text parts as first shown in the preview, in the letter's language. ``given``
    (what staff chose so far) steers the defaults that depend on a choice."""
    kind = LetterKind(kind)
    language = letter_language(request.language)
    defaults: dict[str, str] = {part.name: "" for part in kind.parts}
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
    elif kind is LetterKind.EXTENSION:
        event = _extension_event(request)
        defaults["reason"] = (event.data.get("reason", "") if event else "") or ""
    elif kind is LetterKind.ACCESS:
        days = getattr(settings, "DSAR_DATA_PACKAGE_LINK_DAYS", 30)
        defaults["enclosure"] = wording(language, "enclosure", days=days)
        defaults["automated_decisions"] = wording(language, "automated_decisions")
    elif kind in (LetterKind.RECTIFICATION, LetterKind.ERASURE, LetterKind.RESTRICTION):
        defaults["actions"] = wording(language, kind.value)
    elif kind is LetterKind.REFUSAL:
        defaults["grounds"] = request.outcome_reason
    elif kind is LetterKind.FEE:
        if request.fee_amount is not None:
            defaults["amount"] = f"{request.fee_amount}"
        defaults["reason"] = wording(language, "fee_reason")
    elif kind is LetterKind.OPT_OUT:
        defaults["actions"] = wording(language, "opt_out")
    if "supervisory_authority" in defaults:
        authorities = getattr(settings, "DSAR_SUPERVISORY_AUTHORITIES", {})
        defaults["supervisory_authority"] = authorities.get(request.organization.slug, "")
    return defaults


def check_applicable(kind: LetterKind, request: PrivacyRequest, *, today: datetime.date) -> None:
    """Refuse a letter the request's state or the law does not allow (LetterNotApplicable)."""
    kind = LetterKind(kind)
    if not kind.fits(request.right_kind):
        raise LetterNotApplicable(
            _("A %(kind)s does not answer a request for %(right)s.")
            % {"kind": kind.label, "right": request.get_right_kind_display()}
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
    org_email, org_phone = _org_contact(request)
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
        "due_date": request.due_date,
        "internal_target": request.internal_target,
        "partial": request.status == Status.PARTIALLY_FULFILLED,
        "exemptions": exemption_groups(request.exemptions.all()),
    }
    if kind is LetterKind.ACKNOWLEDGEMENT:
        context["identity_needed"] = (
            right is not None
            and right.identity_verification
            in (IdentityVerification.REQUIRED, IdentityVerification.MAY_REQUEST)
            and request.identity_status == "pending"
        )
    elif kind is LetterKind.VERIFICATION:
        asking = parts.get("asking_for") or AskingFor.IDENTITY
        context["asking_for"] = AskingFor(asking)
        waiting = clock_effect(request, asking)
        context["waiting"] = waiting
        context["clock_effect"] = waiting.effect.value
        context["rule"] = Rule.parse(request.deadline_rule) if request.deadline_rule else None
    elif kind is LetterKind.EXTENSION:
        event = _extension_event(request)
        context["original_due"] = (_original_due(event) if event else None) or request.due_date
        context["new_due"] = request.due_date
    elif kind is LetterKind.ACCESS:
        context.update(
            purposes=list(version.purposes.all()),
            data_categories=list(version.data_categories.all()),
            recipients=list(version.recipients.all()),
            retention=list(version.retention.all()),
            sources=list(version.sources.all()),
            other_rights=[r for r in version.rights.all() if r.kind != request.right_kind],
        )
    elif kind is LetterKind.SHINE_THE_LIGHT:
        year = request.received_on.year - 1
        context["year"] = year
        context["disclosures"] = list(disclosures_for_year(organization, year))
    elif kind is LetterKind.MINOR_REMOVAL:
        context["right_exemptions"] = list(right.exemptions.all()) if right else []
    elif kind is LetterKind.REFUSAL:
        context["waiting_identity"] = request.waiting_for == WaitingFor.IDENTITY
    return context
