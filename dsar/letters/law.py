"""Which law a letter speaks of, and in which words: read from the one decision, never re-derived.

Every legal fact a letter states comes from ``dsar.requests.clock`` (the binding date, what it
rests on, what waiting for the requester does to each clock), ``clock.residence_law`` (the
privacy law of where the requester lives, when it reaches the organization) and
``dsar.authorities`` (who the requester can complain to). This module only turns those answers
into what a template needs: the letter's *regime* (which version of an access or erasure letter
to write), the names of laws and authorities in the letter's language, and the items a policy
leaves open that staff must fill in before issuing. Templates then only choose words.

Why a regime of its own: the access letter a Californian is owed (Cal. Code Regs. tit. 11
§7024) is not the GDPR's Art. 15 letter, and a requester from elsewhere must get a letter that
cites no statute at all (docs/legal-decisions.md, "What dsar never says").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from dsar import authorities, jurisdictions
from dsar.jurisdictions import Law
from dsar.requests import clock

if TYPE_CHECKING:
    from dsar.letters.kinds import Part
    from dsar.requests.models import PrivacyRequest


class Regime(StrEnum):
    """Which version of a letter the requester is owed, by the law of their residence."""

    EU_GDPR = "eu_gdpr"
    UK_GDPR = "uk_gdpr"
    CCPA = "ccpa"
    US_STATE = "us_state"  # another state's comprehensive privacy law (Virginia, Texas, ...)
    NEUTRAL = "neutral"  # elsewhere, out of scope, not known, or a law without a letter of its own

    @property
    def is_gdpr(self) -> bool:
        return self in (Regime.EU_GDPR, Regime.UK_GDPR)

    @property
    def is_us(self) -> bool:
        return self in (Regime.CCPA, Regime.US_STATE)


_REGIME_OF_LAW = {
    Law.EU_GDPR: Regime.EU_GDPR,
    Law.UK_GDPR: Regime.UK_GDPR,
    Law.CCPA: Regime.CCPA,
    Law.US_STATE_PRIVACY: Regime.US_STATE,
}


def regime(request: PrivacyRequest) -> Regime:
    """The regime of ``request``: the residence's law when it reaches the organization
    (``clock.residence_law``), else NEUTRAL. The LGPD and PIPEDA have no letter of their own
    yet: their residents get the neutral letter, and their authority in the complaint paragraph.
    """
    residence = clock.residence_law(request)
    if residence is None:
        return Regime.NEUTRAL
    return _REGIME_OF_LAW.get(residence.law, Regime.NEUTRAL)


# -- Names of laws, in the letter's language -------------------------------------------------------

# With their article, as they follow "Under" / "Según": a requester reads the law's name, never a
# code. A US state's own law is named by its title (the state law's ``name``).
_LAW_TITLES: dict[str, dict[Law, str]] = {
    "en": {
        Law.EU_GDPR: "the GDPR",
        Law.UK_GDPR: "the UK GDPR",
        Law.CCPA: "the California Consumer Privacy Act",
        Law.CAL_1798_83: "California Civil Code section 1798.83",
        Law.CAL_22581: "California Business and Professions Code section 22581",
        Law.CAN_SPAM: "the CAN-SPAM Act",
        Law.LGPD: "Brazil's General Personal Data Protection Law (LGPD)",
        Law.PIPEDA: "Canada's Personal Information Protection and Electronic Documents Act",
    },
    "es": {
        Law.EU_GDPR: "el RGPD",
        Law.UK_GDPR: "el RGPD del Reino Unido (UK GDPR)",
        Law.CCPA: "la Ley de Privacidad del Consumidor de California (CCPA)",
        Law.CAL_1798_83: "el artículo 1798.83 del Código Civil de California",
        Law.CAL_22581: "el artículo 22581 del Código de Comercio y Profesiones de California",
        Law.CAN_SPAM: "la Ley CAN-SPAM",
        Law.LGPD: "la Ley General de Protección de Datos Personales de Brasil (LGPD)",
        Law.PIPEDA: "la ley canadiense de protección de datos personales (PIPEDA)",
    },
}


def law_title(law: Law, name: str, language: str) -> str:
    """A law as a sentence names it: "the GDPR", "the Virginia Consumer Data Protection Act",
    "el RGPD del Reino Unido (UK GDPR)". ``name`` is the state law's title for a state law."""
    if law is Law.US_STATE_PRIVACY:
        return f"the {name}" if language == "en" else f"la ley «{name}»"
    return _LAW_TITLES[language].get(law, name)


