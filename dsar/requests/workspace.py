"""Reads of the staff workspace: who may act where, the dashboard's queues and chart, the export.

Selectors only (style rule 5): nothing here writes. Every query starts from
``PrivacyRequest.objects.for_user(user)``, so a staff member only ever counts, lists or exports the
requests of the organizations they are a member of.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dsar.deadlines import Rule
from dsar.jurisdictions import Law, uoom_required
from dsar.letters.models import Letter
from dsar.lib.json_rows import instances, json_rows
from dsar.organizations.models import Organization, holds_role_anywhere, holds_role_in, today_in
from dsar.organizations.tenancy import ACTING_ROLES, organizations_of
from dsar.policies.models import Exemption
from dsar.requests import clock, verification
from dsar.requests.models import (
    AgentAuthority,
    EventKind,
    IdentityStatus,
    PrivacyRequest,
    PrivacyRequestQuerySet,
    RequestEvent,
    Status,
    Today,
)

# Roles that may change a request; an auditor only reads.
# "Due soon" on the dashboard and "due this week" in the list: the same window.
DUE_SOON_DAYS = 7
# Largest CSV export from the list: the audit entry names every request exported, and a bigger
# extract of personal data is a job for ``export_requests`` on the server, not a browser download.
EXPORT_LIMIT = 50_000


# -- Tenancy and roles -----------------------------------------------------------------------------


def can_act_on(user: Any, request: PrivacyRequest) -> bool:
    """Whether ``user`` may act on ``request``: the model permission *and* an acting role in the
    request's organization (a handler of one organization may be an auditor of another)."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return user.has_perm("requests.change_privacyrequest") and holds_role_in(
        user, request.organization_id, ACTING_ROLES
    )


def can_log(user: Any) -> bool:
    """Whether ``user`` may log requests received by email, mail, phone or fax."""
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("requests.add_privacyrequest")
        and holds_role_anywhere(user, ACTING_ROLES)
    )


def todays_for(user: Any) -> dict[int, datetime.date]:
    """Today in each of the user's organizations, by organization id: what "overdue" and "due
    this week" mean for each (one small query; the dashboard and the list filters use it)."""
    now = timezone.now()
    return {
        pk: today_in(zone, now)
        for pk, zone in organizations_of(user).values_list("pk", "time_zone")
    }


# -- Dates and times as staff read them ------------------------------------------------------------

# A day as "5 Mar 2026": never 03/05/2026, which reads as 3 May in most of the world.
DAY_FORMAT = "j M Y"
# An instant as "6 Dec 2026, 14:05 EST", then the zone's name: the abbreviation alone is
# ambiguous (CST is Chicago, Shanghai and Havana) and says nothing to a reader elsewhere.
TIME_FORMAT = "j M Y, H:i T"


def day(value: datetime.date) -> str:
    """A date in words staff cannot misread, whatever their country's order of day and month."""
    return date_format(value, DAY_FORMAT)


@dataclass(frozen=True)
class LocalTime:
    """An instant as staff of an organization read it: in its time zone, the zone named."""

    iso: str  # for <time datetime="…">
    text: str  # "6 Dec 2026, 14:05 EST (America/New_York)"

    def __str__(self) -> str:
        return self.text


def local_time(value: datetime.datetime, organization: Organization) -> LocalTime:
    """``value`` in the organization's time zone, where its days of receipt and deadlines are
    counted, with the zone's name: a handler in London reading a Florida request sees the time
    the request arrived in Florida, and is told so."""
    zone = organization.time_zone
    local = timezone.localtime(value, ZoneInfo(zone))
    text = date_format(local, TIME_FORMAT)
    if local.tzname() != zone:
        text = f"{text} ({zone})"
    return LocalTime(local.isoformat(), text)


# -- Deadline in words and colour ------------------------------------------------------------------


class Tone:
    """The colour class of a deadline; the text always says the same in words."""

    OVERDUE = "overdue"  # red
    SOON = "soon"  # amber: due within DUE_SOON_DAYS
    OK = "ok"  # green
    NONE = "none"  # only the organization's own date, or closed


