"""Task reminders, through the reminders app's sweep (its ``hooks``): recorded exactly once by
the same ``INSERT … ON CONFLICT DO NOTHING`` claims, carried in the same one-email-per-person
``reminders`` email, sent by the same outbox.

A task reminder is a ``Reminder`` of kind ``task_due`` for a request and a date: the working
day before the date its pending tasks are due (``TASK_OFFSET``), it goes to the owners of those
tasks (the privacy team when a task has no owner). Its unique constraint (request, kind, date,
offset) is what makes it go out once, however many sweeps run; a task whose due date moves gets
a reminder of the new date.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields import DateField, IntegerField

from dsar.fulfilment.models import Task, TaskState
from dsar.organizations.models import Membership, Role
from dsar.reminders import claims
from dsar.reminders.models import Reminder, ReminderKind

#: Days before a task's due date that its owner is reminded (the working day before, at the
#: reminders' hour, as the deadline reminders count).
TASK_OFFSET = 1


def _pending(**lookups: Any) -> QuerySet[Task]:
    return Task.objects.filter(state__in=TaskState.pending_values(), **lookups)


def claim_tasks_due(
    group: claims.Group, *, day: datetime.date, run: uuid.UUID, now: datetime.datetime
) -> QuerySet[Any]:
    """Rows of ``claims.REMINDER_COLUMNS``: one ``task_due`` reminder per open request whose
    pending tasks fall due by the day the reminder is due, for their earliest due date."""
    last = claims.last_date_due(day, TASK_OFFSET, group.holidays)
    due = _pending(request=OuterRef("pk"), due_date__gte=day, due_date__lte=last)
    earliest = due.order_by("due_date").values("due_date")[:1]
    recorded = Reminder.objects.filter(
        request=OuterRef("pk"),
        kind=ReminderKind.TASK_DUE,
        deadline=OuterRef("_deadline"),
        offset=TASK_OFFSET,
    )
    return (
        group.requests()
        .filter(Exists(due))
        .annotate(
            _kind=Value(ReminderKind.TASK_DUE.value),
            _deadline=Subquery(earliest, output_field=DateField()),
            _offset=Value(TASK_OFFSET, output_field=IntegerField()),
            _run=claims._uuid(run),
            _at=claims._when(now),
        )
        .filter(~Exists(recorded))
        .order_by("pk")
        .values_list("pk", "_kind", "_deadline", "_offset", "_run", "_at")
    )


def recipients_sql(run: Any) -> tuple[str, list[Any]]:
    """(reminder_id, user_id) of the task reminders of ``run`` (a database value): the owners
    of the pending tasks due that day who are active members with an email; for a task nobody
    owns, the organization's privacy officers and handlers who receive reminders."""
    qn = connection.ops.quote_name
    r = qn(Reminder._meta.db_table)
    t = qn(Task._meta.db_table)
    m = qn(Membership._meta.db_table)
    u = qn(get_user_model()._meta.db_table)
    p = qn(Task._meta.get_field("request").related_model._meta.db_table)  # type: ignore[union-attr]
    states = ", ".join(["%s"] * len(TaskState.pending_values()))
    # Table names come from _meta and every value is a parameter.
    sql = f"""
        SELECT r.id AS reminder_id, m.user_id AS user_id
        FROM {r} r
        JOIN {p} p ON p.id = r.request_id
        JOIN {t} t ON t.request_id = r.request_id AND t.due_date = r.deadline
             AND t.state IN ({states})
        JOIN {m} m ON m.organization_id = p.organization_id
        JOIN {u} u ON u.id = m.user_id AND u.is_active AND u.email <> ''
        WHERE r.run = %s AND r.kind = %s
          AND (m.user_id = t.owner_id
               OR (t.owner_id IS NULL AND m.receives_digests AND m.role IN (%s, %s)))
    """  # noqa: S608
    return sql, [
        *TaskState.pending_values(),
        run,
        ReminderKind.TASK_DUE.value,
        Role.PRIVACY_OFFICER.value,
        Role.HANDLER.value,
    ]


def still_standing(prefix: str) -> Q:
    """A task reminder still stands while a task of its request due on its date is pending."""
    return Q(
        Exists(
            _pending(
                request_id=OuterRef(f"{prefix}request_id"),
                due_date=OuterRef(f"{prefix}deadline"),
            )
        )
    )
