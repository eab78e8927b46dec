"""Sending the outbox: build a page of emails, then claim, send and record each (style rule 8).

Building is set-based: the lines of every staff email of a page of up to ``PAGE`` emails come
from one query per kind of email (a window per email keeps the most urgent
``DSAR_REMINDER_EMAIL_LIMIT`` and counts the rest), however many requests they list. Reading
takes no claim: a worker that loses the race for an email has only read it.

Sending is per person: each email is claimed on its own by a conditional ``UPDATE`` that succeeds
for one worker only (Healthchecks ``sendreports``), sent over the pass's one mail connection, and
marked sent by one ``UPDATE``; no lock is held while the mail server is talked to. A worker killed
after its claim leaves the email claimed: once the lease has run out, a later sweep claims it
again. A failed send is tried again after a delay that doubles each time, up to
``DSAR_REMINDER_MAX_ATTEMPTS`` tries, and each failure is kept in ``last_error``. A reminder
counts as sent once one of its emails is (``Reminder.sent_at`` reads them), so an email's sent
mark is all there is to write, however many reminders it carries.

The one gap no outbox can close: a worker killed after the mail server accepted a message but
before the sent mark was written sends it again after the lease. That window is the length of
one ``UPDATE``, which is why the sent mark stays per email rather than per page.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.template.loader import get_template
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dsar.lib.emails import make_message
from dsar.organizations.models import Membership, Role, today_in
from dsar.policies.models import RightKind
from dsar.reminders import claims, hooks
from dsar.reminders.conf import ReminderSettings, reminder_settings
from dsar.reminders.models import (
    Notification,
    NotificationKind,
    NotificationStatus,
    ReminderKind,
)
from dsar.requests.models import EventKind, PrivacyRequest, Status

logger = logging.getLogger(__name__)

#: Emails built together (one query per kind of email), then claimed and sent one by one.
PAGE = 100


@dataclass
class Delivery:
    """What one pass over the outbox did."""

    sent: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0
    taken: int = 0  # claimed by another worker first
    previews: list[EmailMultiAlternatives] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "skipped": self.skipped,
            "retrying": self.retrying,
            "failed": self.failed,
            "taken": self.taken,
        }


class Skip(Exception):
    """Nothing to send any more (the requests were closed meanwhile, no address…)."""


#: What building one email came to: the message, or why there is none (``Skip``, or an error
#: that is recorded as a failed try).
Built = EmailMultiAlternatives | Exception


# -- Building the emails ---------------------------------------------------------------------------


def _url_template() -> str:
    """The change page of request 0, reversed once per URLconf (not once per line)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    if _URL_TEMPLATES.get(urlconf) is None:
        try:
            path = reverse("admin:requests_privacyrequest_change", args=[0])
        except NoReverseMatch:
            path = ""
        _URL_TEMPLATES[urlconf] = path if "/0/" in path else ""
    return _URL_TEMPLATES[urlconf]


_URL_TEMPLATES: dict[str, str] = {}


@dataclass(frozen=True)
class Line:
    """One request in a staff email, its words already in the email's language."""

    reference: str
    organization: str
    right: str
    what: str
    date: datetime.date | None
    when: str  # the date as the email shows it, e.g. "Tue 7 Apr 2026"
    days_left: int | None
    owner: str
    url: str

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days(self) -> str:
        """ "3 days left", "due today", "2 days late"."""
        if self.days_left is None:
            return _("no date")
        if self.days_left == 0:
            return _("due today")
        if self.days_left < 0:
            late = -self.days_left
            return ngettext("%(n)d day late", "%(n)d days late", late) % {"n": late}
        left = self.days_left
        return ngettext("%(n)d day left", "%(n)d days left", left) % {"n": left}

    def as_context(self) -> dict[str, Any]:
        """The line for a template, as a dict: the template engine finds a key at its first
        try, where an attribute costs it a failed ``line["reference"]`` first, and an email of
        a hundred lines looks up some two thousand of them."""
        return {
            "reference": self.reference,
            "organization": self.organization,
            "right": self.right,
            "what": self.what,
            "date": self.date,
            "when": self.when,
            "days_left": self.days_left,
            "days": self.days,
            "overdue": self.overdue,
            "owner": self.owner,
            "url": self.url,
        }