def _and(items: Sequence[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {'and' if language == 'en' else 'y'} {items[-1]}"


def _titles(candidates: Iterable[clock.Candidate], language: str) -> str:
    """The laws among ``candidates`` (promises left out), named and joined, each once."""
    names: list[str] = []
    for candidate in candidates:
        if candidate.law is not None:
            title = law_title(candidate.law, candidate.law_name, language)
            if title not in names:
                names.append(title)
    return _and(names, language)


# -- The binding date, as the acknowledgement says it ----------------------------------------------


@dataclass(frozen=True)
class AnswerBy:
    """When we must (a law), promise to (the policy) or will (the organization) answer."""

    basis: clock.Basis
    due: datetime.date | None
    law: str = ""  # the binding law's title (basis LAW)
    promise: str = ""  # the policy's words (basis PROMISE): "one month"
    outer_limit: datetime.date | None = None  # a law's later date when a promise binds earlier
    outer_law: str = ""


def answer_by(request: PrivacyRequest, decision: clock.Decision, language: str) -> AnswerBy:
    """What the binding date rests on (``Decision.basis_kind``), in words for ``language``.

    A promise that binds before a law is said as the promise; the law's later date is given as
    the outer limit only ("the latest date the law allows"), never as a second deadline.
    """
    basis = decision.basis_kind
    if decision.deadline is None:
        return AnswerBy(basis, request.internal_target)
    due = decision.deadline.due
    if basis is clock.Basis.LAW:
        binding = decision.binding_law
        assert binding is not None and binding.law is not None  # noqa: S101 - basis LAW
        return AnswerBy(basis, due, law=law_title(binding.law, binding.law_name, language))
    promise = request.right.deadline_promise if request.right else ""
    later = sorted(
        ((d.due, c) for c, d in decision.laws if d.due > due and c.law is not None),
        key=lambda pair: pair[0],
    )
    if later:
        limit, candidate = later[0]
        assert candidate.law is not None  # noqa: S101 - filtered above
        outer = law_title(candidate.law, candidate.law_name, language)
        return AnswerBy(basis, due, promise=promise, outer_limit=limit, outer_law=outer)
    return AnswerBy(basis, due, promise=promise)


# -- Waiting for the requester ---------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """What asking the requester does to each clock, with the names a letter gives them."""

    effect: str  # a clock.ClockEffect value
    stopped_law: str  # the laws whose clock stops (restarts or pauses), named and joined
    stopped_promise: bool  # the policy's promise stops too (restarts)
    running_law: str  # the laws whose clock keeps running
    running_promise: bool  # only the promise keeps running
    holds_until: datetime.date | None  # the date that stays whatever the wait (PARTLY)
    due: datetime.date | None  # today's binding date
    basis: str  # a clock.Basis value: whether "must" (a law) or "will" (a promise) is true


def waiting(
    request: PrivacyRequest, decision: clock.Decision, asking_for: str, language: str
) -> Waiting:
    """``Decision.waiting_effect`` in words: which laws stop, which keep running, what holds."""
    effect = decision.waiting_effect(asking_for)
    stopped = [candidate for candidate, _due in effect.stopped]
    running = [candidate for candidate, _due in effect.running]
    return Waiting(
        effect=effect.effect.value,
        stopped_law=_titles(stopped, language),
        stopped_promise=any(c.is_promise for c in stopped),
        running_law=_titles(running, language),
        running_promise=bool(running) and all(c.is_promise for c in running),
        holds_until=effect.holds_until,
        due=decision.deadline.due if decision.deadline else None,
        basis=decision.basis_kind.value,
    )


@dataclass(frozen=True)
class Heading:
    """The deadline row of a letter's header: what is true today, never a date the body undoes.

    ``kind``: "due" (a date that holds), "new" (an extension's new date), "restarts" (no date
    until the requester answers), "pauses" (today's date, moving later), "target" (the
    organization's own date: "We will answer by"), or "" (no row)."""

    kind: str
    date: datetime.date | None = None


def heading(
    request: PrivacyRequest,
    decision: clock.Decision,
    *,
    kind: str,
    effect: Waiting | None = None,
    new_due: datetime.date | None = None,
    due: datetime.date | None = None,
) -> Heading:
    """The header's deadline row for a letter of ``kind`` (a LetterKind value). ``effect`` is
    what the letter asks for does to the clock (verification and fee letters)."""
    if kind == "extension":
        return Heading("new", new_due)
    if effect is not None:
        if effect.effect == clock.ClockEffect.RESTART:
            return Heading("restarts")
        if effect.effect == clock.ClockEffect.PAUSE:
            return Heading("pauses", effect.due)
        if effect.effect == clock.ClockEffect.PARTLY:
            return Heading("due", effect.holds_until)
    if decision.deadline is not None:
        return Heading("due", due or decision.deadline.due)
    if request.internal_target:
        return Heading("target", request.internal_target)
    return Heading("")


def unextended_due(request: PrivacyRequest) -> datetime.date | None:
    """The date a request must be acted on by when the law allows it no extension (a marketing
    objection, ``clock.extension_allowed``): the first period's date, whatever was recorded."""
    if clock.extension_allowed(request.right_kind):
        return None
    deadline = clock.decide_for(request, extended=False).deadline
    return deadline.due if deadline else None


# -- Complaint routes ------------------------------------------------------------------------------

# The notes of ``dsar.authorities``, for a Spanish letter (the data holds them in English).
_NOTES_ES = {
    "BG": "Las reclamaciones deben presentarse en búlgaro o traducidas a este idioma; una "
    "reclamación enviada por correo electrónico debe llevar una firma electrónica cualificada.",
    "FR": "La CNIL pide que las reclamaciones se redacten en francés.",
    "DE": "La mayoría de las empresas están supervisadas por la autoridad de protección de datos "
    "de un Land (estado federado); la autoridad del Land en el que usted reside también es "
    "competente para recibir su reclamación, y una autoridad que no sea competente la remite a "
    "la que lo sea (BDSG §19(2)).",
    "ES": "Las reclamaciones se presentan en la sede electrónica de la AEPD, "
    "https://sedeagpd.gob.es.",
    "GB": "La ICO espera que usted plantee primero el asunto a la organización y que presente su "
    "reclamación en los tres meses siguientes a su último contacto con ella.",
    "US-CA": "La Agencia (también llamada CalPrivacy) no actúa en nombre de consumidores "
    "individuales; las reclamaciones sirven de base a sus investigaciones.",
    "US-CO": "Los fiscales de distrito comparten con el Fiscal General la facultad de hacer "
    "cumplir la ley.",
    "US-UT": "El Fiscal General actúa a instancias de la División de Protección al Consumidor de "
    "Utah (Utah Code §13-61-402(2)).",
    "US-DE": "El Departamento de Justicia pide que las reclamaciones relativas a esta ley se "
    "envíen por correo electrónico a privacy@delaware.gov.",
    "BR": "La ANPD admite una petición una vez que usted haya reclamado a la organización sin "
    "obtener solución; se presenta en línea con una cuenta gov.br.",
    "CA": "En Alberta, Columbia Británica y Quebec puede aplicarse en su lugar una ley "
    "provincial de privacidad; el sitio web del Comisionado explica dónde reclamar.",
}


@dataclass(frozen=True)
class PrintedAuthority:
    """An authority as a letter prints it, in the letter's language."""

    name: str  # "French Data Protection Authority (Commission nationale ..., CNIL)"
    address: str
    website: str
    citation: str
    note: str
    role: str


def _printed(authority: authorities.Authority, language: str) -> PrintedAuthority:
    if language == "en":
        extra = ", ".join(x for x in (authority.local_name, authority.acronym) if x)
        name = f"{authority.name} ({extra})" if extra else authority.name
        note = authority.note
    else:
        # The official name: Spanish where it is Spanish, else the authority's own.
        own = authority.local_name or authority.name
        name = f"{own} ({authority.acronym})" if authority.acronym else own
        note = _NOTES_ES.get(authority.code, "") if authority.note else ""
    return PrintedAuthority(
        name, authority.address, authority.website, authority.citation, note, authority.role
    )


@dataclass(frozen=True)
class ComplaintRoute:
    """Where the requester can complain: whose wording the complaint paragraph uses, and the
    authorities it names (from ``dsar.authorities``, for the requester's residence)."""

    regime: str  # a Regime value, or "authority" (LGPD, PIPEDA: a named authority, no more)
    authorities: tuple[PrintedAuthority, ...]
    law: str  # the residence's law, named (state laws, LGPD, PIPEDA)
    place: str  # the residence in words (residences.label), for general wording


def complaint_route(request: PrivacyRequest, language: str) -> ComplaintRoute:
    """The complaint route of ``request``: the residence's law when it reaches the organization
    decides the wording (GDPR Art. 77/79; the ICO and the UK GDPR; the CPPA and the Attorney
    General; a state's Attorney General), and ``dsar.authorities`` names who. Elsewhere, out of
    scope or not known: general wording that claims no law (docs/complaint-routes.md)."""
    from dsar import residences

    residence = clock.residence_law(request)
    place = residences.label(request.jurisdiction) if request.jurisdiction else ""
    if residence is None:
        return ComplaintRoute(Regime.NEUTRAL.value, (), "", place)
    found = tuple(
        _printed(authority, language)
        for authority in authorities.complaint_authorities(request.jurisdiction)
    )
    name = residence.state_law.name if residence.state_law else residence.name
    title = law_title(residence.law, name, language)
    kind = _REGIME_OF_LAW.get(residence.law)
    if kind is None:
        return ComplaintRoute("authority" if found else Regime.NEUTRAL.value, found, title, place)
    return ComplaintRoute(kind.value, found, title, place)


def complaint_summary(request: PrivacyRequest) -> str:
    """Who the complaint paragraph names, for the staff preview (staff language)."""
    route = complaint_route(request, "en")
    if route.authorities:
        return "; ".join(authority.name for authority in route.authorities)
    if route.regime == Regime.EU_GDPR:
        return _("a supervisory authority in general terms (GDPR Art. 77): no country given")
    return _("no authority: general wording that names no law")


# -- Parts that apply to this request --------------------------------------------------------------


def needs_verification(request: PrivacyRequest) -> bool:
    """Whether the residence's law lets the business act only on a verified (CCPA) or
    authenticated (state laws) request: the acknowledgement then describes how the request will
    be verified (Cal. Code Regs. tit. 11 §7021(a))."""
    if not regime(request).is_us or request.right_kind not in set(jurisdictions.Right):
        return False
    return jurisdictions.requires_verification(
        right=request.right_kind, jurisdiction=request.jurisdiction, on=request.received_on
    )


PART_CONDITIONS: dict[str, Callable[[PrivacyRequest], bool]] = {
    "gdpr": lambda request: regime(request).is_gdpr,
    "ccpa": lambda request: regime(request) is Regime.CCPA,
    "us_law": lambda request: regime(request).is_us,
    "not_us_law": lambda request: not regime(request).is_us,
    "verified": needs_verification,
}


def parts_for(parts: Iterable[Part], request: PrivacyRequest) -> tuple[Part, ...]:
    """The parts of a letter that apply to ``request`` (a Californian's access letter asks for
    the period covered, a GDPR one for transfers and automated decisions)."""
    return tuple(part for part in parts if not part.when or PART_CONDITIONS[part.when](request))


def has_contact(request: PrivacyRequest, email: str) -> bool:
    """Whether the letterhead gives a way to reply: a postal address or an email address."""
    return bool(email) or request.organization.addresses.exists()
