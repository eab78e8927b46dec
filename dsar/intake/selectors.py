"""Reads for the public pages and the requester's emails: what the policy in force offers, when
to expect an answer and what it rests on, and where a request stands, in the requester's words.

Nothing here writes, and no legal rule is decided here. Every date comes from ``clock.decide``
(the form, for a request received through the web form today, checked by the same
``channel_rules.assess`` that ``request_log`` uses) or ``clock.decide_for`` (a logged request),
so the public side never promises a date the staff side would not compute. What a date rests
on is the decision's ``basis_kind``: a law (named), the policy's promise (said as a promise,
never as law) or the organization's own date. dsar never says that no law sets a deadline
(docs/legal-decisions.md, "What dsar never says").
"""

from __future__ import annotations

import copy
import datetime
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dsar import authorities, jurisdictions, residences
from dsar.jurisdictions import Law
from dsar.organizations.models import Organization
from dsar.policies.models import (
    OPT_OUT_KINDS,
    Channel,
    ChannelKind,
    Declaration,
    PolicyVersion,
    PolicyVersionStatus,
    Right,
    RightKind,
)
from dsar.requests import channel_rules, clock
from dsar.requests import services as request_services
from dsar.requests.clock import Basis, ClockEffect
from dsar.requests.models import (
    EventKind,
    Flag,
    IdentityStatus,
    PrivacyRequest,
    Status,
    WaitingFor,
)

if TYPE_CHECKING:  # dsar.letters imports this app
    from dsar.letters.models import DataPackage

# -- What an answer date rests on ------------------------------------------------------------------

# A law as a requester reads it, in their language. A US state's law is named by its own title
# ("the Virginia Consumer Data Protection Act"); the engine's labels ("EU GDPR") are for staff.
LAW_NAMES: dict[str, Promise] = {
    Law.EU_GDPR: _("the GDPR"),
    Law.UK_GDPR: _("the UK GDPR"),
    Law.CCPA: _("the California Consumer Privacy Act"),
    Law.CAL_1798_83: _("section 1798.83 of the California Civil Code"),
    Law.CAL_22581: _("section 22581 of the California Business and Professions Code"),
    Law.CAN_SPAM: _("the CAN-SPAM Act"),
    Law.LGPD: _("the LGPD, Brazil's data protection law"),
    Law.PIPEDA: _("PIPEDA, Canada's privacy law"),
}
# Several states' laws with the same date, on the form ("US states with their own privacy law").
ANY_STATE_LAW = _("the privacy law of your state")


@dataclass(frozen=True)
class Answer:
    """When an answer is due and what the date rests on, as the requester is told it.

    ``basis`` is the decision's: a law (``law``, and its title in ``law_name``: for a US state
    the title of its own law, "" for several states' laws), the policy's promise (``promise``:
    its words, in the policy's English), or the organization's own date (``due`` is then its
    internal target; ``promise`` holds a promise in words, "promptly", which sets no date). The
    words are chosen when a template reads ``law_words``, so an email built in the staff's
    language is written in the requester's.
    """

    basis: Basis
    due: datetime.date | None
    law: str = ""  # a ``jurisdictions.Law`` value
    law_name: str = ""
    promise: str = ""
    extended: bool = False

    @property
    def law_words(self) -> str:
        """The law in the active language: "the GDPR", "el RGPD", "the Virginia Consumer Data
        Protection Act"; several states' laws together: "the privacy law of your state"."""
        if self.law == Law.US_STATE_PRIVACY:
            if not self.law_name:
                return str(ANY_STATE_LAW)
            return gettext("the %(law)s") % {"law": self.law_name}
        found = LAW_NAMES.get(self.law)
        return str(found) if found is not None else self.law_name

    @property
    def group_key(self) -> tuple[object, ...]:
        """Residences whose answers share this key read the same on the form (each state's own
        law counts as one: "the privacy law of your state")."""
        return (self.basis, self.due, self.law, self.promise, self.extended)


def answer(
    decision: clock.Decision,
    right: Right | None,
    *,
    target: datetime.date | None = None,
    extended: bool = False,
) -> Answer:
    """What ``decision``'s date rests on, for the requester. ``target``: the organization's
    own date when it is not the decision's (staff may have set another on the request)."""
    promise = (right.deadline_promise or "") if right is not None else ""
    kind = decision.basis_kind
    if kind is Basis.LAW:
        assert decision.deadline is not None  # noqa: S101 - a law's basis has a date
        law = decision.binding_law
        assert law is not None  # noqa: S101 - Basis.LAW means a law binds
        due = decision.deadline.due
        return Answer(kind, due, str(law.law or ""), law.law_name, extended=extended)
    if kind is Basis.PROMISE:
        assert decision.deadline is not None  # noqa: S101 - a promise's basis has a date
        return Answer(kind, decision.deadline.due, promise=promise, extended=extended)
    return Answer(kind, target or decision.internal_target, promise=promise)