@dataclass(frozen=True)
class DeadlineStatus:
    tone: str
    short: str  # "3 days left": for the list
    text: str  # "3 days left (due 5 March 2026)": for the request page
    days_left: int | None


def deadline_status(request: PrivacyRequest, today: datetime.date) -> DeadlineStatus:
    """How the deadline stands today, in words (never colour alone).

    Without a date set by a law or the policy's promise, the organization sets one (its internal
    target), and the words say so: dsar never tells staff that no law sets a deadline, which a
    reader takes as "no hurry" (legal-rules.md, "What the app never says")."""
    if request.due_date is None:
        short = str(_("Set by the organization"))
        if request.internal_target:
            target = day(request.internal_target)
            text = str(_("Set by the organization: internal target %(day)s") % {"day": target})
        else:
            text = short
        return DeadlineStatus(Tone.NONE, short, text, None)
    due = day(request.due_date)
    if not request.is_open:
        zone = ZoneInfo(request.organization.time_zone)
        closed_at = request.closed_at
        closed_on = timezone.localtime(closed_at, zone).date() if closed_at else None
        late = closed_on is not None and closed_on > request.due_date
        short = str(_("Closed late") if late else _("Closed in time"))
        return DeadlineStatus(Tone.NONE, short, f"{short} ({due})", None)
    days = (request.due_date - today).days
    if days < 0:
        tone = Tone.OVERDUE
        short = ngettext("%(days)d day overdue", "%(days)d days overdue", -days) % {"days": -days}
    elif days == 0:
        tone, short = Tone.SOON, str(_("Due today"))
    else:
        tone = Tone.SOON if days <= DUE_SOON_DAYS else Tone.OK
        short = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    text = str(_("%(short)s (due %(due)s)") % {"short": short, "due": due})
    return DeadlineStatus(tone, short, text, days)


# -- What the date rests on, and whether it can be extended ----------------------------------------


@dataclass(frozen=True)
class BasisStatement:
    """What a request's date rests on, as the letters say it (``clock.decide_for``)."""

    kind: clock.Basis
    text: str


def basis_statement(request: PrivacyRequest) -> BasisStatement:
    """The law (named), the policy's promise (said as a promise), or the organization's own date:
    read from ``clock.decide_for``, the one decision the letters, the status page and the evidence
    pack read too, so staff see the basis the requester is told (docs/legal-decisions.md)."""
    decision = clock.decide_for(request)
    kind = decision.basis_kind
    if kind is clock.Basis.LAW:
        binding = decision.binding_law
        assert binding is not None  # noqa: S101 - a law basis has its law
        name = binding.law_name or binding.rule.label
        text = _t("The law: %(law)s (%(citation)s)") % {
            "law": name,
            "citation": binding.rule.citation,
        }
    elif kind is clock.Basis.PROMISE:
        promise = request.right.deadline_promise if request.right else ""
        text = _t(
            "The policy's promise of “%(promise)s”: a promise the organization made, not a "
            "statutory deadline"
        ) % {"promise": promise}
    else:
        text = _t(
            "The organization's own date: neither a law dsar applies nor the policy's promise "
            "sets one, so the organization sets the internal target"
        )
    return BasisStatement(kind, text)


def extension_unavailable(request: PrivacyRequest) -> str:
    """Why the deadline of an open request cannot be extended, in words; "" when it can.

    A marketing objection or opt-out is acted on without extension (``clock.extension_allowed``;
    GDPR Art. 21(3)), a rule without one (CAN-SPAM, Cal. Civ. Code 1798.83, the LGPD:
    ``Rule.max_extension == 0``) has none, and an extension is given once. The service decides
    again when asked (``services.request_extend``); this only decides what is offered."""
    if not request.is_open or request.due_date is None:
        return ""
    if request.extended:
        return _t("Already extended once, to the rule's maximum.")
    if not clock.extension_allowed(request.right_kind):
        return _t(
            "An objection to direct marketing is acted on without extension (GDPR Art. 21(3); "
            "CAN-SPAM allows none)."
        )
    rule = Rule.parse(request.deadline_rule) if request.deadline_rule else None
    if rule is None or rule.max_extension == 0:
        label = rule.label if rule else _t("The rule of this deadline")
        return _t("%(rule)s allows no extension.") % {"rule": label}
    extended = clock.decide_for(request, extended=True).deadline
    if extended is None or extended.due <= request.due_date:
        return _t("Another rule that applies keeps the date where it is: it allows no extension.")
    return ""