class Words:
    """Labels and dates for the lines of one page of emails, looked up once each: a page of a
    few thousand lines would otherwise spend most of its time translating the same words."""

    def __init__(self, now: datetime.datetime, conf: ReminderSettings) -> None:
        self.now, self.conf = now, conf
        self.rights = {value: str(label) for value, label in RightKind.choices}
        self.kinds = {value: str(label) for value, label in ReminderKind.choices}
        self.unassigned = str(_("unassigned"))
        self._dates: dict[datetime.date, str] = {}
        self._today: dict[str, datetime.date] = {}
        self._lines: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._templates: dict[str, Any] = {}

    def date(self, day: datetime.date | None) -> str:
        if day is None:
            return ""
        if day not in self._dates:
            self._dates[day] = date_format(day, "D j M Y")
        return self._dates[day]

    def today(self, time_zone: str) -> datetime.date:
        if time_zone not in self._today:
            self._today[time_zone] = today_in(time_zone, self.now)
        return self._today[time_zone]

    def url(self, request_id: int) -> str:
        template = _url_template()
        if not template:
            return ""
        return f"{self.conf.site_url}{template.replace('/0/', f'/{request_id}/', 1)}"

    def line(self, key: tuple[Any, ...], make: Callable[[], Line], template: str) -> dict[str, Any]:
        """A line for an email, built and rendered once per page: the same request is often in
        several emails (an unassigned one goes to the whole team, a late one to every privacy
        officer too), and rendering lines is most of the cost of building a large email.

        ``template`` names the line's own two templates, ``emails/<template>.txt`` and
        ``.html``; the email's templates put them in as ``line.text`` and ``line.html``.
        """
        found = self._lines.get(key)
        if found is None:
            found = self._lines[key] = make().as_context()
            found["text"] = self._template(f"emails/{template}.txt").render({"line": found})
            found["html"] = self._template(f"emails/{template}.html").render({"line": found})
        return found

    def _template(self, name: str) -> Any:
        if name not in self._templates:
            self._templates[name] = get_template(name)
        return self._templates[name]


#: What a staff reminder line needs, read without building model instances.
REMINDER_FIELDS = (
    "kind",
    "deadline",
    "request_id",
    "request__reference",
    "request__right_kind",
    "request__organization__name",
    "request__organization__time_zone",
    "request__assignee__username",
)
_ACK_KINDS = (ReminderKind.ACKNOWLEDGE.value, ReminderKind.ACKNOWLEDGE_OVERDUE.value)


def still_standing(prefix: str = "") -> Q:
    """Reminders (at ``prefix``, e.g. ``"reminder__"``) whose request is still open and whose
    date has not moved or been met: an email built later than it was recorded (a retry) leaves
    the others out."""
    request = f"{prefix}request__"
    acknowledgement = Q(**{f"{prefix}kind__in": _ACK_KINDS})
    # A task reminder stands while a task of the request due that day is still open.
    task = Q(**{f"{prefix}kind__in": ReminderKind.task_values()})
    return ~Q(**{f"{request}status__in": Status.closed_values()}) & (
        (
            acknowledgement
            & Q(
                **{
                    f"{request}acknowledged_at__isnull": True,
                    f"{request}acknowledge_by": F(f"{prefix}deadline"),
                }
            )
        )
        | (task & hooks.task_standing(prefix))
        | (~acknowledgement & ~task & Q(**{f"{request}due_date": F(f"{prefix}deadline")}))
    )


