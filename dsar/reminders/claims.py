"""Deciding which reminders are due, and recording them, in a few set-based statements.

Every claim is one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per kind and per group of
organizations that share a time zone and a holiday calendar: the number of statements does not
grow with the number of requests, and the unique constraint on ``Reminder`` (not a read before
the write) is what makes a concurrent or repeated sweep record nothing twice. The SELECTs are
built with the ORM and only wrapped in the INSERT here; PostgreSQL and SQLite (3.24+) both
accept the statement.

When is a reminder due? Never "the deadline equals today + 7" (style rule 8): a reminder for
offset 7 is due once the organization's reminder day has reached the deadline minus 7 days, and
it has not been recorded, so a sweep that missed a day catches up. Two refinements:

- A reminder day that is not a working day of the organization (weekend, or a holiday of its
  ``holiday_calendar``) moves to the working day before it: the 1-day reminder of a Monday
  deadline goes out on Friday, not on Sunday when nobody reads it.
- Where several offsets are due at once (a request received late, or a sweep that missed a few
  days), only the most urgent is sent: a 1-day reminder makes the 3- and 7-day ones moot.

The reminder day of an organization starts at ``DSAR_REMINDER_HOUR`` local time (08:00 by
default): a reminder due on Friday goes out on Friday morning, not at midnight. Overdue
escalations are daily, on working days.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    UUIDField,
    Value,
    When,
)
from django.db.models.sql.compiler import SQLCompiler

from dsar import deadlines
from dsar.lib.columns import column
from dsar.organizations.models import Membership, Organization, Role
from dsar.policies.models import ChannelKind
from dsar.reminders import hooks
from dsar.reminders.models import (
    Notification,
    NotificationKind,
    NotificationStatus,
    Reminder,
    ReminderKind,
)
from dsar.requests.models import PrivacyRequest, Status, WaitingFor

ONE_DAY = datetime.timedelta(days=1)


# -- Pure date arithmetic --------------------------------------------------------------------------


def reminder_day(now: datetime.datetime, time_zone: str, hour: int) -> datetime.date:
    """The organization's reminder day at ``now``: its local date once local time has reached
    ``hour``, the day before until then. Wall-clock time, so a DST change moves nothing."""
    local = now.astimezone(ZoneInfo(time_zone))
    return local.date() if local.hour >= hour else local.date() - ONE_DAY


def previous_working_day(day: datetime.date, calendar: str | None) -> datetime.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not deadlines.is_working_day(day, calendar):
        day -= ONE_DAY
    return day


def last_date_due(day: datetime.date, offset: int, calendar: str | None) -> datetime.date:
    """The latest deadline whose ``offset``-day reminder is due on ``day``.

    The reminder of deadline D is due on the working day on or before D - offset; that day is
    non-decreasing in D, so the deadlines due by ``day`` are exactly those up to the date
    returned here (with no holidays: ``day + offset``).
    """
    last = day + datetime.timedelta(days=offset)
    # A run of non-working days is a few days long at most (a weekend plus a holiday or two).
    for _ in range(31):
        if previous_working_day(last + ONE_DAY - datetime.timedelta(days=offset), calendar) > day:
            break
        last += ONE_DAY
    return last


# -- SQL helpers -----------------------------------------------------------------------------------


class DaysBefore(Func):
    """``deadline - day`` in whole days (negative once overdue), on PostgreSQL and SQLite."""

    arity = 2
    output_field = IntegerField()

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        # PostgreSQL: date - date is an integer number of days.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def insert_ignoring_conflicts(
    model: type[Model], columns: Sequence[str], select: QuerySet[Any]
) -> int:
    """``INSERT INTO model (columns) <select> ON CONFLICT DO NOTHING``; returns rows inserted.

    ``select`` is a ``values_list`` whose entries line up with ``columns`` (Django keeps their
    order). It always has a WHERE clause, which SQLite needs to parse an upsert after a SELECT.
    """
    sql, params = select.query.get_compiler(connection=connection).as_sql()
    qn = connection.ops.quote_name
    names = ", ".join(qn(column(model, c)) for c in columns)
    statement = f"INSERT INTO {qn(model._meta.db_table)} ({names}) {sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def _execute(sql: str, params: Sequence[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _uuid(value: uuid.UUID) -> Value:
    return Value(value, output_field=UUIDField())


def _when(value: datetime.datetime) -> Value:
    return Value(value, output_field=DateTimeField())


# -- Groups of organizations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Organizations that share a time zone and a holiday calendar, hence a reminder day."""

    time_zone: str
    calendar: str  # "" = weekends only

    def requests(self) -> QuerySet[PrivacyRequest]:
        # exclude(closed) rather than filter(open): the form of the partial index requests_open_due.
        return PrivacyRequest.objects.exclude(status__in=Status.closed_values()).filter(
            organization__time_zone=self.time_zone,
            organization__holiday_calendar=self.calendar,
        )

    def organizations(self) -> QuerySet[Organization]:
        return Organization.objects.filter(time_zone=self.time_zone, holiday_calendar=self.calendar)

    @property
    def holidays(self) -> str | None:
        return self.calendar or None

    def is_working_day(self, day: datetime.date) -> bool:
        return deadlines.is_working_day(day, self.holidays)