def extension_offered(request: PrivacyRequest) -> bool:
    """Whether the "Extend the deadline" action is offered for ``request``."""
    return request.is_open and request.due_date is not None and not extension_unavailable(request)


# -- Letters issued but not sent -------------------------------------------------------------------


@dataclass(frozen=True)
class PageExemptions:
    """The exemptions the request page needs, read together: those the policy keeps for the
    request's right (the choices of the partly-fulfil and deny forms) and those the request
    relied on (its details)."""

    offered: list[Exemption]
    relied_on: list[Exemption]


def page_exemptions(request: PrivacyRequest) -> PageExemptions:
    """One query instead of one per form and one for the details (bench/request_page.py). The
    exemptions relied on are read whatever their right, as they were recorded."""
    relied_on = PrivacyRequest.exemptions.through.objects.filter(
        privacyrequest_id=request.pk, exemption_id=OuterRef("pk")
    )
    wanted = Q(Exists(relied_on))
    if request.right_id is not None:
        wanted |= Q(right_id=request.right_id)
    rows = list(
        Exemption.objects.filter(wanted)
        .annotate(relied_on=Exists(relied_on))
        .order_by("right_id", "position", "pk")
    )
    return PageExemptions(
        offered=[
            e for e in rows if request.right_id is not None and e.right_id == request.right_id
        ],
        relied_on=[e for e in rows if e.relied_on],
    )


def letters_issued_not_sent(request: PrivacyRequest) -> list[Letter]:
    """Letters of ``request`` that were issued but never released to the requester.

    A letter is released (``Letter.released_at``) when it is queued for sending by email or its
    package is released; until then the requester has not got it. A letter corrected by a later
    one is left out (the correction is the one to send), and so is a purged one. Closing a
    request with such a letter asks staff to confirm that they know (``forms.ClosingForm``).

    A request read ``with_unsent_letters`` already holds them, and the database is not asked."""
    rows = request.__dict__.get(UNSENT_LETTER_ROWS, _NOT_READ)
    if rows is not _NOT_READ:
        letters = instances(Letter, rows, order_by="number")
        for letter in letters:
            letter.request = request
        return letters
    return list(
        _unsent_letters().filter(request=request).select_related("request").order_by("number")
    )


def _unsent_letters() -> QuerySet[Letter]:
    return Letter.objects.filter(
        released_at__isnull=True, purged_at__isnull=True, corrections__isnull=True
    )


UNSENT_LETTER_ROWS = "unsent_letter_rows"
_NOT_READ = object()


def with_unsent_letters(requests: QuerySet[PrivacyRequest]) -> QuerySet[PrivacyRequest]:
    """``requests`` with their unsent letters (``letters_issued_not_sent``) in the same query:
    the request page's closing forms all need them (bench/request_page.py)."""
    return requests.annotate(
        **{
            UNSENT_LETTER_ROWS: json_rows(
                _unsent_letters(), "request", ["id", "request_id", "number", "kind"]
            )
        }
    )


# -- US state rights on the request page ----------------------------------------------------------


@dataclass(frozen=True)
class VerificationState:
    """The degree of certainty the law of the requester's residence asks before an answer, and
    how far staff got (``verification.required_level``): what the request page says, so that a
    handler knows what to match before pressing "Fulfil", which the service would refuse."""

    citation: str
    asks: str  # "3 data points (2 so far) and a signed declaration (not yet received)"
    matched: list[str]
    missing: list[str]  # in words; [] when the level is reached
    # The identity was not required when the request was logged (e.g. imported so): the level
    # is shown, and the service does not hold the answer back for it.
    enforced: bool
    # The organization lists no data points: nothing can be matched until its privacy officer
    # lists them on the organization's page.
    nothing_to_match: bool

    @property
    def reached(self) -> bool:
        return not self.missing