def _reminder_rows(ids: Sequence[int], limit: int) -> dict[int, list[dict[str, Any]]]:
    """The lines of several ``reminders`` emails in one query: per email, its standing
    reminders, the most urgent (earliest date) first, at most ``limit``, each row with the
    email's totals (window counts are taken before the limit)."""
    through = Notification.reminders.through
    late = Q(reminder__kind__in=ReminderKind.escalation_values())
    # The plugin does not follow annotate() on an auto-created through model: "_rank" is ours.
    rows = (
        through.objects.filter(notification_id__in=ids)  # type: ignore[misc]
        .filter(still_standing("reminder__"))
        .annotate(
            _rank=Window(
                RowNumber(),
                order_by=[
                    F("reminder__deadline").asc(),
                    F("reminder__request__reference").asc(),
                    F("reminder__kind").asc(),
                ],
                partition_by=[F("notification_id")],
            ),
            _total=Window(Count("pk"), partition_by=[F("notification_id")]),
            _late=Window(Count("pk", filter=late), partition_by=[F("notification_id")]),
        )
        .filter(_rank__lte=limit)
        .values(
            "notification_id",
            "_rank",
            "_total",
            "_late",
            *(f"reminder__{f}" for f in REMINDER_FIELDS),
        )
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        found[row["notification_id"]].append(row)
    for lines in found.values():
        lines.sort(key=lambda row: row["_rank"])
    return found


def _reminder_line(row: dict[str, Any], words: Words) -> dict[str, Any]:
    def make() -> Line:
        deadline = row["reminder__deadline"]
        right = row["reminder__request__right_kind"]
        today = words.today(row["reminder__request__organization__time_zone"])
        return Line(
            reference=row["reminder__request__reference"],
            organization=row["reminder__request__organization__name"],
            right=words.rights.get(right, right),
            what=words.kinds[row["reminder__kind"]],
            date=deadline,
            when=words.date(deadline),
            days_left=(deadline - today).days,
            owner=row["reminder__request__assignee__username"] or words.unassigned,
            url=words.url(row["reminder__request_id"]),
        )

    key = ("r", row["reminder__request_id"], row["reminder__kind"], row["reminder__deadline"])
    return words.line(key, make, "reminder_digest_line")


def _compose_reminders(
    notification: Notification,
    rows: list[dict[str, Any]],
    words: Words,
    conf: ReminderSettings,
) -> EmailMultiAlternatives:
    """The reminders of one run for one person, the most urgent first (the earliest date), at
    most ``DSAR_REMINDER_EMAIL_LIMIT`` of them listed and the rest counted."""
    if not rows:
        raise Skip(_("the requests were closed or their dates moved meanwhile"))
    lines = [_reminder_line(row, words) for row in rows]
    total = rows[0]["_total"]
    user = notification.user
    assert user is not None  # noqa: S101 - reminders_notification_one_recipient
    return make_message(
        NotificationKind.REMINDERS.template,
        to=[user.email],
        context={
            "user": user,
            "lines": lines,
            "total": total,
            "more": total - len(lines),
            "overdue": rows[0]["_late"],
            "site_url": conf.site_url,
        },
    )


def _digest_sql(count: int, limit: int) -> tuple[str, list[Any]]:
    """The lines of ``count`` daily digests in one statement: for each, the open requests of
    its organization that are the person's own or unassigned, and for a privacy officer every
    late one (as of the digest's local day), the most urgent first, at most ``limit``, with the
    total. Table names come from ``_meta``; every value is a parameter."""
    qn = connection.ops.quote_name
    n = qn(Notification._meta.db_table)
    m = qn(Membership._meta.db_table)
    p = qn(PrivacyRequest._meta.db_table)
    u = qn(PrivacyRequest._meta.get_field("assignee").related_model._meta.db_table)  # type: ignore[union-attr]
    closed = Status.closed_values()
    sql = f"""
        SELECT * FROM (
            SELECT n.id AS notification_id, p.id AS request_id, p.reference, p.right_kind,
                   p.acknowledge_by, p.acknowledged_at, p.due_date, p.internal_target,
                   a.username AS assignee,
                   ROW_NUMBER() OVER (
                       PARTITION BY n.id
                       ORDER BY p.due_date ASC NULLS LAST, p.internal_target ASC NULLS LAST, p.id
                   ) AS line_no,
                   COUNT(*) OVER (PARTITION BY n.id) AS total
            FROM {n} n
            JOIN {m} m ON m.user_id = n.user_id AND m.organization_id = n.organization_id
            JOIN {p} p ON p.organization_id = n.organization_id
            LEFT JOIN {u} a ON a.id = p.assignee_id
            WHERE n.id IN ({", ".join(["%s"] * count)})
              AND p.status NOT IN ({", ".join(["%s"] * len(closed))})
              AND (
                  p.assignee_id = n.user_id
                  OR p.assignee_id IS NULL
                  OR (m.role = %s AND (
                      p.due_date < n.day
                      OR (p.acknowledge_by < n.day AND p.acknowledged_at IS NULL)
                  ))
              )
        ) x
        WHERE line_no <= %s
        ORDER BY notification_id, line_no
    """  # noqa: S608
    return sql, [*closed, Role.PRIVACY_OFFICER.value, limit]


def _digest_rows(ids: Sequence[int], limit: int) -> dict[int, list[dict[str, Any]]]:
    sql, params = _digest_sql(len(ids), limit)
    params = [*ids, *params]
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            found[row["notification_id"]].append(row)
    return found


def _as_date(value: Any) -> datetime.date | None:
    """A date read by a raw query (SQLite returns text)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _digest_line(row: dict[str, Any], today: datetime.date, words: Words) -> dict[str, Any]:
    def make() -> Line:
        acknowledge_by = _as_date(row["acknowledge_by"])
        date: datetime.date | None
        if acknowledge_by and row["acknowledged_at"] is None:
            what, date = _("acknowledge receipt"), acknowledge_by
        elif row["due_date"]:
            what, date = _("legal deadline"), _as_date(row["due_date"])
        else:
            what, date = _("internal target"), _as_date(row["internal_target"])
        right = row["right_kind"]
        return Line(
            reference=row["reference"],
            organization="",
            right=words.rights.get(right, right),
            what=str(what),
            date=date,
            when=words.date(date),
            days_left=(date - today).days if date else None,
            owner=row["assignee"] or words.unassigned,
            url=words.url(row["request_id"]),
        )

    return words.line(("d", row["request_id"], today), make, "digest_daily_line")


def _compose_digest(
    notification: Notification,
    rows: list[dict[str, Any]],
    membership: Membership | None,
    words: Words,
    conf: ReminderSettings,
) -> EmailMultiAlternatives:
    user, organization = notification.user, notification.organization
    assert user is not None and organization is not None  # noqa: S101 - constraints
    if membership is None or not membership.receives_digests:
        raise Skip(_("no longer a member who receives reminders"))
    if not rows:
        raise Skip(_("no open requests to list"))
    today = words.today(organization.time_zone)
    lines = [_digest_line(row, today, words) for row in rows]
    total = rows[0]["total"]
    return make_message(
        NotificationKind.DAILY_DIGEST.template,
        to=[user.email],
        context={
            "user": user,
            "organization": organization,
            "day": notification.day,
            "lines": lines,
            "total": total,
            "more": total - len(lines),
            "site_url": conf.site_url,
        },
    )


def _compose_requester(
    notification: Notification, conf: ReminderSettings
) -> EmailMultiAlternatives:
    request = notification.request
    assert request is not None  # noqa: S101 - reminders_notification_one_recipient
    if not request.requester_email:
        raise Skip(_("no email address for the requester"))
    kind = notification.kind_enum
    if kind is NotificationKind.VERIFY_NUDGE and not claims.is_awaiting_verification(request):
        raise Skip(_("no longer awaiting verification"))
    tz = ZoneInfo(request.organization.time_zone)
    closes_on = (request.received_at + conf.close_unverified_after).astimezone(tz).date()
    return make_message(
        kind.template,
        to=[request.requester_email],
        language=request.language,
        context={
            "request": request,
            "reference": request.reference,
            "organization": request.organization,
            "received_on": request.received_on,
            "closes_on": closes_on,
            "verification_url": hooks.verification_url(request),
        },
    )


def compose_page(
    notifications: Sequence[Notification],
    now: datetime.datetime,
    conf: ReminderSettings | None = None,
) -> dict[int, Built]:
    """The emails of ``notifications`` as they would go out at ``now``, by id: a message, a
    ``Skip``, or the error building it raised. One query per kind of staff email, whatever the
    number of emails and of the requests they list."""
    conf = conf or reminder_settings()
    by_kind: dict[NotificationKind, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_kind[notification.kind_enum].append(notification)
    reminders = by_kind[NotificationKind.REMINDERS]
    digests = by_kind[NotificationKind.DAILY_DIGEST]
    reminder_rows = _reminder_rows([n.pk for n in reminders], conf.email_limit) if reminders else {}
    digest_rows = _digest_rows([n.pk for n in digests], conf.email_limit) if digests else {}
    memberships: dict[tuple[int | None, int | None], Membership] = {
        (m.user_id, m.organization_id): m
        for m in (
            Membership.objects.filter(
                user_id__in={n.user_id for n in digests},
                organization_id__in={n.organization_id for n in digests},
            )
            if digests
            else ()
        )
    }
    built: dict[int, Built] = {}
    with translation.override(settings.LANGUAGE_CODE):
        words = Words(now, conf)
        for notification in notifications:
            try:
                kind = notification.kind_enum
                if kind is NotificationKind.REMINDERS:
                    rows = reminder_rows.get(notification.pk, [])
                    built[notification.pk] = _compose_reminders(notification, rows, words, conf)
                elif kind is NotificationKind.DAILY_DIGEST:
                    built[notification.pk] = _compose_digest(
                        notification,
                        digest_rows.get(notification.pk, []),
                        memberships.get((notification.user_id, notification.organization_id)),
                        words,
                        conf,
                    )
                else:
                    built[notification.pk] = _compose_requester(notification, conf)
            except Exception as error:  # a template or data error: recorded, retried, never lost
                built[notification.pk] = error
    return built


def compose(
    notification: Notification, now: datetime.datetime, conf: ReminderSettings | None = None
) -> EmailMultiAlternatives:
    """The email one notification stands for, as it would go out at ``now``; raises ``Skip``."""
    built = compose_page([notification], now, conf)[notification.pk]
    if isinstance(built, Exception):
        raise built
    return built


# -- Claim, send, record ---------------------------------------------------------------------------


def _outbox(conf: ReminderSettings) -> list[Notification]:
    """The emails to try now, with what building them needs, in one query. Each is still
    claimed on its own before it is sent."""
    return list(
        Notification.objects.sendable(timezone.now(), conf.lease)
        .select_related("user", "organization", "request__organization")
        .order_by("next_attempt_at", "pk")
    )


def _pages(items: Sequence[Notification]) -> Iterable[Sequence[Notification]]:
    for start in range(0, len(items), PAGE):
        yield items[start : start + PAGE]


def _claim(pk: int, conf: ReminderSettings) -> bool:
    """Take the email for one try; False when another worker holds a live claim or sent it."""
    now = timezone.now()
    claimed = (
        Notification.objects.sendable(now, conf.lease)
        .filter(pk=pk)
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _mark_sent(notification: Notification) -> None:
    """One ``UPDATE`` for a staff email; for an email to a requester, also the event on the
    request's timeline, in the same transaction."""
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, status=NotificationStatus.PENDING).update(
            status=NotificationStatus.SENT, sent_at=now
        )
        if notification.request_id is None:
            return
        from dsar.requests import events

        kind = notification.kind_enum
        events.record(
            notification.request,  # type: ignore[arg-type]
            actor=None,
            actor_label="system",
            kind=EventKind.REQUESTER_EMAILED,
            summary=(
                _("Reminded the requester to verify their identity")
                if kind is NotificationKind.VERIFY_NUDGE
                else _("Told the requester the request was closed as unverified")
            ),
            notification=notification.pk,
            email=kind.template,
        )


