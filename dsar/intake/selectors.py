"""Reads for the public pages: what the policy in force offers, and when to expect an answer.

Nothing here writes. The deadlines shown on the form are computed by the same ``clock.decide``
and ``channel_rules.assess`` that ``request_log`` uses, for a request received through the web
form today, so the form never promises a date the staff side would not compute.
"""

from __future__ import annotations

import copy
import datetime
import threading
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dsar.deadlines import Rule
from dsar.organizations.models import Organization
from dsar.policies.models import Channel, ChannelKind, PolicyVersion, PolicyVersionStatus, Right
from dsar.requests import channel_rules, clock
from dsar.requests.models import Flag, PrivacyRequest, Status, WaitingFor


class Residence:
    """Where the requester lives, as the form asks it, and the jurisdiction code it stands for."""

    CHOICES: tuple[tuple[str, Promise], ...] = (
        ("EU", _("In the European Union, Iceland, Liechtenstein or Norway (EU/EEA)")),
        ("GB", _("In the United Kingdom")),
        ("US-CA", _("In California")),
        ("US", _("In another US state")),
        ("OTHER", _("Elsewhere")),
    )
    SHORT: dict[str, Promise] = {
        "EU": _("EU/EEA"),
        "GB": _("United Kingdom"),
        "US-CA": _("California"),
        "US": _("another US state"),
        "OTHER": _("elsewhere"),
    }


# The law's name as a requester reads it; the engine's own labels are for staff.
RULE_NAMES: dict[str, Promise] = {
    Rule.GDPR: _("one month (GDPR)"),
    Rule.CCPA: _("45 days (California Consumer Privacy Act)"),
    Rule.CCPA_OPT_OUT: _("15 business days (California Consumer Privacy Act)"),
    Rule.SHINE_THE_LIGHT: _("30 days (California Civil Code 1798.83)"),
    Rule.SHINE_THE_LIGHT_UNDESIGNATED: _("at most 150 days (California Civil Code 1798.83)"),
    Rule.CAN_SPAM: _("10 business days (CAN-SPAM Act)"),
    Rule.US_STATE: _("45 days (state privacy law)"),
    Rule.LGPD: _("15 days (LGPD)"),
    Rule.PIPEDA: _("30 days (PIPEDA)"),
}

# Channels a person can use instead of the form, in the order a page lists them.
OTHER_CHANNELS = (
    ChannelKind.EMAIL,
    ChannelKind.POSTAL_MAIL,
    ChannelKind.CERTIFIED_MAIL,
    ChannelKind.PHONE,
    ChannelKind.FAX,
    ChannelKind.SELF_SERVICE,
)


@dataclass(frozen=True)
class Expectation:
    """When an answer is due for the residences in ``where``, if the request arrives today."""

    where: list[Promise]
    due: datetime.date | None
    rule_name: Promise | str
    from_confirmation: bool  # the clock starts on the day the email address is confirmed


@dataclass
class Offer:
    """One right the policy in force promises, as the form presents it.

    The deadlines to expect are computed when a page shows them, not when a post is checked.
    """

    right: Right
    channels: list[Channel]
    organization: Organization
    version: PolicyVersion
    today: datetime.date

    @property
    def kind(self) -> str:
        return self.right.kind

    @cached_property
    def expectations(self) -> list[Expectation]:
        return expectations(self.organization, self.version, self.right, today=self.today)

    @property
    def requires(self) -> list[str]:
        return [str(item) for item in self.right.requires or []]


def today_for(organization: Organization) -> datetime.date:
    return timezone.localdate(timezone=ZoneInfo(organization.time_zone))


def policy_for_form(organization: Organization) -> PolicyVersion | None:
    return organization.policy_in_force()