def verification_state(request: PrivacyRequest) -> VerificationState | None:
    """The verification level that applies to ``request``, or None where the law sets none (an
    opt-out, an appeal, a GDPR request: Art. 12(6) lets the organization ask when in doubt)."""
    level = verification.required_level(request)
    if level is None:
        return None
    found = len(request.data_points_matched)
    asks = ngettext(
        "%(n)d data point (%(found)d so far)",
        "%(n)d data points (%(found)d so far)",
        level.data_points,
    ) % {"n": level.data_points, "found": found}
    if level.declaration:
        signed = request.declaration_signed_on
        asks += " " + (
            _t("and a signed declaration (received, dated %(day)s)") % {"day": day(signed)}
            if signed
            else _t("and a signed declaration (not yet received)")
        )
    return VerificationState(
        citation=level.citation,
        asks=asks,
        matched=list(request.data_points_matched),
        missing=level.missing(request),
        enforced=request.identity_status != IdentityStatus.NOT_REQUIRED,
        nothing_to_match=not request.organization.data_points,
    )


def unmatched_data_points(request: PrivacyRequest) -> list[str]:
    """The organization's data points not yet matched for ``request``, in its order."""
    matched = set(request.data_points_matched)
    return [point for point in request.organization.data_points if point not in matched]


def data_points_offered(request: PrivacyRequest) -> bool:
    """Whether "Record matched data points" is offered: open, a level applies whose number is
    not reached, and the organization has a data point left to match."""
    level = verification.required_level(request)
    return (
        request.is_open
        and level is not None
        and len(request.data_points_matched) < level.data_points
        and bool(unmatched_data_points(request))
    )


def declaration_offered(request: PrivacyRequest) -> bool:
    """Whether "Record the signed declaration" is offered: open, and the level asks for one
    (§7062(c)) that has not arrived."""
    if not request.is_open or request.declaration_signed_on is not None:
        return False
    level = verification.required_level(request)
    return level is not None and level.declaration


@dataclass(frozen=True)
class AgentState:
    """Where an authorized agent's request stands (Cal. Code Regs. tit. 11 §7063)."""

    name: str
    authority: str  # how it was shown, or that it was not yet checked
    confirmed_on: datetime.date | None
    gaps: list[str]  # what California still asks before an answer; [] when nothing
    california: bool  # §7063 applies: the requester lives in California and the CCPA reaches


def agent_state(request: PrivacyRequest) -> AgentState | None:
    """The agent's state, for an agent's request; None otherwise."""
    if not request.is_agent:
        return None
    residence = clock.residence_law(request)
    authority = (
        str(AgentAuthority(request.agent_authority).label)
        if request.agent_authority
        else _t("not yet checked")
    )
    return AgentState(
        name=request.agent_name,
        authority=authority,
        confirmed_on=request.consumer_confirmed_agent_on,
        gaps=verification.agent_gaps(request),
        california=residence is not None and residence.law is Law.CCPA,
    )


def agent_check_offered(request: PrivacyRequest) -> bool:
    """Whether "Check the agent's authority" is offered: an open agent's request not checked."""
    return request.is_open and request.is_agent and not request.agent_authority


def agent_confirmation_offered(request: PrivacyRequest) -> bool:
    """Whether "Consumer confirmed the agent" is offered: an open agent's request without the
    consumer's confirmation, and without a power of attorney (which stands for it, §7063(b))."""
    return (
        request.is_open
        and request.is_agent
        and request.consumer_confirmed_agent_on is None
        and request.agent_authority != AgentAuthority.POWER_OF_ATTORNEY
    )