def _mark_skipped(notification: Notification, reason: str) -> None:
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.SKIPPED, note=reason[:200], claimed_at=None
    )


def _mark_failed(notification: Notification, error: BaseException, conf: ReminderSettings) -> bool:
    """Record a failed try; returns True when it will be tried again."""
    now = timezone.now()
    attempts = Notification.objects.filter(pk=notification.pk).values_list("attempts", flat=True)[0]
    again = attempts < conf.max_attempts
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.PENDING if again else NotificationStatus.FAILED,
        claimed_at=None,
        next_attempt_at=now + conf.retry_after * 2 ** max(attempts - 1, 0),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    # Ids only: an error message could quote an address.
    logger.warning(
        "reminder email %s (%s) failed on try %s of %s: %s",
        notification.pk,
        notification.kind,
        attempts,
        conf.max_attempts,
        type(error).__name__,
    )
    return again


def _failed(
    notification: Notification, error: BaseException, delivery: Delivery, conf: ReminderSettings
) -> None:
    again = _mark_failed(notification, error, conf)
    delivery.retrying += again
    delivery.failed += not again


def deliver_one(
    notification: Notification,
    built: Built,
    delivery: Delivery,
    conf: ReminderSettings,
    backend: BaseEmailBackend,
) -> bool:
    """Claim, send and record one email already built; False when the mail connection failed
    (the caller opens a new one)."""
    if not _claim(notification.pk, conf):
        delivery.taken += 1
        return True
    if isinstance(built, Skip):
        _mark_skipped(notification, str(built))
        delivery.skipped += 1
        return True
    if isinstance(built, Exception):
        _failed(notification, built, delivery, conf)
        return True
    try:
        built.connection = backend
        built.send()
    except Exception as error:  # the mail server: recorded and retried with backoff
        _failed(notification, error, delivery, conf)
        return False
    _mark_sent(notification)
    delivery.sent += 1
    return True