def form_policy(slug: str) -> tuple[Organization | None, PolicyVersion | None]:
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
    """
    if connection.vendor != "postgresql":
        return _read_form_policy(slug)
    versions = _form_policy_row_versions(slug)
    kept = _FORM_POLICIES.get(slug)
    if kept is None or versions is None or kept[0] != versions:
        organization, version = _read_form_policy(slug)
        if version is None:
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
_FORM_POLICIES: dict[str, tuple[RowVersions, Organization, PolicyVersion]] = {}
_FORM_POLICIES_LOCK = threading.Lock()


def _form_policy_row_versions(slug: str) -> RowVersions | None:
    """Where and by whom the organization and its version in force were last written, None
    without one. (Within one transaction, as in tests, only the place changes.)"""
    q = connection.ops.quote_name
    organizations, versions = Organization._meta.db_table, PolicyVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            # Identifiers quoted by the backend, of our own tables; the values are parameters.
            f"SELECT o.ctid::text, o.xmin::text, v.id::text, v.ctid::text, v.xmin::text "  # noqa: S608
            f"FROM {q(organizations)} o "
            f"JOIN {q(versions)} v ON v.organization_id = o.id AND v.status = %s "
            f"WHERE o.slug = %s",
            [PolicyVersionStatus.IN_FORCE, slug],
        )
        row = cursor.fetchone()
    return tuple(row) if row else None


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
    """Every right the version promises, with its channels and the deadlines to expect."""
    today = today or today_for(organization)
    rights = version.rights.prefetch_related(
        Prefetch("channels", queryset=Channel.objects.order_by("position", "id"))
    ).order_by("position", "id")
    result = []
    for right in rights:
        channels = [c for c in right.channels.all() if c.kind in OTHER_CHANNELS and c.address]
        result.append(Offer(right, channels, organization, version, today))
    return result


def expectations(
    organization: Organization, version: PolicyVersion, right: Right, *, today: datetime.date
) -> list[Expectation]:
    """The deadline for each residence the form offers, grouped where they are the same."""
    assessment = channel_rules.assess(
        version=version,
        right_kind=right.kind,
        channel_kind=ChannelKind.WEB_FORM,
        subject_line="",
        message="",
    )
    off_channel = any(
        f["code"] in (Flag.CHANNEL_NOT_OFFERED, Flag.LABEL_MISSING) for f in assessment.flags
    )
    grouped: dict[tuple[datetime.date | None, str, bool], list[Promise]] = {}
    for code, _label in Residence.CHOICES:
        decision = clock.decide(
            organization=organization,
            right=right,
            right_kind=right.kind,
            jurisdiction=code,
            designated=assessment.designated,
            received_on=today,
            promise_applies=not off_channel,
        )
        if decision.deadline is None:
            key = (None, "", False)
        else:
            rule = decision.deadline.rule
            restarts = any(c.restarts for c in decision.candidates if c.rule is rule)
            key = (decision.deadline.due, rule.value, restarts)
        grouped.setdefault(key, []).append(Residence.SHORT[code])
    return [
        Expectation(
            where=where,
            due=due,
            rule_name=RULE_NAMES.get(rule, rule) if rule else "",
            from_confirmation=restarts,
        )
        for (due, rule, restarts), where in grouped.items()
    ]


# Where a request stands, in the requester's words (the staff labels are in Status).
REQUESTER_STATUS: dict[str, Promise] = {
    Status.RECEIVED: _("Received"),
    Status.AWAITING_VERIFICATION: _("Waiting for you to confirm your email address"),
    Status.IN_PROGRESS: _("Being worked on"),
    Status.WAITING_REQUESTER: _("Waiting for information from you"),
    Status.FULFILLED: _("Answered"),
    Status.PARTIALLY_FULFILLED: _("Partly answered"),
    Status.DENIED: _("Refused"),
    Status.WITHDRAWN: _("Withdrawn"),
    Status.CLOSED_UNVERIFIABLE: _("Closed: your email address was not confirmed"),
    Status.CLOSED_DUPLICATE: _("Closed: the same as an earlier request"),
}
WAITING_FOR: dict[str, Promise] = {
    WaitingFor.IDENTITY: _("We need to confirm who you are. We have written to you about it."),
    WaitingFor.CLARIFICATION: _("We need you to tell us more. We have written to you about it."),
    WaitingFor.FEE: _("The organization asks for a fee. We have written to you about it."),
}


def requester_status(request: PrivacyRequest) -> Promise | str:
    return REQUESTER_STATUS.get(request.status, request.get_status_display())


def waiting_for(request: PrivacyRequest) -> Promise | str:
    return WAITING_FOR.get(request.waiting_for, "")


def deadline_restarts_on_confirmation(request: object) -> bool:
    """Whether the request's binding deadline counts from the day the email is confirmed."""
    return getattr(request, "deadline_rule", "") == Rule.GDPR


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
    package: object = None


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