def groups() -> list[Group]:
    pairs = Organization.objects.values_list("time_zone", "holiday_calendar").distinct()
    return [Group(tz, cal) for tz, cal in sorted(set(pairs))]


# -- Staff reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clock:
    """A date field of the request that reminders count down to."""

    field: str
    before: ReminderKind
    after: ReminderKind
    extra_filter: dict[str, Any]


CLOCKS = (
    # CCPA: confirm receipt within 10 business days (Cal. Code Regs. tit. 11 §7021(a)).
    _Clock(
        "acknowledge_by",
        ReminderKind.ACKNOWLEDGE,
        ReminderKind.ACKNOWLEDGE_OVERDUE,
        {"acknowledged_at__isnull": True},
    ),
    _Clock("due_date", ReminderKind.DEADLINE, ReminderKind.OVERDUE, {}),
)

REMINDER_COLUMNS = ("request", "kind", "deadline", "offset", "run", "claimed_at")


def claim_countdown(
    group: Group,
    clock: _Clock,
    *,
    day: datetime.date,
    offsets: Sequence[int],
    run: uuid.UUID,
    now: datetime.datetime,
) -> QuerySet[Any]:
    """The rows to record for the reminders of ``clock`` due on ``day`` (the most urgent one
    per request and date), as a values_list for ``insert_ignoring_conflicts``."""
    offsets = sorted(offsets)
    thresholds = [(o, last_date_due(day, o, group.holidays)) for o in offsets]
    bucket = Case(
        *(When(**{f"{clock.field}__lte": last}, then=Value(o)) for o, last in thresholds),
        output_field=IntegerField(),
    )
    recorded = Reminder.objects.filter(
        request=OuterRef("pk"),
        kind=clock.before,
        deadline=OuterRef(clock.field),
        offset__lte=OuterRef("_offset"),
    )
    return (
        group.requests()
        .filter(
            **{f"{clock.field}__gte": day, f"{clock.field}__lte": thresholds[-1][1]},
            **clock.extra_filter,
        )
        .annotate(
            _kind=Value(clock.before.value),
            _deadline=F(clock.field),
            _offset=bucket,
            _run=_uuid(run),
            _at=_when(now),
        )
        .filter(~Exists(recorded))
        .order_by("pk")
        .values_list("pk", "_kind", "_deadline", "_offset", "_run", "_at")
    )