def answer_for(request: PrivacyRequest, decision: clock.Decision | None = None) -> Answer:
    """When the requester of ``request`` can expect an answer, from its own dates (extension,
    restarts and pauses included): what the sent page, the status page and the emails say."""
    decision = decision or clock.decide_for(request)
    return answer(
        decision,
        request.right,
        target=request.internal_target,
        extended=request.extended and decision.deadline is not None,
    )


# -- The form: where the requester lives, and the answer to expect from each place ----------------


STATE_LAWS = "us-law"


@dataclass(frozen=True)
class Place:
    """Residences the form names together, so that 85 places read as a few lines."""

    key: str
    label: Promise
    codes: frozenset[str]
    in_us: bool = False


def places(on: datetime.date) -> list[Place]:
    """The residences of ``dsar.residences`` in the groups the form names, in its order: the
    EU/EEA, the UK, California, the US states whose own privacy law is in force on ``on``
    (``jurisdictions.residence_law``), the other US states, Canada, Brazil, elsewhere."""
    us = [code for code in residences.NAMES if code.startswith("US-") and code != "US-CA"]
    with_law = frozenset(
        code
        for code in us
        if (law := jurisdictions.residence_law(code, on=on)) is not None
        and law.state_law is not None
    )
    return [
        Place("eea", _("EU/EEA"), frozenset(residences.EEA_COUNTRIES)),
        Place("gb", _("United Kingdom"), frozenset({"GB"})),
        Place("us-ca", _("California"), frozenset({"US-CA"}), in_us=True),
        Place(STATE_LAWS, _("US states with their own privacy law"), with_law, in_us=True),
        Place("us-other", _("other US states"), frozenset(us) - with_law, in_us=True),
        Place("ca", _("Canada"), frozenset({"CA"})),
        Place("br", _("Brazil"), frozenset({"BR"})),
        Place("other", _("elsewhere"), frozenset({residences.ELSEWHERE})),
    ]


def state_law_names(on: datetime.date) -> str:
    """The US states the form calls "US states with their own privacy law", in words."""
    return _names(next(place.codes for place in places(on) if place.key == STATE_LAWS))