def gpc_required_by_law(request: PrivacyRequest) -> bool:
    """Whether ``request`` came with Global Privacy Control from a resident of a state whose
    law requires honouring such a signal on the day it arrived (``uoom_required``). dsar
    honours it everywhere; this says where the law makes it an opt-out."""
    return bool(
        request.gpc
        and request.jurisdiction
        and uoom_required(request.jurisdiction, on=request.received_on)
    )


REFUSALS = (Status.DENIED, Status.PARTIALLY_FULFILLED)


def refusal_event(request: PrivacyRequest) -> RequestEvent | None:
    """The event that refused ``request`` in whole or in part (the latest, as
    ``services.first_decider`` reads it), or None: who refused and when."""
    return (
        request.events.filter(kind=EventKind.STATUS_CHANGED, to_status__in=REFUSALS)
        .order_by("-at", "-id")
        .first()
    )


@dataclass(frozen=True)
class AppealFacts:
    """An appeal and the refusal it appeals, or a refused request and its appeals."""

    appealed: PrivacyRequest | None  # for an appeal: the refused request
    refusal: RequestEvent | None  # for an appeal: who refused the request it appeals, and when
    appeals: list[PrivacyRequest]  # for a refused request: its appeals


def appeal_facts(request: PrivacyRequest) -> AppealFacts | None:
    """What the request page says about appeals, or None when they do not concern ``request``.
    A query or two, on one request's page."""
    if (appealed := request.appeal_of) is not None:
        return AppealFacts(appealed, refusal_event(appealed), [])
    if request.status not in REFUSALS:
        return None
    appeals = list(request.appeals.select_related("assignee").order_by("received_at", "id"))
    return AppealFacts(None, None, appeals) if appeals else None


# -- Dashboard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    """A dashboard queue: how many requests are in it, and the list filter that shows them."""

    key: str
    label: str | Promise
    count: int
    query: str  # the request list's querystring