def claim_overdue(
    group: Group, clock: _Clock, *, day: datetime.date, run: uuid.UUID, now: datetime.datetime
) -> QuerySet[Any]:
    """Today's escalation of every request past ``clock``'s date (one per request and day)."""
    days_before = DaysBefore(F(clock.field), Value(day, output_field=DateField()))
    recorded = Reminder.objects.filter(
        request=OuterRef("pk"),
        kind=clock.after,
        deadline=OuterRef(clock.field),
        offset=OuterRef("_offset"),
    )
    return (
        group.requests()
        .filter(**{f"{clock.field}__lt": day}, **clock.extra_filter)
        .annotate(
            _kind=Value(clock.after.value),
            _deadline=F(clock.field),
            _offset=days_before,
            _run=_uuid(run),
            _at=_when(now),
        )
        .filter(~Exists(recorded))
        .order_by("pk")
        .values_list("pk", "_kind", "_deadline", "_offset", "_run", "_at")
    )


def staff_claims(
    *,
    now: datetime.datetime,
    run: uuid.UUID,
    offsets: Sequence[int],
    ack_offsets: Sequence[int],
    hour: int,
) -> Iterable[QuerySet[Any]]:
    """Every claim statement of one sweep: per group, the countdowns, and on working days the
    escalations."""
    for group in groups():
        day = reminder_day(now, group.time_zone, hour)
        for clock in CLOCKS:
            steps = ack_offsets if clock.before is ReminderKind.ACKNOWLEDGE else offsets
            if steps:
                yield claim_countdown(group, clock, day=day, offsets=steps, run=run, now=now)
            if group.is_working_day(day):
                yield claim_overdue(group, clock, day=day, run=run, now=now)
        yield from hooks.staff_claims(group, day=day, run=run, now=now)


def record_staff_reminders(
    *,
    now: datetime.datetime,
    run: uuid.UUID,
    offsets: Sequence[int],
    ack_offsets: Sequence[int],
    hour: int,
) -> int:
    """Record every staff reminder due at ``now`` under ``run``; returns how many were new."""
    return sum(
        insert_ignoring_conflicts(Reminder, REMINDER_COLUMNS, select)
        for select in staff_claims(
            now=now, run=run, offsets=offsets, ack_offsets=ack_offsets, hour=hour
        )
    )


# -- Recipients ------------------------------------------------------------------------------------


def _recipients_sql(run: Any) -> tuple[str, list[Any]]:
    """(reminder_id, user_id) for the staff reminders of one run: who is told about what.

    - the assignee, if they are an active member of the request's organization with an email;
    - otherwise the privacy team: privacy officers and handlers who receive reminders;
    - escalations (overdue) also go to every privacy officer who receives reminders;
    - a task reminder goes to the owners of the tasks (``hooks.TASK_RECIPIENTS``).
    """
    kinds = [k for k in ReminderKind.staff_values() if k not in ReminderKind.task_values()]
    qn = connection.ops.quote_name
    r = qn(Reminder._meta.db_table)
    p = qn(PrivacyRequest._meta.db_table)
    m = qn(Membership._meta.db_table)
    u = qn(Membership._meta.get_field("user").related_model._meta.db_table)  # type: ignore[union-attr]
    # Table names come from _meta and every value is a parameter.
    sql = f"""
        SELECT c.reminder_id AS reminder_id, m.user_id AS user_id
        FROM (
            SELECT r.id AS reminder_id, r.kind AS kind, p.organization_id AS organization_id,
                   owner.user_id AS owner_id
            FROM {r} r
            JOIN {p} p ON p.id = r.request_id
            LEFT JOIN (
                SELECT ma.organization_id, ma.user_id FROM {m} ma
                JOIN {u} a ON a.id = ma.user_id
                WHERE a.is_active AND a.email <> ''
            ) owner ON owner.organization_id = p.organization_id AND owner.user_id = p.assignee_id
            WHERE r.run = %s AND r.kind IN ({", ".join(["%s"] * len(kinds))})
        ) c
        JOIN {m} m ON m.organization_id = c.organization_id
        JOIN {u} u ON u.id = m.user_id AND u.is_active AND u.email <> ''
        WHERE m.user_id = c.owner_id
           OR (c.owner_id IS NULL AND m.receives_digests AND m.role IN (%s, %s))
           OR (c.kind IN (%s, %s) AND m.receives_digests AND m.role = %s)
    """  # noqa: S608
    params = [
        run,
        *kinds,
        Role.PRIVACY_OFFICER.value,
        Role.HANDLER.value,
        *ReminderKind.escalation_values(),
        Role.PRIVACY_OFFICER.value,
    ]
    tasks = hooks.task_recipients_sql(run)
    if tasks is not None:
        task_sql, task_params = tasks
        sql = f"{sql} UNION {task_sql}"
        params += task_params
    return sql, params


