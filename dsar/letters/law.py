"""Which law a letter speaks of, and in which words: read from the one decision, never re-derived.

Every legal fact a letter states comes from ``dsar.requests.clock`` (the binding date, what it
rests on, what waiting for the requester does to each clock), ``clock.residence_law`` (the
privacy law of where the requester lives, when it reaches the organization) and
``dsar.authorities`` (who the requester can complain to). This module only turns those answers
into what a template needs: the letter's *regime* (which version of an access or erasure letter
to write), the names of laws and authorities in the letter's language, and the items a policy
leaves open that staff must fill in before issuing. Templates then only choose words.

The US state rights read the same way: the appeal a refusal must explain and the decision on one
(``appeal_right``, ``appeal_decision``: ``jurisdictions.appeal_for`` and the appeal services of
``dsar.requests.services``), what a Californian's answer says was checked (``verified``: the
records of ``dsar.requests.verification``), and which law an opt-out confirmation cites
(``opt_out``).

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
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar import authorities, jurisdictions
from dsar.jurisdictions import Law
from dsar.policies.models import RightKind
from dsar.requests import clock
from dsar.requests.models import EventKind, IdentityStatus, Status

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
    # In the dative, with their article: German letters name a law only after "nach" ("nach der
    # DSGVO", "nach dem Virginia Consumer Data Protection Act"), never as a sentence's subject.
    "de": {
        Law.EU_GDPR: "der DSGVO",
        Law.UK_GDPR: "der britischen DSGVO (UK GDPR)",
        Law.CCPA: "dem California Consumer Privacy Act (CCPA)",
        Law.CAL_1798_83: "§ 1798.83 des California Civil Code",
        Law.CAL_22581: "§ 22581 des California Business and Professions Code",
        Law.CAN_SPAM: "dem CAN-SPAM Act",
        Law.LGPD: "dem brasilianischen Datenschutzgesetz (Lei Geral de Proteção de Dados, LGPD)",
        Law.PIPEDA: (
            "dem kanadischen Datenschutzgesetz PIPEDA (Personal Information Protection and "
            "Electronic Documents Act)"
        ),
    },
    # They follow "Selon" (never "de"/"à", which would contract with "le": "du RGPD").
    "fr": {
        Law.EU_GDPR: "le RGPD",
        Law.UK_GDPR: "le RGPD britannique (UK GDPR)",
        Law.CCPA: (
            "la loi californienne sur la protection de la vie privée des consommateurs (CCPA)"
        ),
        Law.CAL_1798_83: "l'article 1798.83 du Code civil de Californie",
        Law.CAL_22581: "l'article 22581 du Code des affaires et des professions de Californie",
        Law.CAN_SPAM: "la loi CAN-SPAM",
        Law.LGPD: "la loi générale brésilienne sur la protection des données personnelles (LGPD)",
        Law.PIPEDA: (
            "la loi canadienne sur la protection des renseignements personnels et les documents "
            "électroniques (LPRPDE)"
        ),
    },
    # A Brazilian reader: the EU law by its Portuguese name, with the abbreviation they know
    # (GDPR); US laws described in Portuguese, keeping the abbreviation or English title.
    "pt-br": {
        Law.EU_GDPR: "o Regulamento Geral sobre a Proteção de Dados (RGPD/GDPR)",
        Law.UK_GDPR: "o RGPD do Reino Unido (UK GDPR)",
        Law.CCPA: "a Lei de Privacidade do Consumidor da Califórnia (CCPA)",
        Law.CAL_1798_83: "a seção 1798.83 do Código Civil da Califórnia (California Civil Code)",
        Law.CAL_22581: (
            "a seção 22581 do Código de Negócios e Profissões da Califórnia (California Business "
            "and Professions Code)"
        ),
        Law.CAN_SPAM: "a Lei CAN-SPAM (CAN-SPAM Act) dos Estados Unidos",
        Law.LGPD: "a Lei Geral de Proteção de Dados Pessoais (LGPD, Lei nº 13.709/2018)",
        Law.PIPEDA: (
            "a Lei de Proteção de Informações Pessoais e Documentos Eletrônicos do Canadá (PIPEDA)"
        ),
    },
}

# A US state's own law, by its (English) title, as each language's letters name it.
_STATE_LAW_TITLES = {
    "en": "the {name}",
    "es": "la ley «{name}»",
    "de": "dem {name}",
    "fr": "la loi «\u00a0{name}\u00a0»",
    "pt-br": "a lei “{name}”",
}
_AND = {"en": "and", "es": "y", "de": "und", "fr": "et", "pt-br": "e"}


def law_title(law: Law, name: str, language: str) -> str:
    """A law as a sentence names it: "the GDPR", "the Virginia Consumer Data Protection Act",
    "el RGPD del Reino Unido (UK GDPR)", "der DSGVO". ``name`` is the state law's title for a
    state law."""
    if law is Law.US_STATE_PRIVACY:
        return _STATE_LAW_TITLES[language].format(name=name)
    return _LAW_TITLES[language].get(law, name)


def _and(items: Sequence[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_AND[language]} {items[-1]}"


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

# The same notes for a Brazilian Portuguese letter.
_NOTES_PT_BR = {
    "BG": "As reclamações devem ser redigidas em búlgaro ou traduzidas para esse idioma; uma "
    "reclamação enviada por e-mail deve conter assinatura eletrônica qualificada.",
    "FR": "A CNIL solicita que as reclamações sejam redigidas em francês.",
    "DE": "A maioria das empresas é fiscalizada pela autoridade de proteção de dados de um Land "
    "(estado federado); a autoridade do Land em que o(a) senhor(a) reside também é competente "
    "para receber a reclamação, e uma autoridade que não seja competente a encaminha à que o for "
    "(BDSG §19(2)).",
    "ES": "As reclamações são apresentadas na sede eletrônica da AEPD, https://sedeagpd.gob.es.",
    "GB": "O ICO espera que o assunto seja levado primeiro à organização e que a reclamação seja "
    "apresentada em até três meses após o último contato com ela.",
    "US-CA": "A Agência (também chamada CalPrivacy) não atua em nome de consumidores "
    "individualmente; as reclamações subsidiam suas investigações.",
    "US-CO": "Os promotores distritais (district attorneys) compartilham com o Procurador-Geral "
    "a competência para fazer cumprir a lei.",
    "US-UT": "O Procurador-Geral atua mediante encaminhamento da Divisão de Proteção ao Consumidor "
    "de Utah (Utah Code §13-61-402(2)).",
    "US-DE": "O Departamento de Justiça pede que as reclamações relativas a essa lei sejam "
    "enviadas por e-mail para privacy@delaware.gov.",
    "BR": "A ANPD admite a petição do titular depois que a reclamação apresentada à organização "
    "não tiver obtido solução; ela é protocolada pela internet, com uma conta gov.br.",
    "CA": "Em Alberta, na Colúmbia Britânica e no Quebec, uma lei provincial de privacidade pode "
    "ser aplicável em seu lugar; o site do Comissário explica onde reclamar.",
}


# The same notes, for a German letter.
_NOTES_DE = {
    "BG": "Beschwerden müssen auf Bulgarisch verfasst oder in diese Sprache übersetzt sein; eine "
    "per E-Mail eingereichte Beschwerde muss eine qualifizierte elektronische Signatur tragen.",
    "FR": "Die CNIL verlangt, dass Beschwerden auf Französisch verfasst sind.",
    "DE": "Die meisten Unternehmen unterliegen der Aufsicht der Datenschutz-Aufsichtsbehörde eines "
    "Landes (Landesdatenschutzbehörde); die Aufsichtsbehörde des Landes, in dem Sie wohnen, ist "
    "ebenfalls für Ihre Beschwerde zuständig, und eine unzuständige Aufsichtsbehörde gibt die "
    "Beschwerde an die zuständige ab (§ 19 Abs. 2 BDSG).",
    "ES": "Beschwerden werden über das elektronische Portal der AEPD eingereicht: "
    "https://sedeagpd.gob.es.",
    "GB": "Das ICO erwartet, dass Sie die Angelegenheit zunächst gegenüber der Organisation "
    "vorbringen und Ihre Beschwerde innerhalb von drei Monaten nach Ihrem letzten Kontakt mit ihr "
    "einreichen.",
    "US-CA": "Die Behörde (auch CalPrivacy genannt) handelt nicht im Auftrag einzelner "
    "Verbraucherinnen und Verbraucher; Beschwerden fließen in ihre Ermittlungen ein.",
    "US-CO": "Die District Attorneys (Bezirksstaatsanwaltschaften) teilen mit dem Attorney "
    "General die Befugnis, das Gesetz durchzusetzen.",
    "US-UT": "Der Attorney General wird auf Verweisung der Utah Division of Consumer Protection "
    "tätig (Utah Code §13-61-402(2)).",
    "US-DE": "Das Department of Justice bittet darum, Beschwerden nach diesem Gesetz per E-Mail an "
    "privacy@delaware.gov zu richten.",
    "BR": "Die ANPD nimmt eine Eingabe an, nachdem Sie sich ohne Erfolg bei der Organisation "
    "beschwert haben; sie wird online mit einem gov.br-Konto eingereicht.",
    "CA": "In Alberta, British Columbia und Quebec kann stattdessen ein Datenschutzgesetz der "
    "Provinz gelten; die Website des Commissioner erläutert, wo Sie sich beschweren können.",
}
# The notes of ``dsar.authorities``, for a French letter.
_NOTES_FR = {
    "BG": "Les réclamations doivent être rédigées en bulgare ou traduites dans cette langue\u00a0; "
    "une réclamation envoyée par courrier électronique doit porter une signature électronique "
    "qualifiée.",
    "FR": "La CNIL demande que les plaintes soient rédigées en français.",
    "DE": "La plupart des entreprises relèvent de l'autorité de protection des données d'un Land "
    "(État fédéré)\u00a0; l'autorité du Land où vous résidez est également compétente pour "
    "recevoir votre réclamation, et une autorité non compétente la transmet à l'autorité "
    "compétente (BDSG §19(2)).",
    "ES": "Les réclamations sont déposées sur le guichet électronique de l'AEPD, "
    "https://sedeagpd.gob.es.",
    "GB": "L'ICO attend que vous souleviez d'abord la question auprès de l'organisme et que vous "
    "introduisiez votre réclamation dans les trois mois suivant votre dernier contact avec lui.",
    "US-CA": "L'Agence (également appelée CalPrivacy) n'agit pas pour le compte de consommateurs "
    "individuels\u00a0; les plaintes alimentent ses enquêtes.",
    "US-CO": "Les procureurs de district (district attorneys) partagent avec le procureur général "
    "le pouvoir de faire appliquer la loi.",
    "US-UT": "Le procureur général agit sur saisine de la Division de la protection des "
    "consommateurs de l'Utah (Utah Code §13-61-402(2)).",
    "US-DE": "Le Département de la Justice demande que les plaintes fondées sur cette loi soient "
    "envoyées par courrier électronique à privacy@delaware.gov.",
    "BR": "L'ANPD n'instruit une requête qu'après une réclamation restée sans solution auprès de "
    "l'organisme\u00a0; la requête se dépose en ligne au moyen d'un compte gov.br.",
    "CA": "En Alberta, en Colombie-Britannique et au Québec, une loi provinciale sur la protection "
    "des renseignements personnels peut s'appliquer à la place\u00a0; le site du Commissariat "
    "indique où porter plainte.",
}
_NOTES = {"es": _NOTES_ES, "de": _NOTES_DE, "fr": _NOTES_FR, "pt-br": _NOTES_PT_BR}
# An authority's official name in the letter's language, where it has one besides its own
# (Canada's commissioner is bilingual; its data holds the English name).
_NAMES = {
    "fr": {"CA": "Commissariat à la protection de la vie privée du Canada (CPVP)"},
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
        # The official name: in the letter's language where it has one, else the authority's own.
        own = authority.local_name or authority.name
        name = f"{own} ({authority.acronym})" if authority.acronym else own
        name = _NAMES.get(language, {}).get(authority.code, name)
        note = _NOTES[language].get(authority.code, "") if authority.note else ""
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
    # An appeal decided (the appeal request fulfilled, partly, or denied): what the
    # organization now does where it gives way, its reasons where it does not.
    "appeal_granted": lambda request: appeal_outcome(request) in ("granted", "partly"),
    "appeal_denied": lambda request: appeal_outcome(request) in ("denied", "partly"),
}


def parts_for(parts: Iterable[Part], request: PrivacyRequest) -> tuple[Part, ...]:
    """The parts of a letter that apply to ``request`` (a Californian's access letter asks for
    the period covered, a GDPR one for transfers and automated decisions)."""
    return tuple(part for part in parts if not part.when or PART_CONDITIONS[part.when](request))


def has_contact(request: PrivacyRequest, email: str) -> bool:
    """Whether the letterhead gives a way to reply: a postal address or an email address."""
    return bool(email) or request.organization.addresses.exists()


# -- Appeals of a refusal (US state laws) ----------------------------------------------------------


@dataclass(frozen=True)
class AppealRight:
    """What a refusal tells a requester whose state's law gives an appeal: that they can appeal,
    how, until when, and how long the organization has to decide (e.g. Va. Code §59.1-577(B)(2)
    asks a refusal for "instructions for how to appeal the decision"; docs/us-state-laws.md)."""

    law: str  # the state's law, named: "the Virginia Consumer Data Protection Act"
    citation: str  # the appeal's section: "Va. Code §59.1-577(C)"
    until: datetime.date | None  # the last day to appeal, once the refusal is recorded
    window_days: int  # DSAR_APPEAL_WINDOW_DAYS: "within 90 days of this letter" until then
    status_page: bool  # the request came through the public form: it has a status page
    decide_days: int  # days the organization has to decide, from the appeal's receipt
    extension_days: int  # days the law allows on top (Colorado: 60); 0 when none
    # The period is the statute's, read (V) or from secondary sources (S): "we must". False
    # where the statute was not read and dsar applies the shortest period of any state
    # ("safe"): then it is said as the organization's own commitment, never as the law's.
    statutory: bool
    ag_contact: bool  # a denied appeal is answered with how to contact the Attorney General


def _appeal_route(
    request: PrivacyRequest, *, refusal: bool
) -> tuple[jurisdictions.StateLaw, jurisdictions.Appeal] | None:
    """The state law and appeal against this request's refusal: a refusal recorded (denied or
    partly fulfilled, ``services.appeal_route``), or, for a refusal letter issued while the
    request is still open, the appeal the refusal it announces will open."""
    from dsar.requests import services

    if request.right_kind == RightKind.APPEAL:
        return None  # an appeal is answered by the appeal decision, never appealed again
    if request.status in services.APPEALABLE:
        return services.appeal_route(request)
    if refusal and request.is_open and clock.serves(request.organization, request.jurisdiction):
        return jurisdictions.appeal_for(request.jurisdiction, on=request.received_on)
    return None


def has_status_page(request: PrivacyRequest) -> bool:
    """Whether the requester has a status page (the request came through the public form)."""
    from dsar.intake.models import IntakeSubmission

    return IntakeSubmission.objects.filter(request_id=request.pk).exists()


def appeal_right(request: PrivacyRequest, language: str, *, refusal: bool) -> AppealRight | None:
    """The appeal a refusal (``refusal``: the refusal letter) or a partial answer must explain,
    or None: the requester's state gives none (California's CCPA, Utah), the request was not
    refused, or it was appealed already (the appeal decision answers that)."""
    from dsar.requests import services

    route = _appeal_route(request, refusal=refusal)
    if route is None:
        return None
    state_law, appeal = route
    until = None
    if not request.is_open:
        open_until = services.appeal_open_until(request)
        if open_until is None:
            return None
        zone = ZoneInfo(request.organization.time_zone)
        until = timezone.localtime(open_until, zone).date()
    return AppealRight(
        law=law_title(Law.US_STATE_PRIVACY, state_law.name, language),
        citation=appeal.citation,
        until=until,
        window_days=settings.DSAR_APPEAL_WINDOW_DAYS,
        status_page=has_status_page(request),
        decide_days=appeal.rule.period,
        extension_days=appeal.rule.max_extension,
        statutory=appeal.mark != "safe",
        ag_contact=appeal.ag_contact,
    )


def appeal_outcome(request: PrivacyRequest) -> str:
    """How an appeal was decided: "granted" (the appeal fulfilled), "partly" (partly
    fulfilled), "denied", or "" while it is undecided (or the request is no appeal)."""
    if request.right_kind != RightKind.APPEAL:
        return ""
    return {
        Status.FULFILLED: "granted",
        Status.PARTIALLY_FULFILLED: "partly",
        Status.DENIED: "denied",
    }.get(Status(request.status), "")


@dataclass(frozen=True)
class AppealDecision:
    """What the decision on an appeal says: the outcome, the request appealed, and the law under
    which a denial must tell the requester how to contact the Attorney General."""

    outcome: str  # appeal_outcome()
    appealed: PrivacyRequest | None  # the refused request (None: an appeal logged unlinked)
    answered_on: datetime.date | None  # the day the appealed request was refused (closed)
    law: str  # the state's law, named; "" where the residence gives no appeal
    citation: str  # the appeal's section, e.g. "Va. Code §59.1-577(C)"
    ag_contact: bool  # the statute asks a denial to say how to contact the Attorney General


def appeal_decision(request: PrivacyRequest, language: str) -> AppealDecision:
    """The decision on the appeal ``request``, read from its status (``appeal_outcome``) and the
    appeal the law of the residence gives (``jurisdictions.appeal_for``, on the day the appealed
    request was received, as ``services.appeal_route`` read it)."""
    appealed = request.appeal_of
    on = appealed.received_on if appealed is not None else request.received_on
    answered_on = (
        timezone.localtime(appealed.closed_at, ZoneInfo(request.organization.time_zone)).date()
        if appealed is not None and appealed.closed_at is not None
        else None
    )
    found = (
        jurisdictions.appeal_for(request.jurisdiction, on=on)
        if request.jurisdiction and clock.serves(request.organization, request.jurisdiction)
        else None
    )
    if found is None:
        return AppealDecision(appeal_outcome(request), appealed, answered_on, "", "", False)
    state_law, appeal = found
    return AppealDecision(
        outcome=appeal_outcome(request),
        appealed=appealed,
        answered_on=answered_on,
        law=law_title(Law.US_STATE_PRIVACY, state_law.name, language),
        citation=appeal.citation,
        ag_contact=appeal.ag_contact,
    )


# -- How the identity was verified (California, §7062 and §7063) ----------------------------------


@dataclass(frozen=True)
class Verified:
    """How the identity behind a Californian's request to know, delete or correct was checked,
    as staff recorded it: the data points matched, the signed declaration (Cal. Code Regs. tit.
    11 §7062), the way the identity was verified, and for an authorized agent how its authority
    was shown and whether the consumer verified or confirmed it (§7063)."""

    citation: str  # the degree of certainty applied, e.g. "Cal. Code Regs. tit. 11 §7062(c)"
    data_points: tuple[str, ...]  # the organization's data points matched, by name
    declaration_on: datetime.date | None  # the declaration signed under penalty of perjury
    declaration_required: bool  # the degree of certainty asks for one (§7062(c))
    method: str  # a VerificationMethod value (the last verification recorded), or ""
    agent: str  # an AgentAuthority value for an agent's request; "" otherwise
    is_agent: bool
    consumer_verified: bool  # (an agent's request) the consumer's own identity was verified
    consumer_confirmed_on: datetime.date | None  # ... or they confirmed the agent directly

    @property
    def recorded(self) -> bool:
        """Whether anything was recorded that the letter can state."""
        return bool(
            self.data_points
            or self.declaration_on
            or self.method
            or self.agent
            or self.consumer_confirmed_on
        )


def verified(request: PrivacyRequest) -> Verified | None:
    """What a Californian's answer to a request to know, delete or correct says about how the
    identity was verified, or None for any other request (opt-outs need no verification,
    §7060(b); other states set no degree of certainty a letter could cite)."""
    from dsar.requests.verification import required_level

    if regime(request) is not Regime.CCPA or request.right_kind not in jurisdictions.CCPA_RIGHTS:
        return None
    level = required_level(request)
    event = request.events.filter(kind=EventKind.IDENTITY_VERIFIED).order_by("-at", "-id").first()
    return Verified(
        citation=level.citation if level else "",
        data_points=tuple(request.data_points_matched or ()),
        declaration_on=request.declaration_signed_on,
        declaration_required=bool(level and level.declaration),
        method=((event.data or {}).get("method", "") if event else ""),
        agent=request.agent_authority if request.is_agent else "",
        is_agent=request.is_agent,
        consumer_verified=request.is_agent and request.identity_status == IdentityStatus.VERIFIED,
        consumer_confirmed_on=request.consumer_confirmed_agent_on if request.is_agent else None,
    )


# -- Opt-outs ------------------------------------------------------------------------------------

# What each right an opt-out letter answers is about, in the templates' words.
_OPT_OUT_SUBJECTS = {
    RightKind.OPT_OUT_SALE: "sale",
    RightKind.OPT_OUT_TARGETED_ADS: "targeted_ads",
    RightKind.OPT_OUT_PROFILING: "profiling",
    RightKind.LIMIT_SENSITIVE: "limit",
}
# California's sections (Cal. Civ. Code): the opt-out of sale or sharing (§1798.120), the limit
# on sensitive personal information (§1798.121), and how a business offers both (§1798.135).
# A Californian's opt-out of targeted advertising is the opt-out of "sharing" (§1798.140(ah)).
# Written without "and", so that the same citation reads in every letter language.
_CALIFORNIA_SECTIONS = {
    RightKind.OPT_OUT_SALE: "Cal. Civ. Code §§1798.120, 1798.135",
    RightKind.OPT_OUT_TARGETED_ADS: "Cal. Civ. Code §§1798.120, 1798.135",
    RightKind.LIMIT_SENSITIVE: "Cal. Civ. Code §§1798.121, 1798.135",
}


@dataclass(frozen=True)
class OptOut:
    """What an opt-out confirmation says it confirms, and under which law."""

    subject: str  # "marketing", "sale", "targeted_ads", "profiling" or "limit"
    law: str  # the residence's law that gives this opt-out, named; "" where none does
    citation: str  # California's sections; "" for the other states (named by their law)
    california: bool  # a Californian: "sale or sharing", "cross-context behavioral advertising"
    gpc: bool  # sent as the browser's Global Privacy Control signal
    gpc_law: str  # the law that requires honouring the signal (Cal. Code Regs. tit. 11 §7025,
    # Colorado from 1 July 2024...), named; "" where none does (it is honoured anyway)


def opt_out(request: PrivacyRequest, language: str) -> OptOut:
    """The opt-out ``request`` is, and the law of the residence that gives it: California's
    CCPA for sale or sharing and the limit (``CCPA_OPT_OUTS``), another state's law for the
    opt-outs it lists (``StateLaw.opt_outs``: Utah none for profiling, Iowa only sale). A law
    that does not give the opt-out is not cited: the organization honours it of its own accord.
    A marketing opt-out (or objection, or consent withdrawn) keeps its own wording."""
    subject = _OPT_OUT_SUBJECTS.get(RightKind(request.right_kind), "marketing")
    residence = clock.residence_law(request) if subject != "marketing" else None
    law = citation = gpc_law = ""
    california = residence is not None and residence.law is Law.CCPA
    if residence is not None and residence.is_us_state:
        right = jurisdictions.Right(request.right_kind)
        name = residence.state_law.name if residence.state_law else residence.name
        title = law_title(residence.law, name, language)
        if california:
            gives = right in jurisdictions.CCPA_OPT_OUTS
        else:
            gives = residence.state_law is not None and right in residence.state_law.opt_outs
        if gives:
            law = title
            citation = _CALIFORNIA_SECTIONS.get(RightKind(request.right_kind), "")
        if request.gpc and jurisdictions.uoom_required(
            request.jurisdiction, on=request.received_on
        ):
            gpc_law = title
    return OptOut(
        subject=subject,
        law=law,
        citation=citation if california else "",
        california=california,
        gpc=request.gpc and subject != "marketing",
        gpc_law=gpc_law,
    )