def _mail_connection() -> tuple[BaseEmailBackend, Exception | None]:
    """One connection for the emails of a pass, and why it could not be opened, if it could
    not. When the mail server cannot be reached, the next send still tries on its own, and its
    failure is recorded and retried like any other."""
    backend = get_connection()
    try:
        backend.open()
    except Exception as error:
        logger.warning("reminder emails: no mail connection (%s)", type(error).__name__)
        return backend, error
    return backend, None


def _close(backend: BaseEmailBackend) -> None:
    with contextlib.suppress(Exception):  # a connection that broke may fail to close, too
        backend.close()


def deliver_pending(*, conf: ReminderSettings | None = None) -> Delivery:
    """Send every email of the outbox that is due and unclaimed, a page built at a time, each
    claimed, sent and recorded on its own, over one mail connection."""
    conf = conf or reminder_settings()
    delivery = Delivery()
    outbox = _outbox(conf)
    if outbox:
        backend, _ = _mail_connection()
        # Set once a send failed and a new connection failed too: the server is down, or hangs
        # (each try would wait EMAIL_TIMEOUT twice). The rest of the pass is recorded as failed
        # tries with that error, without knocking again, and retried after the backoff.
        unreachable: Exception | None = None
        try:
            for page in _pages(outbox):
                built = compose_page(page, timezone.now(), conf)
                for notification in page:
                    email = built[notification.pk]
                    if unreachable is not None and not isinstance(email, Exception):
                        email = unreachable
                    if not deliver_one(notification, email, delivery, conf, backend):
                        # A broken connection would fail every later send: start anew.
                        _close(backend)
                        backend, unreachable = _mail_connection()
        finally:
            _close(backend)
    return delivery


def preview_pending(*, conf: ReminderSettings | None = None) -> Delivery:
    """The emails ``deliver_pending`` would send now, built but neither claimed nor sent."""
    conf = conf or reminder_settings()
    delivery = Delivery()
    now = timezone.now()
    for page in _pages(_outbox(conf)):
        for built in compose_page(page, now, conf).values():
            if isinstance(built, Skip):
                delivery.skipped += 1
            elif isinstance(built, Exception):
                raise built
            else:
                delivery.previews.append(built)
    return delivery


def describe(message: EmailMultiAlternatives) -> str:
    """A preview for staff: recipients, subject and text body."""
    return f"To: {', '.join(message.to)}\nSubject: {message.subject}\n\n{message.body.strip()}\n"