def _sort_key(text: str) -> str:
    """Alphabetical in any of our languages ("Míchigan" among the M's)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _names(codes: Iterable[str]) -> str:
    return ", ".join(sorted((residences.label(code) for code in codes), key=_sort_key))


def where(codes: frozenset[str], groups: list[Place]) -> str:
    """The residences ``codes`` in words, in the active language: "EU/EEA", "United States,
    elsewhere", "US states with their own privacy law except Iowa, Utah", "wherever you live".

    A place wholly in ``codes`` is named by its group; one partly in it by the residences in,
    or by the group "except" the residences out, whichever is shorter."""
    if all(place.codes <= codes for place in groups):
        return gettext("wherever you live")
    us = [place for place in groups if place.in_us]
    whole_us = bool(us) and all(place.codes <= codes for place in us)
    parts = []
    for place in groups:
        if whole_us and place.in_us:
            if place is us[0]:
                parts.append(gettext("United States"))
            continue
        inside = place.codes & codes
        if inside == place.codes:
            parts.append(str(place.label))
        elif inside and 2 * len(inside) <= len(place.codes):
            parts.append(_names(inside))
        elif inside:
            parts.append(
                gettext("%(place)s except %(names)s")
                % {"place": place.label, "names": _names(place.codes - inside)}
            )
    return ", ".join(parts)


@dataclass(frozen=True)
class Expectation:
    """The answer to expect for the residences in ``codes``, if the request arrives today."""

    codes: frozenset[str]
    answer: Answer
    groups: tuple[Place, ...]

    @property
    def where(self) -> str:
        return where(self.codes, list(self.groups))


_EXPECTATIONS: dict[tuple[object, ...], list[Expectation]] = {}
_EXPECTATIONS_LIMIT = 512
_EXPECTATIONS_LOCK = threading.Lock()


def _forget_expectations(**_kwargs: Any) -> None:
    """A version was saved or deleted: drop every line kept (a new row may reuse a freed pk)."""
    with _EXPECTATIONS_LOCK:
        _EXPECTATIONS.clear()


post_save.connect(_forget_expectations, sender=PolicyVersion, dispatch_uid="intake_expectations")
post_delete.connect(_forget_expectations, sender=PolicyVersion, dispatch_uid="intake_expectations")


def expectations(
    organization: Organization,
    version: PolicyVersion,
    right: Right | None,
    *,
    today: datetime.date,
    kind: str = "",
) -> list[Expectation]:
    """The answer to expect for every residence the form offers, grouped where it reads the
    same, in the order of ``places``. ``right`` is the policy's right; None for a right the law
    gives and the policy does not promise (an opt-out), named by ``kind``.

    A published version never changes, so the lines are kept per process for the day, keyed by
    everything the decision reads of the organization and the settings (every form view asks
    the same thirteen rights times 85 residences); a draft is decided afresh. The words are
    chosen when a page shows them, in its language.
    """
    kind = right.kind if right is not None else kind
    if version.status == PolicyVersionStatus.DRAFT or version.in_force_from is None:
        return _expectations(organization, version, right, kind, today=today)
    key = (
        version.pk,
        version.in_force_from,
        version.content_hash,
        right.pk if right is not None else None,
        kind,
        today,
        tuple(organization.out_of_scope or ()),
        organization.holiday_calendar,
        organization.web_form_enabled,
        settings.DSAR_DEFAULT_TARGET_DAYS,
    )
    found = _EXPECTATIONS.get(key)
    if found is None:
        found = _expectations(organization, version, right, kind, today=today)
        with _EXPECTATIONS_LOCK:
            if len(_EXPECTATIONS) >= _EXPECTATIONS_LIMIT:
                _EXPECTATIONS.clear()
            _EXPECTATIONS[key] = found
    return list(found)


def _expectations(
    organization: Organization,
    version: PolicyVersion,
    right: Right | None,
    kind: str,
    *,
    today: datetime.date,
) -> list[Expectation]:
    """``expectations``, computed. ``clock.decide`` depends on the residence only through the
    rules that bind it (``clock.candidates``): residences with the same rules are decided once,
    by the same ``clock.decide`` the staff side calls, for a request received through the web
    form today."""
    assessment = channel_rules.assess(
        version=version,
        right_kind=kind,
        channel_kind=ChannelKind.WEB_FORM,
        subject_line="",
        message="",
    )
    off_channel = any(
        f["code"] in (Flag.CHANNEL_NOT_OFFERED, Flag.LABEL_MISSING) for f in assessment.flags
    )
    common: dict[str, Any] = {
        "organization": organization,
        "right": right,
        "right_kind": kind,
        "designated": assessment.designated,
        "received_on": today,
        "promise_applies": not off_channel,
    }
    by_rules: dict[tuple[object, ...], list[str]] = {}
    for code in residences.NAMES:
        found = clock.candidates(jurisdiction=code, **common)
        key = tuple((c.rule, c.law, c.law_name, c.restarts, c.pauses) for c in found)
        by_rules.setdefault(key, []).append(code)
    # Residences whose answers read the same: their codes, and the answer of each rule set.
    by_answer: dict[tuple[object, ...], tuple[list[str], list[Answer]]] = {}
    for codes in by_rules.values():
        found_answer = answer(clock.decide(jurisdiction=codes[0], **common), right)
        same_codes, answers = by_answer.setdefault(found_answer.group_key, ([], []))
        same_codes.extend(codes)
        answers.append(found_answer)
    groups = tuple(places(today))
    result = []
    for codes, answers in by_answer.values():
        shown = answers[0]
        if len({a.law_name for a in answers}) > 1:  # several states' own laws: one line
            shown = replace(shown, law_name="")
        result.append(Expectation(frozenset(codes), shown, groups))
    return sorted(result, key=lambda e: _first_place(e.codes, groups))


def _first_place(codes: frozenset[str], groups: tuple[Place, ...]) -> tuple[int, float]:
    """Where a line goes: by the first place it covers, the line with more of it first."""
    for n, place in enumerate(groups):
        if inside := place.codes & codes:
            return n, -len(inside) / len(place.codes)
    return len(groups), 0.0


# Channels a person can use instead of the form, in the order a page lists them.
OTHER_CHANNELS = (
    ChannelKind.EMAIL,
    ChannelKind.POSTAL_MAIL,
    ChannelKind.CERTIFIED_MAIL,
    ChannelKind.PHONE,
    ChannelKind.FAX,
    ChannelKind.SELF_SERVICE,
)


# -- The US state opt-outs: offered where the policy declares the practice and a law gives them --

_SAID_OR_UNSAID = frozenset({Declaration.YES, Declaration.NOT_STATED})
# Which declarations of the policy (``PolicyVersion`` fields) bring each opt-out onto the form,
# and with which values. California's opt-out is of "sale or sharing" (Cal. Civ. Code
# §1798.120, §1798.135): selling or sharing brings it; the other states' opt-out of targeted
# advertising follows sharing for it. A policy silent on a practice may well engage in it, so
# "not stated" offers the opt-out too; only a "no" leaves it out. California's limit on the use
# of sensitive information is offered only where the policy says it uses it beyond the
# purposes of §7027(m): within them there is nothing to limit.
OFFERED_WHEN: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    RightKind.OPT_OUT_SALE: (("sells", _SAID_OR_UNSAID), ("shares", _SAID_OR_UNSAID)),
    RightKind.OPT_OUT_TARGETED_ADS: (("shares", _SAID_OR_UNSAID),),
    RightKind.OPT_OUT_PROFILING: (("profiles", _SAID_OR_UNSAID),),
    RightKind.LIMIT_SENSITIVE: (("sensitive_beyond_permitted", frozenset({Declaration.YES})),),
}
# The clause of the policy that says so, quoted beside the opt-out.
DECLARATION_CLAUSES = {
    "sells": "sells_clause",
    "shares": "shares_clause",
    "profiles": "profiles_clause",
    "sensitive_beyond_permitted": "sensitive_clause",
}
# What the policy declares, in the requester's words: (said so, not said).
DECLARATION_WORDS: dict[str, tuple[Promise, Promise]] = {
    "sells": (
        _("The privacy policy says that %(name)s sells personal information."),
        _("The privacy policy does not say whether %(name)s sells personal information."),
    ),
    "shares": (
        _(
            "The privacy policy says that %(name)s shares personal information for targeted "
            "advertising."
        ),
        _(
            "The privacy policy does not say whether %(name)s shares personal information for "
            "targeted advertising."
        ),
    ),
    "profiles": (
        _(
            "The privacy policy says that %(name)s uses personal information for profiling that "
            "leads to decisions with legal or similarly significant effects."
        ),
        _(
            "The privacy policy does not say whether %(name)s uses personal information for "
            "profiling that leads to decisions with legal or similarly significant effects."
        ),
    ),
    "sensitive_beyond_permitted": (
        _(
            "The privacy policy says that %(name)s uses sensitive personal information for more "
            "than the purposes the law allows without offering this choice."
        ),
        _(
            "The privacy policy does not say whether %(name)s uses sensitive personal "
            "information for more than the purposes the law allows without offering this choice."
        ),
    ),
}


@dataclass(frozen=True)
class Declared:
    """What the policy says about a practice an opt-out is about: its declaration in words (in
    the page's language) and its own clause (in the policy's English), if it has one."""

    words: str
    clause: str


def declares_practice(version: PolicyVersion, kind: str) -> bool:
    """Whether ``version`` declares (or does not deny) the practice an opt-out is about."""
    return any(getattr(version, name) in values for name, values in OFFERED_WHEN.get(kind, ()))


def opt_out_residences(
    organization: Organization, kind: str, *, on: datetime.date
) -> frozenset[str]:
    """The residences whose law, in force on ``on`` and reaching the organization, gives the
    opt-out ``kind``: California for sale or sharing and the limit (``CCPA_OPT_OUTS``), each
    other state for the opt-outs its law lists (``StateLaw.opt_outs``)."""
    right = jurisdictions.Right(kind)
    found = set()
    for code in residences.NAMES:
        if not code.startswith("US-") or not clock.serves(organization, code):
            continue
        law = jurisdictions.residence_law(code, on=on)
        if law is None:
            continue
        if law.law is Law.CCPA:
            gives = right in jurisdictions.CCPA_OPT_OUTS
        else:
            gives = law.state_law is not None and right in law.state_law.opt_outs
        if gives:
            found.add(code)
    return frozenset(found)


def statutory_opt_outs(
    organization: Organization, version: PolicyVersion, *, on: datetime.date
) -> list[str]:
    """The opt-outs the form offers though the policy does not promise them: the law gives them
    (to the residents of ``opt_out_residences``) wherever the policy declares the practice, and
    a request for one is logged as "right not promised", which is what it is."""
    promised = set(channel_rules.rules_for(version).kinds)
    return [
        str(kind)
        for kind in OFFERED_WHEN
        if kind not in promised
        and declares_practice(version, kind)
        and opt_out_residences(organization, kind, on=on)
    ]


def form_kinds(
    organization: Organization, version: PolicyVersion, *, on: datetime.date
) -> list[str]:
    """Every right the form offers, in its order: those the policy promises, then the opt-outs
    the law gives (``statutory_opt_outs``). A post is checked against these."""
    return [
        *channel_rules.rules_for(version).kinds,
        *statutory_opt_outs(organization, version, on=on),
    ]


def is_opt_out(kind: str) -> bool:
    """An opt-out (or California's limit): no identity verification may be asked for it (Cal.
    Code Regs. tit. 11 §7060(b), §7027(e)), so it is acted on at once, without a confirmation."""
    return kind in OPT_OUT_KINDS


def asks_access_scope(organization: Organization, right_kind: str, residence: str) -> bool:
    """Whether the form asks what a request to know wants: a Californian's, where the CCPA
    reaches the organization. The categories of personal information need a reasonable degree
    of certainty about the requester, the specific pieces a reasonably high one (Cal. Code Regs.
    tit. 11 §7062(b)-(c)): the requester chooses knowing what each asks of them."""
    return (
        right_kind == RightKind.ACCESS
        and residence == "US-CA"
        and clock.serves(organization, "US-CA")
    )


@dataclass
class Offer:
    """One right the form offers: one the policy in force promises (``right``), or an opt-out
    the law gives and the policy does not promise (``right`` None).

    The deadlines to expect are computed when a page shows them, not when a post is checked.
    """

    kind: str
    right: Right | None
    channels: list[Channel]
    organization: Organization
    version: PolicyVersion
    today: datetime.date

    @property
    def label(self) -> Promise | str:
        return RightKind(self.kind).label

    @property
    def by_law(self) -> bool:
        """Offered because the law gives it, not because the policy promises it."""
        return self.right is None

    @property
    def is_opt_out(self) -> bool:
        return is_opt_out(self.kind)

    @cached_property
    def expectations(self) -> list[Expectation]:
        return expectations(
            self.organization, self.version, self.right, today=self.today, kind=self.kind
        )

    @property
    def requires(self) -> list[str]:
        return [str(item) for item in self.right.requires or []] if self.right else []

    @cached_property
    def residents(self) -> str:
        """For an opt-out: the residences whose law gives it, in words ("California, Colorado,
        Connecticut, …"); "" for any other right."""
        if not self.is_opt_out:
            return ""
        return _names(opt_out_residences(self.organization, self.kind, on=self.today))

    @property
    def declarations(self) -> list[Declared]:
        """What the policy says about the practices that bring this opt-out onto the form, in
        words chosen when the page shows them."""
        found = []
        for name, values in OFFERED_WHEN.get(self.kind, ()):
            value = getattr(self.version, name)
            if value not in values:
                continue
            said, unsaid = DECLARATION_WORDS[name]
            words = (said if value == Declaration.YES else unsaid) % {
                "name": self.organization.name
            }
            found.append(Declared(words, getattr(self.version, DECLARATION_CLAUSES[name])))
        return found


def policy_for_form(organization: Organization) -> PolicyVersion | None:
    return PolicyVersion.objects.in_force_for(organization)


# ``form_policy``'s ``row_versions`` when the caller has not read them.
UNREAD: Any = object()


def form_policy(
    slug: str, *, row_versions: RowVersions | None = UNREAD
) -> tuple[Organization | None, PolicyVersion | None]:
    """The organization of ``slug`` and its version in force, in one read when it has one.

    The version comes with its organization attached (``version.organization``). None, None
    when there is no such organization. Each call gets its own copies of the two models, whose
    fields callers may set (but not change lists or dicts in place: those are shared).

    On PostgreSQL the last read is kept per process and checked, on each call, against where and
    by which transaction the two rows were last written (``ctid``, ``xmin``: an update writes a
    new row version, elsewhere, in another transaction): a tiny query in place of the read. Any
    change to the organization, or a new version in force, makes the next call read afresh.
    Every form post comes through here, and the read, with its two models built field by field,
    was a sixth of the CPU a post cost.

    ``row_versions``: the check's answer, when the caller read it in a statement of its own
    that runs anyway (``form_policy_row_versions_sql``; the API's authentication does).
    """
    if connection.vendor != "postgresql":
        return _read_form_policy(slug)
    versions = _form_policy_row_versions(slug) if row_versions is UNREAD else row_versions
    kept = _FORM_POLICIES.get(slug)
    if kept is None or versions is None or kept[0] != versions:
        organization, version = _read_form_policy(slug)
        if version is None or organization is None:  # a version comes with its organization
            return organization, None
        # Read after the versions: a change in between is seen by the next call's check.
        kept = (versions, organization, version)
        with _FORM_POLICIES_LOCK:
            if len(_FORM_POLICIES) >= 1000:
                _FORM_POLICIES.clear()
            _FORM_POLICIES[slug] = kept
    organization, version = copy.copy(kept[1]), copy.copy(kept[2])
    version.organization = organization
    return organization, version


RowVersions = tuple[str, ...]
_FORM_POLICIES: dict[str, tuple[RowVersions | None, Organization, PolicyVersion]] = {}
_FORM_POLICIES_LOCK = threading.Lock()


def form_policy_row_versions_sql(organization: str) -> str:
    """A scalar subquery: ``form_policy``'s check for the organization row ``organization``
    (an SQL alias of the organizations table), as a text array, NULL without a version in
    force. For a caller whose statement reads the organization anyway (``dsar.api.keys``)."""
    q = connection.ops.quote_name
    versions = q(PolicyVersion._meta.db_table)
    status = PolicyVersionStatus.IN_FORCE.value
    if not status.isidentifier():  # pragma: no cover - it is written into the statement
        raise ValueError(status)
    return (
        # Identifiers quoted by the backend, of our own tables; the status is our constant.
        f"(SELECT ARRAY[{organization}.ctid::text, {organization}.xmin::text, v.id::text, "  # noqa: S608
        f"v.ctid::text, v.xmin::text] FROM {versions} v "
        f"WHERE v.organization_id = {organization}.id AND v.status = '{status}')"
    )


def _form_policy_row_versions(slug: str) -> RowVersions | None:
    """Where and by whom the organization and its version in force were last written, None
    without one. (Within one transaction, as in tests, only the place changes.)"""
    organizations = connection.ops.quote_name(Organization._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Identifiers quoted by the backend, of our own tables; the slug is a parameter.
            f"SELECT {form_policy_row_versions_sql('o')} "  # noqa: S608
            f"FROM {organizations} o WHERE o.slug = %s",
            [slug],
        )
        row = cursor.fetchone()
    return tuple(row[0]) if row and row[0] else None


def _read_form_policy(slug: str) -> tuple[Organization | None, PolicyVersion | None]:
    # At most one version is in force per organization (a unique constraint): no ordering. The
    # policy's text (tens of kilobytes, read from TOAST on every post) is not needed here.
    found = list(
        PolicyVersion.objects.in_force()
        .filter(organization__slug=slug)
        .select_related("organization")
        .defer("text")
        .order_by()[:1]
    )
    if found:
        return found[0].organization, found[0]
    return Organization.objects.filter(slug=slug).order_by().first(), None


def offers(
    organization: Organization, version: PolicyVersion, *, today: datetime.date | None = None
) -> list[Offer]:
    """Every right the version promises, with its channels and the deadlines to expect, then
    the opt-outs the law gives where the policy declares the practice (``statutory_opt_outs``)."""
    today = today or organization.today()
    rights = (
        version.rights.all()
        .prefetch_related(Prefetch("channels", queryset=Channel.objects.order_by("position", "id")))
        .order_by("position", "id")
    )
    result = []
    for right in rights:
        channels = [c for c in right.channels.all() if c.kind in OTHER_CHANNELS and c.address]
        result.append(Offer(right.kind, right, channels, organization, version, today))
    for kind in statutory_opt_outs(organization, version, on=today):
        result.append(Offer(kind, None, [], organization, version, today))
    return result


# -- Where a request stands, in the requester's words ----------------------------------------------

# The staff labels are in Status; these are the requester's.
REQUESTER_STATUS: dict[str, Promise] = {
    Status.RECEIVED: _("Received"),
    Status.AWAITING_VERIFICATION: _("We are checking who you are"),
    Status.IN_PROGRESS: _("Being worked on"),
    Status.WAITING_REQUESTER: _("Waiting for information from you"),
    Status.FULFILLED: _("Answered"),
    Status.PARTIALLY_FULFILLED: _("Partly answered"),
    Status.DENIED: _("Refused"),
    Status.WITHDRAWN: _("Withdrawn"),
    Status.CLOSED_UNVERIFIABLE: _("Closed: we could not verify who you are"),
    Status.CLOSED_DUPLICATE: _("Closed: the same as an earlier request"),
}
CONFIRM_EMAIL = _("Confirm your email address: follow the link we emailed you")
CLOSED_UNCONFIRMED = _("Closed: your email address was not confirmed")
# What the organization asked for, as the status page heads the words staff sent.
ASKED_FOR: dict[str, Promise] = {
    WaitingFor.IDENTITY: _("Information to check who you are"),
    WaitingFor.CLARIFICATION: _("More details about your request"),
    WaitingFor.FEE: _("A fee"),
}


def awaits_email(request: PrivacyRequest) -> bool:
    """Whether the request waits for its requester to follow the link emailed to them."""
    return request.status == Status.WAITING_REQUESTER and request.waiting_for == WaitingFor.EMAIL


def email_never_confirmed(request: PrivacyRequest) -> bool:
    """Whether the request came through the web form and its email address was never confirmed
    (what a reminder, or the notice of its closure, is about)."""
    from dsar.intake.models import IntakeSubmission

    if awaits_email(request):
        return True
    return IntakeSubmission.objects.filter(
        request=request, confirmation_asked=True, verified_at__isnull=True
    ).exists()


def requester_status(request: PrivacyRequest, *, email_confirmed: bool = True) -> Promise | str:
    if awaits_email(request):
        return CONFIRM_EMAIL
    if request.status == Status.CLOSED_UNVERIFIABLE and not email_confirmed:
        return CLOSED_UNCONFIRMED
    return REQUESTER_STATUS.get(request.status, request.get_status_display())


@dataclass(frozen=True)
class Asked:
    """What the organization asked the requester for, in the words staff sent them (the
    note of the ASKED_REQUESTER event), and what waiting for it does to the date
    (``clock.Decision.waiting_effect``): ``holds`` is the date that stays when only some rules
    stop."""

    waiting_for: str
    note: str
    fee: str
    effect: ClockEffect
    holds: Answer | None = None

    @property
    def heading(self) -> Promise | str:
        return ASKED_FOR.get(self.waiting_for, "")


def _holding(effect: clock.WaitingEffect, right: Right | None) -> Answer | None:
    """The date that stays whatever the wait, and what it rests on (a law before a promise of
    the same date)."""
    due = effect.holds_until
    if due is None:
        return None
    holding = [c for c, day in effect.running if day == due]
    law = next((c for c in holding if not c.is_promise), None)
    if law is None:
        promise = (right.deadline_promise or "") if right is not None else ""
        return Answer(Basis.PROMISE, due, promise=promise)
    return Answer(Basis.LAW, due, str(law.law or ""), law.law_name)


def asked(request: PrivacyRequest, decision: clock.Decision) -> Asked | None:
    """What the request waits for from its requester (identity information, clarification or a
    fee); None when it waits for nothing, or only for the email confirmation."""
    if request.status != Status.WAITING_REQUESTER or request.waiting_for in ("", WaitingFor.EMAIL):
        return None
    event = (
        request.events.filter(kind=EventKind.ASKED_REQUESTER, data__waiting_for=request.waiting_for)
        .order_by("-at", "-id")
        .first()
    )
    data = event.data if event is not None else {}
    fee = ""
    if request.waiting_for == WaitingFor.FEE and request.fee_amount is not None:
        fee = f"{request.fee_amount} {request.fee_currency}".strip()
    effect = decision.waiting_effect(request.waiting_for)
    holds = _holding(effect, request.right) if effect.effect is ClockEffect.PARTLY else None
    return Asked(request.waiting_for, str(data.get("note") or ""), fee, effect.effect, holds)


@dataclass(frozen=True)
class StatusView:
    """The status page of one request: where it stands, what is asked of the requester, and
    when to expect an answer (while it is open)."""

    label: Promise | str
    answer: Answer | None
    asked: Asked | None
    awaits_email: bool


def status_view(request: PrivacyRequest, *, email_confirmed: bool) -> StatusView:
    decision = clock.decide_for(request)
    return StatusView(
        label=requester_status(request, email_confirmed=email_confirmed),
        answer=answer_for(request, decision) if request.is_open else None,
        asked=asked(request, decision),
        awaits_email=awaits_email(request),
    )


# -- Appeals of a refusal, where the requester's state law gives one ------------------------------


def attorney_general(residence: str) -> authorities.Authority | None:
    """The Attorney General a resident of ``residence`` can turn to (``dsar.authorities``)."""
    try:
        found = authorities.complaint_authorities(residence)
    except ValueError:
        return None
    return next((a for a in found if a.role == authorities.Role.ATTORNEY_GENERAL), None)


@dataclass(frozen=True)
class AppealRoute:
    """What the status page of a refused request says about appealing it, from the appeal the
    law of the requester's state gives (``requests.services.appeal_route``).

    ``decide_by``: the date the organization must decide by if the requester appeals today, from
    ``clock.decide`` as the appeal itself will be logged. ``period_read``: the statute's own
    period was read (docs/us-state-laws.md); where it was not, dsar gives the organization the
    shortest period of any state, and the page says the organization's date, not the law's.
    ``open_until``: the end of the time to appeal (``appeal_open_until``); ``filed``: the appeal
    already made, shown with its status and date instead of the form."""

    law_name: str
    period_read: bool
    open_until: datetime.datetime | None
    is_open: bool
    decide_by: Answer | None
    attorney_general: authorities.Authority | None
    filed: PrivacyRequest | None = None
    filed_label: Promise | str = ""
    filed_answer: Answer | None = None

    @property
    def law_words(self) -> str:
        return Answer(Basis.LAW, None, Law.US_STATE_PRIVACY, self.law_name).law_words


def appeal_route(
    request: PrivacyRequest, *, now: datetime.datetime | None = None
) -> AppealRoute | None:
    """The appeal of ``request`` as its status page shows it; None where the law of the
    requester's residence gives none (California, a place without a state law, a request not
    refused), so that the page says nothing about appeals."""
    route = request_services.appeal_route(request)
    if route is None:
        return None
    state_law, appeal = route
    now = now or timezone.now()
    organization = request.organization
    ag = attorney_general(request.jurisdiction)
    filed = request.appeals.select_related("organization", "right").order_by("received_at").first()
    if filed is not None:
        return AppealRoute(
            law_name=state_law.name,
            period_read=appeal.mark != "safe",
            open_until=None,
            is_open=False,
            decide_by=None,
            attorney_general=ag,
            filed=filed,
            filed_label=requester_status(filed),
            filed_answer=answer_for(filed) if filed.is_open else None,
        )
    until = request_services.appeal_open_until(request)
    is_open = until is not None and now <= until
    decide_by = None
    if is_open:
        decision = clock.decide(
            organization=organization,
            right=None,
            right_kind=RightKind.APPEAL,
            jurisdiction=request.jurisdiction,
            designated=False,
            received_on=organization.today(),
        )
        decide_by = answer(decision, None)
    return AppealRoute(
        law_name=state_law.name,
        period_read=appeal.mark != "safe",
        open_until=until,
        is_open=is_open,
        decide_by=decide_by,
        attorney_general=ag,
    )


@dataclass(frozen=True)
class AppealOf:
    """The status page of an appeal: the refused request it appeals and, once the appeal is
    denied, the Attorney General the requester can turn to (the state laws require the
    organization to say how: e.g. Iowa Code §715D.3(3), Ky. Rev. Stat. §367.3615(4))."""

    original: PrivacyRequest
    attorney_general: authorities.Authority | None


def appeal_of(request: PrivacyRequest) -> AppealOf | None:
    original = request.appeal_of
    if original is None:
        return None
    denied = request.status in (Status.DENIED, Status.PARTIALLY_FULFILLED)
    return AppealOf(original, attorney_general(request.jurisdiction) if denied else None)


# -- How the request will be verified: what the acknowledgement of receipt says --------------------


@dataclass(frozen=True)
class IdentityCheck:
    """Whether and why the organization must verify who the requester is before it acts.

    ``how``: "ccpa" (a Californian's request to know, delete or correct: Cal. Code Regs. tit. 11
    §7060, the 45 days running "regardless of time required to verify", §7021(b)); "state" (a
    state law's authenticated request, ``law_name``); "policy" (the policy requires it); "ask"
    (nothing requires it: the organization asks only if it needs to)."""

    how: str
    law_name: str = ""

    @property
    def law_words(self) -> str:
        return Answer(Basis.LAW, None, Law.US_STATE_PRIVACY, self.law_name).law_words


def identity_check(request: PrivacyRequest) -> IdentityCheck:
    """Why the identity of ``request``'s requester must be verified, as ``request_log`` decided
    it (``identity_status``) and the law of their residence says it
    (``jurisdictions.requires_verification``)."""
    if request.identity_status != IdentityStatus.PENDING:
        return IdentityCheck("ask")
    law = clock.residence_law(request)
    by_law = (
        law is not None
        and request.right_kind in set(jurisdictions.Right)
        and jurisdictions.requires_verification(
            right=request.right_kind, jurisdiction=request.jurisdiction, on=request.received_on
        )
    )
    if by_law and law is not None:
        return IdentityCheck("ccpa") if law.law is Law.CCPA else IdentityCheck("state", law.name)
    return IdentityCheck("policy")


# -- What the status page lists ----------------------------------------------------------------


@dataclass(frozen=True)
class Released:
    """One thing released to the requester, as the status page lists it.

    ``source`` says who serves it: "f" (a file of ``release_file``) and "l" (an issued letter of
    ``dsar.letters``) through this app's one-hour download links; "p" (a data package) through
    the link of ``dsar.letters``, which counts the downloads and stops at ``expires_at``.
    """

    source: str
    pk: int
    title: str
    kind_label: Promise | str
    size: int
    released_at: datetime.datetime
    expires_at: datetime.datetime | None = None
    package: DataPackage | None = None


def released_to_requester(
    request: PrivacyRequest, *, now: datetime.datetime | None = None
) -> list[Released]:
    """The letters and files released to the requester of ``request``, oldest first.

    Files released here (not withdrawn), the letters ``dsar.letters`` released
    (``Letter.objects.released_to_requester``) and its data packages while their link is valid.
    """
    from dsar.intake.models import ReleasedFile
    from dsar.letters.models import DataPackage, Letter

    now = now or timezone.now()
    found = [
        Released("f", f.pk, f.title, f.get_kind_display(), f.size, f.released_at)
        for f in ReleasedFile.objects.filter(request=request, withdrawn_at__isnull=True)
    ]
    for letter in Letter.objects.released_to_requester(request).select_related("request"):
        title = _("Letter %(ref)s: %(kind)s") % {
            "ref": letter.reference,
            "kind": letter.get_kind_display(),
        }
        found.append(Released("l", letter.pk, title, _("letter"), letter.size, letter.released_at))
    packages = DataPackage.objects.filter(
        request=request, released_at__isnull=False, link_expires_at__gt=now
    ).select_related("request")
    for package in packages:
        found.append(
            Released(
                "p",
                package.pk,
                capfirst(str(_("copy of your data"))),
                _("ZIP file"),
                package.size,
                package.released_at,
                expires_at=package.link_expires_at,
                package=package,
            )
        )
    return sorted(found, key=lambda item: (item.released_at, item.source, item.pk))