def _run_param(run: uuid.UUID) -> Any:
    return UUIDField().get_db_prep_value(run, connection)


def _time_param(value: datetime.datetime) -> Any:
    return DateTimeField().get_db_prep_value(value, connection)


def build_staff_notifications(*, run: uuid.UUID, now: datetime.datetime) -> int:
    """One ``reminders`` email per person for the staff reminders recorded under ``run``, each
    linked to the reminders it carries. Returns the number of emails."""
    qn = connection.ops.quote_name
    n = qn(Notification._meta.db_table)
    items = Notification.reminders.through._meta
    run_p = _run_param(run)
    recipients, params = _recipients_sql(run_p)
    outbox = [
        NotificationKind.REMINDERS.value,
        run_p,
        NotificationStatus.PENDING.value,
        _time_param(now),
        _time_param(now),
    ]
    created = _execute(
        f"""
        INSERT INTO {n} (kind, user_id, run, status, attempts, next_attempt_at, created_at,
                         last_error, note)
        SELECT DISTINCT %s, x.user_id, %s, %s, 0, %s, %s, '', ''
        FROM ({recipients}) x WHERE 1 = 1
        ON CONFLICT DO NOTHING
        """,  # noqa: S608
        [*outbox, *params],
    )
    _execute(
        f"""
        INSERT INTO {qn(items.db_table)} (notification_id, reminder_id)
        SELECT n.id, x.reminder_id FROM ({recipients}) x
        JOIN {n} n ON n.user_id = x.user_id AND n.run = %s AND n.kind = %s
        WHERE 1 = 1
        ON CONFLICT DO NOTHING
        """,  # noqa: S608
        [*params, run_p, NotificationKind.REMINDERS.value],
    )
    return created


# The columns of a new, pending email in the outbox, and the annotations that fill them.
OUTBOX_COLUMNS = ("status", "attempts", "next_attempt_at", "created_at", "last_error", "note")
OUTBOX_DEFAULTS = ("_status", "_attempts", "_next", "_created", "_error", "_note")


def _outbox_defaults(now: datetime.datetime) -> dict[str, Value]:
    return {
        "_status": Value(NotificationStatus.PENDING.value),
        "_attempts": Value(0),
        "_next": _when(now),
        "_created": _when(now),
        "_error": Value(""),
        "_note": Value(""),
    }


# -- Requester reminders ---------------------------------------------------------------------------


def is_awaiting_verification(request: PrivacyRequest) -> bool:
    """Whether ``request`` waits for its requester to show who they are: sent through the web
    form and waiting for the emailed link to be followed (``WaitingFor.EMAIL``), or asked by
    staff for identity information not yet received (``WaitingFor.IDENTITY``).

    A request *awaiting verification* is not one of them: it is the organization's turn (to
    check what it holds, or to ask), so the requester is neither reminded nor closed out for
    it (docs/legal-decisions.md, "Email confirmation is not identity verification")."""
    if request.status != Status.WAITING_REQUESTER:
        return False
    if request.waiting_for == WaitingFor.EMAIL:
        return request.channel_kind == ChannelKind.WEB_FORM
    return request.waiting_for == WaitingFor.IDENTITY