@dataclass(frozen=True)
class MonthOnTime:
    """Requests answered in one month that had a legal deadline: on time or late."""

    month: datetime.date
    on_time: int
    late: int

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def percent_on_time(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


@dataclass(frozen=True)
class Dashboard:
    queues: list[Queue]
    urgent: list[PrivacyRequest]
    on_time: list[MonthOnTime]
    appeals: list[PrivacyRequest]
    #: Today in each of the user's organizations (or one date): for other panels of the page.
    todays: Today


def queues(user: Any, *, today: Today) -> list[Queue]:
    """The queues of open requests that matter, counted in one pass over the user's open
    requests (the partial covering index on open requests serves it on PostgreSQL).

    The conditions are the ones the list's filters use (``PrivacyRequestQuerySet``'s), so a
    queue's count and the list it links to cannot disagree."""
    # Counting a column of the covering index (status, never null), not the id, lets PostgreSQL
    # answer from the index alone.
    mine = PrivacyRequest.objects.for_user(user).open()

    counts = mine.aggregate(
        new=Count("status", filter=Q(status=Status.RECEIVED)),
        awaiting_verification=Count("status", filter=Q(status=Status.AWAITING_VERIFICATION)),
        due_soon=Count("status", filter=PrivacyRequestQuerySet.due_within_q(today, DUE_SOON_DAYS)),
        overdue=Count("status", filter=PrivacyRequestQuerySet.overdue_q(today)),
        unassigned=Count("status", filter=PrivacyRequestQuerySet.unassigned_q()),
    )
    # Apart, through the appeal_of index: the aggregate above reads only the covering index of
    # open requests (migration 0004), which does not hold the link to a refusal.
    counts["appeals"] = mine.filter(APPEALS_Q).count()
    return [
        Queue("new", _("New"), counts["new"], f"status__exact={Status.RECEIVED.value}"),
        Queue(
            "awaiting_verification",
            _("Awaiting identity verification"),
            counts["awaiting_verification"],
            f"status__exact={Status.AWAITING_VERIFICATION.value}",
        ),
        Queue(
            "due_soon",
            _("Due within %(days)d days") % {"days": DUE_SOON_DAYS},
            counts["due_soon"],
            "deadline=week",
        ),
        Queue("overdue", _("Overdue"), counts["overdue"], "deadline=overdue"),
        Queue("unassigned", _("Unassigned"), counts["unassigned"], "assignee=none"),
        Queue("appeals", _("Appeals awaiting decision"), counts["appeals"], "appeal=open"),
    ]


def urgent(user: Any, *, today: Today, limit: int = 10) -> list[PrivacyRequest]:
    """The open requests closest to (or past) their legal deadline, most urgent first."""
    return list(
        PrivacyRequest.objects.for_user(user)
        .open()
        .filter(PrivacyRequestQuerySet.due_by_q(today, DUE_SOON_DAYS))
        .select_related("organization", "assignee")
        .order_by("due_date", "id")[:limit]
    )


# An appeal: a request linked to the refusal it appeals (``services.request_appeal``). The list's
# appeal filter and the dashboard read the same condition, so their counts cannot disagree.
APPEALS_Q = Q(appeal_of__isnull=False)


def open_appeals(user: Any, *, limit: int = 10) -> list[PrivacyRequest]:
    """The open appeals of refusals, soonest deadline first: a state's appeal is decided within
    its own days (e.g. Va. Code §59.1-577(C): 60), by someone other than who refused where the
    organization wants it so. With the refused request, for its reference: one query, through
    the appeal_of index."""
    return list(
        PrivacyRequest.objects.for_user(user)
        .open()
        .filter(APPEALS_Q)
        .select_related("organization", "assignee", "appeal_of")
        .order_by(F("due_date").asc(nulls_last=True), "id")[:limit]
    )


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def on_time_by_month(user: Any, *, today: datetime.date, months: int = 6) -> list[MonthOnTime]:
    """Answered requests (fulfilled, partly fulfilled, denied) with a legal deadline, by month of
    the answer, over the last ``months`` months including this one: one grouped query.

    "On time" compares the day the request was closed with its legal deadline. Requests without a
    legal deadline (internal target only) are left out: the chart is about the law.
    """
    first = _month_start(today, months - 1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    answered = [s.value for s in Status if s.answered]
    mine = PrivacyRequest.objects.for_user(user)
    # The day of closure counts in the organization's time zone, as the due date does: a request
    # answered at 17:00 in Los Angeles on its due day is on time, though it is already the next
    # day in UTC. One closing-day column per time zone among the user's organizations.
    zones = sorted(set(organizations_of(user).values_list("time_zone", flat=True)))
    closed_on = {
        f"closed_on_{i}": TruncDate("closed_at", tzinfo=ZoneInfo(zone))
        for i, zone in enumerate(zones)
    }
    on_time = Q(pk__in=[])
    for i, zone in enumerate(zones):
        on_time |= Q(organization__time_zone=zone, **{f"closed_on_{i}__lte": F("due_date")})
    # The plugin loses the annotations given with **kwargs and then rejects "month" below.
    rows = (
        mine.filter(status__in=answered, due_date__isnull=False, closed_at__gte=since)
        .annotate(month=TruncMonth("closed_at"), **closed_on)  # type: ignore[misc]
        .values("month")
        .annotate(
            on_time=Count("closed_at", filter=on_time),
            late=Count("closed_at", filter=~on_time),
        )
        .order_by("month")
    )
    found = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        found[month.replace(day=1)] = (row["on_time"], row["late"])
    result = []
    for back in range(months - 1, -1, -1):
        month = _month_start(today, back)
        on_time, late = found.get(month, (0, 0))
        result.append(MonthOnTime(month, on_time, late))
    return result


def dashboard(user: Any, *, today: Today | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries whatever the table's size.

    ``today`` defaults to each organization's own today; the chart's months are the server's."""
    todays = todays_for(user) if today is None else today
    return Dashboard(
        queues=queues(user, today=todays),
        urgent=urgent(user, today=todays),
        on_time=on_time_by_month(user, today=timezone.localdate()),
        appeals=open_appeals(user),
        todays=todays,
    )