def awaiting_verification() -> QuerySet[PrivacyRequest]:
    """Requests waiting for the requester to confirm their email address or to send identity
    information, who can be written to (the queryset of ``is_awaiting_verification``)."""
    web_form = Q(waiting_for=WaitingFor.EMAIL, channel_kind=ChannelKind.WEB_FORM)
    identity = Q(waiting_for=WaitingFor.IDENTITY)
    return PrivacyRequest.objects.filter(
        Q(status=Status.WAITING_REQUESTER) & (web_form | identity)
    ).exclude(requester_email="")


def record_verify_nudges(
    *,
    now: datetime.datetime,
    run: uuid.UUID,
    after: datetime.timedelta,
    close_after: datetime.timedelta,
) -> int:
    """Record one verification reminder per request unverified for ``after`` (and not yet due
    for closure), and its email to the requester. Returns the number recorded."""
    recorded = Reminder.objects.filter(request=OuterRef("pk"), kind=ReminderKind.VERIFY_NUDGE)
    select = (
        awaiting_verification()
        .filter(received_at__lte=now - after, received_at__gt=now - close_after)
        .annotate(
            _kind=Value(ReminderKind.VERIFY_NUDGE.value),
            _deadline=F("received_on"),
            _offset=Value(0),
            _run=_uuid(run),
            _at=_when(now),
        )
        .filter(~Exists(recorded))
        .order_by("pk")
        .values_list("pk", "_kind", "_deadline", "_offset", "_run", "_at")
    )
    count = insert_ignoring_conflicts(Reminder, REMINDER_COLUMNS, select)
    if count:
        notify_requesters(run=run, now=now, kind=ReminderKind.VERIFY_NUDGE)
    return count


def notify_requesters(*, run: uuid.UUID, now: datetime.datetime, kind: ReminderKind) -> int:
    """An email to the requester for each reminder of ``kind`` recorded under ``run``."""
    reminders = Reminder.objects.filter(run=run, kind=kind)
    select = (
        reminders.annotate(
            _kind=Value(NotificationKind(kind.value).value),
            _run=_uuid(run),
            **_outbox_defaults(now),
        )
        .order_by("pk")
        .values_list("_kind", "request_id", "_run", *OUTBOX_DEFAULTS)
    )
    count = insert_ignoring_conflicts(
        Notification, ("kind", "request", "run", *OUTBOX_COLUMNS), select
    )
    through = Notification.reminders.through
    links = (
        reminders.annotate(
            _notification=Notification.objects.filter(
                request=OuterRef("request_id"), kind=kind.value
            ).values("pk")[:1]
        )
        .order_by("pk")
        .values_list("_notification", "pk")
    )
    insert_ignoring_conflicts(through, ("notification", "reminder"), links)
    return count


# -- Daily digests ---------------------------------------------------------------------------------


def record_daily_digests(*, now: datetime.datetime, hour: int) -> int:
    """A digest for each privacy officer and handler who receives reminders, per organization,
    once that organization's local time has passed ``hour`` on a working day. The unique
    constraint on (person, organization, local day) makes it once per local day."""
    created = 0
    for group in groups():
        local = now.astimezone(ZoneInfo(group.time_zone))
        if local.hour < hour or not group.is_working_day(local.date()):
            continue
        select = (
            Membership.objects.filter(
                organization__time_zone=group.time_zone,
                organization__holiday_calendar=group.calendar,
                receives_digests=True,
                role__in=[Role.PRIVACY_OFFICER, Role.HANDLER],
                user__is_active=True,
            )
            .exclude(user__email="")
            .annotate(
                _kind=Value(NotificationKind.DAILY_DIGEST.value),
                _day=Value(local.date(), output_field=DateField()),
                **_outbox_defaults(now),
            )
            .order_by("pk")
            .values_list("_kind", "user_id", "organization_id", "_day", *OUTBOX_DEFAULTS)
        )
        created += insert_ignoring_conflicts(
            Notification, ("kind", "user", "organization", "day", *OUTBOX_COLUMNS), select
        )
    return created
